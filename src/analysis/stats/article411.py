"""Helpers for the sentencing and Article 411 report that :mod:`analysis.stats.sentencing` does not have.

- :func:`curated_figures`, :func:`context_events`: the curated Art. 411 aggregate figures
  (``other_figures.csv``) and the dated context rows (``legal_events.csv``) as tidy, dated tables that keep
  their sources.
- :func:`sentencing_sample`: the records a sentencing analysis uses (window, statuses, penalty types), with
  ``verdict_year`` and ``detention_cohort`` as categorical text columns; what was left out is counted.
- :func:`extension_overview`: one-line summary of :func:`sentencing.extensions_from_records`.
- :func:`coefficient_table`, :func:`check_against_truth`: display of a quantile-regression result and, on
  synthetic data, comparison with the generator's known medians.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.stats import sentencing

ART411_METRICS = {
    "art411_cases": "political prisoners with a new Art. 411 case (cumulative)",
    "transferred_to_prison_regime": "political prisoners moved to prison regime for 'violations' (cumulative)",
    "art411_convictions_month": "political prisoners given added terms under Art. 411 in the month",
    "repeat_political_convictions": "people convicted again in new political cases since 2020 (incl. Art. 411)",
}
CUMULATIVE_METRICS = ("art411_cases", "transferred_to_prison_regime")
ART411_PATTERN = r"\b411\b|malicious disobedience"
RECOGNISED = ("current", "former")


# --------------------------------------------------------------------------------------------------
# curated figures
# --------------------------------------------------------------------------------------------------
def curated_figures(other_figures: pd.DataFrame, metrics: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Dated Art. 411 figures from ``other_figures`` (one row per figure), each with its source.

    Columns: date (ISO text as published), metric, what (plain-language label), value, qualifier
    (``at_least`` / ``exact``), source_org, source_published, source_url, notes. Sorted by date, then by the
    order of ``metrics``. Undated rows are kept at the end (date empty).
    """
    metrics = dict(metrics or ART411_METRICS)
    need = ["as_of_date", "metric", "value", "qualifier", "source_org", "source_url"]
    missing = [c for c in need if c not in other_figures.columns]
    if missing:
        raise UsageError(f"other_figures lacks columns {missing}")
    d = other_figures.loc[other_figures["metric"].isin(metrics)].copy()
    order = {m: i for i, m in enumerate(metrics)}
    d["_order"] = d["metric"].map(order)
    d = d.sort_values(["as_of_date", "_order"], na_position="last", kind="stable")
    text = d["as_of_date"].dt.strftime("%Y-%m-%d")
    if "as_of_date_text" in d:
        text = d["as_of_date_text"].where(d["as_of_date_text"].notna(), text)
    published = d["source_published"].dt.strftime("%Y-%m-%d") if "source_published" in d else pd.NA
    out = pd.DataFrame({
        "date": text.fillna(""), "as_of_date": d["as_of_date"], "metric": d["metric"],
        "what": d["metric"].map(metrics), "value": d["value"].astype(float), "qualifier": d["qualifier"],
        "source_org": d["source_org"], "source_published": published, "source_url": d["source_url"],
        "notes": d["notes"] if "notes" in d else pd.NA,
    })
    return out.reset_index(drop=True)


def context_events(legal_events: pd.DataFrame, pattern: str = ART411_PATTERN) -> pd.DataFrame:
    """Rows of ``legal_events`` whose title or description mentions Art. 411, oldest first.

    Columns: date (ISO text at the stated precision), event_type, title, source_org, source_url.
    """
    text = legal_events["title"].fillna("") + " " + legal_events["description"].fillna("")
    d = legal_events.loc[text.str.contains(pattern, case=False, regex=True)]
    d = d.sort_values(["event_date", "title"], kind="stable")
    date = d["event_date_text"] if "event_date_text" in d else d["event_date"].dt.strftime("%Y-%m-%d")
    return pd.DataFrame({"date": date, "event_type": d["event_type"], "title": d["title"],
                         "source_org": d["source_org"], "source_url": d["source_url"]}).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# person-level sample
# --------------------------------------------------------------------------------------------------
def sentencing_sample(
    people: pd.DataFrame,
    start: str,
    end: str,
    statuses: Sequence[str] = RECOGNISED,
    penalty_types: Sequence[str] = ("imprisonment",),
) -> pd.DataFrame:
    """Records with a verdict date in [start, end], a status in ``statuses``, a penalty in ``penalty_types``
    and a stated term in months; adds ``verdict_year`` and ``detention_cohort`` (detention year), both as text
    so that models treat them as categories.

    ``attrs["steps"]`` is a table of how many records each condition removed, in order (nothing is dropped
    silently). Records of one person (re-arrests) stay separate: the unit is the case record.
    """
    need = ["status", "penalty_type", "verdict_date", "detention_date", sentencing.SENTENCE]
    missing = [c for c in need if c not in people.columns]
    if missing:
        raise UsageError(f"people table lacks columns {missing}")
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if hi < lo:
        raise UsageError(f"end {end} is before start {start}")
    conditions = [
        (f"status in {', '.join(statuses)}", people["status"].isin(list(statuses))),
        (f"penalty type {', '.join(penalty_types)}", people["penalty_type"].isin(list(penalty_types))),
        (f"verdict dated {lo:%Y-%m-%d} to {hi:%Y-%m-%d}", people["verdict_date"].between(lo, hi)),
        ("term stated in months", people[sentencing.SENTENCE].notna()),
    ]
    keep = pd.Series(True, index=people.index)
    steps = [("all records", len(people), 0)]
    for label, cond in conditions:
        new = keep & cond.fillna(False).astype(bool)
        steps.append((label, int(new.sum()), int((keep & ~new).sum())))
        keep = new
    out = people.loc[keep].copy()
    out["verdict_year"] = out["verdict_date"].dt.year.astype(str)
    cohort = out["detention_date"].dt.year
    out["detention_cohort"] = cohort.astype("Int64").astype("string").fillna("unknown").astype(str)
    out = out.reset_index(drop=True)
    out.attrs["steps"] = pd.DataFrame(steps, columns=["step", "records_left", "records_removed"])
    return out


