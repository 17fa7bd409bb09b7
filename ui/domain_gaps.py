"""Why a domain shows the gap it shows: its gap adds up each criterion's shortfall below that criterion's own target,
and criteria above their target do not make up for it, so a domain scoring above its target can still have a gap.
The same sentence for the gap chart's hover and the domain table."""

from __future__ import annotations

import textwrap

import pandas as pd

from scoring.engine import Result
from scoring.formatting import percent
from scoring.model import Standard, localize
from ui.i18n import lang, t

SHOWN = 3  # criteria named in a hover before "and n more"
WIDTH = 48  # characters per hover line: a hover box does not wrap, and must fit a phone


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
        lines.append(t("domain_gap.hover_below", n=len(titles), total=scored))
        lines += [f"• {title}" for title in titles[:SHOWN]]
        if len(titles) > SHOWN:
            lines.append(t("domain_gap.more", n=len(titles) - SHOWN))
        lines.append(t("domain_gap.hover_why"))
    return "\n".join(part for line in lines for part in textwrap.wrap(line, WIDTH))


def table_column(standard: Standard, result: Result, domains: pd.Series) -> list[str]:
    """The domain table's "below their own target" cell of each domain, short enough for a phone ("1 of 2"; the
    chart's hover and the action plan name them), or "—" where nothing is scored."""
    found = below_target(standard, result)
    return [t("domain_gap.cell", n=len(found[d][0]), total=found[d][1]) if found[d][1] else "—" for d in domains]
