"""Claims 10, 11 and 12 (analysis.claims.legal) on small hand-made tables: re-detention reported in the notes of a
release row, only the first release cited, rows and "since then" kept apart; the first of exactly two in-absentia
figures; an Art. 411 crackdown row that is not its own later release; the start date claim 12 prints. Against
mutants of legal.py the earlier tests let through. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
from test_claims import EMPTY_LEGAL, EMPTY_OTHER, events, legal, other

from analysis.claims import legal as L
from analysis.claims import prose

S = pd.Timestamp("2025-12-18")
T = pd.Timestamp


def _names(parts):
    return [(t, list(d.index)) for t, d in parts]


# --- claim 10 --------------------------------------------------------------------------------------
def _claim10():
    ev = events({"event_date": "2025-09-11", "released_count": 52, "notable_people": "Statkevich; X"},
                {"event_date": "2025-11-01", "released_count": 5, "notable_people": "Statkevich"},
                {"event_date": "2025-12-01", "released_count": 3, "source_published": "2025-12-02",
                 "notes": "Statkevich was returned to prison after refusing to leave"},  # the report is in the notes
                {"event_date": "2026-01-10", "released_count": 4, "notable_people": "Statkevich"})  # after
    news = legal({"event_date": "2026-01-02", "title": "Statkevich re-arrested", "source_url": "https://le/later"})
    return L.redetained(news, EMPTY_OTHER, ev, statement_date=S)


def test_redetained_report_in_the_notes_of_a_release_row():
    r = _claim10()
    v = r["values"]
    # released 11 Sep 2025 (the first release naming him); reported 2 Dec 2025: 82 days later
    assert (v["released"], v["reports"], v["first_report"], v["days_after_release"]) == (
        T("2025-09-11"), 1, T("2025-12-02"), 82)
    assert (v["later_reports"], v["later_release"]) == (1, T("2026-01-10"))


def test_redetained_cites_the_first_release_and_the_report_and_keeps_later_rows_apart():
    r = _claim10()
    # only the first release naming him (not the 1 Nov one), then the release row whose notes report it
    assert _names(r["rows"]) == [("release_events", [0]), ("release_events", [2])]
    assert _names(r["since"]) == [("legal_events", [0]), ("release_events", [3])]
    assert prose.describe(10, r["values"])["finding"] == (
        "Statkevich was freed on 11 Sep 2025; 1 distinct source(s) dated up to the statement report he was returned "
        "to prison, the first dated 2 Dec 2025 (82 days after the release).")


def test_redetained_release_rows_without_text_columns():
    ev = events({"event_date": "2025-09-11", "released_count": 52, "notable_people": "Statkevich"}).drop(
        columns=["evidence", "notes"])
    r = L.redetained(EMPTY_LEGAL, EMPTY_OTHER, ev, statement_date=S)
    assert (r["values"]["released"], r["values"]["reports"]) == (T("2025-09-11"), 0)
    assert _names(r["rows"]) == [("release_events", [0])]


# --- claim 11: two figures are enough for "the first" -----------------------------------------------
def test_in_absentia_first_of_exactly_two_figures():
    o = other({"as_of_date": "2023-03-15", "metric": "in_absentia_cases", "value": 5},
              {"as_of_date": "2025-10-01", "metric": "in_absentia_cases", "value": 1234})
    v = L.in_absentia_after_release(o, EMPTY_LEGAL, S)["values"]
    assert v["latest"] == (T("2025-10-01"), 1234.0)
    assert v["first"] == (T("2023-03-15"), 5.0)
    assert prose.describe(11, v)["finding"] == (
        "No row links an in-absentia case to a released prisoner. In-absentia convictions are common: 1,234 people "
        "by 1 Oct 2025, the first 5 in Mar 2023.")


# --- claim 12 --------------------------------------------------------------------------------------
def test_article_411_crackdown_row_is_not_its_own_later_release():
    leg = legal({"event_date": "2023-05-10", "event_type": "crackdown",
                 "title": "Ihar Losik given a new Art. 411 term just before he was to be released"})
    v = L.article_411(EMPTY_OTHER, leg, events(), S)["values"]
    assert v["events"] == 1
    assert v["examples"] == []  # a release must come after the extension, not on the same row or day


def test_article_411_same_day_release_is_not_an_example_next_day_is():
    for day, examples in (("2023-05-10", []), ("2023-05-11", [("Losik", T("2023-05-10"), T("2023-05-11"))])):
        leg = legal({"event_date": "2023-05-10", "event_type": "crackdown", "title": "Ihar Losik: new Art. 411 term"},
                    {"event_date": day, "event_type": "release", "title": "Losik released"})
        assert L.article_411(EMPTY_OTHER, leg, events(), S)["values"]["examples"] == examples


def test_article_411_start_date_and_later_events():
    leg = legal({"event_date": "2021-02-01", "event_type": "crackdown", "title": "Art. 411 charges"},
                {"event_date": "2026-01-05", "event_type": "crackdown", "title": "New Art. 411 cases"})  # after
    r = L.article_411(EMPTY_OTHER, leg, events(), S, since="2020-08-09")
    assert r["values"]["since"] == T("2020-08-09")
    assert (r["values"]["events"], r["values"]["later_events"]) == (1, 1)
    assert _names(r["rows"]) == [("legal_events", [0])]
    assert _names(r["since"]) == [("legal_events", [1])]
    d = prose.describe(12, r["values"])
    assert (d["finding"], d["since_then"]) == ("1 Art. 411 event(s) since 9 Aug 2020.",
                                               "0 figure(s) and 1 event(s) published since.")
