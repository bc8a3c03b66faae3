"""The report's sentences (analysis.claims.prose) on hand-made ``values``, each cell written out whole: the finding,
"since then", uncertainty and sensitivity of claims 1, 3, 5-8, 12, 14 and 15, and the key findings; against the
mutants of prose.py that the shipped-text tests let through (their branches are not taken on the shipped data).
Numbers in the expected text are worked out by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd

from analysis.claims import prose

S = pd.Timestamp("2025-12-18")
T = pd.Timestamp


def cells(no, values):
    d = prose.describe(no, values)
    return d["finding"], d["since_then"], d["uncertainty"], d["sensitivity"]


# --- claim 1 ---------------------------------------------------------------------------------------
def test_c1_nothing_in_the_window_nor_after():
    v = {"window_days": 31, "statement_date": S, "events": 0, "released": 0.0, "named": 0, "each": [], "later": []}
    assert cells(1, v) == ("No release event in the 31 days up to the statement.", "",
                           "counts are official decree totals (may include non-political convicts); professions of "
                           "those freed are not coded, so the composition is not checked", "")


# --- claim 3 ---------------------------------------------------------------------------------------
C3 = {"start": T("2024-12-18"), "statement_date": S, "events": 3, "freed": 40.0, "abroad": 30.0, "share": 0.75,
      "unknown_destination": 1, "destinations": ["Lithuania", "Ukraine"], "us_events": 2, "us_freed": 36.0,
      "us_abroad": 30.0, "us_share": 30 / 36, "share_low": (30 - 2) / 40, "refused": 2.0, "later_freed": 0.0,
      "later_abroad": 0.0}


def test_c3_shares_destinations_and_sensitivity():
    assert cells(3, C3) == (
        "3 release events from 18 Dec 2024 to 18 Dec 2025 freed 40 people; 30 of them (75%) are documented as taken "
        "abroad (Lithuania, Ukraine).",
        "",
        "1 of the 3 events give no destination, so the share is a floor; decree totals may include non-political "
        "convicts",
        # 30/36 = 83%; (30 - 2)/40 = 70%
        "US-brokered releases with a known destination only: 30 of 36 (83%); without foreign citizens sent home and "
        "minus 2 who refused to leave: 70%")


def test_c3_nobody_taken_abroad():
    v = C3 | {"abroad": 0.0, "share": 0.0, "destinations": [], "us_events": 0, "us_freed": 0.0, "us_abroad": 0.0,
              "us_share": math.nan, "share_low": 0.0, "refused": 0.0}
    f, _, _, sens = cells(3, v)
    assert f == ("3 release events from 18 Dec 2024 to 18 Dec 2025 freed 40 people; 0 of them (0%) are documented as "
                 "taken abroad (no destination recorded).")
    assert sens == ("US-brokered releases with a known destination only: 0 of 0 (n/a); without foreign citizens sent "
                    "home: 0%")


# --- claim 5 ---------------------------------------------------------------------------------------
C5 = {"statement_date": S, "in_absentia": None, "returnees": None, "commission": None, "law_date": None,
      "un_left_out": [], "later": None}
C5_U = ("counts of all in-absentia convictions, not of released prisoners; what would happen to the expelled if they "
        "returned cannot be observed")


def test_c5_no_figure():
    assert cells(5, C5) == ("No non-UN figure on prosecution of returnees or in-absentia cases.", "", C5_U, "")


def test_c5_commission_only_and_no_un_figure():
    v = C5 | {"commission": (T("2025-06-01"), 140.0, "Belta")}
    assert cells(5, v) == ("Against this, the state Commission on Return had handled 140 requests from exiles "
                           "(Belta, 1 Jun 2025).", "", C5_U, "")  # first letter capitalised; no UN list


# --- claim 6 ---------------------------------------------------------------------------------------
def test_c6_sentences():
    v = {"start": T("2024-12-18"), "statement_date": S, "min_size": 10, "waves": 2, "released": 146.0,
         "events_any_size": 4, "waves_political": 1, "sizes": [(T("2025-01-18"), 23.0), (T("2025-12-13"), 123.0)],
         "named": ["Bialiatski", "Babaryka", "Kalesnikava"], "named_date": T("2025-12-13"), "named_released": 123.0,
         "named_in_period": True, "later": []}
    assert cells(6, v) == (
        "2 release events freeing at least 10 people between 18 Dec 2024 and 18 Dec 2025: 18 Jan 2025 (23), 13 Dec "
        "2025 (123); 146 people in all. The release of 13 Dec 2025 freed 123, among them Bialiatski, Babaryka and "
        "Kalesnikava.",
        "", "decree totals may include non-political convicts",
        "1 waves without those of foreign citizens only; 4 release events of any size")


# --- claim 7 ---------------------------------------------------------------------------------------
def test_c7_sentences_and_no_sensitivity_line():
    v = {"year": 2025, "statement_date": S, "months": [(T("2025-01-01"), 18.0, False), (T("2025-02-01"), 39.0, True)],
         "later_months": [], "months_in_year_to_date": 12, "year_total": None, "year_total_date": None}
    assert cells(7, v) == (
        "New political prisoners were recognised in every one of the 2 months of 2025 with a figure dated up to the "
        "statement (Jan 2025: 18; Feb 2025: 39 (part of the month)).",
        "",
        "only 2 of the 12 months up to the statement have a figure; recognition lags arrest, so the latest months are "
        "undercounted",
        "")


# --- claim 8 ---------------------------------------------------------------------------------------
def test_c8_at_least_counts_marked_before_and_after():
    v = {"threshold": 1100.0, "window_days": 31, "statement_date": S,
         "counts": [(T("2025-12-13"), 1197.0, "exact"), (T("2025-12-15"), 1100.0, "at_least")],
         "later": [(T("2025-12-23"), 1110.0, "at_least"), (T("2026-01-05"), 1050.0, "exact")],
         "n": 2, "above": 2, "min": 1100.0, "max": 1197.0, "viasna": (1, 1, "supported")}
    assert cells(8, v) == (
        "2 counts in the 31 days up to 18 Dec 2025: 1,197 on 13 Dec 2025; 1,100+ on 15 Dec 2025 (+ = 'more than'); "
        "2 of 2 are above the statement's 1,100.",
        "Counts in the 31 days after it: 1,110+ on 23 Dec 2025; 1,050 on 5 Jan 2026.",
        "range 1,100-1,197 across sources and dates; Viasna's count is a floor (people recognised and currently held)",
        "Viasna's counts and re-posts of them only: 1 of 1 above (supported)")


def test_c8_no_count():
    v = {"threshold": 1100.0, "window_days": 31, "statement_date": S, "counts": [], "later": [], "n": 0, "above": 0,
         "min": None, "max": None, "viasna": (0, 0, "not measurable")}
    assert cells(8, v) == ("No count of people held in the window up to the statement.", "", "none", "")


# --- claim 12 --------------------------------------------------------------------------------------
C12_U = ("cumulative lower bounds; what share of the people expelled had their terms extended needs person-level "
         "release and sentence dates")


def test_c12_viasna_figures_and_nothing_since():
    v = {"statement_date": S, "cases": [(T("2023-10-31"), 29.0), (T("2024-07-30"), 46.0)], "events": 3,
         "since": T("2020-08-09"), "examples": [], "later_figures": 0, "later_events": 0}
    assert cells(12, v) == (
        "Viasna: at least 29 political prisoners faced new Art. 411 cases by 31 Oct 2023; at least 46 political "
        "prisoners faced new Art. 411 cases by 30 Jul 2024.", "", C12_U, "")


def test_c12_no_figure_nor_event():
    v = {"statement_date": S, "cases": [], "events": 0, "since": T("2020-08-09"), "examples": [], "later_figures": 0,
         "later_events": 0}
    assert cells(12, v) == ("No Art. 411 figure or event.", "", C12_U, "")


# --- claim 14 --------------------------------------------------------------------------------------
C14_U = " depending on source, date and definition; circumstances and investigations are not in the data"


def test_c14_deaths_published_total_undated_and_later():
    v = {"statement_date": S, "definition": "political_prisoner", "count": 3, "years": {2021: 1, 2024: 2},
         "latest": T("2024-02-01"), "published": (3.0, 9.0, T("2025-09-08"), 9.0, "Viasna"),
         "by_status": {"political_prisoner": 3, "protest_detainee": 1, "former_political_prisoner": 1},
         "all_people": 5, "undated": 1, "later_people": 1}
    assert cells(14, v) == (
        "3 recognised political prisoners died in custody by the statement (Viasna's definition; 2021: 1, 2024: 2; "
        "latest 1 Feb 2024). The latest published count before the statement: 9 (Viasna, 8 Sep 2025).",
        "1 more people in the table died after the statement.",
        "published totals range 3-9" + C14_U,
        "+1 protest detainees; +1 former political prisoners who died after release: 5 people in all; 1 person(s) "
        "with no date of death or report, not counted")


def test_c14_nobody():
    v = {"statement_date": S, "definition": "political_prisoner", "count": 0, "years": {}, "latest": None,
         "published": None, "by_status": {}, "all_people": 0, "undated": 0, "later_people": 0}
    assert cells(14, v) == ("No recognised political prisoner died in custody by the statement.", "",
                            "no published total" + C14_U, "")


# --- claim 15 --------------------------------------------------------------------------------------
C15 = {"statement_date": S, "waves_start": T("2024-07-01"), "base": 100.0, "base_date": T("2024-06-30"), "end": 90.0,
       "end_date": T("2025-12-13"), "released_waves": 50.0, "waves": 2,
       "totals": [("release waves", 50.0, None, None), ("pardoned_since_2024_07", 70.0, T("2025-12-01"), "Pozirk")],
       "released_low": 50.0, "released_high": 70.0, "without_low": 140.0, "without_high": 160.0, "later": None}
C15_U = ("an upper bound, since some would have left at the end of their terms; an interpretation, so at most "
         "consistent with the data")


def test_c15_sentences():
    assert cells(15, C15) == (
        # fell by 100 - 90 = 10; up to 90 + 50 = 140 >= 100; replaced 50 - 10 = 40
        "The count fell from 100 (30 Jun 2024, before the first wave) to 90 (13 Dec 2025), by 10, while 50 people "
        "were freed in release waves before that count; without the releases it would have stood at up to 140, above "
        "the level before the waves: new political prisoners replaced about 40 of those freed.",
        "",
        C15_U,
        "released since the waves began: 50-70 across counts (release waves: 50; pardoned_since_2024_07 1 Dec 2025 "
        "(Pozirk): 70), so the stock without releases is 140-160")


def test_c15_later_count():
    _, s, _, _ = cells(15, C15 | {"later": (T("2026-03-19"), 60.0, 57.0)})
    assert s == ("Latest exact count 60 (19 Mar 2026); with the 57 freed in waves before it, the stock without "
                 "releases would be up to 117 against 100 before the waves.")  # 60 + 57 = 117


def test_c15_no_exact_count():
    assert cells(15, {"statement_date": S}) == ("No exact count before the waves or up to the statement.", "", "none", "")


# --- key findings ----------------------------------------------------------------------------------
def test_key_findings_claim_14_with_no_death():
    values = {8: {"n": 0}, 3: {"events": 0}, 9: {"definitions": []}, 14: {"count": 0}, 15: {"statement_date": S}}
    results = [{"no": k, "verdict": "contradicted" if k == 14 else "not measurable", "values": values.get(k, {})}
               for k in range(1, 16)]
    assert prose.key_findings(results, S) == [
        "Of the 15 claims of the UN statement of 18 Dec 2025, judged only on evidence dated up to that day: "
        "1 contradicted; 14 not measurable.",
        "Claim 14 (contradicted): no death in custody dated up to the statement."]


# --- the claims in our words (claims.claim_text): the statement's own figure and the named release's date --
def _stated(*rows):
    return pd.DataFrame({"metric": "political_prisoners_remaining", "as_of_date": pd.to_datetime([d for d, _ in rows]),
                         "value": [float(x) for _, x in rows], "source_org": "UN News"})


def test_claim_text_fills_the_figure_stated_on_the_statement_day():
    from analysis import claims

    tables = {"other_figures": _stated(("2025-12-18", 1100), ("2025-09-30", 1200))}
    assert claims.claim_text(8, {}, tables) == "Human-rights defenders count more than 1,100 political prisoners still held."
    assert claims.claim_text(8, {}, tables, statement_date="2025-09-30") == (
        "Human-rights defenders count more than 1,200 political prisoners still held.")


def test_claim_text_fills_the_date_of_the_named_release():
    from analysis import claims

    tail = "that freed Bialiatski, Babaryka and Kalesnikava."
    assert claims.claim_text(6, {"named_date": T("2025-12-13")}, {}) == (
        f"There were several release waves in the past year, including a large one (13 Dec 2025) {tail}")
    assert claims.claim_text(6, {"named_date": None}, {}) == (
        f"There were several release waves in the past year, including a large one (date not found in the data) {tail}")
