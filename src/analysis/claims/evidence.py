"""What the curated tables show on each claim: one measuring function per claim.

Each function returns a dict (:func:`_measured`): ``no``, ``verdict`` (from :mod:`.rubric`), ``values`` (the
numbers and dates the sentences of :mod:`.prose` are written from), ``rows`` (the rows the verdict rests on, as
``(table, DataFrame)`` with the tables' own row index) and ``since`` (rows dated after the statement, shown
beside the verdict, never deciding it). Nothing here writes prose or types a number of the data.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.claims import rubric
from analysis.claims.statement import KIND, NAMED, STATEMENT_DATE, is_un
from analysis.stats import series, waves

PAST_YEAR_START = STATEMENT_DATE - pd.DateOffset(years=1)
CRACKDOWN_START = "2020-08-09"  # the 2020 presidential election: claim 12 counts Art. 411 events from then
US_BROKERED = r"United States"
# claim 10: words that say a released person was put back behind bars
REDETAINED = (r"return(?:ed)? to (?:a |the )?(?:prison|colony)|re-?jail|re-?arrest|re-?imprison|detained again"
              r"|apprehended|placed in detention|back (?:to|in) (?:prison|jail|colony)")
RELEASED_WORDS = r"releas|pardon|freed"  # claim 11: words that say a person had been freed
ABSENTIA = r"absentia|special proceedings"
ART411 = r"\b411\b|malicious disobedience"
RELEASE_TOTALS = ("pardoned_since_2024_07", "released_since_2024_07")  # claim 15: published totals released
DEATHS_DEFINITION = "political_prisoner"  # claim 14: Viasna's count of political prisoners who died in custody
REFUSED_DAYS = 7  # claim 3: refusals reported within this many days after a release


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
            "reason": f"{above} of {len(values)} counts within the window exceed {threshold:g}"}


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
    return _measured(8, check["verdict"], values, [("pp_counts", before)], [("pp_counts", after)])


# --------------------------------------------------------------------------------------------------
# claims 5, 10, 11, 12: returns, re-detention, in absentia, Art. 411
# --------------------------------------------------------------------------------------------------
def return_means_prosecution(other: pd.DataFrame, legal: pd.DataFrame, statement_date=STATEMENT_DATE) -> dict:
    """Claim 5: non-UN figures on in-absentia convictions and the in-absentia law, dated up to the statement.

    Figures published by UN bodies (e.g. returnees arrested, as reported by OHCHR) are the claim's own side and
    are listed as left out, never used. The Commission on Return's figures are reported as counter-evidence.
    """
    end = pd.Timestamp(statement_date)
    metrics = ["returnees_arrested", "in_absentia_cases"]
    o = other.loc[other["metric"].isin(metrics + ["return_commission_requests"])]
    un = o.loc[is_un(o)]
    o = o.loc[~is_un(o)]
    o_before, o_after = rubric.split_at(o, "as_of_date", end)
    law = legal.loc[_text(legal, ["title", "description"]).str.contains("absentia", case=False) & ~is_un(legal)]
    law_before, _ = rubric.split_at(law, "event_date", end)
    found = o_before.loc[o_before["metric"].isin(metrics) & (o_before["value"] > 0)]

    def latest(df, metric):
        m = df.loc[df["metric"].eq(metric)].sort_values(["as_of_date", "value"], kind="mergesort")
        return None if m.empty else (m["as_of_date"].iloc[-1], float(m["value"].iloc[-1]), m["source_org"].iloc[-1])

    values = {"statement_date": end, "in_absentia": latest(o_before, "in_absentia_cases"),
              "returnees": latest(o_before, "returnees_arrested"),
              "commission": latest(o_before, "return_commission_requests"),
              "law_date": law_before["event_date"].min() if len(law_before) else None,
              "un_left_out": [(m, float(v), s) for m, v, s in zip(un["metric"], un["value"], un["source_org"])],
              "later": latest(o_after, "in_absentia_cases")}
    return _measured(5, rubric.indirect(len(found) > 0), values,
                     [("other_figures", o_before), ("legal_events", law_before)], [("other_figures", o_after)])


def redetained(legal: pd.DataFrame, other: pd.DataFrame, events: pd.DataFrame, name: str = NAMED[10][0],
               statement_date=STATEMENT_DATE) -> dict:
    """Claim 10: reports, dated up to the statement, that ``name`` was put back behind bars after his release."""
    end = pd.Timestamp(statement_date)
    prim = events.loc[events["is_primary"].eq(1)].sort_values("event_date", kind="mergesort")
    rel = prim.loc[prim["notable_people"].fillna("").str.contains(name, regex=False)]
    rel_before, rel_after = rubric.split_at(rel, "event_date", end)
    found, later = [], []
    for table, df, cols, date_col in (("legal_events", legal, ["title", "description"], "event_date"),
                                      ("other_figures", other, ["scope", "evidence"], "as_of_date"),
                                      ("release_events", events, ["evidence", "notes"], "source_published")):
        text = _text(df, cols)
        hit = df.loc[text.str.contains(name, regex=False) & text.str.contains(REDETAINED, case=False, regex=True)
                     & ~is_un(df)]
        b, a = rubric.split_at(hit, date_col, end)
        found.append((table, b, b[date_col]))
        later.append((table, a))
    n = len({u for _, h, _ in found for u in h["source_url"]})
    dates = pd.concat([d for _, _, d in found]).dropna()
    released = rel_before["event_date"].iloc[0] if len(rel_before) else None
    first = dates.min() if len(dates) else None
    values = {"name": name, "statement_date": end, "released": released, "reports": n, "first_report": first,
              "days_after_release": None if released is None or first is None else int((first - released).days),
              "later_reports": len({u for _, h in later for u in h["source_url"]}),
              "later_release": rel_after["event_date"].iloc[0] if len(rel_after) else None}
    verdict = rubric.reports_found(n, len(rel_before) > 0)
    rows = [("release_events", rel_before.head(1))] + [(t, h) for t, h, _ in found]
    return _measured(10, verdict, values, rows, later + [("release_events", rel_after)])


def in_absentia_after_release(other: pd.DataFrame, legal: pd.DataFrame, statement_date=STATEMENT_DATE) -> dict:
    """Claim 11: non-UN rows dated up to the statement linking an in-absentia case to a released person, or else
    the general count of in-absentia convictions."""
    end = pd.Timestamp(statement_date)
    o_text, l_text = _text(other, ["scope", "evidence"]), _text(legal, ["title", "description"])
    link_o = other.loc[o_text.str.contains(ABSENTIA, case=False) & o_text.str.contains(RELEASED_WORDS, case=False)
                       & ~is_un(other)]
    link_l = legal.loc[l_text.str.contains(ABSENTIA, case=False) & l_text.str.contains(RELEASED_WORDS, case=False)
                       & ~is_un(legal)]
    link_o, link_o_after = rubric.split_at(link_o, "as_of_date", end)
    link_l, link_l_after = rubric.split_at(link_l, "event_date", end)
    general = other.loc[other["metric"].eq("in_absentia_cases") & ~is_un(other)]
    gen_before, gen_after = rubric.split_at(general, "as_of_date", end)
    gen_before = gen_before.sort_values("as_of_date", kind="mergesort")
    values = {"statement_date": end, "linking_rows": len(link_o) + len(link_l),
              "latest": None if gen_before.empty else (gen_before["as_of_date"].iloc[-1], float(gen_before["value"].iloc[-1])),
              "first": None if len(gen_before) < 2 else (gen_before["as_of_date"].iloc[0], float(gen_before["value"].iloc[0])),
              "later_linking_rows": len(link_o_after) + len(link_l_after)}
    verdict = rubric.reports_found(values["linking_rows"], len(gen_before) > 0)
    return _measured(11, verdict, values,
                     [("other_figures", pd.concat([link_o, gen_before])), ("legal_events", link_l)],
                     [("other_figures", pd.concat([link_o_after, gen_after])), ("legal_events", link_l_after)])


def article_411(other: pd.DataFrame, legal: pd.DataFrame, events: pd.DataFrame, statement_date=STATEMENT_DATE,
                since: str = CRACKDOWN_START) -> dict:
    """Claim 12: Art. 411 figures (other_figures metrics starting ``art411``) and events (legal_events since
    ``since``), UN rows left out, dated up to the statement; examples of a person whose term was extended and
    who was later released (a capitalised surname of an Art. 411 crackdown event found in a later release row,
    both dated up to the statement), reported as examples, never as a share."""
    end = pd.Timestamp(statement_date)
    figs = other.loc[other["metric"].str.startswith("art411") & ~is_un(other)]
    figs, figs_after = rubric.split_at(figs.sort_values("as_of_date", kind="mergesort"), "as_of_date", end)
    text = _text(legal, ["title", "description"])
    ev = legal.loc[text.str.contains(ART411, case=False) & ~is_un(legal) & (legal["event_date"] >= pd.Timestamp(since))]
    ev, ev_after = rubric.split_at(ev, "event_date", end)
    prim = events.loc[events["is_primary"].eq(1) & (events["event_date"] <= end)]
    examples = []
    for _, row in ev.loc[ev["event_type"].eq("crackdown")].iterrows():
        for token in re.findall(r"\b[A-Z][a-z]{4,}\b", str(row["title"])):
            later_legal = legal.loc[(legal["event_date"] > row["event_date"]) & (legal["event_date"] <= end)
                                    & legal["title"].str.contains(token) & legal["title"].str.contains("released")]
            later_rel = prim.loc[(prim["event_date"] > row["event_date"])
                                 & prim["notable_people"].fillna("").str.contains(token)]
            if len(later_legal) or len(later_rel):
                when = pd.concat([later_legal["event_date"], later_rel["event_date"]]).min()
                examples.append((token, row["event_date"], when))
    cases = figs.loc[figs["metric"].eq("art411_cases")]
    values = {"statement_date": end, "cases": [(d, float(v)) for d, v in zip(cases["as_of_date"], cases["value"])],
              "events": len(ev), "since": pd.Timestamp(since), "examples": examples,
              "later_figures": len(figs_after), "later_events": len(ev_after)}
    return _measured(12, rubric.indirect(len(figs) + len(ev) > 0), values,
                     [("other_figures", figs), ("legal_events", ev)],
                     [("other_figures", figs_after), ("legal_events", ev_after)])


# --------------------------------------------------------------------------------------------------
# claim 14: deaths
# --------------------------------------------------------------------------------------------------
def death_people(deaths_table: pd.DataFrame) -> pd.DataFrame:
    """One row per person (death_id): earliest stated date of death, earliest publication date, status and
    whether they died in custody or after release (most frequent value among their rows, ties: in_custody).
    Rows published by UN bodies are left out (the claim's own side); a person only they report is not counted."""
    d = deaths_table.loc[~is_un(deaths_table)].sort_values(["death_id", "date_of_death"], kind="mergesort")
    return d.groupby("death_id").agg(
        date=("date_of_death", "min"), reported=("source_published", "min"),
        status=("person_status", "first"),
        kind=("in_custody_or_after_release", lambda s: s.value_counts().sort_index().idxmax()))


def deaths(deaths_table: pd.DataFrame, other: pd.DataFrame | None = None, statement_date=STATEMENT_DATE,
           definition: str = DEATHS_DEFINITION) -> dict:
    """Claim 14: distinct political prisoners who died in custody (``person_status == definition``, Viasna's
    count) with a death, or if undated a first report, dated up to the statement; the other people of the table
    (deaths after release, restriction of liberty, protest and administrative detainees) as sensitivity lines.
    ``other``: published totals (metric ``deaths_in_custody_total``, UN rows left out) dated up to the statement."""
    end = pd.Timestamp(statement_date)
    people = death_people(deaths_table)
    people["when"] = people["date"].fillna(people["reported"])
    before, after = rubric.split_at(people, "when", end)
    core = before.loc[before["status"].eq(definition) & before["kind"].eq("in_custody")]
    by_status = before.groupby("status").size().to_dict()
    years = core["date"].dropna().dt.year.value_counts().sort_index()
    values = {"statement_date": end, "definition": definition, "count": len(core), "by_status": by_status,
              "all_people": len(before), "years": {int(y): int(c) for y, c in years.items()},
              "latest": core["date"].max() if len(core) else None, "later_people": len(after),
              "undated": int(people["when"].isna().sum()),
              "published": None}
    rows = [("deaths_in_custody", deaths_table.loc[deaths_table["death_id"].isin(core.index) & ~is_un(deaths_table)])]
    since = [("deaths_in_custody", deaths_table.loc[deaths_table["death_id"].isin(after.index)])]
    if other is not None:
        t = other.loc[other["metric"].eq("deaths_in_custody_total") & ~is_un(other)]
        t_before, t_after = rubric.split_at(t, "as_of_date", end)
        if len(t_before):
            last = t_before.sort_values("as_of_date", kind="mergesort").iloc[-1]
            values["published"] = (float(t_before["value"].min()), float(t_before["value"].max()),
                                   last["as_of_date"], float(last["value"]), last["source_org"])
            rows.append(("other_figures", t_before.loc[[last.name]]))
        since.append(("other_figures", t_after))
    return _measured(14, rubric.at_least_several(len(core)), values, rows, since)


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
