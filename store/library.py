"""The standards library: every published standard version, exactly as published, and whether it is retired. Each
publish or retire advances the "library" stamp in its own transaction, so every replica sees it at its next read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from store import schema, stamps
from store.db import as_utc, utcnow
from store.repository import NotFound, Store

ROW = schema.PublishedStandard
LIMITS = {"id": ROW.__table__.c.standard_id.type.length, "version": ROW.__table__.c.version.type.length}


class AlreadyPublished(RuntimeError):
    """This id and version is published already: a published version is never replaced."""

    def __init__(self, standard_id: str, version: str) -> None:
        super().__init__(f"'{standard_id}' version '{version}' is published already")
        self.standard_id, self.version = standard_id, version


@dataclass(frozen=True)
class Published:
    """One published standard version: its document exactly as published, who published it, and its retirement."""

    standard_id: str
    version: str
    sha256: str
    document: str
    file: str
    published_by: str
    published_at: datetime
    retired_by: str | None
    retired_at: datetime | None

    @property
    def key(self) -> tuple[str, str]:
        return self.standard_id, self.version

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def too_long(standard_id: str, version: str) -> dict[str, int]:
    """The fields (id, version) longer than the library keeps, with their limit."""
    given = {"id": standard_id, "version": version}
    return {field: limit for field, limit in LIMITS.items() if len(given[field]) > limit}


@dataclass(frozen=True)
class Version:
    """A version to publish: its id, version, the sha256 of its document, the document and the file's name."""

    standard_id: str
    version: str
    sha256: str
    document: str
    file: str

    @property
    def key(self) -> tuple[str, str]:
        return self.standard_id, self.version


BY = ROW.__table__.c.published_by.type.length  # an email may be longer than the column: the start of it is kept


def _values(version: Version, by: str) -> dict:
    return {**vars(version), "published_by": by[:BY], "published_at": utcnow()}


def publish(store: Store, version: Version, by: str) -> None:
    """Publish one version; raises AlreadyPublished when its id and version is published (the primary key decides,
    also when two replicas publish it at once)."""
    try:
        with store.session.begin() as s:
            s.execute(store.insert(ROW).values(**_values(version, by)))
            stamps.advance(s, stamps.LIBRARY)
    except IntegrityError as exc:
        raise AlreadyPublished(version.standard_id, version.version) from exc


def seed(store: Store, versions: list[Version], retired: set[tuple[str, str]], by: str) -> list[tuple[str, str]]:
    """Publish each version not published yet, retiring at once those in `retired`; the (id, version) of those it
    published. ON CONFLICT DO NOTHING lets two replicas starting at once both succeed."""
    added = []
    with store.session.begin() as s:
        for version in sorted(versions, key=lambda v: v.key):  # one order for every replica: no deadlock
            values = _values(version, by)
            if version.key in retired:
                values |= {"retired_by": by, "retired_at": values["published_at"]}
            statement = (
                store.insert(ROW)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["standard_id", "version"])
                .returning(ROW.standard_id)  # rowcount is not to be trusted here on every driver
            )
            if s.execute(statement).first() is not None:
                added.append(version.key)
        if added:
            stamps.advance(s, stamps.LIBRARY)
    return added


def retire(store: Store, standard_id: str, version: str, by: str, retire: bool = True) -> bool:
    """Retire (or offer again) a published version; False when it already was. Raises NotFound if not published."""
    changes = {"retired_by": by[:BY], "retired_at": utcnow()} if retire else {"retired_by": None, "retired_at": None}
    with store.session.begin() as s:
        statement = (
            update(ROW)
            .where(ROW.standard_id == standard_id, ROW.version == version)
            .where(ROW.retired_at.is_(None) if retire else ROW.retired_at.is_not(None))
            .values(**changes)
        )
        if s.execute(statement).rowcount:
            stamps.advance(s, stamps.LIBRARY)
            return True
        if s.execute(select(ROW.version).where(ROW.standard_id == standard_id, ROW.version == version)).first() is None:
            raise NotFound(f"'{standard_id}' version '{version}' is not published")
    return False


def stamp(store: Store) -> int:
    """The library's stamp: it grows with every publish and retirement, on any replica."""
    return stamps.read(store, stamps.LIBRARY)[stamps.LIBRARY]


def everything(store: Store) -> list[Published]:
    """Every published version, by id and version."""
    with store.session() as s:
        rows = s.execute(select(ROW).order_by(ROW.standard_id, ROW.version)).scalars().all()
        return [_published(r) for r in rows]


def digests(store: Store) -> dict[tuple[str, str], str]:
    """The sha256 of every published version, by (id, version), without reading the documents."""
    with store.session() as s:
        return {
            (r.standard_id, r.version): r.sha256 for r in s.execute(select(ROW.standard_id, ROW.version, ROW.sha256))
        }


def get(store: Store, standard_id: str, version: str) -> Published | None:
    with store.session() as s:
        row = s.get(ROW, (standard_id, version))
        return None if row is None else _published(row)


def _published(row: schema.PublishedStandard) -> Published:
    values = {name: getattr(row, name) for name in Published.__dataclass_fields__}
    when = {name: as_utc(values[name]) for name in ("published_at", "retired_at") if values[name] is not None}
    return Published(**values | when)
