"""Claims 5, 11 and 12 (analysis.claims.legal) on small hand-made tables: which rows count as evidence, the values
and sentences the report prints, and the table names its "since then" citations give; against the mutants of
legal.py that test_claims.py and the shipped-text tests let through. Expected values are worked out by hand."""

from __future__ import annotations

import pandas as pd
from test_claims import EMPTY_LEGAL, EMPTY_OTHER, events, legal, other

from analysis.claims import legal as L
from analysis.claims import prose

S = pd.Timestamp("2025-12-18")
UN = "aulanews.id (Indonesian relay of UN News)"


def _names(parts):
    return [(t, list(d.index)) for t, d in parts]


# --- claim 5 ---------------------------------------------------------------------------------------
def _claim5():
    o = other({"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112},
              {"as_of_date": "2023-12-31", "metric": "returnees_arrested", "value": 15, "source_org": "Nasha Niva"},
              {"as_of_date": "2023-12-31", "metric": "returnees_arrested", "value": 207, "source_org": UN},
              {"as_of_date": "2026-01-15", "metric": "in_absentia_cases", "value": 130},  # after the statement
              {"as_of_date": "2026-01-20", "metric": "returnees_arrested", "value": 20})  # after, another metric
    # "absentia" only in the title of the law, only in the description of the later case
    law = legal({"event_date": "2022-07-20", "event_type": "law_adopted", "title": "Trials in absentia introduced"},
                {"event_date": "2023-03-06", "title": "First verdict", "description": "Tsikhanouskaya sentenced in absentia"})
    return L.return_means_prosecution(o, law, S)


def test_return_means_prosecution_values():
    r = _claim5()
    v = r["values"]
    assert r["verdict"] == "not contradicted"
    assert v["law_date"] == pd.Timestamp("2022-07-20")  # the law is found by its title
    assert v["returnees"] == (pd.Timestamp("2023-12-31"), 15.0, "Nasha Niva")  # the non-UN figure, not 207
    assert v["in_absentia"] == (pd.Timestamp("2024-11-21"), 112.0, "Viasna")
    assert v["later"] == (pd.Timestamp("2026-01-15"), 130.0, "Viasna")  # in-absentia figure, not the returnees one
    assert _names(r["rows"]) == [("other_figures", [0, 1]), ("legal_events", [0, 1])]
    assert _names(r["since"]) == [("other_figures", [3, 4])]


def test_return_means_prosecution_sentences():
    d = prose.describe(5, _claim5()["values"])
    assert d["finding"] == ("112 people had been convicted in absentia by 21 Nov 2024 (Viasna); special proceedings "
                            "in absentia exist since 20 Jul 2022.")
    assert d["since_then"] == "Later figure: 130 convicted in absentia by 15 Jan 2026."
    assert d["uncertainty"] == ("counts of all in-absentia convictions, not of released prisoners; what would happen "
                                "to the expelled if they returned cannot be observed; UN figures left out as the "
                                f"claim's own side: returnees_arrested 207 ({UN})")


# --- claim 11 --------------------------------------------------------------------------------------
def test_in_absentia_link_found_in_the_scope_column():
    link = other({"as_of_date": "2025-10-01", "metric": "in_absentia_cases", "value": 1,
                  "scope": "in absentia case against a journalist released in June", "evidence": ""})
    r = L.in_absentia_after_release(link, EMPTY_LEGAL, S)
    assert r["verdict"] == "supported" and r["values"]["linking_rows"] == 1


def test_in_absentia_latest_of_three_figures_and_sentence():
    general = other({"as_of_date": "2022-12-31", "metric": "in_absentia_cases", "value": 2},
                    {"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112},
                    {"as_of_date": "2023-06-30", "metric": "in_absentia_cases", "value": 50})
    r = L.in_absentia_after_release(general, EMPTY_LEGAL, S)
    v = r["values"]
    assert v["latest"] == (pd.Timestamp("2024-11-21"), 112.0) and v["first"] == (pd.Timestamp("2022-12-31"), 2.0)
    assert prose.describe(11, v)["finding"] == ("No row links an in-absentia case to a released prisoner. In-absentia "
                                                "convictions are common: 112 people by 21 Nov 2024, the first 2 in "
                                                "Dec 2022.")


# 20 figures published on five dates (several sources repeat the figure of a date). Rows of the latest date,
# 21 Nov 2024, are rows 6, 8, 12 and 15; of the earliest, 31 Dec 2022, rows 5, 9 and 17. The table order decides
# between figures of the same date: the last of the latest date (row 15, 112) and the first of the earliest (row
# 5, 2). An unstable sort (quicksort) of this many rows does not keep that order.
TIE_DATES = ["2024-06-30", "2023-06-30", "2023-12-31", "2023-12-31", "2023-12-31", "2022-12-31", "2024-11-21",
             "2023-12-31", "2024-11-21", "2022-12-31", "2023-06-30", "2024-06-30", "2024-11-21", "2023-12-31",
             "2023-06-30", "2024-11-21", "2024-06-30", "2022-12-31", "2024-06-30", "2024-06-30"]
TIE_VALUES = [90, 30, 60, 61, 62, 2, 109, 63, 110, 3, 31, 91, 111, 64, 32, 112, 92, 4, 93, 94]


def test_in_absentia_same_date_figures_in_table_order():
    general = other(*({"as_of_date": d, "metric": "in_absentia_cases", "value": x} for d, x in zip(TIE_DATES, TIE_VALUES)))
    v = L.in_absentia_after_release(general, EMPTY_LEGAL, S)["values"]
    assert v["latest"] == (pd.Timestamp("2024-11-21"), 112.0)
    assert v["first"] == (pd.Timestamp("2022-12-31"), 2.0)


def test_in_absentia_one_figure_and_a_later_link():
    general = other({"as_of_date": "2024-11-21", "metric": "in_absentia_cases", "value": 112})
    link = legal({"event_date": "2026-01-10", "title": "Case in absentia against a man released in 2025"})
    r = L.in_absentia_after_release(general, link, S)
    assert r["verdict"] == "not contradicted"
    assert _names(r["since"]) == [("legal_events", [0])]
    d = prose.describe(11, r["values"])
    assert d["finding"] == ("No row links an in-absentia case to a released prisoner. In-absentia convictions are "
                            "common: 112 people by 21 Nov 2024.")  # one figure: no "first"
    assert d["since_then"] == "1 later row(s) link in-absentia cases to released people."
    assert prose.describe(11, L.in_absentia_after_release(general, EMPTY_LEGAL, S)["values"])["since_then"] == ""


# --- claim 12 --------------------------------------------------------------------------------------
CRACKDOWN = {"event_date": "2024-08-01", "title": "Art. 411 used: Zenkovich given two more years"}


def test_article_411_event_found_in_the_description():
    lg = legal({"event_date": "2024-08-01", "title": "Two more years for a prisoner",
                "description": "convicted under Art. 411 for disobedience"})
    r = L.article_411(EMPTY_OTHER, lg, events(), S)
    assert r["verdict"] == "not contradicted" and r["values"]["events"] == 1
    assert prose.describe(12, r["values"])["finding"] == "1 Art. 411 event(s) since 9 Aug 2020."


def test_article_411_example_from_a_release_event():
    ev = events({"event_date": "2025-04-30", "released_count": 1, "notable_people": "Yury Zenkovich"})
    r = L.article_411(EMPTY_OTHER, legal(CRACKDOWN), ev, S)
    assert r["values"]["examples"] == [("Zenkovich", pd.Timestamp("2024-08-01"), pd.Timestamp("2025-04-30"))]
    assert prose.describe(12, r["values"])["finding"] == (
        "1 Art. 411 event(s) since 9 Aug 2020. Documented case(s) of an extension followed by a release: Zenkovich "
        "(extended Aug 2024, released Apr 2025).")


def test_article_411_no_example_from_rows_that_do_not_name_the_person():
    lg = legal(CRACKDOWN, {"event_date": "2024-09-01", "event_type": "international",
                           "title": "Political prisoner Maksim Znak released"})  # later, released, another name
    ev = events({"event_date": "2025-04-30", "released_count": 14, "notable_people": "Someone Else"})
    r = L.article_411(EMPTY_OTHER, lg, ev, S)
    assert r["values"]["examples"] == []
    assert prose.describe(12, r["values"])["finding"] == "1 Art. 411 event(s) since 9 Aug 2020."


def test_article_411_later_figure_cited_as_other_figures():
    o = other({"as_of_date": "2024-07-30", "metric": "art411_cases", "value": 46},
              {"as_of_date": "2026-02-01", "metric": "art411_cases", "value": 50})  # after the statement
    r = L.article_411(o, EMPTY_LEGAL, events(), S)
    assert _names(r["rows"]) == [("other_figures", [0])]
    assert _names(r["since"]) == [("other_figures", [1])]
    assert prose.describe(12, r["values"])["since_then"] == "1 figure(s) and 0 event(s) published since."
