"""Claims 1, 7, 15 and the stock-without-releases figure (analysis.claims.evidence) on small hand-made tables, with
the dates at their boundaries, the value keys report 04 reads and the table names its citations print; against
the mutants of evidence.py that test_claims.py and the shipped-text tests let through. Expected values are worked
out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest
from test_claims import counts, events, other

from analysis.claims import evidence as E
from analysis.claims import prose, table

S = pd.Timestamp("2025-12-18")


def _names(parts):
    return [(t, list(d.index)) for t, d in parts]


# --- claim 1: "since then" starts the day after the statement ------------------------------------
@pytest.mark.parametrize("day, later", [("2025-12-18", False), ("2025-12-19", True), ("2025-12-20", True)])
def test_recent_releases_since_then_starts_the_day_after(day, later):
    ev = events({"event_date": day, "released_count": 22})
    v = E.recent_releases(ev, S, 31)["values"]
    assert v["events"] == int(not later)  # the statement's own day is in the window, never "since then"
    assert v["later"] == ([(pd.Timestamp(day), 22.0)] if later else [])


def test_recent_releases_published_text_and_rows():
    ev = events({"event_date": "2025-12-18", "released_count": 5, "notable_people": "A One; B Two"},
                {"event_date": "2025-12-19", "released_count": 22},  # first day after the statement
                {"event_date": "2025-12-20", "released_count": 3})
    r = E.recent_releases(ev, S, 31)
    assert r["verdict"] == "not contradicted"  # two named people: fewer than three
    assert _names(r["rows"]) == [("release_events", [0])]
    assert _names(r["since"]) == [("release_events", [1, 2])]
    d = prose.describe(1, r["values"])
    assert d["finding"] == ("1 release events in the 31 days up to 18 Dec 2025 freed 5 people, 2 of them named in "
                            "international news — 18 Dec 2025: 5 freed (A One, B Two).")
    assert d["since_then"] == "Release events after the statement: 19 Dec 2025: 22 freed; 20 Dec 2025: 3 freed."
    # nothing after the statement: the "since then" cell is empty (the report prints a dash)
    d0 = prose.describe(1, E.recent_releases(ev.iloc[:1], S, 31)["values"])
    assert d0["since_then"] == "" and d0["sensitivity"] == ""


# --- claim 7: the tables the citations name --------------------------------------------------------
def test_arrests_continue_cites_pp_counts_and_other_figures_by_name():
    c = counts({"as_of_date": "2025-01-31", "new_recognized_in_period": 18, "period": "2025-01"},
               {"as_of_date": "2025-02-28", "new_recognized_in_period": 39, "period": "2025-02"},
               {"as_of_date": "2025-09-17", "new_recognized_in_period": 17, "period": "2025-09-17"},
               {"as_of_date": "2025-12-31", "new_recognized_in_period": 50, "period": "2025-12"})  # after
    yearly = other({"as_of_date": "2025-12-23", "metric": "new_recognized_year", "value": 509})  # after
    r = E.arrests_continue(c, yearly, S)
    assert _names(r["rows"]) == [("pp_counts", [0, 1, 2])]
    assert _names(r["since"]) == [("pp_counts", [3]), ("other_figures", [0])]
    # the citations print the table name and take the date from that table's date column
    assert table.citations(r["rows"]) == ("Viasna, 31 Jan 2025, pp_counts row 1; Viasna, 28 Feb 2025, pp_counts "
                                          "row 2; Viasna, 17 Sep 2025, pp_counts row 3")
    assert table.citations(r["since"]) == "Viasna, 31 Dec 2025, pp_counts row 4 | Viasna, 23 Dec 2025, other_figures row 1"


# --- claim 15 --------------------------------------------------------------------------------------
def _claim15(alt=None):
    c = counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2025-12-13", "currently_held": 90})
    ev = events({"event_date": "2024-08-16", "released_count": 30}, {"event_date": "2025-09-11", "released_count": 20})
    return E.no_systemic_change(c, ev, alt, "2024-07-01", S, 31)


def test_no_systemic_change_values_report_04_reads():
    v = _claim15()["values"]
    # the notebook draws the stock-without-releases figure from v15["waves_start"]; results.json keeps "waves"
    assert v["waves_start"] == pd.Timestamp("2024-07-01")
    assert v["waves"] == 2 and v["released_waves"] == 50.0  # 30 + 20 freed before the end count


@pytest.mark.parametrize("day, used", [("2025-11-16", False), ("2025-11-17", True), ("2025-11-18", True),
                                       ("2025-12-18", True), ("2025-12-19", False)])
def test_no_systemic_change_published_totals_window_is_inclusive(day, used):
    # 31 days up to 18 Dec 2025: 17 Nov 2025 is exactly 31 days before, so it counts; 16 Nov does not
    alt = other({"as_of_date": day, "metric": "pardoned_since_2024_07", "value": 70, "source_org": "Pozirk"})
    r = _claim15(alt)
    v = r["values"]
    assert (v["released_low"], v["released_high"]) == ((50.0, 70.0) if used else (50.0, 50.0))
    assert v["totals"][1:] == ([("pardoned_since_2024_07", 70.0, pd.Timestamp(day), "Pozirk")] if used else [])
    assert [i for t, d in r["rows"] if t == "other_figures" for i in d.index] == ([0] if used else [])


@pytest.mark.parametrize("day, added", [("2025-12-05", True), ("2025-12-06", False)])
def test_stock_without_releases_stops_at_the_newest_count(day, added):
    c = counts({"as_of_date": "2024-06-30", "currently_held": 100}, {"as_of_date": "2024-09-30", "currently_held": 80},
               {"as_of_date": "2025-12-05", "currently_held": 70})
    ev = events({"event_date": "2024-08-16", "released_count": 30}, {"event_date": day, "released_count": 20})
    swr = E.stock_without_releases(c, ev, waves_start="2024-07-01")  # end: the newest count, 5 Dec 2025
    # a release after the last count (even in the same month) is not in the figure: 0, 30, 30 (+ 20 if on 5 Dec)
    assert swr["released_in_waves_to_date"].tolist() == [0, 30, 50 if added else 30]
    assert swr["stock_without_waves"].tolist() == [100, 110, 120 if added else 100]
    explicit = E.stock_without_releases(c, ev, end="2025-12-05", waves_start="2024-07-01")
    assert explicit["released_in_waves_to_date"].tolist() == [0, 30, 50 if added else 30]
