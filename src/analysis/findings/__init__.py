"""Key findings of each report: plain sentences generated from its results (number, date and source in each)."""

from __future__ import annotations

from analysis import disclosure


def count(n) -> str:
    """A person count as a sentence may show it: '1,234', or 'fewer than 5' for a small group."""
    n = int(n)
    return f"fewer than {disclosure.MIN_CELL}" if 0 < n < disclosure.MIN_CELL else f"{n:,}"


def months(x: float) -> str:
    """Months for a sentence: one decimal below 10, whole months above."""
    return f"{x:.1f}" if abs(x) < 10 else f"{x:.0f}"


def month_name(iso: str) -> str:
    """'2025-12-18' -> '18 December 2025'; '2025-12' -> 'December 2025'."""
    import pandas as pd

    ts = pd.Timestamp(iso)
    return f"{ts.day} {ts:%B %Y}" if len(str(iso)) >= 10 else f"{ts:%B %Y}"


SYNTHETIC_NOTE = " — made-up data that show the method, not real people"


def person_source(r) -> str:
    """Where a report's person-level numbers come from, said the same way in every finding (synthetic said so)."""
    if r.get("synthetic"):
        return f"synthetic person-level export as of {month_name(r['person_as_of'])}{SYNTHETIC_NOTE}"
    return f"cleaned Viasna list export as of {month_name(r['person_as_of'])}"
