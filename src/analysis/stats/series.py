"""Irregular dated counts -> monthly series (gaps left missing or interpolated, always flagged).

Input is the curated ``pp_counts`` table: one row per source statement, with ``as_of_date``,
stock columns (``currently_held`` ...), flow columns (``new_recognized_in_period``,
``released_in_period``) and their ``period``, plus ``held_qualifier`` (exact|at_least),
``source_type`` (viasna|viasna_repost|other), ``source_org``, ``source_url``, ``source_published``.

Selection rule of ``choose_monthly`` (one observation per calendar month of ``as_of_date``):
  0. drop rows with no value; if the month has any exact figure, drop its lower-bound
     (``at_least``) figures -- lower bounds are used only when nothing exact exists that month;
  1. latest ``as_of_date``;
  2. ties: ``source_type`` viasna > viasna_repost > other;
  3. then ``held_qualifier`` exact over at_least;
  4. then latest ``source_published`` (missing publication dates rank last);
  5. then first in input order (stable sort), so the result is deterministic.

Month convention: an observation belongs to the calendar month of its ``as_of_date``. A stock
"as of 1 June" is therefore a June observation (it is a point-in-time count, not a May total).

Rules of ``monthly_flows`` (flow columns, keyed by ``period`` rather than ``as_of_date``):
  * used: ``period`` exactly ``YYYY-MM`` (a full calendar month) or ``YYYY-MM-DD/YYYY-MM-DD`` /
    a single ``YYYY-MM-DD`` lying inside one calendar month (partial month);
  * ignored: years (``2024``), ranges crossing a month boundary, ``since ...``, month ranges,
    annotated periods (``2024-07/2025-04 (pardons only)``), missing periods;
  * per month and per flow column, a full-month figure wins (same tie rule as above); only when
    no full-month figure exists are partial-month figures summed over non-overlapping ranges,
    and the result is flagged ``*_partial`` = True (a lower bound on the month's total).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

SOURCE_TYPE_RANK: dict[str, int] = {"viasna": 0, "viasna_repost": 1, "other": 2}
QUALIFIER_RANK: dict[str, int] = {"exact": 0, "at_least": 1}
QUALIFIER_COLUMN: dict[str, str] = {"currently_held": "held_qualifier"}
FILL_METHODS = ("interpolate", "none")
FLOW_COLUMNS: dict[str, str] = {
    "new_recognized": "new_recognized_in_period",
    "released": "released_in_period",
}
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
_DAY = r"(\d{4}-\d{2}-\d{2})"
_RANGE_RE = re.compile(rf"^\s*{_DAY}\s*/\s*{_DAY}\s*$")
_SINGLE_DAY_RE = re.compile(rf"^\s*{_DAY}\s*$")


def _require(counts: pd.DataFrame, columns: list[str]) -> None:
    """Raise ValueError naming any required column missing from ``counts``."""
    missing = [c for c in columns if c not in counts.columns]
    if missing:
        raise ValueError(f"counts table lacks required column(s): {', '.join(missing)}")


def _month_start(values: object) -> pd.Series | pd.Timestamp:
    """Map dates (scalar or Series) to month-start Timestamps."""
    if isinstance(values, pd.Series):
        return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp()
    return pd.Timestamp(values).to_period("M").to_timestamp()


def _qualifier_column(value: str) -> str | None:
    """Name of the exact/at_least qualifier column that applies to ``value``, if any."""
    return QUALIFIER_COLUMN.get(value, f"{value}_qualifier")


def _ranked(frame: pd.DataFrame, qualifier: pd.Series) -> pd.DataFrame:
    """Add the sort keys of the documented tie rule to a copy of ``frame``."""
    out = frame.copy()
    out["_as_of"] = pd.to_datetime(out["as_of_date"])
    src = out["source_type"].astype("string").str.strip().str.lower()
    unknown = sorted(set(src.dropna()) - set(SOURCE_TYPE_RANK))
    if unknown:
        raise ValueError(f"unknown source_type value(s): {unknown}; expected {list(SOURCE_TYPE_RANK)}")
    out["_src_rank"] = src.map(SOURCE_TYPE_RANK).fillna(len(SOURCE_TYPE_RANK)).astype(int)
    out["_qual_rank"] = qualifier.map(QUALIFIER_RANK).astype(int)
    published = pd.to_datetime(out.get("source_published"), errors="coerce")
    out["_published"] = published if published is not None else pd.NaT
    out["_order"] = np.arange(len(out))
    return out


def _sort_preferred(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort so that the preferred row of each group comes first (rule steps 1-5)."""
    return frame.sort_values(
        ["_as_of", "_src_rank", "_qual_rank", "_published", "_order"],
        ascending=[False, True, True, False, True],
        na_position="last",
        kind="mergesort",
    )


