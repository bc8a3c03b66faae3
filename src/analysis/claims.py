"""Set each claim of the UN Special Rapporteur's statement (18 Dec 2025) beside what the data show.

The statement (Nils Muižnieks, Special Rapporteur on the situation of human rights in Belarus, Geneva,
18 December 2025; OHCHR press release relayed by Mirage News and Devdiscourse) makes 15 claims, listed in
:data:`CLAIMS` in our own words. One function per claim measures it on the curated aggregate tables
(``analysis.sources.curated``) and returns a dict with the same keys (:func:`_result`):

    no, claim, finding (what the data show, with the numbers), sources (files and source URLs of the rows
    used), uncertainty, verdict (one of :data:`VERDICTS`), rule (the decision rule), values (key numbers).

Verdict scale:
    supported            the data show what the claim says, by the stated rule;
    not contradicted     the data are consistent with the claim but cannot confirm it (partial coverage,
                         aggregate figures for a claim about specific people, a prospective claim);
    contradicted         the data show the opposite, by the stated rule;
    not measurable here  qualitative claims, or nothing in the curated tables bears on the claim.

Every rule is written in :data:`RULES` and in the docstring of its function. Everything is deterministic:
the only random step (claim 9's rank intervals) takes an explicit seed.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from analysis.stats import flows, ranking, series, waves

STATEMENT_DATE = pd.Timestamp("2025-12-18")
PAST_YEAR_START = pd.Timestamp("2024-12-18")
VERDICTS = ("supported", "not contradicted", "contradicted", "not measurable here")

WAVE_MIN = 10  # claim 6: a "wave" frees at least this many people
SEVERAL = 3  # "several" = at least three
MANY_SHARE = 0.5  # claim 3: "many were taken abroad" = at least half of those with a known destination
THRESHOLD_REMAINING = 1100  # claim 8: "over 1,100"
TOP_K = 5  # claim 9: "among the highest" = in the top five
US_BROKERED = r"United States"
# claim 10: words that say a released person was put back behind bars
REDETAINED = (r"return(?:ed)? to (?:a |the )?(?:prison|colony)|re-?jail|re-?arrest|re-?imprison|detained again"
              r"|apprehended|placed in detention|back (?:to|in) (?:prison|jail|colony)")
RELEASED_WORDS = r"releas|pardon|freed"  # claim 11: words that say a person had been freed
# rows that are the UN's own statements are the claim, not evidence for it
UN_SOURCE = r"\bUN\b|OHCHR|United Nations|Special Rapporteur|UN experts|UNOG"

CLAIMS: dict[int, str] = {
    1: "Several prominent prisoners were freed recently, among them politicians, lawyers, journalists, trade "
       "unionists, activists and human-rights defenders.",
    2: "Many of those freed had been convicted after unfair trials, as reprisal for their work or civic activity.",
    3: "The releases came with forced expulsion: many were driven straight to Ukraine or Lithuania.",
    4: "Those allowed to stay in Belarus live under surveillance, movement limits and bans from their professions.",
    5: "Going back would mean new charges and prison, so these are forced exile rather than pardons.",
    6: "There were several release waves in the past year, including a large one on 13 Dec 2025 that freed "
       "Bialiatski, Babaryka and Kalesnikava.",
    7: "Politically motivated arrests and new criminal cases go on despite the releases.",
    8: "Human-rights defenders count more than 1,100 political prisoners still held.",
    9: "That puts Belarus among the countries with the most political prisoners per head of population.",
    10: "Statkevich, who refused to leave the country after his release, was reportedly detained again.",
    11: "Some people freed earlier have had new criminal cases opened against them in absentia.",
    12: "Article 411 (malicious disobedience to the prison administration) is used to extend terms arbitrarily; "
        "several of those expelled had served, or nearly served, their terms before these extensions.",
    13: "Ill-treatment and inhumane conditions continue, above all for people linked to the 2020 protests.",
    14: "Several political prisoners died in custody or soon after release, in suspicious circumstances that "
        "were not investigated.",
    15: "State media call the releases pardons, but there is no sign of systemic change.",
}

NOT_MEASURABLE: dict[int, str] = {
    2: "Fairness of trials and motives of prosecution are legal judgements, not counts; Viasna recognises a "
       "political prisoner only after reviewing the case against the PACE/International Guidelines criteria.",
    4: "The curated tables hold no figures on surveillance, movement restrictions or professional bans of "
       "people who stayed.",
    13: "The curated tables hold no measure of prison conditions or ill-treatment (only counts of deaths, "
        "claim 14, and of incommunicado prisoners).",
}

RULES: dict[int, str] = {
    1: f"Primary release events in the window_days before the statement: supported if they freed at least "
       f"{SEVERAL} people named in international news (notable_people); not contradicted if 1-2; contradicted "
       f"if no release event at all. Professions are not coded, so the composition is not checked.",
    2: "Qualitative: not measurable here.",
    3: f"US-brokered primary release events from past_year_start to the statement date with a known "
       f"destination (stats.waves rules): share taken abroad = taken abroad / freed. Supported if >= "
       f"{MANY_SHARE:.0%}; not contradicted if > 0; contradicted if nobody was taken abroad.",
    4: "Qualitative: not measurable here.",
    5: "Prospective claim about people who are abroad: aggregate figures on arrests of returnees and "
       "in-absentia convictions can be consistent with it but cannot confirm it, so at best not contradicted; "
       "not measurable if no such figure exists.",
    6: f"Count primary release events from past_year_start to the statement date that freed >= {WAVE_MIN} "
       f"people. Supported if >= {SEVERAL} and an event on the named date lists all named people; "
       f"contradicted if < 2 or no event on the named date; otherwise not contradicted.",
    7: "Viasna's monthly count of newly recognised political prisoners in the statement's calendar year "
       "(months up to the statement): supported if > 0 in every month with a figure and at least 3 months have "
       "one; contradicted if 0 in every month with a figure; otherwise not contradicted.",
    8: f"Every stock figure within ±window_days of the statement (claims.check_over): supported if all "
       f"exceed {THRESHOLD_REMAINING:,}; contradicted if every exact figure is at or below it.",
    9: f"Belarus's per-capita rank (stats.ranking) under the definitions that use figures within 12 months of "
       f"the statement and rank more than top_k countries: supported if it is within the top_k under every such "
       f"definition and the upper end of its 90% rank interval is too; not contradicted if within the top_k "
       f"under more than half; contradicted otherwise.",
    10: "Rows of legal_events, other_figures and release_events (UN statements excluded) that name the person "
        "and report a return to prison after his release: supported if at least one; not contradicted if he "
        "was released but no such row exists; not measurable if he appears nowhere.",
    11: "Rows (UN statements excluded) linking an in-absentia case to a released person: supported if any; not "
        "contradicted if only general in-absentia figures exist; not measurable if none.",
    12: "Art. 411 figures (other_figures) and Art. 411 events (legal_events): not contradicted if any shows "
        "Art. 411 cases against political prisoners; the share of expelled people whose terms were extended "
        "needs person-level data, so never supported here.",
    13: "Qualitative: not measurable here.",
    14: f"Distinct people (death_id) in deaths_in_custody: supported if >= {SEVERAL} died in custody or after "
        f"release; not contradicted if 1-2; contradicted if none. Whether circumstances were suspicious or "
        f"investigated is not measurable.",
    15: "Stock of political prisoners before the first release wave in the window vs. the stock in the "
        "statement's month plus everyone released since (flows.stock_without_waves): supported if, even with the "
        "smallest count of people released, the stock without the releases would be at least as high as before "
        "the waves (new prisoners replaced all other exits); contradicted if, even with the largest count, it "
        "would be lower; otherwise not contradicted.",
}


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------
def _urls(df: pd.DataFrame, column: str = "source_url") -> list[str]:
    """Distinct source URLs in first-seen order (a cell may hold several, separated by ' ; ')."""
    out: list[str] = []
    for cell in df[column].dropna().astype(str):
        for url in (u.strip() for u in cell.split(" ; ")):
            if url and url not in out:
                out.append(url)
    return out


def _sources(parts: list[tuple[str, list[str]]]) -> str:
    """'file.csv: url; url | other.csv: url' for the rows used."""
    return " | ".join(f"{name}: {'; '.join(urls)}" if urls else name for name, urls in parts)


def _result(no: int, finding: str, parts: list[tuple[str, list[str]]], uncertainty: str, verdict: str,
            **values) -> dict:
    """One claim's row; the verdict must be one of VERDICTS."""
    if verdict not in VERDICTS:
        raise ValueError(f"claim {no}: verdict {verdict!r} not in {VERDICTS}")
    return {"no": no, "claim": CLAIMS[no], "finding": finding, "sources": _sources(parts),
            "uncertainty": uncertainty, "verdict": verdict, "rule": RULES[no], "values": values}


