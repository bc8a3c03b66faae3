"""Claim 9: Belarus's per-capita rank, decided on the cross-country figures dated up to the statement.

The pipeline is :mod:`analysis.stats.ranking`; here it is run twice, on the figures dated up to the statement
(the verdict) and on all figures (shown as "since then"), with the tables the report prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import rubric
from analysis.claims.evidence import _measured
from analysis.claims.statement import STATEMENT_DATE
from analysis.stats import ranking

COUNTRY = "Belarus"
LABELS = {"main_latest": "headline counters, latest figure of any age",
          "main_within_12m": "headline counters, within 12 months",
          "recognition_lists_12m": "recognition lists only, within 12 months",
          "custodial_broadest_12m": "people held, broadest list, within 12 months",
          "highest_2024_2026": "highest figure of 2024-2026",
          "lowest_2024_2026": "lowest figure of 2024-2026",
          "named_lists_latest": "lists of named people, latest figure",
          "any_within_12m": "any figure within 12 months"}


def contemporaneous(definitions: dict | None = None) -> list[str]:
    """Ranking definitions whose query keeps only figures within 12 months of the reference date."""
    defs = ranking.DEFAULT_DEFINITIONS if definitions is None else definitions
    return [k for k, d in defs.items() if "@lo" in (getattr(d, "query", None) or "")]


def per_capita(cross_country: pd.DataFrame, population: pd.DataFrame, reference_date=STATEMENT_DATE,
               rel_error: float = 0.2, n_sim: int = 2000, seed: int = 2026, definitions: dict | None = None,
               dated_up_to=None) -> dict:
    """Rates per million, ranks under every definition, Belarus's spread and seeded rank intervals.

    ``dated_up_to``: keep only counts that were evidence by this date (rubric.evidence_date: figure date and
    publication date; undated counts are kept: they have no rate and are never ranked).
    """
    defs = ranking.DEFAULT_DEFINITIONS if definitions is None else definitions
    cc = cross_country
    if dated_up_to is not None:
        cc = cc.loc[~(rubric.evidence_date(cc, "as_of_date") > pd.Timestamp(dated_up_to))]
    rates = ranking.per_million(cc, population)
    ranked = ranking.rank_under_definitions(rates, defs, reference_date)
    return {"counts": cc, "rates": rates, "ranked": ranked, "population": population,
            "spread": ranking.rank_spread(ranked, COUNTRY),
            "intervals": ranking.rank_intervals(ranked, rel_error=rel_error, n_sim=n_sim, seed=seed),
            "contemporaneous": contemporaneous(defs), "rel_error": rel_error, "n_sim": n_sim, "seed": seed,
            "dated_up_to": None if dated_up_to is None else pd.Timestamp(dated_up_to)}


def verdict_definitions(pc: dict, top_k: int = rubric.TOP_K) -> list[str]:
    """Definitions the verdict rests on: contemporaneous, ranking more than ``top_k`` countries, Belarus ranked."""
    spread = pc["spread"].set_index("definition")
    return [d for d in pc["contemporaneous"] if d in spread.index and bool(spread.loc[d, "in_ranking"])
            and int(spread.loc[d, "n_ranked"]) > top_k]


def per_capita_rank(pc: dict, top_k: int = rubric.TOP_K, later: dict | None = None) -> dict:
    """Claim 9 from :func:`per_capita` on figures dated up to the statement; ``later`` (all figures) since then."""
    spread, iv = pc["spread"].set_index("definition"), pc["intervals"]
    iv = iv.loc[iv["country"] == COUNTRY].set_index("definition")
    use = verdict_definitions(pc, top_k)
    ranks = {d: int(spread.loc[d, "rank"]) for d in use}
    highs = {d: int(iv.loc[d, "rank_high"]) for d in use}
    lows = {d: int(iv.loc[d, "rank_low"]) for d in use}
    s = pc["spread"].attrs["summary"]
    ranked = pc["ranked"]
    me = ranked.loc[(ranked["country"] == COUNTRY) & ranked["definition"].isin(use)]
    values = {"top_k": top_k, "definitions": use, "ranks": ranks, "rank_high": highs, "rank_low": lows,
              "n_ranked": {d: int(spread.loc[d, "n_ranked"]) for d in use},
              "rate": float(me["rate"].iloc[0]) if len(me) else np.nan,
              "count": float(me["political_prisoners"].iloc[0]) if len(me) else np.nan,
              "count_date": me["as_of_date"].iloc[0] if len(me) else None,
              "counting_org": me["counting_org"].iloc[0] if len(me) else None,
              "best_rank": s["best_rank"], "worst_rank": s["worst_rank"], "n_definitions": s["n_definitions_ranked"],
              "min_rate": s["min_rate"], "max_rate": s["max_rate"], "n_countries": int(ranked["country"].nunique()),
              "level": float(pc["intervals"]["level"].iloc[0]) if len(pc["intervals"]) else ranking.LEVEL,
              "n_sim": pc["n_sim"], "rel_error": pc["rel_error"], "seed": pc["seed"], "later": None}
    if later is not None:
        ls = later["spread"].set_index("definition")
        values["later"] = {d: (int(ls.loc[d, "rank"]), int(ls.loc[d, "n_ranked"]), float(ls.loc[d, "rate"]))
                           for d in use if d in ls.index and bool(ls.loc[d, "in_ranking"])}
    rows = [("cross_country_pp", source_rows(pc["counts"], ranked.loc[ranked["definition"].isin(use)]))]
    since = []
    if later is not None and pc["dated_up_to"] is not None:
        lr = later["ranked"]
        new = lr.loc[lr["definition"].isin(use) & (pd.to_datetime(lr["as_of_date"]) > pc["dated_up_to"])]
        since.append(("cross_country_pp", source_rows(later["counts"], new)))
    return _measured(9, rubric.rank_in_top(list(ranks.values()), list(highs.values()), top_k), values, rows, since)


def source_rows(counts: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """The cross_country_pp rows (with their own row index) behind ranked figures."""
    keys = set(zip(ranked["country"], ranked["source_url"], pd.to_datetime(ranked["as_of_date"])))
    hit = [(c, u, pd.Timestamp(d)) in keys for c, u, d in
           zip(counts["country"], counts["source_url"], pd.to_datetime(counts["as_of_date"]))]
    return counts.loc[hit]


def rank_table(pc: dict, countries: int = 12) -> pd.DataFrame:
    """Countries × definitions table of ranks (blank where not ranked), ordered by each country's best rank."""
    r = pc["ranked"]
    order = list(dict.fromkeys(r["definition"]))
    n = r.groupby("definition")["n_ranked"].first()
    wide = r.pivot(index="country", columns="definition", values="rank")[order]
    wide = wide.assign(_best=wide.min(axis=1), _mean=wide.mean(axis=1)).sort_values(["_best", "_mean"], kind="mergesort")
    wide = wide.drop(columns=["_best", "_mean"]).head(countries)
    wide.columns = [f"{c} (of {int(n[c])})" for c in wide.columns]
    return wide.astype("Int64").astype(str).replace("<NA>", "").rename_axis(None)


