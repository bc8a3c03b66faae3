"""What the curated tables show on the claims about releases and the number held (claims 1, 3, 6, 7, 8, 15),
and the shared shape of every measurement (:mod:`.legal` and :mod:`.deaths` measure claims 5, 10-12 and 14,
:mod:`.percapita` claim 9).

Each function returns a dict (:func:`_measured`): ``no``, ``verdict`` (from :mod:`.rubric`), ``values`` (the
numbers and dates the sentences of :mod:`.prose` are written from), ``rows`` (the rows the verdict rests on, as
``(table, DataFrame)`` with the tables' own row index) and ``since`` (rows dated after the statement, shown
beside the verdict, never deciding it). Nothing here writes prose or types a number of the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import rubric
from analysis.claims.statement import KIND, NAMED, STATEMENT_DATE, is_un
from analysis.stats import series, waves

PAST_YEAR_START = STATEMENT_DATE - pd.DateOffset(years=1)
US_BROKERED = r"United States"
RELEASE_TOTALS = ("pardoned_since_2024_07", "released_since_2024_07")  # claim 15: published totals released
REFUSED_DAYS = 7  # claim 3: refusals reported within this many days after a release
VIASNA_TYPES = ("viasna", "viasna_repost")  # claim 8 sensitivity: Viasna's own counts and re-posts of them


def _measured(no: int, verdict: str, values: dict, rows: list, since: list | None = None) -> dict:
    """One claim's measurement; the verdict must be one of rubric.VERDICTS and is capped for interpretations."""
    verdict = rubric.cap(verdict, KIND[no])
    if verdict not in rubric.VERDICTS:
        raise ValueError(f"claim {no}: verdict {verdict!r} not in {rubric.VERDICTS}")
    return {"no": no, "verdict": verdict, "values": values, "rows": [(t, d) for t, d in rows if len(d)],
            "since": [(t, d) for t, d in (since or []) if len(d)]}


def not_measurable(no: int) -> dict:
    """A qualitative claim (2, 4, 13)."""
    return _measured(no, rubric.NOT_MEASURABLE, {}, [])


def _names(cell) -> list[str]:
    return [n.strip() for n in str(cell).split(";") if n.strip()] if pd.notna(cell) else []


