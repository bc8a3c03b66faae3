"""Set each claim of the UN Special Rapporteur's statement (18 Dec 2025) beside what the data show."""

from __future__ import annotations

import pandas as pd

STATEMENT_DATE = pd.Timestamp("2025-12-18")
VERDICTS = ("supported", "not contradicted", "contradicted", "not measurable here")


def stock_near(counts: pd.DataFrame, date: str | pd.Timestamp, window_days: int = 31) -> pd.DataFrame:
    """Every stated count of people held within ±window_days of a date, nearest first."""
    date = pd.Timestamp(date)
    rows = counts.loc[counts["currently_held"].notna()].copy()
    rows["days_from_date"] = (rows["as_of_date"] - date).dt.days
    rows = rows.loc[rows["days_from_date"].abs() <= window_days]
    rows["_abs"] = rows["days_from_date"].abs()
    cols = ["as_of_date", "currently_held", "held_qualifier", "source_org", "source_type", "source_url", "days_from_date"]
    return rows.sort_values(["_abs", "as_of_date"], kind="mergesort")[cols].reset_index(drop=True)


def check_over(observations: pd.DataFrame, threshold: float) -> dict:
    """Verdict on a claim 'over <threshold> held' from the counts stated near the claim's date."""
    if observations.empty:
        return {"verdict": "not measurable here", "n": 0, "min": None, "max": None,
                "reason": "no count within the window"}
    values = observations["currently_held"].astype(float)
    exact = observations["held_qualifier"].fillna("exact").eq("exact")
    # "more than X" is stored as X with qualifier at_least, so X itself already means "over X".
    above = (values > threshold) | (~exact & (values >= threshold))
    if above.all():
        verdict = "supported"
    elif (~above & exact).any():
        verdict = "contradicted" if (~above & exact).all() else "not contradicted"
    else:
        verdict = "not contradicted"
    return {"verdict": verdict, "n": int(len(values)), "min": float(values.min()), "max": float(values.max()),
            "reason": f"{int(above.sum())} of {len(values)} counts within the window exceed {threshold:g}"}