def _n(x: float) -> str:
    """Integer with thousands separator."""
    return f"{int(round(float(x))):,}"


def _day(ts) -> str:
    return pd.Timestamp(ts).strftime("%d %b %Y").lstrip("0")


def _text(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The named text columns of each row joined into one string."""
    cols = [c for c in columns if c in df.columns]
    if not cols or df.empty:
        return pd.Series("", index=df.index, dtype=object)
    return df[cols].fillna("").astype(str).agg(" ".join, axis=1)


def _not_un(df: pd.DataFrame) -> pd.Series:
    """Rows not sourced to a UN statement (the statement itself is not evidence for its own claims)."""
    keep = ~df["source_org"].fillna("").str.contains(UN_SOURCE, regex=True)
    if "event_type" in df:
        keep &= df["event_type"].ne("un_statement")
    return keep


def not_measurable(no: int) -> dict:
    """A qualitative claim (2, 4, 13): 'not measurable here' with the one-line reason."""
    return _result(no, NOT_MEASURABLE[no], [("none", [])], "not applicable", "not measurable here")


# --------------------------------------------------------------------------------------------------
# claim 8 (used by notebook 01 too)
# --------------------------------------------------------------------------------------------------
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


def remaining_over(counts: pd.DataFrame, statement_date=STATEMENT_DATE, window_days: int = 31,
                   threshold: float = THRESHOLD_REMAINING) -> dict:
    """Claim 8, "over 1,100 remain": :func:`check_over` on every count within ±window_days (pp_counts)."""
    near = stock_near(counts, statement_date, window_days)
    check = check_over(near, threshold)
    if near.empty:
        return _result(8, "No count of people held within the window.", [("pp_counts.csv", [])],
                       "none", check["verdict"], n=0)
    listed = "; ".join(f"{_n(v)}{'+' if q == 'at_least' else ''} on {_day(d)}"
                       for v, q, d in zip(near["currently_held"], near["held_qualifier"], near["as_of_date"]))
    above = int((near["currently_held"].astype(float) > threshold).sum()
                + ((near["currently_held"].astype(float) == threshold) & near["held_qualifier"].eq("at_least")).sum())
    finding = (f"{check['n']} counts within ±{window_days} days of {_day(statement_date)}: {listed} "
               f"(+ = 'more than'); {above} of {check['n']} are above {_n(threshold)}.")
    unc = (f"range {_n(check['min'])}-{_n(check['max'])} across sources and dates; Viasna's count is a floor "
           f"(people recognised and currently detained)")
    return _result(8, finding, [("pp_counts.csv", _urls(near))], unc, check["verdict"],
                   n=check["n"], min=check["min"], max=check["max"], threshold=threshold)


# --------------------------------------------------------------------------------------------------
# release waves: claims 1, 3, 6
# --------------------------------------------------------------------------------------------------
def _names(cell) -> list[str]:
    return [n.strip() for n in str(cell).split(";") if n.strip()] if pd.notna(cell) else []


def recent_releases(events: pd.DataFrame, statement_date=STATEMENT_DATE, window_days: int = 31) -> dict:
    """Claim 1: release events in the ``window_days`` before the statement and the people named in them.

    Rule: supported if those events freed at least SEVERAL (3) people named in international news
    (``notable_people`` of the primary rows); not contradicted if 1-2; contradicted if no release event
    happened in the window. Professions are not coded in the data, so the claimed composition (politicians,
    lawyers, journalists, ...) is not checked.
    """
    end = pd.Timestamp(statement_date)
    w = waves.primary_waves(events, end - pd.Timedelta(days=window_days), end)
    names = [n for cell in w["notable_people"] for n in _names(cell)]
    parts = [("release_events.csv", _urls(w))]
    if w.empty:
        return _result(1, f"No release event in the {window_days} days before the statement.", parts,
                       "none", "contradicted", events=0, released=0, named=0)
    verdict = "supported" if len(names) >= SEVERAL else "not contradicted"
    each = "; ".join(f"{_day(d)}: {_n(r)} freed" + (f" ({', '.join(_names(p))})" if _names(p) else "")
                     for d, r, p in zip(w["event_date"], w["released"], w["notable_people"]))
    finding = (f"{len(w)} release events in the {window_days} days before {_day(end)} freed {_n(w['released'].sum())} "
               f"people, {len(names)} of them named in international news — {each}.")
    unc = ("counts are official decree totals (may include non-political convicts); professions of those freed "
           "are not coded, so the composition is not checked")
    return _result(1, finding, parts, unc, verdict, events=len(w), released=float(w["released"].sum()),
                   named=len(names))


def expulsion_share(events: pd.DataFrame, other: pd.DataFrame | None = None, start=PAST_YEAR_START,
                    statement_date=STATEMENT_DATE, brokered: str = US_BROKERED) -> dict:
    """Claim 3: share taken abroad among US-brokered release waves with a known destination.

    Waves: primary release events from ``start`` to the statement date whose ``brokered_by`` matches
    ``brokered``; taken abroad per the rules of :func:`analysis.stats.waves.primary_waves`. Share = taken
    abroad / freed, over the waves whose destination is known. Rule: supported if the share is at least
    MANY_SHARE (50%); not contradicted if above 0; contradicted if nobody was taken abroad; not measurable
    if no such wave has a known destination.

    Lower bound: waves of foreign citizens only (``count_scope == "foreigners"``, who were sent home rather
    than exiled) are left out, and people reported in ``other`` (metric ``refused_deportation``, dated within
    7 days after a wave) to have refused to leave are subtracted.
    """
    w = waves.primary_waves(events, start, statement_date)
    w = w.loc[w["brokered_by"].fillna("").str.contains(brokered, regex=True)]
    known = w.loc[w["exiled"].notna()]
    parts = [("release_events.csv", _urls(w))]
    if known.empty:
        return _result(3, "No US-brokered wave with a known destination in the period.", parts, "none",
                       "not measurable here", waves=len(w), known=0)
    freed, abroad = float(known["released"].sum()), float(known["exiled"].sum())
    share = abroad / freed
    refused = 0.0
    if other is not None:
        r = other.loc[other["metric"].eq("refused_deportation")]
        for d in known["event_date"]:
            near = r.loc[(r["as_of_date"] >= d) & (r["as_of_date"] <= d + pd.Timedelta(days=7)), "value"]
            refused += float(near.max()) if len(near) else 0.0
        parts.append(("other_figures.csv", _urls(r)))
    exiles = known.loc[known["count_scope"].ne("foreigners")]
    low = (float(exiles["exiled"].sum()) - refused) / float(exiles["released"].sum()) if len(exiles) else np.nan
    verdict = ("supported" if share >= MANY_SHARE else "not contradicted" if share > 0 else "contradicted")
    dest = ", ".join(sorted(set(known.loc[known["exiled"] > 0, "destination"])))
    finding = (f"{len(known)} of {len(w)} US-brokered release events from {_day(start)} to {_day(statement_date)} "
               f"have a known destination: {_n(abroad)} of {_n(freed)} people freed ({share:.0%}) were taken "
               f"abroad (destinations recorded: {dest}).")
    unc = (f"lower bound {low:.0%} without the repatriated foreign citizens and minus {_n(refused)} people "
           f"reported to have refused to leave; {len(w) - len(known)} US-brokered event(s) with unknown destination "
           f"left out; domestic pardon decrees do not say where people went")
    return _result(3, finding, parts, unc, verdict, waves=len(w), known=len(known), freed=freed,
                   abroad=abroad, share=share, share_low=low)


def waves_past_year(events: pd.DataFrame, start=PAST_YEAR_START, statement_date=STATEMENT_DATE,
                    min_size: int = WAVE_MIN, named_date: str = "2025-12-13",
                    named: tuple[str, ...] = ("Bialiatski", "Babaryka", "Kalesnikava")) -> dict:
    """Claim 6: release waves (primary events freeing >= ``min_size``) from ``start`` to the statement date.

    Rule: supported if there are at least SEVERAL (3) waves and the event on ``named_date`` lists every
    surname in ``named`` among its notable people; contradicted if fewer than 2 waves, or no event on
    ``named_date``; otherwise not contradicted. Uncertainty: the count with any event size, and without
    waves of foreign citizens only.
    """
    allw = waves.primary_waves(events, start, statement_date)
    big = allw.loc[allw["released"] >= min_size]
    on_day = allw.loc[allw["event_date"] == pd.Timestamp(named_date)]
    found = [n for n in named if on_day["notable_people"].fillna("").str.contains(n).any()]
    parts = [("release_events.csv", _urls(allw))]
    if len(big) < 2 or on_day.empty:
        verdict = "contradicted"
    elif len(big) >= SEVERAL and len(found) == len(named):
        verdict = "supported"
    else:
        verdict = "not contradicted"
    sizes = ", ".join(f"{d:%d %b %Y}".lstrip("0") + f" ({_n(r)})" for d, r in zip(big["event_date"], big["released"]))
    size_named = _n(on_day["released"].iloc[0]) if len(on_day) else "no event"
    finding = (f"{len(big)} release events freeing >= {min_size} people between {_day(start)} and "
               f"{_day(statement_date)}: {sizes}; {_n(big['released'].sum())} people in all. The "
               f"{_day(named_date)} event freed {size_named}; named among them: {', '.join(found) or 'none'}.")
    political = big.loc[big["count_scope"].ne("foreigners")]
    unc = (f"{len(political)} waves without those of foreign citizens only, {len(allw)} release events of any "
           f"size; decree totals may include non-political convicts")
    return _result(6, finding, parts, unc, verdict, waves=len(big), released=float(big["released"].sum()),
                   events_any_size=len(allw), waves_political=len(political), named_found=len(found))


# --------------------------------------------------------------------------------------------------
# inflow: claim 7
# --------------------------------------------------------------------------------------------------
def arrests_continue(counts: pd.DataFrame, other: pd.DataFrame | None = None, statement_date=STATEMENT_DATE,
                     start=None) -> dict:
    """Claim 7: new recognitions per month (series.monthly_flows) from ``start`` (default: 1 January of the
    statement's year) to the statement's month.

    Rule: supported if the count is > 0 in every month with a figure and at least 3 months have one;
    contradicted if it is 0 in every month with a figure; otherwise not contradicted; not measurable if no
    month has a figure. ``other`` adds Viasna's yearly total (metric ``new_recognized_year``) as context.
    """
    end = pd.Timestamp(statement_date)
    start = pd.Timestamp(start) if start is not None else pd.Timestamp(year=end.year, month=1, day=1)
    f = series.monthly_flows(counts)
    f = f.loc[f["month"].between(start, end) & f["new_recognized"].notna()]
    parts = [("pp_counts.csv", _urls(f, "new_recognized_source_url"))]
    if f.empty:
        return _result(7, "No monthly count of new recognitions in the period.", parts, "none",
                       "not measurable here", months=0)
    vals = f["new_recognized"].astype(float)
    partial = f["new_recognized_partial"].fillna(False).astype(bool)
    if (vals > 0).all() and len(f) >= SEVERAL:
        verdict = "supported"
    elif (vals == 0).all():
        verdict = "contradicted"
    else:
        verdict = "not contradicted"
    months = "; ".join(f"{m:%b %Y}: {_n(v)}{' (part of month)' if p else ''}"
                       for m, v, p in zip(f["month"], vals, partial))
    finding = (f"Viasna recognised new political prisoners in all {len(f)} months of {start:%b %Y}-{end:%b %Y} "
               f"with a published figure ({months})." if verdict == "supported" else
               f"New recognitions per month, {start:%b %Y}-{end:%b %Y}: {months}.")
    year_total = None
    if other is not None:
        y = other.loc[other["metric"].eq("new_recognized_year") & other["as_of_date"].dt.year.eq(end.year)]
        if len(y):
            year_total = float(y["value"].iloc[0])
            finding += f" Viasna's total for {end.year}: {_n(year_total)} newly recognised ({_day(y['as_of_date'].iloc[0])})."
            parts.append(("other_figures.csv", _urls(y)))
    n_months = (end.to_period("M") - start.to_period("M")).n + 1
    unc = (f"monthly range {_n(vals.min())}-{_n(vals.max())}; only {len(f)} of {n_months} months have a figure"
           f"{' (one a partial month, a lower bound)' if partial.sum() == 1 else f' ({int(partial.sum())} partial months)' if partial.any() else ''}; "
           f"recognition lags arrest, so the latest months are undercounted")
    return _result(7, finding, parts, unc, verdict, months=len(f), min=float(vals.min()), max=float(vals.max()),
                   year_total=year_total)


# --------------------------------------------------------------------------------------------------
# per capita: claim 9
# --------------------------------------------------------------------------------------------------
def contemporaneous(definitions: dict | None = None) -> list[str]:
    """Names of the ranking definitions whose query keeps only figures within 12 months of the reference
    date (queries that use ``@lo``/``@hi``, see :data:`analysis.stats.ranking.DEFAULT_DEFINITIONS`)."""
    defs = ranking.DEFAULT_DEFINITIONS if definitions is None else definitions
    return [k for k, d in defs.items() if "@lo" in (getattr(d, "query", None) or "")]


def per_capita(cross_country: pd.DataFrame, population: pd.DataFrame, reference_date=STATEMENT_DATE,
               rel_error: float = 0.2, n_sim: int = 2000, seed: int = 2026, definitions: dict | None = None) -> dict:
    """The per-capita pipeline of :mod:`analysis.stats.ranking`: rates per million, ranks under every
    definition, Belarus's spread, and seeded Monte-Carlo rank intervals (undercounts up to ``rel_error``)."""
    defs = ranking.DEFAULT_DEFINITIONS if definitions is None else definitions
    rates = ranking.per_million(cross_country, population)
    ranked = ranking.rank_under_definitions(rates, defs, reference_date)
    return {"rates": rates, "ranked": ranked, "population": population, "spread": ranking.rank_spread(ranked, "Belarus"),
            "intervals": ranking.rank_intervals(ranked, rel_error=rel_error, n_sim=n_sim, seed=seed),
            "contemporaneous": contemporaneous(defs), "rel_error": rel_error, "n_sim": n_sim, "seed": seed}


def verdict_definitions(pc: dict, top_k: int = TOP_K) -> list[str]:
    """The definitions claim 9's verdict rests on: contemporaneous (figures within 12 months) and ranking more
    than ``top_k`` countries, with Belarus ranked (``pc`` from :func:`per_capita`)."""
    spread = pc["spread"].set_index("definition")
    return [d for d in pc["contemporaneous"] if d in spread.index and bool(spread.loc[d, "in_ranking"])
            and int(spread.loc[d, "n_ranked"]) > top_k]


def per_capita_rank(pc: dict, top_k: int = TOP_K, country: str = "Belarus") -> dict:
    """Claim 9 from the output of :func:`per_capita`.

    Definitions used for the verdict: those with figures within 12 months of the statement
    (:func:`contemporaneous`) that rank more than ``top_k`` countries (being in the top 5 of 4 says nothing).
    Rule: supported if ``country`` is within the top ``top_k`` under every such definition and the upper end
    of its 90% rank interval is within the top ``top_k`` too; not contradicted if within the top ``top_k``
    under more than half of them; contradicted otherwise; not measurable if none ranks it.
    """
    spread, iv = pc["spread"].set_index("definition"), pc["intervals"]
    iv = iv.loc[iv["country"] == country].set_index("definition")
    use = verdict_definitions(pc, top_k)
    ranked = pc["ranked"]
    used = ranked.loc[ranked["definition"].isin(use)]
    pop = pc.get("population")
    pop_urls = _urls(pop.loc[pop["country"].isin(set(used["country"]))]) if pop is not None else []
    parts = [("cross_country_pp.csv", _urls(used)), ("population.csv", pop_urls)]
    if not use:
        return _result(9, f"{country} is not ranked under any contemporaneous definition.", parts, "none",
                       "not measurable here", definitions=0)
    ranks = {d: int(spread.loc[d, "rank"]) for d in use}
    highs = {d: int(iv.loc[d, "rank_high"]) for d in use}
    inside = sum(r <= top_k for r in ranks.values())
    if inside == len(use) and max(highs.values()) <= top_k:
        verdict = "supported"
    elif inside > len(use) / 2:
        verdict = "not contradicted"
    else:
        verdict = "contradicted"
    each = "; ".join(f"{d}: {ranks[d]} of {int(spread.loc[d, 'n_ranked'])} "
                     f"(90% interval {int(iv.loc[d, 'rank_low'])}-{highs[d]})" for d in use)
    rate = float(spread.loc[use[0], "rate"])
    s = pc["spread"].attrs["summary"]
    finding = (f"{country} has {rate:.0f} political prisoners per million people; it ranks in the top {top_k} "
               f"under {inside} of {len(use)} definitions using figures within 12 months of the statement "
               f"({each}).")
    unc = (f"rank {s['best_rank']}-{s['worst_rank']} over all {s['n_definitions_ranked']} definitions (rate "
           f"{s['min_rate']:.0f}-{s['max_rate']:.0f} per million); intervals from {pc['n_sim']:,} simulated "
           f"undercounts of up to {pc['rel_error']:.0%} (seed {pc['seed']}); only 20 countries with published "
           f"counts, closed states undercounted")
    return _result(9, finding, parts, unc, verdict, rate=rate, ranks=ranks, rank_high=highs,
                   best_rank=s["best_rank"], worst_rank=s["worst_rank"], definitions=len(use))


def rank_table(pc: dict, countries: int = 12) -> pd.DataFrame:
    """Countries × definitions table of ranks (blank where a country is not ranked), ordered by each
    country's best rank; columns in definition order, with the number of countries ranked in the header."""
    r = pc["ranked"]
    order = list(dict.fromkeys(r["definition"]))
    n = r.groupby("definition")["n_ranked"].first()
    wide = r.pivot(index="country", columns="definition", values="rank")[order]
    best = wide.min(axis=1)
    wide = wide.assign(_best=best, _mean=wide.mean(axis=1)).sort_values(["_best", "_mean"], kind="mergesort")
    wide = wide.drop(columns=["_best", "_mean"]).head(countries)
    wide.columns = [f"{c} (of {int(n[c])})" for c in wide.columns]
    return wide.astype("Int64").astype(str).replace("<NA>", "").rename_axis(None)


def rank_summary(pc: dict, country: str = "Belarus", top_k: int = TOP_K) -> pd.DataFrame:
    """One row per definition: whether it uses figures within 12 months and counts for claim 9's verdict,
    ``country``'s rank of n, its rate per million (rounded), the simulated 90% rank interval, P(rank 1) and the
    countries ranked above it."""
    sp = pc["spread"]
    used = verdict_definitions(pc, top_k)
    iv = pc["intervals"].loc[pc["intervals"]["country"] == country].set_index("definition")
    rows = []
    for _, r in sp.iterrows():
        d = r["definition"]
        ok = bool(r["in_ranking"])
        rows.append({
            "definition": d,
            "within 12 months": "yes" if d in pc["contemporaneous"] else "no",
            "used for verdict": "yes" if d in used else "no",
            "rank": f"{int(r['rank'])} of {int(r['n_ranked'])}" if ok else f"not ranked (of {int(r['n_ranked'])})",
            "per million": round(float(r["rate"]), 1) if ok else np.nan,
            "90% rank interval": f"{int(iv.loc[d, 'rank_low'])}-{int(iv.loc[d, 'rank_high'])}" if ok else "",
            "P(rank 1)": round(float(iv.loc[d, "p_rank1"]), 2) if ok else np.nan,
            "ranked above": r["countries_ahead"] if ok and r["countries_ahead"] else "",
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# returns, re-arrests, in absentia, Art. 411: claims 5, 10, 11, 12
# --------------------------------------------------------------------------------------------------
def return_means_prosecution(other: pd.DataFrame, legal: pd.DataFrame) -> dict:
    """Claim 5: figures on arrests of returnees and in-absentia convictions (other_figures), and the
    in-absentia law (legal_events).

    Rule: not contradicted if any such figure > 0 exists (the claim is about what would happen to people now
    abroad, which aggregate figures cannot confirm); not measurable if none exists. Commission-on-Return
    figures (people allowed back) are reported alongside as the counter-evidence.
    """
    metrics = ["returnees_arrested", "in_absentia_cases", "return_commission_requests"]
    o = other.loc[other["metric"].isin(metrics)]
    law = legal.loc[_text(legal, ["title", "description"]).str.contains("absentia", case=False) & _not_un(legal)]
    arrests = o.loc[o["metric"].isin(metrics[:2]) & (o["value"] > 0)]
    parts = [("other_figures.csv", _urls(o)), ("legal_events.csv", _urls(law))]
    if arrests.empty:
        return _result(5, "No figure on arrests of returnees or in-absentia cases.", parts, "none",
                       "not measurable here")
    def latest(metric):  # latest dated figure; undated figures rank first, then by value
        m = o.loc[o["metric"].eq(metric)].sort_values(["as_of_date", "value"], na_position="first", kind="mergesort")
        return m.iloc[-1] if len(m) else None
    ret, absn, comm = latest("returnees_arrested"), latest("in_absentia_cases"), latest("return_commission_requests")
    bits = []
    if ret is not None:
        bits.append(f"at least {_n(ret['value'])} people were arrested on returning to Belarus in "
                    f"{ret['as_of_date']:%Y} (OHCHR)")
    if absn is not None:
        bits.append(f"{_n(absn['value'])} people had been convicted in absentia by {_day(absn['as_of_date'])} "
                    f"(Viasna), under special proceedings in force since {_day(law['event_date'].min())}")
    finding = "; ".join(bits) + "."
    finding = finding[0].upper() + finding[1:]
    if comm is not None:
        finding += (f" Against this, the state Commission on Return has handled {_n(comm['value'])} requests from "
                    f"exiles ({comm['scope'].split('(', 1)[-1].rstrip(')')}).")
    unc = ("these are counts of all returnees and all in-absentia convictions, not of released prisoners; "
           "what would happen to the expelled if they returned cannot be observed")
    return _result(5, finding, parts, unc, "not contradicted",
                   returnees_arrested=None if ret is None else float(ret["value"]),
                   in_absentia=None if absn is None else float(absn["value"]))


def redetained(legal: pd.DataFrame, other: pd.DataFrame, events: pd.DataFrame, name: str = "Statkevich",
               statement_date=STATEMENT_DATE) -> dict:
    """Claim 10: was ``name`` put back behind bars after his release?

    Released: the first primary release event on or before the statement whose notable_people names him.
    Reports: rows of legal_events (title, description), other_figures (scope, evidence) and release_events
    (evidence, notes) that name him and use a word in REDETAINED; rows sourced to UN statements are left
    out. Rule: supported if at least one report; not contradicted if he was released but nothing reports a
    re-detention; not measurable if he is in no row at all.
    """
    end = pd.Timestamp(statement_date)
    prim = events.loc[events["is_primary"].eq(1) & (events["event_date"] <= end)]
    rel = prim.loc[prim["notable_people"].fillna("").str.contains(name)].sort_values("event_date")
    found = []
    for table, df, cols, date_col in (("legal_events.csv", legal, ["title", "description"], "event_date"),
                                      ("other_figures.csv", other, ["scope", "evidence"], "as_of_date"),
                                      ("release_events.csv", events, ["evidence", "notes"], "source_published")):
        text = _text(df, cols)
        hit = df.loc[text.str.contains(name) & text.str.contains(REDETAINED, case=False, regex=True) & _not_un(df)]
        found.append((table, hit, hit[date_col]))
    parts = [(t, _urls(h)) for t, h, _ in found if len(h)] or [("legal_events.csv", [])]
    n_urls = len({u for _, h, _ in found for u in _urls(h)})
    if rel.empty and n_urls == 0:
        return _result(10, f"{name} appears in no release or re-arrest row.", parts, "none", "not measurable here")
    released = rel["event_date"].iloc[0] if len(rel) else None
    if released is not None:
        parts.insert(0, ("release_events.csv (release)", _urls(rel.head(1))))
    dates = pd.concat([d for _, _, d in found]).dropna()
    first = dates.min() if len(dates) else None
    if n_urls == 0:
        return _result(10, f"{name} was freed on {_day(released)}; no row reports a re-detention.", parts,
                       "absence of a report is not evidence of freedom", "not contradicted", reports=0)
    finding = (f"{name} was among those freed on {_day(released)}; {n_urls} distinct source(s) report he was "
               f"returned to prison after refusing to leave, the first dated {_day(first)}"
               + (f" ({(first - released).days} days after the release)." if released is not None and first is not None else "."))
    unc = "a single named case; sources relay Nasha Niva, Viasna and RFE/RL reporting, not official records"
    return _result(10, finding, parts, unc, "supported", reports=n_urls,
                   days_after_release=None if released is None or first is None else int((first - released).days))


def in_absentia_after_release(other: pd.DataFrame, legal: pd.DataFrame) -> dict:
    """Claim 11: new in-absentia cases against people released earlier.

    Linking rows: rows of other_figures (scope, evidence) and legal_events (title, description) that mention
    in-absentia proceedings and a release/pardon/expulsion, UN statements excluded. Rule: supported if any
    linking row; not contradicted if only general in-absentia figures (metric ``in_absentia_cases``) exist;
    not measurable if neither.
    """
    pattern = r"absentia|special proceedings"
    o_text, l_text = _text(other, ["scope", "evidence"]), _text(legal, ["title", "description"])
    link_o = other.loc[o_text.str.contains(pattern, case=False) & o_text.str.contains(RELEASED_WORDS, case=False)
                       & _not_un(other)]
    link_l = legal.loc[l_text.str.contains(pattern, case=False) & l_text.str.contains(RELEASED_WORDS, case=False)
                       & _not_un(legal)]
    general = other.loc[other["metric"].eq("in_absentia_cases")].sort_values("as_of_date", na_position="first",
                                                                             kind="mergesort")
    parts = [("other_figures.csv", _urls(pd.concat([link_o, general]))), ("legal_events.csv", _urls(link_l))]
    n_link = len(link_o) + len(link_l)
    if n_link:
        return _result(11, f"{n_link} row(s) report in-absentia cases against released people.", parts,
                       "named cases only; no count", "supported", linking_rows=n_link)
    if general.empty:
        return _result(11, "No figure on in-absentia cases.", parts, "none", "not measurable here", linking_rows=0)
    dated = general.dropna(subset=["as_of_date"])
    last = dated.iloc[-1] if len(dated) else general.iloc[-1]
    finding = (f"No row links an in-absentia case to a released prisoner. In-absentia trials are common: "
               f"{_n(last['value'])} people convicted in absentia by {_day(last['as_of_date']) if pd.notna(last['as_of_date']) else 'an undated report'}"
               + (f", the first {_n(dated.iloc[0]['value'])} in {dated.iloc[0]['as_of_date']:%B %Y}." if len(dated) > 1 else "."))
    unc = "no count of released people among those tried in absentia was found"
    return _result(11, finding, parts, unc, "not contradicted", linking_rows=0, in_absentia=float(last["value"]))


def article_411(other: pd.DataFrame, legal: pd.DataFrame, events: pd.DataFrame, since: str = "2020-08-09") -> dict:
    """Claim 12: Art. 411 ("malicious disobedience") term extensions.

    Figures: other_figures metrics starting ``art411`` (cases against political prisoners, monthly
    convictions). Events: legal_events rows since ``since`` (not UN statements) about Art. 411. Documented
    extensions of people later expelled: Art. 411 crackdown events naming a person (capitalised surname)
    who appears in a later release row (legal_events title with "released", or release_events
    notable_people) — a transparent text match, reported as examples, never as a share.

    Rule: not contradicted if any figure or event shows Art. 411 cases against political prisoners (the
    share of expelled people whose terms were extended needs person-level data, so never supported here);
    not measurable if none.
    """
    figs = other.loc[other["metric"].str.startswith("art411")].sort_values("as_of_date", kind="mergesort")
    text = _text(legal, ["title", "description"])
    ev = legal.loc[text.str.contains(r"\b411\b|malicious disobedience", case=False) & _not_un(legal)
                   & (legal["event_date"] >= pd.Timestamp(since))]
    examples = []
    for _, row in ev.loc[ev["event_type"].eq("crackdown")].iterrows():
        for token in re.findall(r"\b[A-Z][a-z]{4,}\b", str(row["title"])):
            later_legal = legal.loc[(legal["event_date"] > row["event_date"])
                                    & legal["title"].str.contains(token) & legal["title"].str.contains("released")]
            later_rel = events.loc[events["is_primary"].eq(1) & (events["event_date"] > row["event_date"])
                                   & events["notable_people"].fillna("").str.contains(token)]
            if len(later_legal) or len(later_rel):
                when = pd.concat([later_legal["event_date"], later_rel["event_date"]]).min()
                examples.append((token, row["event_date"], when))
    parts = [("other_figures.csv", _urls(figs)), ("legal_events.csv", _urls(ev))]
    if figs.empty and ev.empty:
        return _result(12, "No Art. 411 figure or event.", parts, "none", "not measurable here")
    cases = figs.loc[figs["metric"].eq("art411_cases")]
    bits = [f"at least {_n(v)} political prisoners faced new Art. 411 cases by {_day(d)}"
            for v, d in zip(cases["value"], cases["as_of_date"])]
    finding = ("Viasna: " + "; ".join(bits) + "." if bits else f"{len(ev)} Art. 411 event(s) since {since[:4]}.")
    if examples:
        finding += " Documented case(s) of an extension followed by a release: " + "; ".join(
            f"{t} (extended {d:%b %Y}, released {w:%b %Y})" for t, d, w in examples) + "."
    unc = ("cumulative lower bounds; the data cannot show what share of the people expelled had their terms "
           "extended (that needs person-level release and sentence dates)")
    return _result(12, finding, parts, unc, "not contradicted",
                   art411_cases=float(cases["value"].max()) if len(cases) else None, examples=len(examples))


# --------------------------------------------------------------------------------------------------
# deaths: claim 14
# --------------------------------------------------------------------------------------------------
def deaths(deaths_table: pd.DataFrame, other: pd.DataFrame | None = None, statement_date=STATEMENT_DATE) -> dict:
    """Claim 14: distinct people (death_id) who died in custody or after release, with their dates.

    A person's date is the earliest stated date of death; their category the most frequent
    ``in_custody_or_after_release`` among their rows (ties: in_custody). Only deaths dated on or before the
    statement (or undated) count. Rule: supported if >= SEVERAL (3) people; not contradicted if 1-2;
    contradicted if none. "Suspicious and uninvestigated" is not measurable. ``other`` gives the range of
    published totals (metric ``deaths_in_custody_total``) as the uncertainty.
    """
    d = deaths_table.copy()
    people = (d.sort_values(["death_id", "date_of_death"], kind="mergesort")
              .groupby("death_id").agg(date=("date_of_death", "min"),
                                       kind=("in_custody_or_after_release",
                                             lambda s: s.value_counts().sort_index().idxmax())))
    people = people.loc[people["date"].isna() | (people["date"] <= pd.Timestamp(statement_date))]
    custody, after = people.loc[people["kind"].eq("in_custody")], people.loc[people["kind"].eq("after_release")]
    parts = [("deaths_in_custody.csv", _urls(d.loc[d["death_id"].isin(people.index)]))]
    n = len(people)
    verdict = "supported" if n >= SEVERAL else "not contradicted" if n else "contradicted"
    years = custody["date"].dropna().dt.year.value_counts().sort_index()
    when = (f" ({', '.join(f'{y}: {c}' for y, c in years.items())}; latest {_day(custody['date'].max())})"
            if len(years) else "")
    finding = (f"{len(custody)} distinct people on the list died in custody{when} and {len(after)} after release"
               f" ({int(after['date'].isna().sum())} of them undated).")
    unc = "published totals differ by definition"
    if other is not None:
        t = other.loc[other["metric"].eq("deaths_in_custody_total")]
        if len(t):
            unc = (f"published totals range {_n(t['value'].min())}-{_n(t['value'].max())} depending on source, date "
                   f"and definition; circumstances and investigations are not in the data")
            parts.append(("other_figures.csv", _urls(t)))
    return _result(14, finding, parts, unc, verdict, in_custody=len(custody), after_release=len(after),
                   latest_in_custody=custody["date"].max() if len(custody) else None)


# --------------------------------------------------------------------------------------------------
# systemic change: claim 15
# --------------------------------------------------------------------------------------------------
RELEASE_TOTALS = ("pardoned_since_2024_07", "released_since_2024_07")


def no_systemic_change(counts: pd.DataFrame, events: pd.DataFrame, other: pd.DataFrame | None = None,
                       waves_start="2024-07-01", statement_date=STATEMENT_DATE, window_days: int = 31) -> dict:
    """Claim 15: does the stock fall by as much as the releases, or do new prisoners replace them?

    Base: the stock in the last observed month before ``waves_start`` (the first wave, July 2024). End: the
    stock in the statement's month. Released: all primary release events from ``waves_start`` to the end of
    that month (the quantity flows.stock_without_waves adds back), and, as alternatives, Viasna's totals of political prisoners
    released since July 2024 in ``other`` (metrics RELEASE_TOTALS dated within ±window_days of the
    statement). Counterfactual = end stock + released: an upper bound on the stock had nobody been released.

    Rule: supported if the counterfactual with the smallest released total is >= the base stock (the
    releases were at least matched by new political prisoners, beyond the exits at the end of terms);
    contradicted if even with the largest total it is below the base; otherwise not contradicted.
    """
    end = pd.Timestamp(statement_date)
    start = pd.Timestamp(waves_start)
    month_end = end.to_period("M").to_timestamp(how="end").normalize()
    m = series.monthly_series(counts, start - pd.DateOffset(months=12), month_end, fill="none")
    before = m.loc[(m["month"] < start) & m["observed"]]
    at_end = m.loc[m["month"].eq(end.to_period("M").to_timestamp()) & m["observed"]]
    parts = [("pp_counts.csv", _urls(pd.concat([before.tail(1), at_end])))]
    if before.empty or at_end.empty:
        return _result(15, "No stock figure before the waves or in the statement's month.", parts, "none",
                       "not measurable here")
    w = waves.primary_waves(events, start, month_end)
    base, stock_end = before.iloc[-1], at_end.iloc[-1]
    wave_total = float(w["released"].sum())  # every wave up to the end of the statement's month
    parts.append(("release_events.csv", _urls(w)))
    totals = {"release waves (decree totals)": wave_total}
    if other is not None:
        o = other.loc[other["metric"].isin(RELEASE_TOTALS) & ((other["as_of_date"] - end).abs()
                                                              <= pd.Timedelta(days=window_days))]
        for _, r in o.iterrows():
            totals[f"{r['metric']} {r['as_of_date']:%Y-%m-%d} ({r['source_org']})"] = float(r["value"])
        parts.append(("other_figures.csv", _urls(o)))
    lo, hi = min(totals.values()), max(totals.values())
    b, e = float(base["currently_held"]), float(stock_end["currently_held"])
    if e + lo >= b:
        verdict = "supported"
    elif e + hi < b:
        verdict = "contradicted"
    else:
        verdict = "not contradicted"
    finding = (f"The count fell from {_n(b)} ({base['month']:%b %Y}) to {_n(e)} ({stock_end['month']:%b %Y}), "
               f"by {_n(b - e)}, while {_n(wave_total)} people were freed in release waves; without the releases "
               f"it would have stood at up to {_n(e + wave_total)}, above the level before the waves: new "
               f"political prisoners replaced about {_n(wave_total - (b - e))} of those freed."
               if e + wave_total >= b else
               f"The count fell from {_n(b)} to {_n(e)}, by {_n(b - e)}, more than the {_n(wave_total)} freed in waves.")
    unc = (f"released since {start:%b %Y}: {_n(lo)}-{_n(hi)} across counts ("
           + "; ".join(f"{k}: {_n(v)}" for k, v in totals.items())
           + f"), so the stock without releases is {_n(e + lo)}-{_n(e + hi)}; an upper bound, since some would have "
             f"left at the end of their terms")
    return _result(15, finding, parts, unc, verdict, base=b, base_month=base["month"], end=e,
                   end_month=stock_end["month"], released_waves=wave_total, released_low=lo, released_high=hi,
                   without_low=e + lo, without_high=e + hi)


def stock_without_releases(counts: pd.DataFrame, events: pd.DataFrame, start="2024-01-01", end="2026-03-31",
                           waves_start="2024-07-01") -> pd.DataFrame:
    """Monthly observed stock and stock plus everyone released in waves since ``waves_start`` (for a figure)."""
    m = series.monthly_series(counts, start, end, fill="none")
    w = waves.primary_waves(events, waves_start, end).rename(columns={"released": "released_count"})
    return flows.stock_without_waves(m.loc[m["observed"]], w).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# all 15
# --------------------------------------------------------------------------------------------------
def load_tables(verify: bool = True) -> dict[str, pd.DataFrame]:
    """The curated tables the claims use, by name (``verify=False`` skips the checksum, e.g. in tests)."""
    from analysis.sources import curated

    names = ("pp_counts", "release_events", "deaths_in_custody", "legal_events", "other_figures",
             "cross_country_pp", "population")
    return {n: curated.load(n, verify=verify) for n in names}


TABLE_COLUMNS = ["no", "claim", "finding", "sources", "uncertainty", "verdict", "rule"]


def claim_results(tables: dict[str, pd.DataFrame], statement_date=STATEMENT_DATE, window_days: int = 31,
                  past_year_start=PAST_YEAR_START, reference_date=STATEMENT_DATE, rel_error: float = 0.2,
                  n_sim: int = 2000, seed: int = 2026, top_k: int = TOP_K, pc: dict | None = None) -> list[dict]:
    """The 15 claim dicts, in order. ``pc`` (output of :func:`per_capita`) is computed if not given."""
    t = tables
    if pc is None:
        pc = per_capita(t["cross_country_pp"], t["population"], reference_date, rel_error, n_sim, seed)
    ev, oth, leg = t["release_events"], t["other_figures"], t["legal_events"]
    return [
        recent_releases(ev, statement_date, window_days),
        not_measurable(2),
        expulsion_share(ev, oth, past_year_start, statement_date),
        not_measurable(4),
        return_means_prosecution(oth, leg),
        waves_past_year(ev, past_year_start, statement_date),
        arrests_continue(t["pp_counts"], oth, statement_date),
        remaining_over(t["pp_counts"], statement_date, window_days),
        per_capita_rank(pc, top_k),
        redetained(leg, oth, ev, "Statkevich", statement_date),
        in_absentia_after_release(oth, leg),
        article_411(oth, leg, ev),
        not_measurable(13),
        deaths(t["deaths_in_custody"], oth, statement_date),
        no_systemic_change(t["pp_counts"], ev, oth, statement_date=statement_date, window_days=window_days),
    ]


def claims_table(tables: dict[str, pd.DataFrame] | None = None, **kwargs) -> pd.DataFrame:
    """All 15 claims in order: no, claim, finding, sources, uncertainty, verdict, rule (keyword arguments as
    :func:`claim_results`). Deterministic."""
    results = claim_results(tables if tables is not None else load_tables(), **kwargs)
    return pd.DataFrame([{k: r[k] for k in TABLE_COLUMNS} for r in results], columns=TABLE_COLUMNS)


def _link(url: str) -> str:
    host = urlparse(url).netloc.removeprefix("www.") or url
    return f"[{host}]({url})"


def _md_sources(cell: str, max_links: int = 4) -> str:
    """'file.csv: url; url | ...' → 'file.csv ([host](url), …, and N more)' for a readable Markdown cell."""
    out = []
    for part in cell.split(" | "):
        name, _, urls = part.partition(": ")
        links = [u for u in urls.split("; ") if u]
        if not links:
            out.append(name)
            continue
        shown = ", ".join(_link(u) for u in links[:max_links])
        more = f", and {len(links) - max_links} more" if len(links) > max_links else ""
        out.append(f"{name} ({shown}{more})")
    return "; ".join(out)


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame, columns: tuple[str, ...] = ("no", "claim", "finding", "sources",
                                                                    "uncertainty", "verdict"),
                   headers: dict[str, str] | None = None) -> str:
    """The claims table as a Markdown table (sources shortened to linked host names, verdict in bold)."""
    headers = headers or {"no": "#", "claim": "claim (paraphrased)", "finding": "what the data show",
                          "sources": "data sources", "uncertainty": "uncertainty", "verdict": "verdict",
                          "rule": "decision rule"}
    lines = ["| " + " | ".join(headers.get(c, c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for _, row in table.iterrows():
        cells = []
        for c in columns:
            v = row[c]
            if c == "sources":
                v = _md_sources(v)
            elif c == "verdict":
                v = f"**{v}**"
            cells.append(_md_escape(v) if c != "sources" else v.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rounded(v, digits: int = 4):
    """Floats rounded (stable across machines), nested dicts too; other values unchanged."""
    if isinstance(v, dict):
        return {k: _rounded(x, digits) for k, x in v.items()}
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else round(float(v), digits)
    return v


def results_summary(results: list[dict]) -> dict:
    """Key numbers for results.json: verdict per claim, each claim's values (floats rounded), verdict counts."""
    out = {f"claim_{r['no']:02d}_verdict": r["verdict"] for r in results}
    out.update({f"claim_{r['no']:02d}_values": _rounded(r["values"]) for r in results if r["values"]})
    out["verdict_counts"] = {v: sum(r["verdict"] == v for r in results) for v in VERDICTS}
    return out
