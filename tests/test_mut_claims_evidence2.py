"""Claims 3, 6, 8 and 15 (analysis.claims.evidence) on small hand-made tables: the refusals counted only after a
release that took people abroad, the named release found by its literal names, the value keys and the table names
the citations print, the reason line report 01 prints (trends.py reads check_over()["reason"]); against mutants of
evidence.py that the earlier tests let through. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
from test_claims import counts, events, other

from analysis.claims import evidence as E
from analysis.claims import table

S = pd.Timestamp("2025-12-18")
T = pd.Timestamp


def _names(parts):
    return [(t, list(d.index)) for t, d in parts]


# --- check_over: the reason line -------------------------------------------------------------------
def test_check_over_reason_line():
    obs = pd.DataFrame({"currently_held": [1197, 1100, 1100], "held_qualifier": ["exact", "at_least", "exact"]})
    # 1197 > 1100; "more than 1,100" counts as above; an exact 1,100 does not: 2 of 3
    c = E.check_over(obs, 1100.0)
    assert c["reason"] == "2 of 3 counts within the window exceed 1,100"
    assert (c["n"], c["above"], c["min"], c["max"]) == (3, 2, 1100.0, 1197.0)


# --- claim 3: refusals only after a release that took people abroad ---------------------------------
def _claim3():
    ev = events({"event_date": "2025-03-01", "released_count": 10, "exiled_count": 0, "destination": "none"},
                {"event_date": "2025-06-01", "released_count": 20, "exiled_count": 15, "destination": "Lithuania"})
    ref = other({"as_of_date": "2025-03-03", "metric": "refused_deportation", "value": 4},  # after a release of 0 abroad
                {"as_of_date": "2025-06-05", "metric": "refused_deportation", "value": 2})  # 4 days after 15 abroad
    return E.expulsion_share(ev, ref, "2024-12-18", S)


def test_expulsion_share_refusals_only_after_people_were_taken_abroad():
    r = _claim3()
    v = r["values"]
    assert v["refused"] == 2.0  # not 4 + 2: nobody was taken abroad on 1 Mar
    assert v["share_low"] == (15 - 2) / 30
    assert _names(r["rows"]) == [("release_events", [0, 1]), ("other_figures", [1])]
    assert table.citations(r["rows"]).endswith("Viasna, 5 Jun 2025, other_figures row 2")


# --- claim 6 ---------------------------------------------------------------------------------------
def test_named_release_matches_names_literally():
    ev = events({"event_date": "2025-01-18", "released_count": 23, "notable_people": "AxB Two"},
                {"event_date": "2025-06-01", "released_count": 12, "notable_people": "A.B Two"})
    hit = E.named_release(ev, ("A.B",))  # "." is a dot, not "any character": the first release does not match
    assert hit is not None and hit["event_date"] == T("2025-06-01")
    assert E.named_release(ev.iloc[:1], ("A.B",)) is None


def _claim6():
    ev = events({"event_date": "2025-01-18", "released_count": 23, "count_scope": "foreigners"},
                {"event_date": "2025-06-01", "released_count": 12},
                {"event_date": "2026-01-05", "released_count": 31})  # after the statement
    return E.waves_past_year(ev, "2024-12-18", S, 10, names=("Nobody",))


def test_waves_past_year_political_waves_and_later_waves():
    r = _claim6()
    v = r["values"]
    assert (v["waves"], v["waves_political"], v["events_any_size"]) == (2, 1, 2)  # one wave freed foreigners only
    assert v["later"] == [(T("2026-01-05"), 31.0)]  # only the wave after the statement
    assert _names(r["rows"]) == [("release_events", [0, 1])]
    assert _names(r["since"]) == [("release_events", [2])]
    assert table.citations(r["since"]) == "Org, 5 Jan 2026, RW-2"  # release events are cited by their id


# --- claim 8: the counts after the statement are "since then" ----------------------------------------
def test_remaining_over_rows_and_since():
    c = counts({"as_of_date": "2025-12-13", "currently_held": 1197},
               {"as_of_date": "2025-12-23", "currently_held": 1110, "held_qualifier": "at_least"})
    r = E.remaining_over(c, 1100.0, S, 31)
    assert _names(r["rows"]) == [("pp_counts", [0])]
    assert _names(r["since"]) == [("pp_counts", [1])]
    assert table.citations(r["since"]) == "Viasna, 23 Dec 2025, pp_counts row 2"


# --- claim 15: the statement date kept and the release events cited ---------------------------------
def test_no_systemic_change_statement_date_and_cited_tables():
    c = counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2025-12-13", "currently_held": 90})
    ev = events({"event_date": "2024-08-16", "released_count": 30}, {"event_date": "2025-09-11", "released_count": 20})
    r = E.no_systemic_change(c, ev, None, "2024-07-01", S, 31)
    assert r["values"]["statement_date"] == S
    assert _names(r["rows"]) == [("pp_counts", [0, 1]), ("release_events", [0, 1])]
    assert table.citations(r["rows"]) == ("Viasna, 30 Jun 2024, pp_counts row 1; Viasna, 13 Dec 2025, pp_counts row 2 | "
                                          "Org, 16 Aug 2024, RW-0; Org, 11 Sep 2025, RW-1")


# --- the stock-without-releases figure: exactly the four columns report 04 plots ----------------------
def test_stock_without_releases_columns():
    c = counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2024-09-30", "currently_held": 80})
    ev = events({"event_date": "2024-08-16", "released_count": 30})
    swr = E.stock_without_releases(c, ev, waves_start="2024-07-01")
    expected = pd.DataFrame({"month": [T("2024-06-01"), T("2024-09-01")], "observed_stock": [100.0, 80.0],
                             "released_in_waves_to_date": [0.0, 30.0], "stock_without_waves": [100.0, 110.0]})
    pd.testing.assert_frame_equal(swr, expected, check_dtype=False)  # 80 + 30 = 110; no column of the old index
