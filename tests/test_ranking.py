"""Tests of analysis.stats.ranking (fast)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.stats import ranking as r

CURATED = Path(__file__).resolve().parents[1] / "data" / "raw" / "curated"


def _research(name: str) -> Path:
    """A curated table of the project."""
    return CURATED / name


def _count(country, iso3, date, n, org="Org", definition="recognised political prisoners currently held",
           qualifier="exact", url=None, notes=""):
    return dict(country=country, iso3=iso3, as_of_date=date, political_prisoners=n, qualifier=qualifier,
                counting_org=org, definition=definition, source_url=url or f"https://x/{iso3}/{date}/{n}",
                notes=notes)


def _pop(country, iso3, year, population, org="Stat office"):
    return dict(country=country, iso3=iso3, year=year, population=population, source_org=org,
                source_url="https://pop", evidence="")


def test_per_million_arithmetic():
    counts = pd.DataFrame([_count("A", "AAA", "2025-06-30", 100), _count("B", "BBB", "2025-06-30", 7)])
    pop = pd.DataFrame([_pop("A", "AAA", 2025, 2_000_000), _pop("B", "BBB", 2025, 3_500_000)])
    out = r.per_million(counts, pop)
    assert out["rate"].tolist() == [50.0, 2.0]  # 100 / 2 m * 1e6, 7 / 3.5 m * 1e6
    assert out["population_year"].tolist() == [2025, 2025] and out["year_gap"].tolist() == [0, 0]


def test_nearest_year_join_and_denominator_range():
    counts = pd.DataFrame([
        _count("A", "AAA", "2024-05-01", 10),   # 2023 (gap 1) beats 2026 (gap 2)
        _count("A", "AAA", "2025-01-31", 10),   # 2026 (gap 1) beats 2023 (gap 2)
        _count("B", "BBB", "2024-12-31", 10),   # 2023 and 2025 both gap 1 -> the earlier, 2023
        _count("C", "CCC", "2024-03-01", 30),   # two figures for 2024 -> tiebreak, range kept
        _count("D", "DDD", None, 5),            # no date -> no rate, said so
        _count("E", "EEE", "2024-01-01", 5),    # no population at all
    ])
    pop = pd.DataFrame([
        _pop("A", "AAA", 2023, 1_000_000), _pop("A", "AAA", 2026, 2_000_000),
        _pop("B", "BBB", 2023, 1_000_000), _pop("B", "BBB", 2025, 4_000_000),
        _pop("C", "CCC", 2024, 1_000_000, "census"), _pop("C", "CCC", 2024, 3_000_000, "UN WPP"),
        _pop("D", "DDD", 2024, 1_000_000),
    ])
    out = r.per_million(counts, pop)
    assert out["population_year"].tolist()[:4] == [2023, 2026, 2023, 2024]
    assert out["year_gap"].tolist()[:4] == [1, 1, 1, 0]
    c = out.iloc[3]
    assert c["population"] == 3_000_000 and c["population_source"] == "UN WPP"  # tiebreak="max"
    assert c["n_population_candidates"] == 2 and (c["rate_low"], c["rate"], c["rate_high"]) == (10.0, 10.0, 30.0)
    assert r.per_million(counts, pop, tiebreak="min").iloc[3]["rate"] == 30.0
    assert np.isnan(out.iloc[4]["rate"]) and out.iloc[4]["population_note"] == "count has no as_of_date"
    assert np.isnan(out.iloc[5]["rate"]) and "no population" in out.iloc[5]["population_note"]


def _rates(rows):
    df = pd.DataFrame(rows)
    df["as_of_date"] = pd.to_datetime(df["as_of_date"])
    df["population"] = 1_000_000.0
    df["population_year"] = df["as_of_date"].dt.year
    df["rate"] = df["political_prisoners"].astype(float)  # per million with a population of 1 m
    df["rate_low"] = df["rate_high"] = df["rate"]
    return df


def test_ranking_ties_use_min_method():
    rates = _rates([_count("A", "AAA", "2025-01-01", 10), _count("B", "BBB", "2025-01-01", 5),
                    _count("C", "CCC", "2025-01-01", 5), _count("D", "DDD", "2025-01-01", 1)])
    out = r.rank_under_definitions(rates, {"all": "as_of_date >= '2020-01-01'"})
    assert dict(zip(out["country"], out["rank"])) == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert list(out.columns[:7]) == r.RANKED_COLUMNS and (out["n_ranked"] == 4).all()


def test_definitions_choose_one_figure_per_country():
    rates = _rates([
        _count("A", "AAA", "2025-12-01", 100), _count("A", "AAA", "2024-06-01", 300),
        _count("A", "AAA", "2019-01-01", 900),
        _count("B", "BBB", "2025-11-01", 200, org="Main NGO"),
        _count("B", "BBB", "2025-11-01", 500, org="Wider database", definition="everyone held"),
    ])
    rates["main_counter"] = [True, True, True, True, False]
    rates["family"] = ["recognition_list"] * 4 + ["monitoring_count"]
    rates["weak"] = False
    defs = {
        "latest": r.Definition("", None, "latest"),
        "hi": r.Definition("", "as_of_date >= '2024-01-01'", "highest"),
        "lo": r.Definition("", "as_of_date >= '2024-01-01'", "lowest"),
        "near_broad": r.Definition("", None, "closest", "broadest"),
        "fn": lambda d: d[d["main_counter"]].sort_values("as_of_date").groupby("country").tail(1),
    }
    out = r.rank_under_definitions(rates, defs, reference_date="2025-12-18")
    got = out.set_index(["definition", "country"])["rate"]
    assert got["latest", "A"] == 100 and got["latest", "B"] == 200  # same date: main counter wins
    assert got["hi", "A"] == 300 and got["lo", "A"] == 100          # 2019's 900 is outside the filter
    assert got["near_broad", "B"] == 500                            # same date: broadest wins
    assert got["fn", "B"] == 200
    with pytest.raises(UsageError):
        r.rank_under_definitions(rates, {"bad": lambda d: d})


def test_default_definitions_are_documented():
    assert len(r.DEFAULT_DEFINITIONS) >= 5
    for name, d in r.DEFAULT_DEFINITIONS.items():
        assert isinstance(d, r.Definition) and len(d.reason) > 20, name


def test_rank_spread_on_hand_made_table():
    ranked = pd.DataFrame({
        "definition": ["d1"] * 3 + ["d2"] * 3 + ["d3"] * 2,
        "country": ["X", "Belarus", "Y", "Belarus", "X", "Y", "X", "Y"],
        "rate": [300.0, 120.0, 50.0, 110.0, 100.0, 10.0, 5.0, 1.0],
        "rank": [1, 2, 3, 1, 2, 3, 1, 2],
    })
    out = r.rank_spread(ranked).set_index("definition")
    assert out.loc["d1", "rank"] == 2 and out.loc["d1", "countries_ahead"] == "X" and out.loc["d1", "n_ahead"] == 1
    assert out.loc["d2", "rank"] == 1 and out.loc["d2", "countries_ahead"] == "" and out.loc["d2", "n_ranked"] == 3
    assert not out.loc["d3", "in_ranking"] and pd.isna(out.loc["d3", "rank"])
    assert out.attrs["summary"] == dict(best_rank=1, worst_rank=2, min_rate=110.0, max_rate=120.0,
                                        n_definitions_ranked=2)
    assert (out["best_rank"] == 1).all() and (out["worst_rank"] == 2).all()


def test_rank_intervals_seeded_and_sensible():
    rates = pd.DataFrame({"country": ["A", "B", "C", "D"], "rate": [100.0, 95.0, 50.0, 1.0]})
    a = r.rank_intervals(rates, rel_error=0.2, n_sim=500, seed=3)
    pd.testing.assert_frame_equal(a, r.rank_intervals(rates, rel_error=0.2, n_sim=500, seed=3))
    a = a.set_index("country")
    assert (a.loc["A", "rank_low"], a.loc["A", "rank_high"]) == (1, 2)  # A and B swap under 20% error
    assert (a.loc["C", "rank_low"], a.loc["C", "rank_high"]) == (3, 3)  # 50 * 1.2 < 95
    assert 0 < a.loc["B", "p_rank1"] < 0.5
    zero = r.rank_intervals(rates, rel_error=0.0, n_sim=50, seed=0)
    assert (zero["rank_low"] == zero["rank"]).all() and (zero["rank_high"] == zero["rank"]).all()
    per_country = r.rank_intervals(rates, rel_error={"A": 0.0, "B": 0.0, "C": 1.5, "D": 0.0}, n_sim=500, seed=0)
    assert per_country.set_index("country").loc["C", "rank_low"] == 1  # up to 2.5 x 50 = 125 > 100
    logn = r.rank_intervals(rates, rel_error=0.2, n_sim=500, seed=0, distribution="lognormal", direction="symmetric")
    assert logn["rank_low"].min() >= 1 and logn["rank_high"].max() <= 4
    with pytest.raises(UsageError):
        r.rank_intervals(pd.concat([rates, rates]), n_sim=10)


def test_classification_of_research_rows():
    counts = pd.read_csv(_research("cross_country_pp.csv"))
    a = r.annotate(counts)
    fam = dict(zip(a["counting_org"] + " | " + a["as_of_date"].fillna(""), a["family"]))
    assert fam["Viasna Human Rights Centre | 2025-12-23"] == "recognition_list"
    assert fam["Political Prisoners. Memorial (memopzk.org) | 2022-10-28"] == "recognition_list"  # "minimal estimate"
    assert fam["Political Prisoners. Memorial (memopzk.org) - database | 2025-12-30"] == "monitoring_count"
    assert fam["Prisoners Defenders | 2025-11-30"] == "incl_non_custodial"
    assert fam["UN Human Rights Office (OHCHR) | 2025-12-15"] == "estimate"
    assert fam["Amnesty International | 2013-05-09"] == "not_a_stock"
    rus = a[(a["iso3"] == "RUS") & (a["as_of_date"] == "2025-12-30")].set_index("political_prisoners")
    assert rus.loc[1262, "main_counter"] and not rus.loc[4884, "main_counter"]


def test_smoke_on_research_data():
    counts = pd.read_csv(_research("cross_country_pp.csv"))
    pop = pd.read_csv(_research("population.csv"))
    rates = r.per_million(counts, pop)
    assert len(rates) == len(counts)
    dated = rates["as_of_date"].notna() & rates["iso3"].isin(pop["iso3"])
    assert rates.loc[dated, "rate"].notna().all()
    ranked = r.rank_under_definitions(rates)
    assert list(ranked["definition"].unique()) == list(r.DEFAULT_DEFINITIONS)
    assert not ranked.duplicated(["definition", "country"]).any()
    for _, g in ranked.groupby("definition"):
        assert g["rank"].min() == 1 and len(g) >= 3
        assert g.sort_values("rate", ascending=False)["rank"].is_monotonic_increasing
    spread = r.rank_spread(ranked, "Belarus")
    assert spread["in_ranking"].all()  # Belarus has a recent Viasna figure under every default definition
    iv = r.rank_intervals(ranked, rel_error=0.2, n_sim=300, seed=0)
    assert len(iv) == len(ranked)
    n = iv["definition"].map(ranked.groupby("definition").size())
    assert ((1 <= iv["rank_low"]) & (iv["rank_low"] <= iv["rank_high"]) & (iv["rank_high"] <= n)).all()


@pytest.mark.parametrize("rate_b, b_low, a_high", [
    # P(B drawn above A) with both counts x U(1, 1.1): (1.1 - c)^2 / (2 c 0.1^2), c = 100 / rate_b
    (94.0, 1, 2),  # P = 0.0615 > 0.05 = (1 - 0.90) / 2: the 90% interval reaches rank 1 for B, rank 2 for A
    (93.0, 2, 1),  # P = 0.0284 < 0.05: it does not (a 95% interval would)
])
def test_rank_intervals_level_is_ninety_percent(rate_b, b_low, a_high):
    assert r.LEVEL == 0.90
    rates = pd.DataFrame({"country": ["A", "B"], "rate": [100.0, rate_b]})
    iv = r.rank_intervals(rates, rel_error=0.1, n_sim=20_000, seed=7).set_index("country")
    assert (iv.loc["B", "rank_low"], iv.loc["A", "rank_high"]) == (b_low, a_high)
    assert (iv["level"] == 0.90).all()


def test_above_and_dropped_names_every_country_a_window_drops():
    ranked = pd.DataFrame({
        "definition": ["latest"] * 4 + ["within_12m"] * 3,
        "country": ["X", "Y", "Belarus", "Z", "Y", "Belarus", "Z"],
        "rate": [600.0, 400.0, 130.0, 10.0, 400.0, 125.0, 12.0],
        "rank": [1, 2, 3, 4, 1, 2, 3],
        "as_of_date": pd.to_datetime(["2019-12-31", "2025-02-01", "2025-01-31", "2025-06-30",
                                      "2025-02-01", "2025-12-23", "2025-06-30"]),
    })
    t = r.above_and_dropped(ranked).set_index("definition")
    assert t.loc["latest", "above"] == [("X", 600.0), ("Y", 400.0)] and t.loc["latest", "dropped"] == []
    assert t.loc["within_12m", "above"] == [("Y", 400.0)]
    assert t.loc["within_12m", "dropped"] == [("X", 600.0, pd.Timestamp("2019-12-31"))]  # X ranks above elsewhere
    assert (t.loc["within_12m", "rank"], t.loc["within_12m", "n_ranked"], t.loc["within_12m", "rate"]) == (2, 3, 125.0)
