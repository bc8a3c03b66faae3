"""The UN Special Rapporteur's statement of 18 December 2025, claim by claim, against the curated data.

Modules: :mod:`.statement` (the claims in our own words), :mod:`.rubric` (verdicts, thresholds, one rule per
claim; docs/CLAIMS.md), :mod:`.evidence`, :mod:`.legal`, :mod:`.deaths` and :mod:`.percapita` (what the data show), :mod:`.prose` (the
sentences), :mod:`.table` (citations, Markdown, results.json). :func:`claim_results` puts them together.
"""

from __future__ import annotations

import pandas as pd

from analysis.claims import deaths, evidence, legal, percapita, prose, rubric, table
from analysis.claims.evidence import (PAST_YEAR_START, check_over, series_without_waves, stock_near,
                                      stock_without_releases)
from analysis.claims.percapita import per_capita, rank_summary, rank_table, verdict_definitions
from analysis.claims.rubric import RULES, TOP_K, VERDICTS, WINDOW_DAYS
from analysis.claims.statement import CLAIMS, KIND, STATEMENT, STATEMENT_DATE, stated_figure
from analysis.claims.table import TABLE_COLUMNS, markdown_table, results_summary

__all__ = ["CLAIMS", "KIND", "PAST_YEAR_START", "RULES", "STATEMENT", "STATEMENT_DATE", "TABLE_COLUMNS", "TOP_K",
           "VERDICTS", "WINDOW_DAYS", "check_over", "claim_results", "deaths", "evidence", "legal",
           "load_tables",
           "markdown_table", "per_capita", "percapita", "prose", "rank_summary", "rank_table", "results_summary",
           "rubric", "series_without_waves", "stated_figure", "stock_near", "stock_without_releases", "table",
           "verdict_definitions"]

TABLES = ("pp_counts", "release_events", "deaths_in_custody", "legal_events", "other_figures", "cross_country_pp",
          "population")


def load_tables(verify: bool = True) -> dict[str, pd.DataFrame]:
    """The curated tables the claims use, by name (``verify=False`` skips the checksum, e.g. in tests)."""
    from analysis.sources import curated

    return {n: curated.load(n, verify=verify) for n in TABLES}


def measure(tables: dict[str, pd.DataFrame], statement_date=STATEMENT_DATE, window_days: int = WINDOW_DAYS,
            past_year_start=PAST_YEAR_START, pc: dict | None = None, pc_later: dict | None = None,
            top_k: int = TOP_K) -> list[dict]:
    """The 15 measurements (evidence dicts), in order."""
    t, S = tables, pd.Timestamp(statement_date)
    ev, oth, leg = t["release_events"], t["other_figures"], t["legal_events"]
    threshold = float(stated_figure(oth, statement_date=S)["value"])
    return [
        evidence.recent_releases(ev, S, window_days),
        evidence.not_measurable(2),
        evidence.expulsion_share(ev, oth, past_year_start, S),
        evidence.not_measurable(4),
        legal.return_means_prosecution(oth, leg, S),
        evidence.waves_past_year(ev, past_year_start, S),
        evidence.arrests_continue(t["pp_counts"], oth, S),
        evidence.remaining_over(t["pp_counts"], threshold, S, window_days),
        percapita.per_capita_rank(pc, top_k, pc_later),
        legal.redetained(leg, oth, ev, statement_date=S),
        legal.in_absentia_after_release(oth, leg, S),
        legal.article_411(oth, leg, ev, S),
        evidence.not_measurable(13),
        deaths.deaths(t["deaths_in_custody"], oth, S),
        evidence.no_systemic_change(t["pp_counts"], ev, oth, statement_date=S, window_days=window_days),
    ]


def claim_text(no: int, values: dict, tables: dict[str, pd.DataFrame], statement_date=STATEMENT_DATE) -> str:
    """The claim in our words, with the claim's own figure and the date of its named release filled in."""
    text = CLAIMS[no]
    if "{remaining}" in text:
        row = stated_figure(tables["other_figures"], statement_date=statement_date)
        text = text.replace("{remaining}", prose.n(row["value"]))
    if "{named_date}" in text:
        d = values.get("named_date")
        text = text.replace("{named_date}", prose.day(d) if d is not None else "date not found in the data")
    return text


def claim_results(tables: dict[str, pd.DataFrame], statement_date=STATEMENT_DATE, window_days: int = WINDOW_DAYS,
                  past_year_start=PAST_YEAR_START, reference_date=None, rel_error: float = 0.2, n_sim: int = 2000,
                  seed: int = 2026, top_k: int = TOP_K, pc: dict | None = None,
                  pc_later: dict | None = None) -> list[dict]:
    """The 15 claims in order, each a dict: no, claim, verdict, finding, since_then, sensitivity, uncertainty,
    sources, sources_since, rule, values. ``pc``/``pc_later`` (:func:`per_capita` on the figures dated up to the
    statement / on all figures) are computed if not given."""
    S = pd.Timestamp(statement_date)
    ref = S if reference_date is None else pd.Timestamp(reference_date)
    if pc is None:
        pc = per_capita(tables["cross_country_pp"], tables["population"], ref, rel_error, n_sim, seed, dated_up_to=S)
    if pc_later is None:
        pc_later = per_capita(tables["cross_country_pp"], tables["population"], ref, rel_error, n_sim, seed)
    out = []
    for m in measure(tables, S, window_days, past_year_start, pc, pc_later, top_k):
        words = prose.describe(m["no"], m["values"])
        out.append({"no": m["no"], "claim": claim_text(m["no"], m["values"], tables, S), "verdict": m["verdict"],
                    **words, "sources": table.citations(m["rows"]) or "none",
                    "sources_since": table.citations(m["since"]), "rule": RULES[m["no"]], "values": m["values"]})
    return out
