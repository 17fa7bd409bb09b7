"""A tiny standard and three assessments of it, hand-checked, for the research dataset tests."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from scoring.dataset import Dataset, build_dataset
from scoring.engine import answers_frame, score
from scoring.model import Standard

# Scale 0–4 (L = 4). Domain RISK weight 2: R1 w3 t3 mandatory, R2 w1 t4 (default). Domain OPS-2 weight 1: O1 w2 t3,
# O2 w1 t2. The domain id has a hyphen, so its wide column is score_OPS_2.
#   a1 (org-1, round 1): R1=2 R2=4 O1=na O2=1 → S_RISK = (3·.5+1)/4 = .625, S_OPS = .25, S = (2·.625+.25)/3 = .5
#       impact R1 = (2/3)(3/4)(1/4) = .125, impact O2 = (1/3)(1/1)(1/4) = 1/12; R1 mandatory below target → not-ready
#   a2 (org-2, round 1): R1=3 R2=4 O1=3 O2=2 → S_RISK = .8125, S_OPS = (2·.75+.5)/3 = 2/3, S = (1.625+2/3)/3 → ready
#   a3 (org-1, round 2): R1=1 only → coverage .25, S_RISK = S = .25, no OPS-2 score → incomplete
TINY = {
    "id": "tiny", "version": "2025.1", "title": {"en": "Tiny standard", "id": "Standar mungil"},
    "domains": [
        {"id": "RISK", "title": {"en": "Risk", "id": "Risiko"}, "weight": 2, "criteria": [
            {"id": "R1", "title": {"en": "Risk register kept", "id": "Daftar risiko dipelihara"}, "weight": 3,
             "target": 3, "mandatory": True, "capabilities": ["risk-register", "risk-assessment"]},
            {"id": "R2", "title": {"en": "Risks reviewed", "id": "Risiko ditinjau"}},
        ]},
        {"id": "OPS-2", "title": {"en": "Operations", "id": "Operasional"}, "criteria": [
            {"id": "O1", "title": {"en": "Weather plan", "id": "Rencana cuaca"}, "weight": 2, "target": 3},
            {"id": "O2", "title": {"en": "Debrief held", "id": "Evaluasi pasca-acara"}, "target": 2},
        ]},
    ],
}  # fmt: skip
ANSWERS = {
    "a1": {"R1": 2, "R2": 4, "O1": "na", "O2": 1},
    "a2": {"R1": 3, "R2": 4, "O1": 3, "O2": 2},
    "a3": {"R1": 1},
}
ORIGINS = {("a1", "O1"): "segment", ("a2", "R2"): "capability:other/X1", ("a3", "R1"): "round"}
SOURCE = {  # what the caller holds; a pseudonymous export passes only the ids, never these
    "a1": {"organization": "org-1", "name": "PT Rahasia Sekali Nusantara", "round": 1},
    "a2": {"organization": "org-2", "name": "CV Kembang Setaman Abadi", "round": 1},
    "a3": {"organization": "org-1", "name": "PT Rahasia Sekali Nusantara", "round": 2},
}
NOTES = {
    ("a1", "R1"): {"note": "catatan-rahasia-satu", "evidence": ["https://bukti.example/rahasia-dua"]},
    ("a1", "O1"): {"justification": "alasan-rahasia-tiga"},
    ("a2", "O2"): {"note": "catatan-rahasia-empat\nbaris kedua", "evidence": ["dokumen-rahasia-lima.pdf"]},
}


def tiny() -> Standard:
    return Standard.model_validate(TINY)


def meta(names: bool = False, name_of: dict[str, str] | None = None) -> pd.DataFrame:
    """The caller's per-assessment frame; names only for an admin's export with names."""
    frame = pd.DataFrame(
        {
            "assessment": list(ANSWERS),
            "organization": [SOURCE[a]["organization"] for a in ANSWERS],
            "province": ["Bali", None, "Bali"],
            "island_group": ["Bali-Nusa Tenggara", None, "Bali-Nusa Tenggara"],
            "size_band": ["5-10", "101+", "5-10"],
            "segments": [["concert-festival", "sport"], [], ["concert-festival"]],
            "round": [SOURCE[a]["round"] for a in ANSWERS],
            "status": ["submitted", "submitted", "draft"],
            "submitted": [datetime(2025, 3, 1, 23, 30), datetime(2025, 4, 2, 8, 0), None],
        }
    )
    if names:
        frame["organization_name"] = [(name_of or {}).get(a, SOURCE[a]["name"]) for a in ANSWERS]
    return frame


def details(free_text: bool = False, notes: dict | None = None) -> pd.DataFrame:
    """One row per stored answer: its origin, and its texts only when free text is included."""
    rows = []
    for a, answers in ANSWERS.items():
        for c in answers:
            row = {"assessment": a, "criterion": c, "origin": ORIGINS.get((a, c))}
            if free_text:
                text = (notes if notes is not None else NOTES).get((a, c), {})
                row |= {"note": text.get("note", ""), "justification": text.get("justification", ""),
                        "evidence": list(text.get("evidence", []))}  # fmt: skip
            rows.append(row)
    return pd.DataFrame(rows)


def dataset(free_text: bool = False, names: bool = False, **texts) -> Dataset:
    standard = tiny()
    scores = score(standard, answers_frame(ANSWERS), list(ANSWERS))
    return build_dataset(standard, scores, meta(names, texts.get("name_of")), details(free_text, texts.get("notes")))
