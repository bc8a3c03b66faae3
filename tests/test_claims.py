"""Claims of the UN statement (18 Dec 2025): each measuring function on small hand-made tables, with the verdict and
the numbers worked out by hand; evidence dated after the statement never decides a verdict."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import claims
from analysis.claims import deaths as D
from analysis.claims import evidence as E
from analysis.claims import legal as L
from analysis.claims import percapita
from analysis.stats import ranking

EV_COLS = ["event_id", "event_date", "released_count", "count_qualifier", "count_scope", "exiled_count", "mechanism",
           "destination", "brokered_by", "notable_people", "source_org", "source_url", "source_published", "evidence",
           "notes", "is_primary"]
OTHER_COLS = ["as_of_date", "metric", "value", "qualifier", "unit", "scope", "source_org", "source_url",
              "source_published", "evidence", "notes"]
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
    df["source_published"] = pd.to_datetime(df["source_published"])
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
    assert result["no"] == no and result["verdict"] == verdict, result["values"]
    assert set(result) == {"no", "verdict", "values", "rows", "since"}
    claims.prose.describe(no, result["values"])  # every measurement can be written out


S = "2025-12-18"


def rows_of(result: dict, table: str, which: str = "rows") -> pd.DataFrame:
    parts = [d for t, d in result[which] if t == table]
    return pd.concat(parts) if parts else pd.DataFrame()


# --- claim 1 ---------------------------------------------------------------------------------------
def test_recent_releases_window_and_since_then():
    ev = events({"event_date": "2025-12-13", "released_count": 123, "notable_people": "A One; B Two; C Three"},
                {"event_date": "2025-10-01", "released_count": 50, "notable_people": "D Four"},  # before the window
                {"event_date": "2025-12-30", "released_count": 22})  # after the statement
    r = E.recent_releases(ev, S, 31)
    check(r, 1, "supported")
    v = r["values"]
    assert (v["events"], v["released"], v["named"]) == (1, 123.0, 3)
    assert v["later"] == [(pd.Timestamp("2025-12-30"), 22.0)]
    assert list(rows_of(r, "release_events")["event_id"]) == ["RW-0"]
    assert list(rows_of(r, "release_events", "since")["event_id"]) == ["RW-2"]
    check(E.recent_releases(ev, "2025-10-10", 31), 1, "not contradicted")  # one named person
    check(E.recent_releases(ev, "2025-06-01", 31), 1, "contradicted")  # no release at all


# --- claim 3 ---------------------------------------------------------------------------------------
def test_expulsion_share_uses_everyone_released():
    ev = events(
        {"event_date": "2025-06-21", "released_count": 14, "destination": "Lithuania", "brokered_by": "United States"},
        {"event_date": "2025-09-11", "released_count": 52, "destination": "mixed", "brokered_by": "United States"},
        {"event_id": "RW-1", "event_date": "2025-09-11", "released_count": 52, "exiled_count": 52, "is_primary": 0},
        {"event_date": "2025-11-22", "released_count": 30, "count_scope": "foreigners", "destination": "Ukraine",
         "brokered_by": "United States"},
        {"event_date": "2025-07-02", "released_count": 16},  # domestic decree, destination unknown
        {"event_date": "2025-01-26", "released_count": 1, "brokered_by": "United States"},  # unknown destination
        {"event_date": "2026-03-19", "released_count": 250, "exiled_count": 15, "destination": "mixed"},  # later
    )
    refused = other({"as_of_date": "2025-09-15", "metric": "refused_deportation", "value": 4})
    r = E.expulsion_share(ev, refused, "2024-12-18", S)
    check(r, 3, "supported")
    v = r["values"]
    # everyone released: 14 + 52 + 30 + 16 + 1 = 113; abroad 14 + 52 + 30 = 96
    assert (v["events"], v["freed"], v["abroad"]) == (5, 113.0, 96.0)
    assert v["share"] == pytest.approx(96 / 113)
    assert (v["us_freed"], v["us_abroad"], v["us_share"]) == (96.0, 96.0, 1.0)  # the narrower reading
    assert v["share_low"] == pytest.approx((66 - 4) / (113 - 30))  # no foreigners, refusers subtracted
    assert (v["later_freed"], v["later_abroad"]) == (250.0, 15.0)


def test_expulsion_share_below_half_is_not_supported():
    ev = events({"event_date": "2025-06-21", "released_count": 10, "destination": "Lithuania"},
                {"event_date": "2025-07-02", "released_count": 11})  # 10 of 21 = 48%
    check(E.expulsion_share(ev, None, "2024-12-18", S), 3, "not contradicted")
    stayed = events({"event_date": "2025-06-21", "released_count": 10, "destination": "remained_in_Belarus"})
    check(E.expulsion_share(stayed, None, "2024-12-18", S), 3, "contradicted")
    check(E.expulsion_share(events(), None, "2024-12-18", S), 3, "not measurable")


# --- claim 6 ---------------------------------------------------------------------------------------
NAMED = "Ales Bialiatski; Maria Kalesnikava; Viktar Babaryka"


def test_waves_past_year_named_date_from_data():
    ev = events({"event_date": "2025-01-18", "released_count": 23}, {"event_date": "2025-04-30", "released_count": 1},
                {"event_date": "2025-09-11", "released_count": 52},
                {"event_date": "2025-12-13", "released_count": 123, "notable_people": NAMED},
                {"event_date": "2024-11-07", "released_count": 31})  # before the past year
    r = E.waves_past_year(ev, "2024-12-18", S)
    check(r, 6, "supported")
    v = r["values"]
    assert (v["waves"], v["events_any_size"], v["released"]) == (3, 4, 198.0)
    assert v["named_date"] == pd.Timestamp("2025-12-13") and v["named_in_period"]
    check(E.waves_past_year(ev.assign(notable_people=None), "2024-12-18", S), 6, "contradicted")  # no named release
    two = ev.iloc[2:4]
    check(E.waves_past_year(two, "2024-12-18", S), 6, "not contradicted")  # 2 waves
    check(E.waves_past_year(ev, "2024-12-18", "2025-12-12"), 6, "contradicted")  # named release after the end


# --- claim 7 ---------------------------------------------------------------------------------------
def test_arrests_continue_only_figures_dated_up_to_the_statement():
    c = counts({"as_of_date": "2025-01-31", "new_recognized_in_period": 18, "period": "2025-01"},
               {"as_of_date": "2025-02-28", "new_recognized_in_period": 39, "period": "2025-02"},
               {"as_of_date": "2025-09-17", "new_recognized_in_period": 17, "period": "2025-09-17"},
               {"as_of_date": "2025-12-31", "new_recognized_in_period": 50, "period": "2025-12"},  # after
               {"as_of_date": "2024-12-31", "new_recognized_in_period": 0, "period": "2024-12"})  # other year
    yearly = other({"as_of_date": "2025-12-23", "metric": "new_recognized_year", "value": 509})
    r = E.arrests_continue(c, yearly, S)
    check(r, 7, "supported")
    v = r["values"]
    assert [x for _, x, _ in v["months"]] == [18.0, 39.0, 17.0]
    assert [x for _, x, _ in v["later_months"]] == [50.0] and v["year_total"] == 509.0
    check(E.arrests_continue(c.iloc[[0, 1, 3]], None, S), 7, "not contradicted")  # two months up to the statement
    zero = counts({"as_of_date": "2025-03-31", "new_recognized_in_period": 0, "period": "2025-03"})
    check(E.arrests_continue(zero, None, S), 7, "contradicted")
    check(E.arrests_continue(c.iloc[3:], None, S), 7, "not measurable")


# --- claim 8 ---------------------------------------------------------------------------------------
def test_remaining_over_decides_on_counts_up_to_the_statement():
    ok = counts({"as_of_date": "2025-12-15", "currently_held": 1100, "held_qualifier": "at_least", "source_type": "other"},
                {"as_of_date": "2025-12-13", "currently_held": 1197},
                {"as_of_date": "2025-12-23", "currently_held": 1050},  # after: shown, never decides
                {"as_of_date": "2025-10-01", "currently_held": 900})  # outside the window
    r = E.remaining_over(ok, 1100, S, 31)
    check(r, 8, "supported")
    v = r["values"]
    assert (v["n"], v["above"], v["min"], v["max"]) == (2, 2, 1100.0, 1197.0)
    assert v["later"] == [(pd.Timestamp("2025-12-23"), 1050.0, "exact")]
    assert v["viasna"] == (1, 1, "supported")  # sensitivity: Viasna's own counts only (the 1,197)
    low = counts({"as_of_date": "2025-12-10", "currently_held": 1090}, {"as_of_date": "2025-12-01", "currently_held": 1100})
    check(E.remaining_over(low, 1100, S, 31), 8, "contradicted")
    check(E.remaining_over(low, 1100, "2025-06-18", 31), 8, "not measurable")


def test_stock_near_window_is_inclusive():
    c = counts({"as_of_date": "2025-11-17", "currently_held": 1}, {"as_of_date": "2025-11-16", "currently_held": 2},
               {"as_of_date": "2026-01-18", "currently_held": 3}, {"as_of_date": "2026-01-19", "currently_held": 4})
    near = E.stock_near(c, S, 31)  # 17 Nov and 18 Jan are exactly 31 days away; 16 Nov and 19 Jan are 32
    assert sorted(near["currently_held"].tolist()) == [1, 3]


def test_check_over_boundary():
    at = counts({"as_of_date": S, "currently_held": 1100})
    assert E.check_over(at, 1100)["verdict"] == "contradicted"  # exactly 1,100 is not over 1,100
    assert E.check_over(at.assign(currently_held=1101), 1100)["verdict"] == "supported"
    assert E.check_over(at.assign(held_qualifier="at_least"), 1100)["verdict"] == "supported"


# --- claim 9 ---------------------------------------------------------------------------------------
def _pc(belarus_count: int, seed: int = 1, date: str = "2025-11-30") -> dict:
    rows, pops = [], []
    for i, (name, n) in enumerate([("Belarus", belarus_count), ("A", 500), ("B", 400), ("C", 300), ("D", 200),
                                   ("E", 100)]):
        iso = f"X{i:02d}" if name != "Belarus" else "BLR"
        rows.append(dict(country=name, iso3=iso, as_of_date=date if name == "Belarus" else "2025-11-30",
                         political_prisoners=n, qualifier="exact", counting_org="Viasna" if name == "Belarus" else "Org",
                         definition="recognised, held", source_url=f"https://cc/{iso}", source_org="Pub",
                         source_published=None, notes=""))
        pops.append(dict(country=name, iso3=iso, year=2025, population=1_000_000, source_org="Stat",
                         source_url=f"https://pop/{iso}"))
    defs = {"within_12m": ranking.Definition("test", "as_of_date >= @lo and as_of_date <= @hi", "closest"),
            "any": ranking.Definition("test", None, "latest")}
    return claims.per_capita(pd.DataFrame(rows), pd.DataFrame(pops), S, rel_error=0.05, n_sim=200, seed=seed,
                             definitions=defs, dated_up_to=S)


def test_per_capita_rank_verdicts():
    top = _pc(1000)
    assert top["contemporaneous"] == ["within_12m"]
    r = percapita.per_capita_rank(top, top_k=3)
    check(r, 9, "supported")
    assert r["values"]["ranks"] == {"within_12m": 1} and r["values"]["rate"] == 1000.0
    assert list(rows_of(r, "cross_country_pp")["country"]) == ["Belarus", "A", "B", "C", "D", "E"]
    check(percapita.per_capita_rank(_pc(50), top_k=3), 9, "contradicted")  # last of six
    check(percapita.per_capita_rank(top, top_k=6), 9, "not measurable")  # six ranked: top 6 says nothing


def test_per_capita_drops_figures_after_the_statement():
    late = _pc(1000, date="2025-12-20")  # Belarus's only figure is dated after the statement
    assert "Belarus" not in set(late["ranked"]["country"])
    check(percapita.per_capita_rank(late, top_k=3), 9, "not measurable")


def test_rank_tables_shape():
    pc = _pc(1000)
    s = percapita.rank_summary(pc, 3)
    assert list(s["definition"]) == ["within_12m", "any"]
    assert list(s["used for verdict"]) == ["yes", "no"] and s.loc[0, "rank"] == "1 of 6"
    t = percapita.rank_table(pc)
    assert t.index[0] == "Belarus" and list(t.columns) == ["within_12m (of 6)", "any (of 6)"]


# --- claims 5, 10, 11, 12 -------------------------------------------------------------------------
def test_return_means_prosecution_never_uses_un_figures():
    o = other({"as_of_date": "2023-12-31", "metric": "returnees_arrested", "value": 207,
               "source_org": "aulanews.id (Indonesian relay of UN News)"},
              {"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112})
    law = legal({"event_date": "2022-07-20", "event_type": "law_adopted", "title": "Trials in absentia introduced"})
    r = L.return_means_prosecution(o, law, S)
    check(r, 5, "not contradicted")
    assert r["values"]["returnees"] is None and r["values"]["in_absentia"][1] == 112.0
    assert r["values"]["un_left_out"] == [("returnees_arrested", 207.0, "aulanews.id (Indonesian relay of UN News)")]
    check(L.return_means_prosecution(o.iloc[:1], law, S), 5, "not measurable")  # only the UN figure


def test_redetained_verdicts():
    ev = events({"event_date": "2025-09-11", "released_count": 52, "notable_people": "Mikalai Statkevich; X Y"})
    lg = legal({"event_date": "2025-09-15", "title": "Statkevich returned to prison after refusing deportation"},
               {"event_date": "2026-02-01", "title": "Statkevich back in prison, says family"})  # after
    r = L.redetained(lg, EMPTY_OTHER, ev, "Statkevich", S)
    check(r, 10, "supported")
    assert (r["values"]["reports"], r["values"]["days_after_release"], r["values"]["later_reports"]) == (1, 4, 1)
    un_only = legal({"event_date": "2025-12-18", "event_type": "un_statement", "title": "UN: Statkevich was detained again"})
    check(L.redetained(un_only, EMPTY_OTHER, ev, "Statkevich", S), 10, "not contradicted")
    check(L.redetained(lg.iloc[1:], EMPTY_OTHER, ev, "Statkevich", S), 10, "not contradicted")  # only a later report
    check(L.redetained(EMPTY_LEGAL, EMPTY_OTHER, ev, "Nobody", S), 10, "not measurable")


def test_in_absentia_after_release_verdicts():
    general = other({"as_of_date": "2022-12-31", "metric": "in_absentia_cases", "value": 2},
                    {"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112})
    r = L.in_absentia_after_release(general, EMPTY_LEGAL, S)
    check(r, 11, "not contradicted")
    assert r["values"]["latest"] == (pd.Timestamp("2024-11-21"), 112.0)
    link = legal({"event_date": "2025-10-01", "title": "Case in absentia opened against a journalist released in June"})
    check(L.in_absentia_after_release(general, link, S), 11, "supported")
    check(L.in_absentia_after_release(general, link, "2025-09-30"), 11, "not contradicted")  # link after that date
    check(L.in_absentia_after_release(EMPTY_OTHER, EMPTY_LEGAL, S), 11, "not measurable")


def test_article_411():
    o = other({"as_of_date": "2024-07-30", "metric": "art411_cases", "value": 46, "qualifier": "at_least"})
    lg = legal({"event_date": "2024-08-01", "title": "Art. 411 used: Zenkovich given two more years"},
               {"event_date": "2025-04-30", "event_type": "international", "title": "US citizen Zenkovich released"},
               {"event_date": "2015-02-26", "title": "Dziadok given one more year under Art. 411"})  # before 2020
    r = L.article_411(o, lg, events({"event_date": "2025-09-11", "released_count": 52,
                                     "notable_people": "Mikalai Dziadok"}), S)
    check(r, 12, "not contradicted")
    assert r["values"]["cases"] == [(pd.Timestamp("2024-07-30"), 46.0)]
    assert [t for t, _, _ in r["values"]["examples"]] == ["Zenkovich"]
    check(L.article_411(EMPTY_OTHER, EMPTY_LEGAL, events(), S), 12, "not measurable")


# --- claim 14 --------------------------------------------------------------------------------------
def _deaths(*rows):
    cols = ["death_id", "date_of_death", "in_custody_or_after_release", "person_status", "source_org", "source_url",
            "source_published"]
    df = pd.DataFrame([dict(death_id=i, date_of_death=d, in_custody_or_after_release=k, person_status=st,
                            source_org=org, source_url=f"https://d/{j}", source_published=pub)
                       for j, (i, d, k, st, org, pub) in enumerate(rows)], columns=cols)
    for c in ("date_of_death", "source_published"):
        df[c] = pd.to_datetime(df[c])
    return df


def test_deaths_count_by_the_claims_definition():
    d = _deaths(("DC-1", "2021-05-21", "in_custody", "political_prisoner", "Viasna", None),
                ("DC-1", "2021-05-01", "in_custody", "political_prisoner", "Mirage News (relaying OHCHR)", None),
                ("DC-2", "2024-01-09", "in_custody", "political_prisoner", "RFE/RL", None),
                ("DC-3", "2024-02-01", "in_custody", "political_prisoner", "Viasna", None),
                ("DC-4", "2020-08-12", "in_custody", "protest_detainee", "Belsat", None),
                ("DC-5", None, "after_release", "former_political_prisoner", "Charter97", "2025-05-16"),
                ("DC-6", None, "after_release", "former_political_prisoner", "Euroradio", None),  # undated
                ("DC-7", "2026-01-01", "in_custody", "political_prisoner", "Viasna", None),  # after the statement
                ("DC-8", "2025-01-01", "in_custody", "political_prisoner", "UN experts via Mirage News", None))  # UN only
    totals = other({"as_of_date": "2025-09-08", "metric": "deaths_in_custody_total", "value": 9},
                   {"as_of_date": "2023-07-31", "metric": "deaths_in_custody_total", "value": 3},
                   {"as_of_date": "2025-10-01", "metric": "deaths_in_custody_total", "value": 8,
                    "source_org": "Devdiscourse (relaying UN GIE press release)"})
    r = D.deaths(d, totals, S)
    check(r, 14, "supported")
    v = r["values"]
    assert v["count"] == 3 and v["latest"] == pd.Timestamp("2024-02-01")
    assert v["by_status"] == {"political_prisoner": 3, "protest_detainee": 1, "former_political_prisoner": 1}
    assert (v["all_people"], v["undated"], v["later_people"]) == (5, 1, 1)
    assert v["published"][:2] == (3.0, 9.0)  # the UN total is left out
    assert "Mirage" not in " ".join(rows_of(r, "deaths_in_custody")["source_org"])
    check(D.deaths(d.iloc[:3], None, S), 14, "not contradicted")  # two people
    check(D.deaths(d.iloc[4:5], None, S), 14, "contradicted")  # nobody by the claim's definition


# --- claim 15 --------------------------------------------------------------------------------------
def _stock(end_value, end_date="2025-12-13"):
    return counts({"as_of_date": "2024-05-31", "currently_held": 120}, {"as_of_date": "2024-06-30", "currently_held": 100},
                  {"as_of_date": "2024-07-31", "currently_held": 95}, {"as_of_date": end_date, "currently_held": end_value},
                  {"as_of_date": "2025-12-15", "currently_held": 80, "held_qualifier": "at_least"},
                  {"as_of_date": "2026-03-19", "currently_held": 60})


def test_no_systemic_change_hand_worked():
    ev = events({"event_date": "2024-08-16", "released_count": 30}, {"event_date": "2025-09-11", "released_count": 20},
                {"event_date": "2025-12-13", "released_count": 7},  # same day as the end count: not added
                {"event_date": "2026-03-19", "released_count": 250})  # after the statement
    assert E.waves_began(ev) == pd.Timestamp("2024-08-01")  # month of the first release in the table
    r = E.no_systemic_change(_stock(90), ev, None, "2024-07-01", S)
    check(r, 15, "consistent with the data")  # an interpretation is never "supported"
    v = r["values"]
    # base = last exact count before 1 Jul 2024 (100 on 30 Jun, not 95 of July); end = 90 on 13 Dec 2025
    assert (v["base"], v["base_date"], v["end"], v["end_date"]) == (100, pd.Timestamp("2024-06-30"), 90,
                                                                     pd.Timestamp("2025-12-13"))
    assert (v["released_waves"], v["without_low"]) == (50, 140)
    assert v["later"] == (pd.Timestamp("2026-03-19"), 60.0, 57.0)  # 30 + 20 + 7 released before 19 Mar 2026
    check(E.no_systemic_change(_stock(40), ev, None, "2024-07-01", S), 15, "contradicted")
    alt = other({"as_of_date": "2025-12-01", "metric": "pardoned_since_2024_07", "value": 70})
    r = E.no_systemic_change(_stock(40), ev, alt, "2024-07-01", S)  # 40 + 50 < 100 <= 40 + 70
    check(r, 15, "not contradicted")
    assert (r["values"]["released_low"], r["values"]["released_high"]) == (50, 70)
    late = other({"as_of_date": "2025-12-23", "metric": "pardoned_since_2024_07", "value": 70})  # after: ignored
    check(E.no_systemic_change(_stock(40), ev, late, "2024-07-01", S), 15, "contradicted")
    check(E.no_systemic_change(_stock(90).iloc[2:], ev, None, "2024-07-01", S), 15, "not measurable")


def test_stock_without_releases_adds_the_released_not_the_exiled():
    c = counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2024-09-30", "currently_held": 80},
               {"as_of_date": "2025-12-31", "currently_held": 70})
    ev = events({"event_date": "2024-08-16", "released_count": 30, "exiled_count": 2, "destination": "Lithuania"},
                {"event_date": "2025-12-13", "released_count": 20, "exiled_count": 20, "destination": "Ukraine"})
    swr = E.stock_without_releases(c, ev, waves_start="2024-07-01")
    assert swr["month"].tolist() == pd.to_datetime(["2024-06-01", "2024-09-01", "2025-12-01"]).tolist()
    assert swr["released_in_waves_to_date"].tolist() == [0, 30, 50]
    assert swr["stock_without_waves"].tolist() == [100, 110, 120]  # with the exiled it would be 100, 82, 92


# --- helpers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("no", [2, 4, 13])
def test_qualitative_claims(no):
    check(E.not_measurable(no), no, "not measurable")


def test_invalid_verdict_refused():
    with pytest.raises(ValueError):
        E._measured(1, "probably", {}, [])


def test_citations_give_publisher_date_and_row_never_a_url():
    o = other({"as_of_date": "2024-11-21", "metric": "m", "value": 1, "source_org": "Viasna (reported by AP)"},
              {"as_of_date": "2024-11-22", "metric": "m", "value": 2, "source_published": "2024-11-25"})
    ev = events({"event_date": "2025-12-13", "released_count": 3, "source_org": "HRW", "source_published": "2025-12-15"})
    text = claims.table.citations([("other_figures", o), ("release_events", ev)])
    assert text == ("Viasna, 21 Nov 2024, other_figures row 1; Viasna, 25 Nov 2024, other_figures row 2 | "
                    "HRW, 15 Dec 2025, RW-0")
    assert "http" not in text


def test_markdown_table_escapes():
    t = pd.DataFrame([{"no": 1, "claim": "a | b", "verdict": "supported", "finding": "f", "since_then": "",
                       "sources": "x"}])
    lines = claims.markdown_table(t).splitlines()
    assert len(lines) == 3 and "a \\| b" in lines[2] and "**supported**" in lines[2] and "| – |" in lines[2]


def test_stock_near_columns_are_the_contract_report_01_uses():
    c = counts({"as_of_date": "2025-12-15", "currently_held": 1100, "held_qualifier": "at_least"},
               {"as_of_date": "2025-12-13", "currently_held": 1197})
    near = E.stock_near(c, S, 31)
    assert list(near.columns) == ["as_of_date", "currently_held", "held_qualifier", "source_org", "source_type",
                                  "source_url", "days_from_date"]
    assert near["days_from_date"].tolist() == [-3, -5] and list(near.index) == [0, 1]


# --- date windows at their boundaries ------------------------------------------------------------
@pytest.mark.parametrize("day, inside", [("2025-11-17", True), ("2025-11-16", False), (S, True), ("2025-12-19", False)])
def test_recent_releases_window_boundary(day, inside):  # 31 days up to the statement, both ends inclusive
    ev = events({"event_date": day, "released_count": 5, "notable_people": "A; B; C"})
    assert E.recent_releases(ev, S, 31)["values"]["events"] == int(inside)


@pytest.mark.parametrize("day, inside", [("2024-12-18", True), ("2024-12-17", False), (S, True), ("2025-12-19", False)])
def test_past_year_window_boundary(day, inside):  # claims 3 and 6: past_year_start to the statement, inclusive
    ev = events({"event_date": day, "released_count": 12, "destination": "Lithuania"})
    assert E.expulsion_share(ev, None, "2024-12-18", S)["values"]["freed"] == (12.0 if inside else 0.0)
    assert E.waves_past_year(ev, "2024-12-18", S)["values"]["waves"] == int(inside)


def test_past_year_start_is_one_year_before_the_statement():
    assert claims.PAST_YEAR_START == pd.Timestamp("2024-12-18")


@pytest.mark.parametrize("day, counted", [(S, 1), ("2025-12-19", 0)])
def test_deaths_date_boundary(day, counted):
    d = _deaths(("DC-1", day, "in_custody", "political_prisoner", "Viasna", None))
    v = D.deaths(d, None, S)["values"]
    assert (v["count"], v["later_people"]) == (counted, 1 - counted)


@pytest.mark.parametrize("day, decides", [(S, True), ("2025-12-19", False)])
def test_remaining_over_statement_day_boundary(day, decides):
    c = counts({"as_of_date": day, "currently_held": 1200})
    assert E.remaining_over(c, 1100, S, 31)["values"]["n"] == int(decides)


def test_source_label_names_the_most_frequent_publishers_and_the_files():
    from analysis.claims import prose

    df = pd.DataFrame({"org": ["Viasna", "Viasna (via RFE/RL)", "OVD-Info", "UN", None, "OVD-Info", "Viasna"]})
    assert prose.source_label(df, "org", ["a.csv", "b.csv"], top=2) == \
        "Figures by Viasna, OVD-Info and others; data/raw/curated/a.csv, b.csv"
    assert prose.source_label(df, "org", ["a.csv"], top=3) == "Figures by Viasna, OVD-Info, UN; data/raw/curated/a.csv"