# --------------------------------------------------------------------------------------------------
# Article 411 person-level records
# --------------------------------------------------------------------------------------------------
def records_of_people_with(people: pd.DataFrame, code: str = "411") -> pd.DataFrame:
    """All records of the people who have at least one record with ``code`` among their articles.

    ``sentencing.extensions_from_records`` only pairs a 411 record with earlier records of the *same* person,
    so running it on this subset gives exactly the same result (and the same attrs) as on the whole table —
    but fast: it sorts every person's records, which takes ~20 s for 6,000 people even when nobody has a 411
    record. (PROPOSED for sentencing.py: build its per-person table only for people with a 411 record.)
    """
    hit = sentencing.has_article(people["articles"], code)
    ids = set(people.loc[hit, "person_id"])
    return people.loc[people["person_id"].isin(ids)].copy()


def extension_overview(extensions: pd.DataFrame) -> pd.DataFrame:
    """One-row summary of :func:`sentencing.extensions_from_records`: how many 411 records, how many could be
    paired with an earlier record of the same person, how many have a computable gap, the median gap to the
    expected release (months) and the share of 411 verdicts before the original term would have ended."""
    gaps = extensions["gap_months"].dropna()
    before = extensions["before_term_end"].dropna()
    a = extensions.attrs
    return pd.DataFrame([{
        "records_with_411": a.get("n_411_records", np.nan),
        "411_without_verdict_date": a.get("n_no_verdict_date", np.nan),
        "411_first_record_of_person": a.get("n_without_earlier", np.nan),
        "inferred_extensions": len(extensions),
        "with_gap": len(gaps),
        "gap_median_months": float(gaps.median()) if len(gaps) else np.nan,
        "gap_q25_months": float(gaps.quantile(0.25)) if len(gaps) else np.nan,
        "gap_q75_months": float(gaps.quantile(0.75)) if len(gaps) else np.nan,
        "share_before_term_end": float(before.astype(bool).mean()) if len(before) else np.nan,
    }])


def coefficient_table(qr: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Tidy display of a quantile-regression result: one row per term, estimate and CI per quantile as
    ``est [low, high]`` text, plus the reference level; the intercept first."""
    d = qr.copy()
    d["cell"] = [f"{e:.{decimals}f} [{lo:.{decimals}f}, {hi:.{decimals}f}]" if pd.notna(lo) else f"{e:.{decimals}f}"
                 for e, lo, hi in zip(d["estimate"], d["ci_low"], d["ci_high"])]
    d["column"] = "q" + (d["quantile"] * 100).round().astype(int).astype(str)
    order = list(dict.fromkeys(d["term"]))
    wide = d.pivot(index="term", columns="column", values="cell").reindex(order)
    ref = d.drop_duplicates("term").set_index("term")["reference"].reindex(order)
    wide.insert(0, "reference", ref.fillna(""))
    wide.columns.name = None
    return wide.reset_index()


def check_against_truth(qr: pd.DataFrame, true_medians: Mapping[str, float], term: str = "article_family",
                        quantile: float = 0.5) -> pd.DataFrame:
    """Synthetic data only: compare the fitted median differences between article families with the
    generator's true ones (``true_medians`` = family → true median months, e.g. ``sentence_median_months`` of
    the synthetic parameters). True difference = median(family) − median(reference family); sentences are
    rounded to 3 months in the generator, so agreement within ±3 months is what can be expected.
    Columns: family, true_difference, estimate, ci_low, ci_high, covered."""
    d = qr.loc[(qr["quantile"] == float(quantile)) & qr["term"].str.startswith(f"{term}[T.")].copy()
    if d.empty:
        return pd.DataFrame(columns=["family", "true_difference", "estimate", "ci_low", "ci_high", "covered"])
    ref = d["reference"].iloc[0]
    d["family"] = d["term"].str.extract(r"\[T\.(.*)\]$", expand=False)
    d = d.loc[d["family"].isin(true_medians) & (ref in true_medians)]
    d["true_difference"] = d["family"].map(true_medians) - true_medians.get(ref, np.nan)
    d["covered"] = (d["ci_low"] <= d["true_difference"]) & (d["true_difference"] <= d["ci_high"])
    return d[["family", "true_difference", "estimate", "ci_low", "ci_high", "covered"]].reset_index(drop=True)