def choose_monthly(counts: pd.DataFrame, value: str = "currently_held") -> pd.DataFrame:
    """One observation of ``value`` per calendar month of as_of_date, chosen by the module's rule."""
    _require(counts, ["as_of_date", "source_type", "source_org", "source_url", value])
    qual_col = _qualifier_column(value)
    rows = counts.loc[counts[value].notna()]
    if qual_col in counts.columns:
        qualifier = rows[qual_col].astype("string").str.strip().str.lower()
        bad = sorted(set(qualifier.dropna()) - set(QUALIFIER_RANK))
        if bad or qualifier.isna().any():
            raise ValueError(f"{qual_col} must be one of {list(QUALIFIER_RANK)} where {value} is given; got {bad or 'missing'}")
    else:
        qualifier = pd.Series("exact", index=rows.index)  # no qualifier column: figures taken as stated
    ranked = _ranked(rows, qualifier)
    ranked["month"] = _month_start(ranked["_as_of"])
    ranked["n_candidates"] = ranked.groupby("month")[value].transform("size")
    has_exact = ranked.groupby("month")["_qual_rank"].transform("min").eq(0)
    ranked = ranked.loc[~(has_exact & ranked["_qual_rank"].eq(1))]
    best = _sort_preferred(ranked).groupby("month", sort=True).head(1).sort_values("month")
    out = pd.DataFrame(
        {
            "month": best["month"].to_numpy(),
            "value": best[value].astype("float64").to_numpy(),
            "as_of_date": best["_as_of"].to_numpy(),
            "lower_bound": best["_qual_rank"].eq(1).to_numpy(),
            "source_org": best["source_org"].to_numpy(),
            "source_url": best["source_url"].to_numpy(),
            "n_candidates": best["n_candidates"].astype("int64").to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def monthly_series(
    counts: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    value: str = "currently_held",
    fill: str = "interpolate",
    max_gap: int | None = None,
) -> pd.DataFrame:
    """Complete monthly index start..end of ``value``; gaps NaN or linearly interpolated (flagged), never extrapolated.

    With ``max_gap`` (months), gaps longer than that are left NaN instead of interpolated.
    """
    if fill not in FILL_METHODS:
        raise ValueError(f"fill must be one of {FILL_METHODS}, got {fill!r}")
    if max_gap is not None and max_gap < 0:
        raise ValueError(f"max_gap must be >= 0, got {max_gap}")
    first, last = _month_start(start), _month_start(end)
    if last < first:
        raise ValueError(f"end {end} is before start {start}")
    chosen = choose_monthly(counts, value=value).set_index("month")
    # Interpolate on the span of all observations (so a gap just inside the window is still
    # bracketed by an observation just outside it), then cut to the window. Never beyond the
    # first/last observation: limit_area="inside".
    lo = min(first, chosen.index.min()) if len(chosen) else first
    hi = max(last, chosen.index.max()) if len(chosen) else last
    grid = pd.date_range(lo, hi, freq="MS")
    full = chosen.reindex(grid)
    observed = full["value"].notna()
    values = full["value"]
    interpolated = pd.Series(False, index=grid)
    lower = full["lower_bound"].eq(True)
    if fill == "interpolate" and observed.sum() >= 2:
        values = values.interpolate(method="time", limit_area="inside")
        if max_gap is not None:
            gap_len = (~observed).groupby(observed.cumsum()).transform("sum")
            values = values.mask(~observed & (gap_len > max_gap))
        interpolated = values.notna() & ~observed
        # An interpolated month inherits lower_bound if either bracketing observation is a lower bound.
        lb_obs = lower.astype("float64").where(observed)
        prev_lb = lb_obs.ffill().eq(1.0)
        next_lb = lb_obs.bfill().eq(1.0)
        lower = lower | (interpolated & (prev_lb | next_lb))
    out = pd.DataFrame(
        {
            "month": grid,
            value: values.astype("float64").to_numpy(),
            "observed": observed.to_numpy(),
            "interpolated": interpolated.to_numpy(),
            "lower_bound": lower.to_numpy(),
            "source_url": full["source_url"].where(observed, None).to_numpy(dtype=object),
        }
    )
    window = (out["month"] >= first) & (out["month"] <= last)
    return out.loc[window].reset_index(drop=True)


def _parse_period(period: object) -> tuple[pd.Timestamp, bool, pd.Timestamp, pd.Timestamp] | None:
    """(month, full_month, start_day, end_day) for a usable period string, else None."""
    if not isinstance(period, str):
        return None
    if m := _MONTH_RE.match(period):
        month = pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
        return month, True, month, month + pd.offsets.MonthEnd(0)
    if m := _RANGE_RE.match(period):
        a, b = pd.Timestamp(m.group(1)), pd.Timestamp(m.group(2))
    elif m := _SINGLE_DAY_RE.match(period):
        a = b = pd.Timestamp(m.group(1))
    else:
        return None
    if b < a or a.to_period("M") != b.to_period("M"):
        return None
    month = _month_start(a)
    full = a == month and b == month + pd.offsets.MonthEnd(0)
    return month, bool(full), a, b


def _pick_flow(group: pd.DataFrame, column: str) -> tuple[float, bool, str]:
    """Value, partial flag and source URL(s) of one month's flow ``column``."""
    full = group.loc[group["_full"]]
    if len(full):
        top = _sort_preferred(full).iloc[0]
        return float(top[column]), False, str(top["source_url"])
    taken: list[pd.Series] = []
    for _, row in _sort_preferred(group).iterrows():  # preferred rows claim their range first
        if all(row["_end"] < t["_start"] or row["_start"] > t["_end"] for t in taken):
            taken.append(row)
    taken.sort(key=lambda r: r["_start"])
    return float(sum(r[column] for r in taken)), True, " ; ".join(str(r["source_url"]) for r in taken)


def monthly_flows(counts: pd.DataFrame) -> pd.DataFrame:
    """Monthly new_recognized and released from rows whose period is one month or lies within one month."""
    _require(counts, ["as_of_date", "period", "source_type", "source_url", *FLOW_COLUMNS.values()])
    parsed = counts["period"].map(_parse_period)
    usable = counts.loc[parsed.notna()]
    parsed = parsed.loc[usable.index]
    ranked = _ranked(usable, pd.Series("exact", index=usable.index))
    ranked["month"] = [p[0] for p in parsed]
    ranked["_full"] = [p[1] for p in parsed]
    ranked["_start"] = [p[2] for p in parsed]
    ranked["_end"] = [p[3] for p in parsed]
    months = sorted(ranked["month"].unique())
    records: dict[pd.Timestamp, dict[str, object]] = {m: {"month": m} for m in months}
    for name, column in FLOW_COLUMNS.items():
        with_value = ranked.loc[ranked[column].notna()]
        for month, group in with_value.groupby("month", sort=True):
            val, partial, url = _pick_flow(group, column)
            records[month].update({name: val, f"{name}_partial": partial, f"{name}_source_url": url})
    columns = ["month"]
    for name in FLOW_COLUMNS:
        columns += [name, f"{name}_partial", f"{name}_source_url"]
    out = pd.DataFrame([records[m] for m in months], columns=columns)
    for name in FLOW_COLUMNS:
        out[name] = out[name].astype("float64")
        out[f"{name}_partial"] = out[f"{name}_partial"].astype("boolean")
    out = out.dropna(subset=list(FLOW_COLUMNS), how="all")
    out["month"] = pd.to_datetime(out["month"])
    return out.sort_values("month").reset_index(drop=True)


def implied_flows(series: pd.DataFrame, value: str | None = None) -> pd.DataFrame:
    """Month-on-month change of the stock (net flow), flagged where either month was interpolated."""
    if value is None:
        fixed = {"month", "observed", "interpolated", "lower_bound", "source_url"}
        candidates = [c for c in series.columns if c not in fixed]
        if len(candidates) != 1:
            raise ValueError(f"cannot tell the value column among {candidates}; pass value=")
        value = candidates[0]
    s = series.sort_values("month").reset_index(drop=True)
    month = pd.to_datetime(s["month"])
    consecutive = month.diff().dt.days.between(28, 31)
    net = s[value].astype("float64").diff().where(consecutive)
    interp = s["interpolated"].astype(bool) if "interpolated" in s else pd.Series(False, index=s.index)
    lower = s["lower_bound"].astype(bool) if "lower_bound" in s else pd.Series(False, index=s.index)
    return pd.DataFrame(
        {
            "month": month,
            "net_flow": net,
            "uses_interpolated": (interp | interp.shift(1, fill_value=False)) & net.notna(),
            "uses_lower_bound": (lower | lower.shift(1, fill_value=False)) & net.notna(),
        }
    )


def last_observed(counts: pd.DataFrame, value: str = "currently_held") -> str:
    """ISO date of the newest statement of `value`: the default end of a window, so a newly added row shows up."""
    return pd.Timestamp(counts.loc[counts[value].notna(), "as_of_date"].max()).strftime("%Y-%m-%d")


def dated_observations(counts: pd.DataFrame, start: str | pd.Timestamp | None = None,
                       end: str | pd.Timestamp | None = None, value: str = "currently_held") -> pd.DataFrame:
    """Every dated count of ``value`` as a point (not one per month): one row per as_of_date, flagged.

    Same-date conflicts are settled by the module's tie rule (steps 0 and 2-5: an exact figure beats a lower
    bound of the same day, then Viasna > re-post > other, then latest publication, then input order).
    Columns: date, value, lower_bound (an 'at least' figure), date_inferred (the day or year was inferred
    from context, not stated by the source), source_type, source_org, source_url, n_same_date.
    """
    _require(counts, ["as_of_date", "source_type", "source_org", "source_url", value])
    rows = counts.loc[counts[value].notna()]
    qual_col = _qualifier_column(value)
    qualifier = (rows[qual_col].astype("string").str.strip().str.lower().fillna("exact")
                 if qual_col in rows.columns else pd.Series("exact", index=rows.index))
    ranked = _ranked(rows, qualifier)
    ranked["n_same_date"] = ranked.groupby("_as_of")[value].transform("size")
    has_exact = ranked.groupby("_as_of")["_qual_rank"].transform("min").eq(0)
    ranked = ranked.loc[~(has_exact & ranked["_qual_rank"].eq(1))]
    best = _sort_preferred(ranked).groupby("_as_of", sort=True).head(1).sort_values("_as_of")
    inferred = (best["date_inferred"].astype("string").str.strip().str.lower().eq("true").fillna(False)
                if "date_inferred" in best.columns else pd.Series(False, index=best.index))
    out = pd.DataFrame({
        "date": best["_as_of"].to_numpy(),
        "value": best[value].astype("float64").to_numpy(),
        "lower_bound": best["_qual_rank"].eq(1).to_numpy(),
        "date_inferred": inferred.astype(bool).to_numpy(),
        "source_type": best["source_type"].to_numpy(),
        "source_org": best["source_org"].to_numpy(),
        "source_url": best["source_url"].to_numpy(),
        "n_same_date": best["n_same_date"].astype("int64").to_numpy(),
    })
    if start is not None:
        out = out.loc[out["date"] >= pd.Timestamp(start)]
    if end is not None:
        out = out.loc[out["date"] <= pd.Timestamp(end)]
    return out.reset_index(drop=True)


def month_end_stock(points: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
    """Monthly grid start..end: each month's latest exact dated count, or NaN (never interpolated).

    ``points`` is the output of :func:`dated_observations`; lower bounds are not used. Columns: month,
    value, date (the count's own date, NaT where none), n_exact (exact counts dated in the month).
    """
    exact = points.loc[~points["lower_bound"]].sort_values("date", kind="mergesort")
    month = _month_start(exact["date"])
    last = exact.assign(month=month).groupby("month").tail(1).set_index("month")
    grid = pd.date_range(_month_start(start), _month_start(end), freq="MS")
    out = pd.DataFrame({"month": grid})
    out["value"] = last["value"].reindex(grid).to_numpy()
    out["date"] = last["date"].reindex(grid).to_numpy()
    out["n_exact"] = month.value_counts().reindex(grid).fillna(0).astype("int64").to_numpy()
    return out