def _text(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The named text columns of each row joined into one string."""
    cols = [c for c in columns if c in df.columns]
    if not cols or df.empty:
        return pd.Series("", index=df.index, dtype=object)
    return df[cols].fillna("").astype(str).agg(" ".join, axis=1)


def _primary_rows(events: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    """The primary release_events rows (with their own row index) of the waves in ``w``."""
    return events.loc[events["is_primary"].eq(1) & events["event_id"].isin(w["event_id"])]


def _waves(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """Primary release events from start to end inclusive (stats.waves rules)."""
    return waves.primary_waves(events, pd.Timestamp(start), pd.Timestamp(end))


# --------------------------------------------------------------------------------------------------
# claims 1, 3, 6: releases
# --------------------------------------------------------------------------------------------------
def recent_releases(events: pd.DataFrame, statement_date=STATEMENT_DATE,
                    window_days: int = rubric.WINDOW_DAYS) -> dict:
    """Claim 1: release events in the ``window_days`` up to the statement and the people named in them."""
    end = pd.Timestamp(statement_date)
    w = _waves(events, end - pd.Timedelta(days=window_days), end)
    later = waves.primary_waves(events, end + pd.Timedelta(days=1))
    names = [n for cell in w["notable_people"] for n in _names(cell)]
    verdict = rubric.at_least_several(len(names)) if len(w) else rubric.CONTRADICTED
    values = {"window_days": window_days, "statement_date": end, "events": len(w),
              "released": float(w["released"].sum()), "named": len(names),
              "each": [(d, float(r), _names(p)) for d, r, p in zip(w["event_date"], w["released"], w["notable_people"])],
              "later": [(d, float(r)) for d, r in zip(later["event_date"], later["released"])]}
    return _measured(1, verdict, values, [("release_events", _primary_rows(events, w))],
                     [("release_events", _primary_rows(events, later))])


def expulsion_share(events: pd.DataFrame, other: pd.DataFrame | None = None, start=PAST_YEAR_START,
                    statement_date=STATEMENT_DATE, brokered: str = US_BROKERED) -> dict:
    """Claim 3: share of everyone released in the period who was documented as taken abroad.

    Denominator: every person freed by a primary release event from ``start`` to the statement. Numerator:
    those taken abroad per stats.waves (an unknown destination counts as not documented, so the share is a
    floor). Sensitivity: US-brokered releases with a known destination only (the claim's narrower reading),
    and a lower bound without foreign citizens sent home and without people reported (``other``, metric
    ``refused_deportation``, within REFUSED_DAYS after a release) to have refused to leave.
    """
    end = pd.Timestamp(statement_date)
    w = _waves(events, start, end)
    freed, abroad = float(w["released"].sum()), float(w["exiled"].fillna(0).sum())
    us = w.loc[w["brokered_by"].fillna("").str.contains(brokered, regex=True) & w["exiled"].notna()]
    refused, used_refusals = 0.0, other.iloc[0:0] if other is not None else None
    if other is not None:
        r = rubric.split_at(other.loc[other["metric"].eq("refused_deportation") & ~is_un(other)], "as_of_date", end)[0]
        for d in w.loc[w["exiled"].fillna(0) > 0, "event_date"]:
            near = r.loc[(r["as_of_date"] >= d) & (r["as_of_date"] <= d + pd.Timedelta(days=REFUSED_DAYS))]
            refused += float(near["value"].max()) if len(near) else 0.0
            used_refusals = pd.concat([used_refusals, near])
    exiles = w.loc[w["count_scope"].ne("foreigners")]
    low_den = float(exiles["released"].sum())
    low = (float(exiles["exiled"].fillna(0).sum()) - refused) / low_den if low_den else np.nan
    later = waves.primary_waves(events, end + pd.Timedelta(days=1))
    values = {"start": pd.Timestamp(start), "statement_date": end, "events": len(w), "freed": freed,
              "abroad": abroad, "share": abroad / freed if freed else np.nan,
              "unknown_destination": int(w["exiled"].isna().sum()),
              "destinations": sorted(set(w.loc[w["exiled"].fillna(0) > 0, "destination"])),
              "us_events": len(us), "us_freed": float(us["released"].sum()), "us_abroad": float(us["exiled"].sum()),
              "us_share": float(us["exiled"].sum() / us["released"].sum()) if len(us) else np.nan,
              "share_low": low, "refused": refused,
              "later_freed": float(later["released"].sum()), "later_abroad": float(later["exiled"].fillna(0).sum())}
    rows = [("release_events", _primary_rows(events, w))]
    if used_refusals is not None:
        rows.append(("other_figures", used_refusals))
    return _measured(3, rubric.share_taken_abroad(abroad, freed), values, rows,
                     [("release_events", _primary_rows(events, later))])


def named_release(events: pd.DataFrame, names: tuple[str, ...] = NAMED[6]) -> pd.Series | None:
    """The first primary release event whose notable people include every name (the claim's large release)."""
    prim = events.loc[events["is_primary"].eq(1)].sort_values("event_date", kind="mergesort")
    people = prim["notable_people"].fillna("")
    hit = prim.loc[np.logical_and.reduce([people.str.contains(n, regex=False) for n in names])]
    return hit.iloc[0] if len(hit) else None


def waves_past_year(events: pd.DataFrame, start=PAST_YEAR_START, statement_date=STATEMENT_DATE,
                    min_size: int = rubric.WAVE_MIN, names: tuple[str, ...] = NAMED[6]) -> dict:
    """Claim 6: release waves (primary events freeing >= ``min_size``) from ``start`` to the statement, and the
    release that names every person in ``names`` (its date comes from the data, not from the claim)."""
    end = pd.Timestamp(statement_date)
    allw = _waves(events, start, end)
    big = allw.loc[allw["released"] >= min_size]
    named = named_release(events, names)
    in_period = named is not None and pd.Timestamp(start) <= named["event_date"] <= end
    later = waves.primary_waves(events, end + pd.Timedelta(days=1))
    later = later.loc[later["released"] >= min_size]
    values = {"start": pd.Timestamp(start), "statement_date": end, "min_size": min_size, "waves": len(big),
              "released": float(big["released"].sum()), "events_any_size": len(allw),
              "waves_political": int(big["count_scope"].ne("foreigners").sum()),
              "sizes": [(d, float(r)) for d, r in zip(big["event_date"], big["released"])],
              "named": list(names), "named_date": None if named is None else named["event_date"],
              "named_released": None if named is None else float(named["released_count"]),
              "named_in_period": bool(in_period),
              "later": [(d, float(r)) for d, r in zip(later["event_date"], later["released"])]}
    return _measured(6, rubric.waves_and_named(len(big), in_period), values,
                     [("release_events", _primary_rows(events, allw))],
                     [("release_events", _primary_rows(events, later))])


# --------------------------------------------------------------------------------------------------
# claim 7: inflow
# --------------------------------------------------------------------------------------------------
def _flow_rows(counts: pd.DataFrame, f: pd.DataFrame) -> pd.DataFrame:
    """The pp_counts rows each monthly flow figure was taken from, with the figure's date."""
    keep = []
    for month, url in zip(f["month"], f["new_recognized_source_url"]):
        rows = counts.loc[counts["source_url"].eq(url) & counts["new_recognized_in_period"].notna()]
        rows = rows.loc[rows["as_of_date"].dt.to_period("M").eq(pd.Timestamp(month).to_period("M"))]
        keep.append(rows.tail(1))
    return pd.concat(keep) if keep else counts.iloc[0:0]


def arrests_continue(counts: pd.DataFrame, other: pd.DataFrame | None = None,
                     statement_date=STATEMENT_DATE) -> dict:
    """Claim 7: Viasna's monthly new recognitions in the statement's calendar year, split at the statement by the
    date of each figure; ``other`` adds the yearly total (metric ``new_recognized_year``)."""
    end = pd.Timestamp(statement_date)
    start = pd.Timestamp(year=end.year, month=1, day=1)
    f = series.monthly_flows(counts)
    f = f.loc[(f["month"] >= start) & f["new_recognized"].notna()].reset_index(drop=True)
    src = _flow_rows(counts, f)
    dated = dict(zip(src["source_url"], src["as_of_date"]))
    f["figure_date"] = f["new_recognized_source_url"].map(dated)
    before, after = rubric.split_at(f, "figure_date", end)
    values = {"year": end.year, "statement_date": end,
              "months": [(m, float(v), bool(p)) for m, v, p in
                         zip(before["month"], before["new_recognized"], before["new_recognized_partial"].fillna(False))],
              "later_months": [(m, float(v), bool(p)) for m, v, p in
                               zip(after["month"], after["new_recognized"], after["new_recognized_partial"].fillna(False))],
              "months_in_year_to_date": (end.to_period("M") - start.to_period("M")).n + 1,
              "year_total": None, "year_total_date": None}
    since = [("pp_counts", src.loc[src["as_of_date"] > end])]
    if other is not None:
        y = other.loc[other["metric"].eq("new_recognized_year") & other["as_of_date"].dt.year.eq(end.year)
                      & ~is_un(other)]
        if len(y):
            values.update(year_total=float(y["value"].iloc[-1]), year_total_date=y["as_of_date"].iloc[-1])
            since.append(("other_figures", y.loc[y["as_of_date"] > end]))
    verdict = rubric.monthly_inflow([v for _, v, _ in values["months"]])
    return _measured(7, verdict, values, [("pp_counts", src.loc[src["as_of_date"] <= end])], since)


# --------------------------------------------------------------------------------------------------
# claim 8: the number still held (stock_near and check_over are used by report 01 too)
# --------------------------------------------------------------------------------------------------
NEAR_COLUMNS = ["as_of_date", "currently_held", "held_qualifier", "source_org", "source_type", "source_url",
                "days_from_date"]


def _near_rows(counts: pd.DataFrame, date, window_days: int) -> pd.DataFrame:
    """pp_counts rows (all columns, own row index) with a count within ±window_days of a date, inclusive."""
    date = pd.Timestamp(date)
    rows = counts.loc[counts["currently_held"].notna()].copy()
    rows["days_from_date"] = (rows["as_of_date"] - date).dt.days
    rows = rows.loc[rows["days_from_date"].abs() <= window_days]
    rows["_abs"] = rows["days_from_date"].abs()
    return rows.sort_values(["_abs", "as_of_date"], kind="mergesort").drop(columns="_abs")


def stock_near(counts: pd.DataFrame, date, window_days: int = rubric.WINDOW_DAYS) -> pd.DataFrame:
    """Every stated count of people held within ±window_days of a date (inclusive), nearest first."""
    return _near_rows(counts, date, window_days)[NEAR_COLUMNS].reset_index(drop=True)


def check_over(observations: pd.DataFrame, threshold: float) -> dict:
    """Verdict on a claim 'over <threshold> held' from the counts stated near the claim's date."""
    values = observations["currently_held"].astype(float).tolist()
    exact = observations["held_qualifier"].fillna("exact").eq("exact").tolist()
    verdict = rubric.over_threshold(values, exact, threshold)
    above = sum(v > threshold or (not e and v >= threshold) for v, e in zip(values, exact))
    return {"verdict": verdict, "n": len(values), "min": min(values) if values else None,
            "max": max(values) if values else None, "above": above,
            "reason": f"{above} of {len(values)} counts within the window exceed {threshold:,.0f}"}


def remaining_over(counts: pd.DataFrame, threshold: float, statement_date=STATEMENT_DATE,
                   window_days: int = rubric.WINDOW_DAYS) -> dict:
    """Claim 8: counts within ``window_days`` up to the statement against the statement's own figure; counts in
    the same window after it are "since then"."""
    end = pd.Timestamp(statement_date)
    near = _near_rows(counts, end, window_days)
    before, after = rubric.split_at(near, "as_of_date", end)
    check = check_over(before, threshold)
    listed = lambda d: [(t, float(v), q) for t, v, q in  # noqa: E731
                        zip(d["as_of_date"], d["currently_held"], d["held_qualifier"])]
    values = {"threshold": threshold, "window_days": window_days, "statement_date": end,
              "counts": listed(before.sort_values("as_of_date")), "later": listed(after.sort_values("as_of_date")),
              "n": check["n"], "above": check["above"], "min": check["min"], "max": check["max"]}
    viasna = before.loc[before["source_type"].isin(VIASNA_TYPES)] if "source_type" in before else before.iloc[0:0]
    v_check = check_over(viasna, threshold)
    values["viasna"] = (v_check["n"], v_check["above"], rubric.over_threshold(
        viasna["currently_held"].astype(float).tolist(), viasna["held_qualifier"].eq("exact").tolist(), threshold))
    return _measured(8, check["verdict"], values, [("pp_counts", before)], [("pp_counts", after)])


# --------------------------------------------------------------------------------------------------
# claim 15: systemic change
# --------------------------------------------------------------------------------------------------
def waves_began(events: pd.DataFrame) -> pd.Timestamp:
    """First day of the month of the first primary release event in the table (when the waves began)."""
    first = events.loc[events["is_primary"].eq(1), "event_date"].min()
    return pd.Timestamp(first).to_period("M").to_timestamp()


def _exact_counts(counts: pd.DataFrame) -> pd.DataFrame:
    return counts.loc[counts["currently_held"].notna() & counts["held_qualifier"].eq("exact")]


def no_systemic_change(counts: pd.DataFrame, events: pd.DataFrame, other: pd.DataFrame | None = None,
                       waves_start=None, statement_date=STATEMENT_DATE,
                       window_days: int = rubric.WINDOW_DAYS) -> dict:
    """Claim 15: does the stock fall by as much as the releases, or do new prisoners replace them?

    Base: the last exact count dated before ``waves_start``. End: the last exact count dated up to the
    statement. Released: every primary release event from ``waves_start`` to the day before the end count (a
    count of the same day may predate that day's release), and, as alternatives, published totals released
    since the waves began (``other``, metrics RELEASE_TOTALS, non-UN, dated within ``window_days`` up to the
    statement). Stock without releases = end + released, an upper bound. Since then: the same with the last
    exact count after the statement. ``waves_start`` defaults to :func:`waves_began`.
    """
    end = pd.Timestamp(statement_date)
    start = waves_began(events) if waves_start is None else pd.Timestamp(waves_start)
    exact = _exact_counts(counts).sort_values("as_of_date", kind="mergesort")
    base_rows = exact.loc[exact["as_of_date"] < start]
    end_rows = exact.loc[(exact["as_of_date"] >= start) & (exact["as_of_date"] <= end)]
    if base_rows.empty or end_rows.empty:
        return _measured(15, rubric.NOT_MEASURABLE, {"statement_date": end}, [])
    base, last = base_rows.iloc[-1], end_rows.iloc[-1]
    w = waves.primary_waves(events, start, last["as_of_date"] - pd.Timedelta(days=1))
    wave_total = float(w["released"].sum())
    totals = [("release waves", wave_total, None, None)]
    used = other.iloc[0:0] if other is not None else None
    if other is not None:
        o = other.loc[other["metric"].isin(RELEASE_TOTALS) & ~is_un(other) & (other["as_of_date"] <= end)
                      & (other["as_of_date"] >= end - pd.Timedelta(days=window_days))]
        used = o
        totals += [(m, float(v), d, s) for m, v, d, s in zip(o["metric"], o["value"], o["as_of_date"], o["source_org"])]
    lo, hi = min(t[1] for t in totals), max(t[1] for t in totals)
    b, e = float(base["currently_held"]), float(last["currently_held"])
    after = exact.loc[exact["as_of_date"] > end]
    later = None
    if len(after):
        a = after.iloc[-1]
        wl = waves.primary_waves(events, start, a["as_of_date"] - pd.Timedelta(days=1))
        later = (a["as_of_date"], float(a["currently_held"]), float(wl["released"].sum()))
    values = {"statement_date": end, "waves_start": start, "base": b, "base_date": base["as_of_date"],
              "end": e, "end_date": last["as_of_date"], "released_waves": wave_total, "waves": len(w),
              "totals": totals, "released_low": lo, "released_high": hi,
              "without_low": e + lo, "without_high": e + hi, "later": later}
    rows = [("pp_counts", counts.loc[[base.name, last.name]]), ("release_events", _primary_rows(events, w))]
    if used is not None:
        rows.append(("other_figures", used))
    since = [("pp_counts", counts.loc[[after.index[-1]]] if len(after) else counts.iloc[0:0])]
    return _measured(15, rubric.replacement(b, e, lo, hi), values, rows, since)


def stock_without_releases(counts: pd.DataFrame, events: pd.DataFrame, start=None, end=None,
                           waves_start=None) -> pd.DataFrame:
    """Monthly observed stock and stock plus everyone released in waves since ``waves_start`` (for the figure).

    ``waves_start`` defaults to :func:`waves_began`, ``start`` to a year before it, ``end`` to the date of the
    newest count.
    """
    waves_start = waves_began(events) if waves_start is None else pd.Timestamp(waves_start)
    start = pd.Timestamp(waves_start) - pd.DateOffset(years=1) if start is None else pd.Timestamp(start)
    end = counts["as_of_date"].max() if end is None else pd.Timestamp(end)
    m = series.monthly_series(counts, start, end, fill="none")
    w = waves.primary_waves(events, waves_start, end).rename(columns={"released": "released_count"})
    return series_without_waves(m.loc[m["observed"]], w)


def series_without_waves(stock: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    """flows.stock_without_waves on the released counts (never the exiled), index reset."""
    from analysis.stats import flows

    return flows.stock_without_waves(stock, w, count="released_count").reset_index(drop=True)
