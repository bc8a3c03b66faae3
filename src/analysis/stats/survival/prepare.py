"""People table → one row per detention episode with duration, event code and delayed-entry time.

Rules (mid-month dates, unknown route, exclusions in the order checked) are written down in docs/SURVIVAL.md §1.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from analysis.stats.survival.codes import (
    CENSORED, DAYS_PER_MONTH, DIED, EARLY_RELEASE, EVENT_CODES_ATTR, EVENT_LABELS, SENTENCE_SERVED, UNKNOWN_ROUTE,
)

MID_MONTH_DAY = 15  # month-precision dates are placed on the 15th
EXIT_TYPE_TO_EVENT = {
    "still_held": CENSORED,
    "early_release": EARLY_RELEASE,
    "sentence_served": SENTENCE_SERVED,
    "died": DIED,
    "unknown": UNKNOWN_ROUTE,
}
# Penalties with no finite term: a release is necessarily before the term ended (early release).
UNTERMED_PENALTIES = ("life", "death")
INCLUDED_STATUSES = ("current", "former")
REQUIRED_COLUMNS = ("status", "exit_type", "detention_date", "detention_precision", "release_date",
                    "release_precision")
RECOGNISED_COLUMN = "recognised_date"  # optional: date the person was recognised as a political prisoner
ENTRY_COLUMN = "entry"  # months from detention to recognition (delayed entry); 0 when not known

# Cohort bands: (first detention year of the band, label). Years before the first band get
# BEFORE_FIRST_COHORT.format(year=first year).
DEFAULT_COHORTS: tuple[tuple[int, str], ...] = (
    (2020, "2020–2021 protests"),
    (2022, "2022–2023"),
    (2024, "2024+"),
)
BEFORE_FIRST_COHORT = "before {year}"
MISSING_LEVEL = "unknown"  # label for missing gender / article family in prepare's output
OLDER_AGE = 50  # age at detention (detention year − birth year) from which a person counts as "50+"
# Level order of prepare's categorical columns: the first level present is a Cox model's default reference.
GENDER_LEVELS = ("male", "female", MISSING_LEVEL)
AGE_LEVELS = (f"under {OLDER_AGE}", f"{OLDER_AGE}+", MISSING_LEVEL)

# Exclusion reasons, in the order they are checked (a record is counted under the first that applies).
R_STATUS = "status not in analysis set (not_recognised or missing)"
R_NO_DETENTION = "detention date missing"
R_DETENTION_YEAR = "detention date known to the year only (±6 months)"
R_BEFORE_MIN = "detained before min_date"
R_AFTER_AS_OF = "detained after as_of"
R_BAD_EXIT = "exit_type missing or not recognised"
R_NO_RELEASE = "released or died but no release date"
R_RELEASE_YEAR = "release date known to the year only (±6 months)"
R_NONPOSITIVE = "zero or negative duration (release on or before detention)"
EXCLUSION_REASONS = (
    R_STATUS, R_NO_DETENTION, R_DETENTION_YEAR, R_BEFORE_MIN, R_AFTER_AS_OF,
    R_BAD_EXIT, R_NO_RELEASE, R_RELEASE_YEAR, R_NONPOSITIVE,
)


def _effective_date(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """Day dates as-is, month-precision dates moved to the 15th, year-precision dates kept (flagged elsewhere)."""
    dates = pd.to_datetime(dates, errors="coerce")
    month = precision.astype("string").eq("month").fillna(False).to_numpy()
    out = dates.copy()
    out[month] = dates[month].dt.to_period("M").dt.to_timestamp() + pd.Timedelta(days=MID_MONTH_DAY - 1)
    return out


def _levels(x: pd.Series, order: Sequence[str]) -> pd.Series:
    """Categorical with the given level order first (then any other level sorted), unused levels removed."""
    x = x.astype("string").fillna(MISSING_LEVEL)
    extra = sorted(set(x.unique()) - set(order))
    cats = [lev for lev in order if lev != MISSING_LEVEL] + extra + [MISSING_LEVEL]
    return pd.Series(pd.Categorical(x, categories=cats), index=x.index).cat.remove_unused_categories()


def _age_group(age: pd.Series) -> pd.Series:
    """'50+' / 'under 50' by approximate age at detention; MISSING_LEVEL when the birth year is unknown."""
    group = pd.Series(MISSING_LEVEL, index=age.index, dtype="string")
    group = group.mask(age.lt(OLDER_AGE).fillna(False), f"under {OLDER_AGE}")
    return _levels(group.mask(age.ge(OLDER_AGE).fillna(False), f"{OLDER_AGE}+"), AGE_LEVELS)


def _cohort(years: pd.Series, cohorts: Sequence[tuple[int, str]]) -> pd.Series:
    """Detention year → ordered categorical cohort band."""
    starts = [int(s) for s, _ in cohorts]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError("cohort start years must be strictly increasing")
    labels = [BEFORE_FIRST_COHORT.format(year=starts[0])] + [lab for _, lab in cohorts]
    idx = np.searchsorted(np.asarray(starts), years.to_numpy(dtype=float), side="right")
    cat = pd.Categorical.from_codes(idx, categories=labels, ordered=True)
    return pd.Series(cat, index=years.index).cat.remove_unused_categories()


def entry_months(detention: pd.Series, recognised: pd.Series) -> pd.Series:
    """Delayed entry: months from detention to recognition, 0 when recognition is unknown or not later."""
    months = (pd.to_datetime(recognised, errors="coerce") - pd.to_datetime(detention)).dt.days / DAYS_PER_MONTH
    return months.clip(lower=0.0).fillna(0.0)


def prepare(
    people: pd.DataFrame,
    as_of: str | pd.Timestamp,
    min_date: str | pd.Timestamp | None = None,
    cohorts: Sequence[tuple[int, str]] = DEFAULT_COHORTS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People table → (one row per usable detention episode with duration/event/entry, exclusion reason counts)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in people.columns]
    if missing:
        raise ValueError(f"people table lacks column(s): {', '.join(missing)}")
    as_of = pd.Timestamp(as_of)
    min_ts = pd.Timestamp(min_date) if min_date is not None else None
    p = people.reset_index(drop=True)
    n = len(p)

    def col(name: str) -> pd.Series:
        return p[name] if name in p.columns else pd.Series(pd.NA, index=p.index, dtype="object")

    det = _effective_date(col("detention_date"), col("detention_precision"))
    rel = _effective_date(col("release_date"), col("release_precision"))
    det_prec = col("detention_precision").astype("string")
    rel_prec = col("release_precision").astype("string")
    exit_type = col("exit_type").astype("string")
    status = col("status").astype("string")

    event = exit_type.map(EXIT_TYPE_TO_EVENT)
    # Early release with no finite term cannot be told apart from a served sentence → unknown route.
    if "sentence_months" in p.columns:
        sentence = pd.to_numeric(p["sentence_months"], errors="coerce")
        penalty = col("penalty_type").astype("string")
        untermed = sentence.isna() & ~penalty.isin(UNTERMED_PENALTIES).fillna(False)
        event = event.where(~(event.eq(EARLY_RELEASE) & untermed), UNKNOWN_ROUTE)

    released = event.isin([EARLY_RELEASE, SENTENCE_SERVED, DIED, UNKNOWN_ROUTE]).fillna(False)
    # Released after as_of → still held on as_of (administrative censoring).
    released_by_as_of = released & (rel.isna() | (rel <= as_of))
    end = pd.Series(as_of, index=p.index).where(~released_by_as_of, rel)
    event = event.where(~(released & ~released_by_as_of), CENSORED)
    duration = (end - det).dt.days / DAYS_PER_MONTH

    checks = [
        (R_STATUS, ~status.isin(INCLUDED_STATUSES).fillna(False)),
        (R_NO_DETENTION, det.isna()),
        (R_DETENTION_YEAR, det_prec.eq("year").fillna(False)),
        (R_BEFORE_MIN, (det < min_ts) if min_ts is not None else pd.Series(False, index=p.index)),
        (R_AFTER_AS_OF, det > as_of),
        (R_BAD_EXIT, event.isna()),
        (R_NO_RELEASE, released_by_as_of & rel.isna()),
        (R_RELEASE_YEAR, released_by_as_of & rel_prec.eq("year").fillna(False)),
        (R_NONPOSITIVE, ~(duration > 0)),
    ]
    reason = pd.Series(pd.NA, index=p.index, dtype="object")
    for label, mask in checks:
        mask = pd.Series(mask, index=p.index).fillna(False).astype(bool)
        reason = reason.where(reason.notna() | ~mask, label)
    keep = reason.isna()

    counts = reason[~keep].value_counts()
    exclusions = pd.DataFrame(
        {"reason": list(EXCLUSION_REASONS), "n": [int(counts.get(r, 0)) for r in EXCLUSION_REASONS]}
    )
    exclusions = pd.concat(
        [exclusions, pd.DataFrame({"reason": ["total excluded", "total input", "total kept"],
                                   "n": [int((~keep).sum()), n, int(keep.sum())]})],
        ignore_index=True,
    )
    recognised = _effective_date(col(RECOGNISED_COLUMN), col("recognised_precision"))
    out = pd.DataFrame(
        {
            "record_id": col("record_id"),
            "person_id": col("person_id"),
            "start": det,
            "end": end,
            "duration": duration,
            "event": event.astype("Int64"),
            ENTRY_COLUMN: entry_months(det, recognised),
            "entry_known": recognised.notna(),
            "cohort": _cohort(det.dt.year, cohorts),
            "gender": _levels(col("gender"), GENDER_LEVELS),
            "article_family": col("article_family").astype("string").fillna(MISSING_LEVEL),
            "age_group": _age_group(det.dt.year - pd.to_numeric(col("birth_year"), errors="coerce")),
        }
    )[keep.to_numpy()]
    out["event"] = out["event"].astype(int)
    out["event_label"] = out["event"].map(EVENT_LABELS)
    for c in ("cohort", "gender", "age_group"):
        out[c] = out[c].cat.remove_unused_categories()
    out = out.sort_values(["start", "record_id"], kind="mergesort").reset_index(drop=True)
    out.attrs[EVENT_CODES_ATTR] = {"event": dict(EVENT_LABELS)}  # the codes 0–4 are declared, not guessed
    return out, exclusions
