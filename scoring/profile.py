"""The company-profile vocabulary shared by forms, files and (later) cohorts."""

from __future__ import annotations

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
    "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan", "Papua Selatan",
]  # fmt: skip

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
