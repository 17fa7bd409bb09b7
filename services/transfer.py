"""Moving assessment files in and out: one accept-file pipeline and one report for the resume upload, the import
page and the command line; exports of stored assessments as assessment files."""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from scoring.assessment import assessment_document, assessment_json, check_answers, parse_assessment
from scoring.issues import Issue
from scoring.jsonfile import MAX_BYTES, too_large_issue
from scoring.library import Library
from scoring.model import Answer, AssessmentFile, Standard
from scoring.profile import SEGMENTS, off_the_lists
from services.audit import Audit
from services.policy import Actor, allowed, ensure, guarded
from services.targets import organization_target
from store.repository import AssessmentSummary, Imported, Store

CHUNK = 64 * 1024
UNPACKS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What reading one damaged entry can raise (zipfile, zlib, bz2, lzma); the next entry is read as usual.
UNREADABLE = (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError, zlib.error,
              lzma.LZMAError)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """What one upload (every file and archive of one import call together) may unpack to."""

    files: int = 5000
    total_bytes: int = 200 * 1024 * 1024
    ratio: int = 100  # uncompressed : compressed, for an entry over `ratio_from` bytes
    ratio_from: int = 1024 * 1024


LIMITS = Limits()


@dataclass(frozen=True)
class Change:
    """What a resumed file would change in the draft: a criterion's stored level and the file's."""

    criterion: str
    stored: int | str | None
    file: int | str | None


@dataclass(frozen=True)
class ImportLine:
    """One file's line in the report; `issues` say why it was not taken (or that it was there already)."""

    file: str
    # imported | duplicate | skipped; continued (a resumed file's answers went into its draft); confirm (a resumed
    # file would replace answers saved after it was downloaded: nothing written until the user confirms `changes`)
    outcome: str
    issues: tuple[Issue, ...] = ()
    organization: str = ""
    standard: str = ""
    answers: int = 0
    assessment_id: int | None = None
    organization_id: int | None = None
    changes: tuple[Change, ...] = ()

    def reason(self, lang: str = "en") -> str:
        """The first three issues in `lang`, each after its place in the file when it has one (a sentence about the
        whole file needs no "$", which reads as noise to people)."""
        shown = [f"{i.path}: {i.message(lang)}" if i.path else i.message(lang) for i in self.issues[:3]]
        if len(self.issues) > 3:
            shown.append(Issue("", "", "import.more", {"n": len(self.issues) - 3}).message(lang))
        return "; ".join(shown)


class _Upload:
    """The files counted and bytes unpacked so far in one upload; once a limit is passed the rest is refused."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.files = 0
        self.bytes = 0
        self.refusal: tuple[str, dict] | None = None

    def admit(self, file: str) -> Issue | None:
        """One more file: why it may not be read, if so."""
        self.files += 1
        if self.refusal is None and self.files > self.limits.files:
            self.refusal = ("import.too-many-files", {"files": self.limits.files})
        return None if self.refusal is None else Issue(file, "", *self.refusal)

    def over(self, file: str, size: int) -> Issue | None:
        """`size` more bytes of this file would pass the upload's total: refuse it and everything after it."""
        if self.bytes + size <= self.limits.total_bytes:
            return None
        mb = self.limits.total_bytes / 1_048_576
        self.refusal = ("import.upload-too-large", {"mb": int(mb) if mb.is_integer() else round(mb, 2)})
        return Issue(file, "", *self.refusal)

    def bomb(self, file: str, size: int, compressed: int) -> Issue | None:
        """An entry that unpacks to far more than it takes in the archive, as a ZIP bomb does."""
        if size > self.limits.ratio_from and size > self.limits.ratio * max(compressed, 1):
            return Issue(file, "", "import.entry-ratio", {"ratio": self.limits.ratio})
        return None


def _unpacked(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, file: str, upload: _Upload
) -> tuple[bytes | None, Issue | None]:
    """One entry's bytes, read in chunks and counted as read (declared sizes can lie); or why not."""
    if not entry.filename.lower().endswith(".json"):
        return None, Issue(file, "", "import.not-json-entry")
    if entry.flag_bits & 0x1 or entry.compress_type not in UNPACKS:
        why = "encrypted" if entry.flag_bits & 0x1 else "method"
        return None, Issue(file, "", "import.unreadable-entry", {"why": why})
    if entry.file_size > MAX_BYTES:
        return None, too_large_issue(file, entry.file_size)
    refused = upload.bomb(file, entry.file_size, entry.compress_size) or upload.over(file, entry.file_size)
    if refused:
        return None, refused
    content = bytearray()
    try:
        with archive.open(entry) as f:
            while chunk := f.read(CHUNK):
                content += chunk
                if len(content) > MAX_BYTES:
                    return None, too_large_issue(file, len(content))
                refused = upload.bomb(file, len(content), entry.compress_size) or upload.over(file, len(content))
                if refused:
                    return None, refused
    except UNREADABLE:
        return None, Issue(file, "", "import.unreadable-entry", {"why": "damaged"})
    upload.bytes += len(content)
    return bytes(content), None


