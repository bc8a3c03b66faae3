"""Per-capita comparison of political-prisoner counts across countries, under several definitions.

The claim checked: Belarus is "among the countries with the highest number of political prisoners per
capita" (UN Special Rapporteur, 18 Dec 2025). The inputs (cross_country_pp.csv, population.csv; their
definitions are described in data/raw/curated/cross_country_pp.meta.yml) mix four kinds of figure that are not comparable: individually
reviewed recognition lists (Viasna, Memorial, ...), broader monitoring counts of everyone detained on
political grounds (Foro Penal, AAPP, ...), lists that include people not behind bars (Prisoners Defenders),
and estimates (Eritrea, Egypt, North Korea, ...). A single ranking therefore says little; this module ranks
under several explicit definitions (:data:`DEFAULT_DEFINITIONS`) and reports how far Belarus's rank moves.

Pipeline: ``per_million(counts, population)`` → ``rank_under_definitions(rates)`` →
``rank_spread(ranked)``, ``above_and_dropped(ranked)`` and ``rank_intervals(ranked)``.

Rows are classified by :func:`annotate` (columns ``family``, ``weak``, ``main_counter``) with the explicit
rules in :data:`FAMILY_RULES` and :data:`MAIN_COUNTER`, so every choice can be read and changed in one place.

Ranks: rank 1 = highest rate; ties share the lowest rank (``method="min"``: two countries tied for 2nd are
both 2 and the next is 4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from analysis.errors import UsageError

REFERENCE_DATE = pd.Timestamp("2025-12-18")  # date of the UN statement whose claim is checked
WINDOW_DAYS = 365  # "within 12 months of the reference date"
PER = 1_000_000
RANK_METHOD = "min"
LEVEL = 0.90  # rank_intervals: central interval of simulated ranks

# Family of each row, first matching rule wins: (family, regex on counting_org, regex on definition,
# qualifier or None). A rule matches when every non-None part matches. Families follow the notes:
#   recognition_list  individually reviewed lists of people currently held (Viasna, Memorial, ...)
#   monitoring_count  everyone documented as held on political grounds, no individual recognition
#   incl_non_custodial lists that include people not behind bars (Prisoners Defenders, Cuba)
#   estimate          orders of magnitude, not lists
#   not_a_stock       cumulative totals, partial proxies: not the number currently held
FAMILY_RULES: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("not_a_stock", None, r"cumulative|not stated as all currently held|not a political-prisoner list", None),
    ("estimate", None, None, "estimate_range"),
    ("estimate", r"^Estimates", None, None),
    ("estimate", None, r"(?<!minimal )estimat", None),  # Memorial calls its own list a "minimal estimate"
    ("incl_non_custodial", r"Prisoners Defenders", None, None),
    ("monitoring_count", r"Foro Penal|AAPP|OVD-Info|database|Justicia|JEP|IACHR|Civil\.ge|French-language"
                         r"|Human Rights House|Dui Hua|Twitter|Prove They Are Alive|Insider Monkey", None, None),
    ("recognition_list", r"Viasna|Memorial|Union for Freedom|Mecanismo|Defend the Defenders|BIRD|Amnesty"
                         r"|Tirek|RAHANA|CECC|Rights Defense Network|Christian", None, None),
)
UNCLASSIFIED = "unclassified"

# The headline counter per country (regex on counting_org). Countries not listed have no single headline
# counter; all their rows count as "main".
MAIN_COUNTER: dict[str, str] = {
    "BLR": r"Viasna",
    "RUS": r"Memorial(?!.*database)",  # the recognised list, not Memorial's wider database
    "AZE": r"Union for Freedom",
    "CUB": r"Prisoners Defenders",  # best known; Justicia 11J (custodial only) is the like-for-like one
    "NIC": r"Mecanismo",
    "VEN": r"^Foro Penal",
    "MMR": r"AAPP",
    "VNM": r"Defend the Defenders",
    "BHR": r"BIRD",
    "GEO": r"Civil\.ge",
    "ERI": r"OHCHR",
    "PRK": r"KINU",
    "EGY": r"Human Rights Watch",
}
WEAK = r"\bweak\b"  # the research notes mark aggregator/blog/secondary rows with "weak"

COUNT_COLUMNS = ["country", "iso3", "as_of_date", "political_prisoners", "qualifier", "counting_org",
                 "definition", "source_url"]
POP_COLUMNS = ["country", "iso3", "year", "population", "source_org"]
RANKED_COLUMNS = ["definition", "country", "rate", "rank", "as_of_date", "counting_org", "source_url"]


# --------------------------------------------------------------------------------------------------
# per-capita rates
# --------------------------------------------------------------------------------------------------
def _check(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise UsageError(f"{what} lacks columns {missing}")


def _dates(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    return pd.to_datetime(s, format="%Y-%m-%d", errors="raise")


def per_million(counts: pd.DataFrame, population: pd.DataFrame, tiebreak: str = "max") -> pd.DataFrame:
    """Political prisoners per million inhabitants, one row per count row.

    Each count is joined (on iso3) to the population figure of the year nearest to the year of its
    ``as_of_date`` (integer years; equal distance → the earlier year, a figure that existed at the count's
    date). When several figures share that nearest year (e.g. Myanmar: junta census 51.3 m and UN WPP
    54.5 m), ``tiebreak="max"`` uses the largest population (the lower rate, so a low denominator cannot
    inflate a country's rate) and ``"min"`` the smallest; ``population_low``/``population_high`` and
    ``rate_low``/``rate_high`` always give the range over those figures, ``n_population_candidates`` their
    number. Counts without a date or without any population row keep rate NA and say why in
    ``population_note``.

    Added columns: population, population_year, year_gap, population_source, n_population_candidates,
    population_low, population_high, rate, rate_low, rate_high, population_note.
    """
    _check(counts, COUNT_COLUMNS, "counts")
    _check(population, POP_COLUMNS, "population")
    if tiebreak not in ("max", "min"):
        raise UsageError("tiebreak must be 'max' or 'min'")
    c = counts.copy().reset_index(drop=True)
    c["as_of_date"] = _dates(c["as_of_date"])
    pop = population.dropna(subset=["population", "year"]).copy()
    pop["year"] = pop["year"].astype(int)
    out_rows = []
    for i, row in c.iterrows():
        cand = pop[pop["iso3"] == row["iso3"]]
        rec = dict(population=np.nan, population_year=pd.NA, year_gap=pd.NA, population_source=pd.NA,
                   n_population_candidates=0, population_low=np.nan, population_high=np.nan,
                   population_note="")
        if pd.isna(row["as_of_date"]):
            rec["population_note"] = "count has no as_of_date"
        elif cand.empty:
            rec["population_note"] = "no population figure for this country"
        else:
            gap = (cand["year"] - row["as_of_date"].year).abs()
            near = cand[gap == gap.min()]
            near = near[near["year"] == near["year"].min()]
            near = near.sort_values(["population", "source_org"], ascending=[tiebreak == "min", True])
            best = near.iloc[0]
            rec.update(population=float(best["population"]), population_year=int(best["year"]),
                       year_gap=int(gap.min()), population_source=best["source_org"],
                       n_population_candidates=len(near), population_low=float(near["population"].min()),
                       population_high=float(near["population"].max()))
        out_rows.append(rec)
    add = pd.DataFrame(out_rows, index=c.index)
    out = pd.concat([c, add], axis=1)
    for col in ("population_year", "year_gap"):
        out[col] = out[col].astype("Int64")
    n = out["political_prisoners"].astype(float)
    out["rate"] = n / out["population"] * PER
    out["rate_low"] = n / out["population_high"] * PER
    out["rate_high"] = n / out["population_low"] * PER
    return out


# --------------------------------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------------------------------
def _family(org: str, definition: str, qualifier: str) -> str:
    for fam, org_re, def_re, qual in FAMILY_RULES:
        if org_re is not None and not re.search(org_re, org or "", flags=re.I):
            continue
        if def_re is not None and not re.search(def_re, definition or "", flags=re.I):
            continue
        if qual is not None and qualifier != qual:
            continue
        return fam
    return UNCLASSIFIED


def annotate(rates: pd.DataFrame) -> pd.DataFrame:
    """Add ``family``, ``weak`` and ``main_counter`` (columns already present are kept, so a curated table
    may carry its own classification). ``weak`` = the row's notes say "weak"."""
    out = rates.copy()
    if "family" not in out:
        out["family"] = [
            _family(str(o), str(d), str(q))
            for o, d, q in zip(out["counting_org"], out["definition"], out["qualifier"])
        ]
    if "weak" not in out:
        notes = out["notes"] if "notes" in out else pd.Series("", index=out.index)
        out["weak"] = notes.astype("string").str.contains(WEAK, case=False, regex=True).fillna(False).astype(bool)
    if "main_counter" not in out:
        out["main_counter"] = [
            bool(re.search(MAIN_COUNTER[iso], str(org))) if iso in MAIN_COUNTER else True
            for iso, org in zip(out["iso3"], out["counting_org"])
        ]
    return out


# --------------------------------------------------------------------------------------------------
# definitions: which one figure per country
# --------------------------------------------------------------------------------------------------
def _pick(df: pd.DataFrame, how: str, reference_date: pd.Timestamp, prefer: str = "main") -> pd.DataFrame:
    """One row per country: ``latest`` date, ``highest`` / ``lowest`` count, or ``closest`` to reference_date.

    Ties (e.g. two counters on the same date): ``prefer="main"`` takes the country's headline counter
    first, then the higher count; ``prefer="broadest"`` takes the higher count first. Remaining ties go
    by source_url, so the choice is deterministic. Rows without a rate are never picked.
    """
    d = df.dropna(subset=["rate"]).copy()
    d["_main"] = d["main_counter"].astype(int)
    if how == "latest":
        keys, asc = ["as_of_date"], [False]
    elif how == "highest":
        keys, asc = ["political_prisoners"], [False]
    elif how == "lowest":
        keys, asc = ["political_prisoners"], [True]
    elif how == "closest":
        d["_dist"] = (d["as_of_date"] - reference_date).abs()
        keys, asc = ["_dist", "as_of_date"], [True, False]
    else:
        raise UsageError(f"unknown pick rule {how!r}")
    if prefer == "main":
        ties = ["_main", "political_prisoners"]
    elif prefer == "broadest":
        ties = ["political_prisoners", "_main"]
    else:
        raise UsageError(f"unknown preference {prefer!r}")
    d = d.sort_values(keys + ties + ["source_url"], ascending=asc + [False, False, True], kind="mergesort")
    return d.drop_duplicates("country", keep="first").drop(columns=["_main", "_dist"], errors="ignore")


@dataclass(frozen=True)
class Definition:
    """Filter rows (pandas query string, or None for all), then pick one figure per country."""

    reason: str
    query: str | None = None
    pick: str = "latest"  # latest | highest | lowest | closest
    prefer: str = "main"  # tie-break between figures equal on the pick key: main | broadest

    def __call__(self, rates: pd.DataFrame, reference_date: pd.Timestamp = REFERENCE_DATE) -> pd.DataFrame:
        # query strings may use @ref (reference date) and @lo / @hi (ref -/+ WINDOW_DAYS)
        window = pd.Timedelta(days=WINDOW_DAYS)
        env = {"ref": reference_date, "lo": reference_date - window, "hi": reference_date + window}
        d = rates.query(self.query, local_dict=env) if self.query else rates
        return _pick(d, self.pick, reference_date, self.prefer)


_WITHIN = "as_of_date >= @lo and as_of_date <= @hi"
DEFAULT_DEFINITIONS: dict[str, Definition] = {
    "main_latest": Definition(
        "Naive headline: each country's best-known counter, its latest dated figure, whatever its kind or age.",
        "main_counter", "latest"),
    "main_within_12m": Definition(
        "The claim is dated 18 Dec 2025: headline counters only, the figure closest to that date within 12 months.",
        f"main_counter and {_WITHIN}", "closest"),
    "recognition_lists_12m": Definition(
        "Like-for-like with Viasna: individually reviewed recognition lists only (notes' family 1), within 12 months.",
        f"family == 'recognition_list' and {_WITHIN}", "closest"),
    "custodial_broadest_12m": Definition(
        "People actually held, broadest list on the date closest to the claim (recognition or monitoring; no estimates, non-custodial or weak), within 12 months.",
        f"family in ['recognition_list', 'monitoring_count'] and not weak and {_WITHIN}", "closest", "broadest"),
    "highest_2024_2026": Definition(
        "Upper bound from recent figures: any kind of figure dated 2024-2026, the highest per country.",
        "as_of_date >= '2024-01-01' and as_of_date <= '2026-12-31'", "highest"),
    "lowest_2024_2026": Definition(
        "Lower bound from recent figures: any kind of figure dated 2024-2026, the lowest per country.",
        "as_of_date >= '2024-01-01' and as_of_date <= '2026-12-31'", "lowest"),
    "named_lists_latest": Definition(
        "Only counts of named individuals (no estimates, no cumulative totals) from non-weak sources, any date, latest.",
        "family in ['recognition_list', 'monitoring_count', 'incl_non_custodial'] and not weak", "latest"),
    "any_within_12m": Definition(
        "Any non-weak figure of any kind dated within 12 months of the claim, the closest to its date.",
        f"not weak and {_WITHIN}", "closest"),
}


def rank_under_definitions(
    rates: pd.DataFrame,
    definitions: Mapping[str, Definition | Callable[[pd.DataFrame], pd.DataFrame] | str] | None = None,
    reference_date: pd.Timestamp | str = REFERENCE_DATE,
) -> pd.DataFrame:
    """Rank countries by per-million rate under each definition (rank 1 = highest; ties ``method="min"``).

    ``rates`` is the output of :func:`per_million` (annotated here if needed). A definition is a
    :class:`Definition`, a callable returning one row per country, or a query string (rows it keeps, then
    the latest figure per country). Rows without a rate are never ranked. Returns definition, country,
    rate, rank, as_of_date, counting_org, source_url, plus political_prisoners, population, population_year,
    family, qualifier, weak, rate_low, rate_high, n_ranked; sorted by definition order, rank, country.
    """
    definitions = DEFAULT_DEFINITIONS if definitions is None else definitions
    reference_date = pd.Timestamp(reference_date)
    r = annotate(rates)
    r["as_of_date"] = _dates(r["as_of_date"])
    parts = []
    for name, spec in definitions.items():
        if isinstance(spec, Definition):
            chosen = spec(r, reference_date)
        elif isinstance(spec, str):
            chosen = Definition("", spec, "latest")(r, reference_date)
        elif callable(spec):
            chosen = spec(r)
        else:
            raise UsageError(f"definition {name!r} is neither a Definition, a callable nor a query string")
        chosen = chosen.dropna(subset=["rate"])
        if chosen["country"].duplicated().any():
            dup = sorted(chosen.loc[chosen["country"].duplicated(), "country"].unique())
            raise UsageError(f"definition {name!r} kept several figures for {dup}; it must choose one per country")
        chosen = chosen.copy()
        chosen["rank"] = rankdata(-chosen["rate"].to_numpy(), method=RANK_METHOD).astype(int) if len(chosen) else []
        chosen["definition"] = name
        chosen["n_ranked"] = len(chosen)
        parts.append(chosen.sort_values(["rank", "country"]))
    extra = ["political_prisoners", "population", "population_year", "family", "qualifier", "weak",
             "rate_low", "rate_high", "n_ranked"]
    if not parts:
        return pd.DataFrame(columns=RANKED_COLUMNS + extra)
    out = pd.concat(parts, ignore_index=True)
    out = out[RANKED_COLUMNS + [c for c in extra if c in out.columns]]
    out.attrs["reference_date"] = reference_date
    out.attrs["reasons"] = {k: getattr(v, "reason", "") for k, v in definitions.items()}
    return out


def rank_spread(ranked: pd.DataFrame, country: str = "Belarus") -> pd.DataFrame:
    """How ``country`` fares under each definition: one row per definition with rank, rate, n_ranked,
    n_ahead and countries_ahead ("A; B", highest rate first; NA rank when not ranked under it), and the
    spread over all definitions repeated on every row: best_rank, worst_rank, min_rate, max_rate,
    n_definitions_ranked. The same summary is in ``attrs["summary"]``."""
    _check(ranked, ["definition", "country", "rate", "rank"], "ranked")
    rows = []
    for name, g in ranked.groupby("definition", sort=False):
        me = g[g["country"] == country]
        n = len(g)
        if me.empty:
            rows.append(dict(definition=name, country=country, rank=pd.NA, rate=np.nan, n_ranked=n,
                             n_ahead=pd.NA, countries_ahead=pd.NA, in_ranking=False))
            continue
        rate = float(me["rate"].iloc[0])
        ahead = g[g["rate"] > rate].sort_values(["rate", "country"], ascending=[False, True])
        rows.append(dict(definition=name, country=country, rank=int(me["rank"].iloc[0]), rate=rate, n_ranked=n,
                         n_ahead=len(ahead), countries_ahead="; ".join(ahead["country"]), in_ranking=True))
    out = pd.DataFrame(rows, columns=["definition", "country", "rank", "rate", "n_ranked", "n_ahead",
                                      "countries_ahead", "in_ranking"])
    out["rank"] = out["rank"].astype("Int64")
    out["n_ahead"] = out["n_ahead"].astype("Int64")
    ranked_rows = out[out["in_ranking"]]
    summary = dict(
        best_rank=int(ranked_rows["rank"].min()) if len(ranked_rows) else pd.NA,
        worst_rank=int(ranked_rows["rank"].max()) if len(ranked_rows) else pd.NA,
        min_rate=float(ranked_rows["rate"].min()) if len(ranked_rows) else np.nan,
        max_rate=float(ranked_rows["rate"].max()) if len(ranked_rows) else np.nan,
        n_definitions_ranked=len(ranked_rows),
    )
    for k, v in summary.items():
        out[k] = v
    for k in ("best_rank", "worst_rank"):
        out[k] = out[k].astype("Int64")
    out.attrs["summary"] = summary
    return out


def above_and_dropped(ranked: pd.DataFrame, country: str = "Belarus") -> pd.DataFrame:
    """Per definition: ``country``'s rank, n_ranked and rate; every country ranked above it (``above``: list of
    (country, rate), highest first); and every country that ranks above it under some other definition but is
    not ranked under this one (``dropped``: list of (country, rate, as_of_date) of its most recent ranked
    figure), so a window that silently removes a higher-ranked country is visible."""
    _check(ranked, ["definition", "country", "rate", "rank", "as_of_date"], "ranked")
    mine = ranked.loc[ranked["country"] == country]
    ever_above = set()
    for name, g in ranked.groupby("definition", sort=False):
        me = g.loc[g["country"] == country]
        if len(me):
            ever_above |= set(g.loc[g["rate"] > float(me["rate"].iloc[0]), "country"])
    latest = (ranked.sort_values(["as_of_date", "definition"], kind="mergesort")
              .drop_duplicates("country", keep="last").set_index("country"))
    rows = []
    for name, g in ranked.groupby("definition", sort=False):
        me = mine.loc[mine["definition"] == name]
        rate = float(me["rate"].iloc[0]) if len(me) else np.nan
        ahead = g.loc[g["rate"] > rate].sort_values(["rate", "country"], ascending=[False, True]) if len(me) else g.iloc[0:0]
        gone = sorted(ever_above - set(g["country"]))
        rows.append({"definition": name, "rank": int(me["rank"].iloc[0]) if len(me) else pd.NA,
                     "n_ranked": len(g), "rate": rate,
                     "above": list(zip(ahead["country"], ahead["rate"].astype(float))),
                     "dropped": [(c, float(latest.loc[c, "rate"]), latest.loc[c, "as_of_date"]) for c in gone]})
    return pd.DataFrame(rows, columns=["definition", "rank", "n_ranked", "rate", "above", "dropped"])


# --------------------------------------------------------------------------------------------------
# uncertainty
# --------------------------------------------------------------------------------------------------
def _multipliers(rng, shape, rel, distribution: str, direction: str) -> np.ndarray:
    if distribution == "uniform":
        if direction == "undercount":
            return 1 + rng.random(shape) * rel
        return 1 + (2 * rng.random(shape) - 1) * rel
    if distribution == "lognormal":
        z = rng.standard_normal(shape)
        z = np.abs(z) if direction == "undercount" else z
        return np.exp(z * np.log1p(rel))
    raise UsageError("distribution must be 'uniform' or 'lognormal'")


def rank_intervals(
    rates: pd.DataFrame,
    rel_error: float | Mapping[str, float] = 0.2,
    n_sim: int = 2000,
    seed: int = 0,
    distribution: str = "uniform",
    direction: str = "undercount",
    level: float = LEVEL,
) -> pd.DataFrame:
    """Monte-Carlo interval of each country's rank when counts are uncertain (seeded, deterministic).

    Assumption: each country's true count = listed count × an independent multiplier m. With
    ``direction="undercount"`` (default: the lists are minima) m ~ U(1, 1 + r) for ``"uniform"`` and
    m = exp(|Z|·log(1 + r)) (half-lognormal, m ≥ 1) for ``"lognormal"``; with ``"symmetric"``
    m ~ U(1 − r, 1 + r) or exp(Z·log(1 + r)). ``r`` = ``rel_error``, one number or a mapping country → r
    (e.g. larger for closed states whose lists are tiny). A shared undercount across all countries would
    not move any rank; only *differential* error does, so these intervals are a sensitivity analysis, not a
    full error model: denominators, definitions and dates are held fixed.

    ``rates`` needs one row per country, or per (definition, country) if it has a ``definition`` column
    (e.g. the output of :func:`rank_under_definitions`); each definition is simulated separately with the
    same seed. Returns [definition,] country, rate, rank, rank_median, rank_low, rank_high (central
    ``level`` interval of simulated ranks, ``method="min"``), p_rank1, level, n_sim.
    """
    _check(rates, ["country", "rate"], "rates")
    if direction not in ("undercount", "symmetric"):
        raise UsageError("direction must be 'undercount' or 'symmetric'")
    if n_sim < 1 or not 0 < level < 1:
        raise UsageError("need n_sim >= 1 and 0 < level < 1")
    has_def = "definition" in rates.columns
    groups = rates.groupby("definition", sort=False) if has_def else [(None, rates)]
    parts = []
    for name, g in groups:
        g = g.dropna(subset=["rate"])
        if g["country"].duplicated().any():
            raise UsageError("rank_intervals needs one row per country (per definition)")
        g = g.sort_values("country").reset_index(drop=True)
        if isinstance(rel_error, Mapping):
            missing = sorted(set(g["country"]) - set(rel_error))
            if missing:
                raise UsageError(f"rel_error has no value for {missing}")
            rel = g["country"].map(rel_error).to_numpy(dtype=float)
        else:
            rel = np.full(len(g), float(rel_error))
        if (rel < 0).any() or (direction == "symmetric" and distribution == "uniform" and (rel >= 1).any()):
            raise UsageError("rel_error must be >= 0 (and < 1 for symmetric uniform errors)")
        rng = np.random.default_rng(seed)
        sims = g["rate"].to_numpy(dtype=float)[None, :] * _multipliers(rng, (n_sim, len(g)), rel, distribution, direction)
        ranks = rankdata(-sims, method=RANK_METHOD, axis=1)
        tail = (1 - level) / 2
        part = pd.DataFrame({
            "country": g["country"],
            "rate": g["rate"],
            "rank": rankdata(-g["rate"].to_numpy(), method=RANK_METHOD).astype(int),
            "rank_median": np.median(ranks, axis=0),
            "rank_low": np.quantile(ranks, tail, axis=0, method="inverted_cdf").astype(int),
            "rank_high": np.quantile(ranks, 1 - tail, axis=0, method="inverted_cdf").astype(int),
            "p_rank1": (ranks == 1).mean(axis=0),
        })
        if has_def:
            part.insert(0, "definition", name)
        parts.append(part.sort_values(["rank", "country"]))
    out = pd.concat(parts, ignore_index=True)
    out["level"] = level
    out["n_sim"] = n_sim
    out.attrs.update(rel_error=rel_error, seed=seed, distribution=distribution, direction=direction)
    return out
