"""The key of researchers' pseudonymous ids, kept out of the database (a backup of it must not re-identify research
files): the setting GAPURA_PSEUDONYM_SECRET, or a key file outside the data folder made on first use."""

from __future__ import annotations

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
ROTATION_BREAKS = (
    "Every research file exported before now keeps its old ids: they no longer match the ids of new exports, so "
    "earlier and later files cannot be linked by organization."
)


class KeyProblem(RuntimeError):
    """The key cannot be used as it is; the message says what to do."""


class PseudonymKey:
    def __init__(self, store: Store, settings: Settings, audit: Audit) -> None:
        self.store, self.settings, self.audit = store, settings, audit

    def secret(self) -> str:
        """The setting if given, else the key file, made on first use."""
        if self.settings.pseudonym_secret:
            return self.settings.pseudonym_secret
        if self.store.stored_secret(STORED) is not None:
            raise KeyProblem(
                f"the database holds a pseudonym key that differs from {self.settings.key_file}; move that file "
                "aside to keep the ids of earlier research files (the app then moves the database's key there), "
                "or run `python -m gapura keys rotate-pseudonym` to start new ids"
            )
        return read_or_make(self.settings.key_file)

    def move_stored(self) -> None:
        """Upgrade: the key an earlier version kept in the database goes to the key file (so ids stay the same) and
        leaves the database; with a different key file already there, both are left as they are and said so."""
        stored = self.store.stored_secret(STORED)
        if stored is None:
            return
        if self.settings.pseudonym_secret == stored or _write_new(self.settings.key_file, stored) == stored:
            self.store.forget_secret(STORED)
            LOG.info("the pseudonym key moved from the database to %s", self.settings.key_file)
        else:
            LOG.error("the database holds a pseudonym key that differs from %s; left in place", self.settings.key_file)

    @guarded("pseudonym_key", "write")
    def rotate(self, actor: Actor) -> Path:
        """A new key in the key file (the old one is gone) and none left in the database; audited. Refused when
        the setting gives the key: change the setting instead."""
        ensure(actor, "write", "pseudonym_key")
        if self.settings.pseudonym_secret:
            raise KeyProblem("the key comes from GAPURA_PSEUDONYM_SECRET: change that setting to rotate it")
        path = self.settings.key_file
        _write(path, secrets.token_hex(32), replace=True)
        self.store.forget_secret(STORED)
        self.audit.record(actor.label, "keys.rotate-pseudonym", str(path), {"breaks": ROTATION_BREAKS})
        return path


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
