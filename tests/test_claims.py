"""Claims of the UN statement (18 Dec 2025): each claim function on small hand-made tables with known verdicts,
and the full table on the shipped curated data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import claims
from analysis.stats import ranking

EV_COLS = ["event_id", "event_date", "released_count", "count_qualifier", "count_scope", "exiled_count", "mechanism",
           "destination", "brokered_by", "notable_people", "source_org", "source_url", "source_published", "evidence",
           "notes", "is_primary"]
OTHER_COLS = ["as_of_date", "metric", "value", "qualifier", "unit", "scope", "source_org", "source_url", "evidence",
              "notes"]
LEGAL_COLS = ["event_date", "event_type", "title", "description", "source_org", "source_url"]
COUNT_COLS = ["as_of_date", "currently_held", "new_recognized_in_period", "released_in_period", "period",
              "held_qualifier", "source_type", "source_org", "source_url", "source_published"]


def events(*rows: dict) -> pd.DataFrame:
    """release_events-shaped frame; defaults: primary, exact, pardon, unknown destination, not brokered."""
    out = []
    for i, r in enumerate(rows):
        base = dict(event_id=f"RW-{i}", count_qualifier="exact", count_scope="all_pardoned", exiled_count=pd.NA,
                    mechanism="pardon", destination="unknown", brokered_by=None, notable_people=None,
                    source_org="Org", source_url=f"https://ev/{i}", source_published=None, evidence="", notes="",
                    is_primary=1)
        base.update(r)
        out.append(base)
    df = pd.DataFrame(out, columns=EV_COLS)
    for c in ("event_date", "source_published"):
        df[c] = pd.to_datetime(df[c])
    df["released_count"] = df["released_count"].astype("Int64")
    df["exiled_count"] = df["exiled_count"].astype("Int64")
    df["is_primary"] = df["is_primary"].astype("Int64")
    return df


def other(*rows: dict) -> pd.DataFrame:
    out = [dict(dict.fromkeys(OTHER_COLS, None), qualifier="exact", source_org="Viasna", scope="", evidence="",
                source_url=f"https://of/{i}") | r for i, r in enumerate(rows)]
    df = pd.DataFrame(out, columns=OTHER_COLS)
    df["as_of_date"] = pd.to_datetime(df["as_of_date"])
    df["value"] = df["value"].astype(float)
    return df


def legal(*rows: dict) -> pd.DataFrame:
    out = [dict(event_type="crackdown", description="", source_org="Org", source_url=f"https://le/{i}") | r
           for i, r in enumerate(rows)]
    df = pd.DataFrame(out, columns=LEGAL_COLS)
    df["event_date"] = pd.to_datetime(df["event_date"])
    return df


def counts(*rows: dict) -> pd.DataFrame:
    out = [dict(dict.fromkeys(COUNT_COLS, pd.NA), held_qualifier="exact", source_type="viasna", source_org="Viasna",
                source_url=f"https://pp/{i}") | r for i, r in enumerate(rows)]
    df = pd.DataFrame(out, columns=COUNT_COLS)
    df["as_of_date"] = pd.to_datetime(df["as_of_date"])
    df["source_published"] = pd.to_datetime(df["source_published"])
    for c in ("currently_held", "new_recognized_in_period", "released_in_period"):
        df[c] = df[c].astype("Int64")
    return df


EMPTY_OTHER = other().iloc[0:0]
EMPTY_LEGAL = legal().iloc[0:0]


def check(result: dict, no: int, verdict: str) -> None:
    assert result["no"] == no and result["verdict"] == verdict, result["finding"]
    assert result["claim"] == claims.CLAIMS[no] and result["rule"] == claims.RULES[no]
    assert set(result) >= {"finding", "sources", "uncertainty", "values"}


# --- claim 1 ---------------------------------------------------------------------------------------
def test_recent_releases_verdicts():
    ev = events({"event_date": "2025-12-13", "released_count": 123, "notable_people": "A One; B Two; C Three"},
                {"event_date": "2025-10-01", "released_count": 50, "notable_people": "D Four"})  # outside window
    r = claims.recent_releases(ev, "2025-12-18", 31)
    check(r, 1, "supported")
    assert r["values"] == {"events": 1, "released": 123.0, "named": 3}
    assert "https://ev/0" in r["sources"] and "https://ev/1" not in r["sources"]
    check(claims.recent_releases(ev, "2025-10-10", 31), 1, "not contradicted")  # one named person
    check(claims.recent_releases(ev, "2025-06-01", 31), 1, "contradicted")  # no release at all


# --- claim 3 ---------------------------------------------------------------------------------------
def test_expulsion_share_supported_with_lower_bound():
    ev = events(
        {"event_date": "2025-06-21", "released_count": 14, "destination": "Lithuania", "brokered_by": "United States"},
        {"event_date": "2025-09-11", "released_count": 52, "destination": "mixed", "brokered_by": "United States"},
        {"event_id": "RW-1", "event_date": "2025-09-11", "released_count": 52, "exiled_count": 52, "is_primary": 0},
        {"event_date": "2025-11-22", "released_count": 30, "count_scope": "foreigners", "destination": "Ukraine",
         "brokered_by": "United States"},
        {"event_date": "2025-07-02", "released_count": 16},  # domestic decree: not US-brokered
        {"event_date": "2025-01-26", "released_count": 1, "brokered_by": "United States"},  # unknown destination
    )
    refused = other({"as_of_date": "2025-09-15", "metric": "refused_deportation", "value": 4})
    r = claims.expulsion_share(ev, refused, "2024-12-18", "2025-12-18")
    check(r, 3, "supported")
    v = r["values"]
    assert (v["waves"], v["known"], v["freed"], v["abroad"], v["share"]) == (4, 3, 96.0, 96.0, 1.0)
    assert v["share_low"] == pytest.approx((66 - 4) / 66)  # foreigners left out, refusers subtracted


def test_expulsion_share_contradicted_and_not_measurable():
    stayed = events({"event_date": "2025-06-21", "released_count": 10, "destination": "remained_in_Belarus",
                     "brokered_by": "United States"})
    check(claims.expulsion_share(stayed, None, "2024-12-18", "2025-12-18"), 3, "contradicted")
    domestic = events({"event_date": "2025-06-21", "released_count": 10})
    check(claims.expulsion_share(domestic, None, "2024-12-18", "2025-12-18"), 3, "not measurable here")


# --- claim 6 ---------------------------------------------------------------------------------------
NAMED = "Ales Bialiatski; Maria Kalesnikava; Viktar Babaryka"


def test_waves_past_year_verdicts():
    ev = events({"event_date": "2025-01-18", "released_count": 23}, {"event_date": "2025-04-30", "released_count": 1},
                {"event_date": "2025-09-11", "released_count": 52},
                {"event_date": "2025-12-13", "released_count": 123, "notable_people": NAMED},
                {"event_date": "2024-11-07", "released_count": 31})  # before the past year
    r = claims.waves_past_year(ev, "2024-12-18", "2025-12-18")
    check(r, 6, "supported")
    assert r["values"]["waves"] == 3 and r["values"]["events_any_size"] == 4 and r["values"]["released"] == 198.0
    unnamed = ev.assign(notable_people=None)
    check(claims.waves_past_year(unnamed, "2024-12-18", "2025-12-18"), 6, "not contradicted")
    one = events({"event_date": "2025-12-13", "released_count": 123, "notable_people": NAMED})
    check(claims.waves_past_year(one, "2024-12-18", "2025-12-18"), 6, "contradicted")


# --- claim 7 ---------------------------------------------------------------------------------------
def test_arrests_continue_verdicts():
    c = counts({"as_of_date": "2025-01-31", "new_recognized_in_period": 18, "period": "2025-01"},
               {"as_of_date": "2025-02-28", "new_recognized_in_period": 39, "period": "2025-02"},
               {"as_of_date": "2025-12-31", "new_recognized_in_period": 50, "period": "2025-12"},
               {"as_of_date": "2024-12-31", "new_recognized_in_period": 0, "period": "2024-12"})  # other year
    yearly = other({"as_of_date": "2025-12-23", "metric": "new_recognized_year", "value": 509})
    r = claims.arrests_continue(c, yearly, "2025-12-18")
    check(r, 7, "supported")
    assert (r["values"]["months"], r["values"]["min"], r["values"]["max"], r["values"]["year_total"]) == (3, 18, 50, 509)
    zero = counts({"as_of_date": "2025-03-31", "new_recognized_in_period": 0, "period": "2025-03"})
    check(claims.arrests_continue(zero, None, "2025-12-18"), 7, "contradicted")
    check(claims.arrests_continue(c.iloc[:1], None, "2025-12-18"), 7, "not contradicted")  # one month only
    check(claims.arrests_continue(c.iloc[3:], None, "2025-12-18"), 7, "not measurable here")


# --- claim 8 ---------------------------------------------------------------------------------------
def test_remaining_over_verdicts():
    ok = counts({"as_of_date": "2025-12-15", "currently_held": 1100, "held_qualifier": "at_least"},
                {"as_of_date": "2025-12-23", "currently_held": 1135},
                {"as_of_date": "2025-10-01", "currently_held": 900})  # outside ±31 days
    r = claims.remaining_over(ok, "2025-12-18", 31)
    check(r, 8, "supported")
    assert r["values"]["n"] == 2 and r["values"]["min"] == 1100
    low = counts({"as_of_date": "2025-12-20", "currently_held": 1050}, {"as_of_date": "2025-12-10", "currently_held": 1090})
    check(claims.remaining_over(low, "2025-12-18", 31), 8, "contradicted")
    check(claims.remaining_over(low, "2025-06-18", 31), 8, "not measurable here")


# --- claim 9 ---------------------------------------------------------------------------------------
def _pc(belarus_count: int, top_k_seed: int = 1) -> dict:
    rows, pops = [], []
    for i, (name, n) in enumerate([("Belarus", belarus_count), ("A", 500), ("B", 400), ("C", 300), ("D", 200),
                                   ("E", 100)]):
        iso = f"X{i:02d}" if name != "Belarus" else "BLR"
        rows.append(dict(country=name, iso3=iso, as_of_date="2025-11-30", political_prisoners=n, qualifier="exact",
                         counting_org="Viasna" if name == "Belarus" else "Org", definition="recognised, held",
                         source_url=f"https://cc/{iso}", notes=""))
        pops.append(dict(country=name, iso3=iso, year=2025, population=1_000_000, source_org="Stat",
                         source_url=f"https://pop/{iso}"))
    defs = {"within_12m": ranking.Definition("test", "as_of_date >= @lo and as_of_date <= @hi", "closest"),
            "any": ranking.Definition("test", None, "latest")}
    return claims.per_capita(pd.DataFrame(rows), pd.DataFrame(pops), "2025-12-18", rel_error=0.05, n_sim=200,
                             seed=top_k_seed, definitions=defs)


def test_per_capita_rank_verdicts():
    top = _pc(1000)
    assert top["contemporaneous"] == ["within_12m"]
    r = claims.per_capita_rank(top, top_k=3)
    check(r, 9, "supported")
    assert r["values"]["ranks"] == {"within_12m": 1} and r["values"]["rate"] == 1000.0
    assert "https://cc/BLR" in r["sources"] and "https://pop/BLR" in r["sources"]
    check(claims.per_capita_rank(_pc(50), top_k=3), 9, "contradicted")  # last of six
    check(claims.per_capita_rank(top, top_k=6), 9, "not measurable here")  # six ranked: top 6 says nothing


def test_rank_tables_shape():
    pc = _pc(1000)
    s = claims.rank_summary(pc, "Belarus", 3)
    assert list(s["definition"]) == ["within_12m", "any"]
    assert list(s["used for verdict"]) == ["yes", "no"] and s.loc[0, "rank"] == "1 of 6"
    t = claims.rank_table(pc)
    assert t.index[0] == "Belarus" and list(t.columns) == ["within_12m (of 6)", "any (of 6)"]


# --- claims 5, 10, 11, 12 -------------------------------------------------------------------------
def test_return_means_prosecution():
    o = other({"as_of_date": "2023-12-31", "metric": "returnees_arrested", "value": 207, "source_org": "OHCHR"},
              {"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112})
    law = legal({"event_date": "2022-07-20", "event_type": "law_adopted", "title": "Trials in absentia introduced"})
    r = claims.return_means_prosecution(o, law)
    check(r, 5, "not contradicted")
    assert r["values"] == {"returnees_arrested": 207.0, "in_absentia": 112.0}
    check(claims.return_means_prosecution(EMPTY_OTHER, law), 5, "not measurable here")


def test_redetained_verdicts():
    ev = events({"event_date": "2025-09-11", "released_count": 52, "notable_people": "Mikalai Statkevich; X Y"})
    lg = legal({"event_date": "2025-09-15", "title": "Statkevich returned to prison after refusing deportation"})
    r = claims.redetained(lg, EMPTY_OTHER, ev, "Statkevich", "2025-12-18")
    check(r, 10, "supported")
    assert r["values"] == {"reports": 1, "days_after_release": 4}
    un_only = legal({"event_date": "2025-12-18", "event_type": "un_statement",
                     "title": "UN: Statkevich was detained again"})
    check(claims.redetained(un_only, EMPTY_OTHER, ev, "Statkevich", "2025-12-18"), 10, "not contradicted")
    check(claims.redetained(EMPTY_LEGAL, EMPTY_OTHER, ev, "Nobody", "2025-12-18"), 10, "not measurable here")


def test_in_absentia_after_release_verdicts():
    general = other({"as_of_date": "2022-12-31", "metric": "in_absentia_cases", "value": 2},
                    {"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112})
    r = claims.in_absentia_after_release(general, EMPTY_LEGAL)
    check(r, 11, "not contradicted")
    assert "112" in r["finding"] and "December 2022" in r["finding"]
    link = legal({"event_date": "2025-10-01", "title": "Case in absentia opened against a journalist released in June"})
    check(claims.in_absentia_after_release(general, link), 11, "supported")
    check(claims.in_absentia_after_release(EMPTY_OTHER, EMPTY_LEGAL), 11, "not measurable here")


def test_article_411():
    o = other({"as_of_date": "2024-07-30", "metric": "art411_cases", "value": 46, "qualifier": "at_least"})
    lg = legal({"event_date": "2024-08-01", "title": "Art. 411 used: Zenkovich given two more years"},
               {"event_date": "2025-04-30", "event_type": "international", "title": "US citizen Zenkovich released"},
               {"event_date": "2015-02-26", "title": "Dziadok given one more year under Art. 411"})  # before 2020
    r = claims.article_411(o, lg, events({"event_date": "2025-09-11", "released_count": 52,
                                          "notable_people": "Mikalai Dziadok"}))
    check(r, 12, "not contradicted")
    assert r["values"] == {"art411_cases": 46.0, "examples": 1}
    assert "Zenkovich" in r["finding"] and "Dziadok" not in r["finding"]
    check(claims.article_411(EMPTY_OTHER, EMPTY_LEGAL, events()), 12, "not measurable here")


# --- claim 14 --------------------------------------------------------------------------------------
def _deaths(*rows):
    df = pd.DataFrame([dict(death_id=i, date_of_death=d, in_custody_or_after_release=k, source_org="O",
                            source_url=f"https://d/{j}") for j, (i, d, k) in enumerate(rows)],
                      columns=["death_id", "date_of_death", "in_custody_or_after_release", "source_org", "source_url"])
    df["date_of_death"] = pd.to_datetime(df["date_of_death"])
    return df


def test_deaths_verdicts():
    d = _deaths(("DC-1", "2021-05-21", "in_custody"), ("DC-1", "2021-05-01", "in_custody"),
                ("DC-2", "2024-01-09", "in_custody"), ("DC-3", None, "after_release"),
                ("DC-4", "2026-01-01", "in_custody"))  # after the statement: not counted
    totals = other({"as_of_date": "2025-09-08", "metric": "deaths_in_custody_total", "value": 9},
                   {"as_of_date": "2023-07-31", "metric": "deaths_in_custody_total", "value": 3})
    r = claims.deaths(d, totals, "2025-12-18")
    check(r, 14, "supported")
    assert (r["values"]["in_custody"], r["values"]["after_release"]) == (2, 1)
    assert r["values"]["latest_in_custody"] == pd.Timestamp("2024-01-09")
    assert "3-9" in r["uncertainty"]
    check(claims.deaths(d.iloc[:2], None, "2025-12-18"), 14, "not contradicted")
    check(claims.deaths(d.iloc[0:0], None, "2025-12-18"), 14, "contradicted")


# --- claim 15 --------------------------------------------------------------------------------------
def _stock(end_value):
    return counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2025-12-31",
                                                                       "currently_held": end_value})


def test_no_systemic_change_verdicts():
    ev = events({"event_date": "2024-08-16", "released_count": 30}, {"event_date": "2025-09-11", "released_count": 20},
                {"event_date": "2026-03-19", "released_count": 250})  # after the statement's month
    r = claims.no_systemic_change(_stock(90), ev, None, "2024-07-01", "2025-12-18")
    check(r, 15, "supported")  # fell by 10 while 50 were released: 40 replaced
    v = r["values"]
    assert (v["base"], v["end"], v["released_waves"], v["without_low"]) == (100, 90, 50, 140)
    check(claims.no_systemic_change(_stock(40), ev, None, "2024-07-01", "2025-12-18"), 15, "contradicted")
    alt = other({"as_of_date": "2025-12-23", "metric": "pardoned_since_2024_07", "value": 70})
    r = claims.no_systemic_change(_stock(40), ev, alt, "2024-07-01", "2025-12-18")  # 40 + 50 < 100 <= 40 + 70
    check(r, 15, "not contradicted")
    assert (r["values"]["released_low"], r["values"]["released_high"]) == (50, 70)
    check(claims.no_systemic_change(_stock(90).iloc[:1], ev, None, "2024-07-01", "2025-12-18"), 15,
          "not measurable here")


# --- helpers and the full table --------------------------------------------------------------------
@pytest.mark.parametrize("no", [2, 4, 13])
def test_qualitative_claims(no):
    check(claims.not_measurable(no), no, "not measurable here")


def test_invalid_verdict_refused():
    with pytest.raises(ValueError):
        claims._result(1, "x", [], "y", "probably")


def test_markdown_table_escapes_and_links():
    t = pd.DataFrame([{"no": 1, "claim": "a | b", "finding": "f", "sources": "x.csv: https://www.example.org/p; "
                       "https://e2.org/q | y.csv", "uncertainty": "u", "verdict": "supported"}])
    md = claims.markdown_table(t)
    lines = md.splitlines()
    assert len(lines) == 3 and "a \\| b" in lines[2] and "**supported**" in lines[2]
    assert "x.csv ([example.org](https://www.example.org/p), [e2.org](https://e2.org/q)); y.csv" in lines[2]


@pytest.fixture(scope="module")
def real_tables():
    return claims.load_tables(verify=False)  # checksums are tested in test_curated


def test_claims_table_on_real_data(real_tables):
    pc = claims.per_capita(real_tables["cross_country_pp"], real_tables["population"], n_sim=200, seed=2026)
    t = claims.claims_table(real_tables, pc=pc)
    assert list(t["no"]) == list(range(1, 16))
    assert list(t.columns) == claims.TABLE_COLUMNS
    assert t["verdict"].isin(claims.VERDICTS).all()
    assert t.loc[t["no"].isin([2, 4, 13]), "verdict"].eq("not measurable here").all()
    assert t.loc[t["no"] == 8, "verdict"].item() == "supported"  # notebook 01's check agrees
    assert (t["finding"].str.len() > 20).all() and t["claim"].tolist() == list(claims.CLAIMS.values())
    pd.testing.assert_frame_equal(t, claims.claims_table(real_tables, pc=pc))  # deterministic
