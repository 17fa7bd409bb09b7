"""Why a domain shows the gap it shows: its gap adds up each criterion's shortfall below that criterion's own target,
and criteria above their target do not make up for it, so a domain scoring above its target can still have a gap.
The same sentence for the gap chart's hover and the domain table."""

from __future__ import annotations

import pandas as pd

from scoring.engine import Result
from scoring.formatting import percent
from scoring.model import Standard, localize
from ui.i18n import lang, t

SHOWN = 3  # criteria named in a hover before "and n more"


def below_target(standard: Standard, result: Result) -> dict[str, tuple[list[str], int]]:
    """Per domain: the titles of its scored criteria below their own target (in the user's language), and how many
    of its criteria are scored."""
    lg = lang()
    criteria = result.criteria
    scored = criteria[criteria["met"].notna()]
    out = {}
    for domain in standard.domains:
        mine = scored[scored["domain"] == domain.id]
        below = mine[~mine["met"].astype(bool)]
        out[domain.id] = ([localize(standard.criterion(cid).title, lg) for cid in below["criterion"]], len(mine))
    return out


def hover(standard: Standard, result: Result, domain_id: str, name: str) -> str:
    """The gap chart's explanation of one domain's bar, on a few lines."""
    lg = lang()
    row = result.domains.set_index("domain").loc[domain_id]
    titles, scored = below_target(standard, result)[domain_id]
    lines = [t("domain_gap.hover_head", domain=name, gap=percent(row["gap"], lg), score=percent(row["score"], lg),
               target=percent(row["target"], lg))]  # fmt: skip
    if titles:
        named = "; ".join(titles[:SHOWN]) + (t("domain_gap.more", n=len(titles) - SHOWN) if len(titles) > SHOWN else "")
        lines.append(t("domain_gap.hover_below", n=len(titles), total=scored, criteria=named))
        lines.append(t("domain_gap.hover_why"))
    return "\n".join(lines)


def table_column(standard: Standard, result: Result, domains: pd.Series) -> list[str]:
    """The domain table's "below their target" cell of each domain: "1 of 2: Permit filed", or "—" unscored."""
    found = below_target(standard, result)
    cells = []
    for domain_id in domains:
        titles, scored = found[domain_id]
        if not scored:
            cells.append("—")
        elif not titles:
            cells.append(t("domain_gap.none_below", total=scored))
        else:
            cells.append(t("domain_gap.cell", n=len(titles), total=scored, criteria="; ".join(titles)))
    return cells
