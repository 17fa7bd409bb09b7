"""The company-profile vocabulary shared by forms, files and (later) cohorts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.issues import Issue, shown

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
    "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan", "Papua Selatan",
]  # fmt: skip

# Province -> island group, for cohorts that widen from a province to its island group to the whole country.
ISLAND_GROUPS: dict[str, str] = {
    "Aceh": "sumatera", "Sumatera Utara": "sumatera", "Sumatera Barat": "sumatera", "Riau": "sumatera",
    "Kepulauan Riau": "sumatera", "Jambi": "sumatera", "Sumatera Selatan": "sumatera",
    "Kepulauan Bangka Belitung": "sumatera", "Bengkulu": "sumatera", "Lampung": "sumatera",
    "DKI Jakarta": "jawa", "Jawa Barat": "jawa", "Banten": "jawa", "Jawa Tengah": "jawa", "DI Yogyakarta": "jawa",
    "Jawa Timur": "jawa",
    "Bali": "bali-nusa-tenggara", "Nusa Tenggara Barat": "bali-nusa-tenggara", "Nusa Tenggara Timur": "bali-nusa-tenggara",
    "Kalimantan Barat": "kalimantan", "Kalimantan Tengah": "kalimantan", "Kalimantan Selatan": "kalimantan",
    "Kalimantan Timur": "kalimantan", "Kalimantan Utara": "kalimantan",
    "Sulawesi Utara": "sulawesi", "Gorontalo": "sulawesi", "Sulawesi Tengah": "sulawesi", "Sulawesi Barat": "sulawesi",
    "Sulawesi Selatan": "sulawesi", "Sulawesi Tenggara": "sulawesi",
    "Maluku": "maluku", "Maluku Utara": "maluku",
    "Papua": "papua", "Papua Barat": "papua", "Papua Barat Daya": "papua", "Papua Tengah": "papua",
    "Papua Pegunungan": "papua", "Papua Selatan": "papua",
}  # fmt: skip

ISLAND_GROUP_LABELS = {
    "sumatera": {"en": "Sumatra", "id": "Sumatera"},
    "jawa": {"en": "Java", "id": "Jawa"},
    "bali-nusa-tenggara": {"en": "Bali & Nusa Tenggara", "id": "Bali & Nusa Tenggara"},
    "kalimantan": {"en": "Kalimantan", "id": "Kalimantan"},
    "sulawesi": {"en": "Sulawesi", "id": "Sulawesi"},
    "maluku": {"en": "Maluku", "id": "Maluku"},
    "papua": {"en": "Papua", "id": "Papua"},
}

SIZE_BANDS = ["1-4", "5-10", "11-50", "51-100", "101+"]

SEGMENTS = {
    "mice-meeting": {"en": "Meetings & incentives (MICE)", "id": "Rapat & insentif (MICE)"},
    "conference": {"en": "Conferences & congresses", "id": "Konferensi & kongres"},
    "exhibition": {"en": "Exhibitions & trade shows", "id": "Pameran"},
    "concert-festival": {"en": "Concerts & festivals", "id": "Konser & festival"},
    "sport": {"en": "Sport events", "id": "Acara olahraga"},
    "corporate": {"en": "Corporate events & launches", "id": "Acara korporat & peluncuran"},
    "wedding-social": {"en": "Weddings & private parties", "id": "Pernikahan & acara keluarga"},
    "public-community": {"en": "Public & community events", "id": "Acara publik & komunitas"},
}


def off_the_lists(profile: Mapping[str, Any]) -> list[Issue]:
    """A region, size band or segment the form does not offer. Files may carry others (an older list, another
    tool's), so this is the form's rule, not the model's; what the model refuses it explains itself."""
    issues = []
    region, size = profile.get("region"), profile.get("size")
    if region not in (None, "") and region not in PROVINCES:
        issues.append(Issue("", "region", "profile.unknown-region", {"value": shown(region)}))
    if size not in (None, "") and size not in SIZE_BANDS:
        issues.append(Issue("", "size", "profile.unknown-size", {"value": shown(size), "bands": ", ".join(SIZE_BANDS)}))
    segments = profile.get("segments") or []
    unknown = [s for s in segments if s not in SEGMENTS] if isinstance(segments, (list, tuple)) else [segments]
    if unknown:
        issues.append(Issue("", "segments", "profile.unknown-segment", {"value": shown(unknown[0])}))
    return issues