def expand(
    files: Iterable[tuple[str, bytes]], limits: Limits = LIMITS
) -> Iterator[tuple[str, bytes | None, Issue | None]]:
    """(name, content, problem) for every file given directly or inside a ZIP archive: one each, never fewer."""
    upload = _Upload(limits)
    for name, raw in files:
        if not name.lower().endswith(".zip"):
            problem = upload.admit(name) or upload.over(name, len(raw))
            if problem is None:
                upload.bytes += len(raw)
            yield name, None if problem else raw, problem
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            entries = [e for e in archive.infolist() if not e.is_dir() and not e.filename.startswith("__MACOSX/")]
        except UNREADABLE:
            yield name, None, upload.admit(name) or Issue(name, "", "import.not-zip")
            continue
        for entry in entries:
            inner = f"{name}/{entry.filename}"
            refused = upload.admit(inner)
            yield inner, *((None, refused) if refused else _unpacked(archive, entry, inner, upload))


class Transfer:
    def __init__(
        self,
        store: Store,
        library: Callable[[], Library],
        standard: Callable[[str, str | None], Standard | None],
        remember: Callable[[Standard], None],
        audit: Audit,
    ) -> None:
        self.store = store
        self.library = library
        self.standard = standard  # the version an assessment uses (its stored copy once used)
        self.remember = remember
        self.audit = audit
        self.limits = LIMITS

    def _checked(
        self, name: str, raw: bytes | None, problem: Issue | None
    ) -> tuple[AssessmentFile | None, ImportLine | None]:
        """The assessment in a file, checked against its standard; or the report line saying why not."""
        if raw is None:
            return None, ImportLine(name, "skipped", (problem,) if problem else ())
        assessment, issues = parse_assessment(raw, name)
        if assessment is None:
            return None, ImportLine(name, "skipped", tuple(issues))
        ref = assessment.standard
        label = f"{ref.id} {ref.version}"
        organization = assessment.organization.name
        standard = self.standard(ref.id, ref.version)
        if standard is None:
            known = ", ".join(s.version for s in self.library().versions(ref.id))
            issue = (
                Issue(
                    name, "standard", "import.unknown-version", {"id": ref.id, "version": ref.version, "known": known}
                )
                if known
                else Issue(name, "standard", "import.unknown-standard", {"id": ref.id})
            )
            return None, ImportLine(name, "skipped", (issue,), organization, label)
        issues = check_answers(assessment, standard, name)
        if issues:
            return None, ImportLine(name, "skipped", tuple(issues), organization, label)
        return assessment, None

    def _stored(self, actor: Actor, name: str, assessment: AssessmentFile) -> ImportLine:
        standard = self.standard(assessment.standard.id, assessment.standard.version)
        if standard is not None:
            self.remember(standard)
        assessment, left_out = _on_the_lists(name, assessment)
        imported: Imported = self.store.import_assessment(assessment, by=f"{actor.label}:{name}"[:100])
        ref = assessment.standard
        return ImportLine(
            name, "duplicate" if imported.duplicate else "imported",
            ((Issue(name, "", "import.duplicate"),) if imported.duplicate else ()) + left_out,
            assessment.organization.name, f"{ref.id} {ref.version}", len(assessment.answers), imported.assessment_id,
            imported.organization_id,
        )  # fmt: skip

    @guarded("answers", "write")
    def resume(self, actor: Actor, name: str, raw: bytes, confirmed: bool = False) -> ImportLine:
        """A company's own downloaded file, uploaded to continue. It opens as what it is: the stored assessment it
        was downloaded from (outcome "duplicate"), else the organization's draft of that standard version with the
        file's answers written into it ("continued"), else a new draft ("imported"). A file that would replace
        answers of the draft saved after it was downloaded changes nothing unless `confirmed`: its line ("confirm")
        lists what would change."""
        assessment, refused = self._checked(name, raw, None)
        if assessment is None:
            return refused
        org_name = assessment.organization.name
        organization_id = self.store.find_organization(org_name)
        if organization_id is None or not allowed(
            actor, "write", "answers", organization_target(self.store, organization_id)
        ):
            issue = Issue(name, "organization.name", "resume.not-yours", {"name": org_name})
            return ImportLine(name, "skipped", (issue,), org_name)
        ref = assessment.standard
        label = f"{ref.id} {ref.version}"
        if (same := self.store.same_assessment(assessment)) is not None:
            return ImportLine(name, "duplicate", (), org_name, label, len(assessment.answers), same.assessment_id,
                              organization_id)  # fmt: skip
        workspace = self.store.workspace(organization_id)
        draft = workspace.latest_draft(ref.id)
        opened = None if draft is None else workspace.load(draft)
        if opened is None or opened.summary.standard_version != ref.version:
            return self._stored(actor, name, assessment)
        stored = opened.answers
        filed = {cid: Answer.model_validate(a.model_dump()) for cid, a in assessment.answers.items()}
        differ = {
            cid: a for cid, a in filed.items() if stored.get(cid) is None or stored[cid].model_dump() != a.model_dump()
        }
        downloaded = _aware(assessment.assessed_at)
        newer = [
            cid for cid in differ
            if cid in stored and (downloaded is None or stored[cid].updated_at is None or stored[cid].updated_at > downloaded)
        ]  # fmt: skip
        if newer and not confirmed:
            changes = tuple(Change(cid, getattr(stored.get(cid), "level", None), a.level) for cid, a in differ.items())
            return ImportLine(name, "confirm", (), org_name, label, len(assessment.answers), draft, organization_id,
                              changes)  # fmt: skip
        for criterion_id, answer in differ.items():
            workspace.save_answer(draft, criterion_id, answer, by=actor.label)
        return ImportLine(name, "continued", (), org_name, label, len(assessment.answers), draft, organization_id)

    @guarded("import", "write")
    def import_files(self, actor: Actor, files: Iterable[tuple[str, bytes]]) -> Iterator[ImportLine]:
        """Validate and store each file (members' files, collected by an officer); yields one line per file as it
        goes, for a progress bar."""
        ensure(actor, "write", "import")
        counts = dict.fromkeys(("imported", "duplicate", "skipped"), 0)
        try:
            for name, raw, problem in expand(files, self.limits):
                assessment, refused = self._checked(name, raw, problem)
                line = refused if assessment is None else self._stored(actor, name, assessment)
                counts[line.outcome] += 1
                yield line
        finally:  # also when the caller stops reading part-way: what was stored is on record
            self.audit.record(actor.label, "import", f"{sum(counts.values())} file(s)", counts)

    @guarded("bulk_export", "read")
    def stored_count(self, actor: Actor) -> tuple[int, list[str]]:
        """How many assessments are stored, and the standard ids they use (one query)."""
        ensure(actor, "read", "bulk_export")
        counts = self.store.assessment_counts()
        return sum(counts.values()), sorted(counts)

    @guarded("bulk_export", "read")
    def export_zip(
        self, actor: Actor, standard_id: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> tuple[bytes, int]:
        """A ZIP with one assessment file per stored assessment (of one standard, or all); returns (bytes, count).
        `progress(done, total)` is called after each assessment, for a progress bar.

        Files are named organization-ID/standard-version-rROUND.json: the id keeps names that slug alike ("PT Maju
        Jaya", "PT. Maju-Jaya", non-Latin names) apart; the content digest makes them import back as duplicates.
        The assessments are read in chunks (store.load_many), so the queries do not grow with the organizations."""
        ensure(actor, "read", "bulk_export")
        self.audit.record(actor.label, "export.assessments", standard_id or "all")
        summaries = self.store.summaries(standard_id)
        versions = dict.fromkeys((s.standard_id, s.standard_version) for s in summaries)
        standards = {key: self.standard(*key) for key in versions}  # one lookup per version, not per assessment
        exported = [s for s in summaries if standards[s.standard_id, s.standard_version] is not None]
        skipped = [
            f"{_entry(s)}: the library no longer has {s.standard_id} {s.standard_version}"
            for s in summaries
            if standards[s.standard_id, s.standard_version] is None
        ]
        buffer = io.BytesIO()
        done = len(skipped)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for stored in self.store.load_many(exported):
                summary = stored.summary
                standard = standards[summary.standard_id, summary.standard_version]
                document = assessment_document(standard, stored.organization, stored.answers, summary.updated_at)
                archive.writestr(_entry(summary), assessment_json(document))
                done += 1
                if progress is not None:
                    progress(done, len(summaries))
            if skipped:
                archive.writestr("SKIPPED.txt", "\n".join(skipped) + "\n")
        return buffer.getvalue(), done - len(skipped)


def _on_the_lists(name: str, assessment: AssessmentFile) -> tuple[AssessmentFile, tuple[Issue, ...]]:
    """The file with only the profile values the form offers (scoring.profile): a province, size band or segment
    off the lists (an older list, another tool's) is left out, so it never replaces what is stored; each one left
    out is a warning on the file's line."""
    organization = assessment.organization
    issues = off_the_lists(organization.model_dump())
    if not issues:
        return assessment, ()
    wrong = {i.path for i in issues}
    kept = {
        "region": None if "region" in wrong else organization.region,
        "size": None if "size" in wrong else organization.size,
        "segments": [s for s in organization.segments if s in SEGMENTS],
    }
    cleaned = assessment.model_copy(update={"organization": organization.model_copy(update=kept)})
    return cleaned, tuple(Issue(name, f"organization.{i.path}", i.code, i.params, "warning") for i in issues)


def _aware(moment: datetime | None) -> datetime | None:
    """A file's time as UTC; one without a zone is read as UTC."""
    return None if moment is None else moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _entry(summary: AssessmentSummary) -> str:
    """An assessment's file in the export: organization-ID/standard-version-rROUND.json."""
    folder = f"{_slug(summary.organization)}-{summary.organization_id}"
    return f"{folder}/{summary.standard_id}-{summary.standard_version}-r{summary.round}.json"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "organization"