def rank_summary(pc: dict, top_k: int = rubric.TOP_K) -> pd.DataFrame:
    """One row per definition: window, use for the verdict, Belarus's rank of n, rate, rank interval, P(rank 1),
    countries ranked above."""
    sp = pc["spread"]
    used = verdict_definitions(pc, top_k)
    iv = pc["intervals"].loc[pc["intervals"]["country"] == COUNTRY].set_index("definition")
    level = f"{float(pc['intervals']['level'].iloc[0]):.0%} rank interval"
    rows = []
    for _, r in sp.iterrows():
        d, ok = r["definition"], bool(r["in_ranking"])
        rows.append({
            "definition": d,
            "within 12 months": "yes" if d in pc["contemporaneous"] else "no",
            "used for verdict": "yes" if d in used else "no",
            "rank": f"{int(r['rank'])} of {int(r['n_ranked'])}" if ok else f"not ranked (of {int(r['n_ranked'])})",
            "per million": round(float(r["rate"]), 1) if ok else np.nan,
            level: f"{int(iv.loc[d, 'rank_low'])}-{int(iv.loc[d, 'rank_high'])}" if ok else "",
            "P(rank 1)": round(float(iv.loc[d, "p_rank1"]), 2) if ok else np.nan,
            "ranked above": r["countries_ahead"] if ok and r["countries_ahead"] else "",
        })
    return pd.DataFrame(rows)
