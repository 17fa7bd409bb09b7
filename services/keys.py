"""The key of researchers' pseudonymous ids, kept out of the database (a backup of it must not re-identify research
files): the setting GAPURA_PSEUDONYM_SECRET, or a key file outside the data folder made on first use.

The database keeps only a check of the key (scrypt, salted), so that a replica with another key, or a lost key file,
is refused with what to do instead of giving the same company a new id silently."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
from pathlib import Path

from services.audit import Audit
from services.policy import Actor, ensure, guarded
from services.settings import Settings
from store.repository import Store

LOG = logging.getLogger(__name__)
STORED = "pseudonym"  # its name in app_secrets, where versions before the key file kept it
CHECK = "pseudonym.check"  # the check of the key in use, in app_secrets
ROTATION_BREAKS = (
    "Every research file exported before now keeps its old ids: they no longer match the ids of new exports, so "
    "earlier and later files cannot be linked by organization."
)


class KeyProblem(RuntimeError):
    """The key cannot be used as it is; the message says what to do."""


class PseudonymKey:
    def __init__(self, store: Store, settings: Settings, audit: Audit) -> None:
        self.store, self.settings, self.audit = store, settings, audit

    def _secret(self) -> str:
        """The setting if given, else the key file (made on first use), once it matches the key earlier research
        files were made with."""
        key = self.settings.pseudonym_secret or self._file_key()
        check = self.store.stored_secret(CHECK)
        if check is None:
            check = self.store.keep_secret(CHECK, _check_of(key))  # two replicas at once: the first one's
        if not _verifies(check, key):
            raise KeyProblem(
                f"the pseudonym key of this server ({self._source()}) is not the one earlier research files were "
                "made with: give every replica the same key (restore it from your backup), or run "
                "`python -m gapura keys rotate-pseudonym` to start new ids"
            )
        return key

    def _file_key(self) -> str:
        if self.store.stored_secret(STORED) is not None:
            raise KeyProblem(
                f"the database holds a pseudonym key that differs from {self.settings.key_file}; move that file "
                "aside to keep the ids of earlier research files (the app then moves the database's key there), "
                "or run `python -m gapura keys rotate-pseudonym` to start new ids"
            )
        path = self.settings.key_file
        if not path.exists() and self.store.stored_secret(CHECK) is not None:
            raise KeyProblem(
                f"the pseudonym key file {path} is missing, and research files were made with its key: restore it "
                "from your backup, or run `python -m gapura keys rotate-pseudonym` to start new ids"
            )
        return read_or_make(path)

    def _source(self) -> str:
        return "GAPURA_PSEUDONYM_SECRET" if self.settings.pseudonym_secret else str(self.settings.key_file)

    def _move_stored(self) -> None:
        """Upgrade: the key an earlier version kept in the database goes to the key file (so ids stay the same) and
        leaves the database; with a different key file already there, both are left as they are and said so."""
        stored = self.store.stored_secret(STORED)
        if stored is None:
            return
        if self.settings.pseudonym_secret == stored or _write_new(self.settings.key_file, stored) == stored:
            self.store.keep_secret(CHECK, _check_of(self.settings.pseudonym_secret or stored))
            self.store.forget_secret(STORED)
            LOG.info("the pseudonym key moved from the database to %s", self.settings.key_file)
        else:
            LOG.error("the database holds a pseudonym key that differs from %s; left in place", self.settings.key_file)

    @guarded("pseudonym_key", "write")
    def rotate(self, actor: Actor) -> str:
        """From now on, a new key: a new key file (the old key is gone), or, when the setting gives the key, the
        setting's new value; no key left in the database; audited. Returns where the key is."""
        ensure(actor, "write", "pseudonym_key")
        key = self.settings.pseudonym_secret
        check = self.store.stored_secret(CHECK)
        if key and check is not None and _verifies(check, key):
            raise KeyProblem("the key comes from GAPURA_PSEUDONYM_SECRET and is already in use: change the setting")
        if not key:
            key = secrets.token_hex(32)
            _write(self.settings.key_file, key, replace=True)
        self.store.replace_secret(CHECK, _check_of(key))
        self.store.forget_secret(STORED)
        self.audit.record(actor.label, "keys.rotate-pseudonym", self._source(), {"breaks": ROTATION_BREAKS})
        return self._source()


def _check_of(key: str) -> str:
    """A salted, slow hash of the key: it tells whether a key is the one in use, and costs a guesser of a weak
    GAPURA_PSEUDONYM_SECRET as much as a password hash would."""
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_scrypt(key, salt).hex()}"


@functools.lru_cache(maxsize=8)
def _verifies(check: str, key: str) -> bool:
    _, salt, digest = check.split("$")
    return hmac.compare_digest(_scrypt(key, bytes.fromhex(salt)).hex(), digest)


def _scrypt(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(key.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


def read_or_make(path: Path) -> str:
    """The key in `path`, or a new one written there if there is none (0600)."""
    try:
        return _read(path)
    except FileNotFoundError:
        return _write_new(path, secrets.token_hex(32))


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise KeyProblem(f"the pseudonym key file {path} is empty: restore it from your backup")
    return key


def _write_new(path: Path, key: str) -> str:
    """Writes `key` to `path` unless a file is there; returns the key the file then holds."""
    try:
        _write(path, key, replace=False)
    except FileExistsError:
        return _read(path)  # another replica made it first: theirs is the key
    return key


def _write(path: Path, key: str, replace: bool) -> None:
    """The whole key or nothing at `path`: written to a private temporary file beside it (mkstemp: O_EXCL, 0600),
    then renamed over it (`replace`) or linked to its name, which fails if the name exists (an O_EXCL create
    that no reader can see half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pseudonym-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
