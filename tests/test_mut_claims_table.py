"""The claims table helpers (citations, Markdown, results.json values) on hand-made rows with the expected text
written out; against the mutants of analysis.claims.table that the report-level tests let through."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import table


def test_cite_rows_dates_identifiers_and_duplicates():
    rows = pd.DataFrame({
        "source_org": ["Viasna (reported by AP)", None, "RFE/RL", "RFE/RL"],
        "source_published": [pd.Timestamp("2025-01-05"), "", None, None],
        "as_of_date": [pd.Timestamp("2024-12-31"), pd.Timestamp("2025-02-03"), pd.NaT, pd.NaT],
    }, index=[0, 4, 7, 8])
    assert table.cite_rows("other_figures", rows) == [
        "Viasna, 5 Jan 2025, other_figures row 1",  # publication date first; day without a leading zero
        "unknown publisher, 3 Feb 2025, other_figures row 5",  # empty publication date: the figure's own date
        "RFE/RL, undated, other_figures row 8", "RFE/RL, undated, other_figures row 9"]
    ev = pd.DataFrame({"source_org": ["AP", "AP"], "event_date": pd.to_datetime(["2025-09-11", "2025-09-11"]),
                       "event_id": ["RW-1", "RW-1"]})
    assert table.cite_rows("release_events", ev) == ["AP, 11 Sep 2025, RW-1"]  # the same citation once
    d = pd.DataFrame({"source_org": ["Viasna"], "date_of_death": pd.to_datetime(["2021-07-01"]), "death_id": ["D1"]},
                     index=[2])
    assert table.cite_rows("deaths_in_custody", d) == ["Viasna, 1 Jul 2021, D1, deaths_in_custody row 3"]


def test_citations_limit_and_tables_joined():
    rows = pd.DataFrame({"source_org": list("ABC"), "as_of_date": pd.to_datetime(["2025-01-01"] * 3)})
    out = table.citations([("pp_counts", rows), ("other_figures", rows.iloc[:0]), ("other_figures", rows.iloc[:1])],
                          limit=2)
    assert out == ("A, 1 Jan 2025, pp_counts row 1; B, 1 Jan 2025, pp_counts row 2; and 1 more pp_counts rows"
                   " | A, 1 Jan 2025, other_figures row 1")
    assert table.citations([("pp_counts", rows)]) == ("A, 1 Jan 2025, pp_counts row 1; B, 1 Jan 2025, pp_counts "
                                                      "row 2; C, 1 Jan 2025, pp_counts row 3")


def test_markdown_table():
    t = pd.DataFrame({"no": [1, 2], "claim": ["a | b", "x\ny"], "verdict": ["supported", "contradicted"],
                      "finding": ["", "f"]})
    assert table.markdown_table(t, ("no", "claim", "verdict", "finding")) == "\n".join([
        "| # | claim (paraphrased) | verdict | evidence dated up to the statement |",
        "|---|---|---|---|",
        "| 1 | a \\| b | **supported** | – |",
        "| 2 | x y | **contradicted** | f |"])
    assert table.markdown_table(t.assign(other=["o", "p"]), ("other",)).splitlines()[0] == "| other |"


def test_rounded_values_for_json():
    v = {1: (np.int64(3), 0.123456, np.float64(np.nan)), "d": [pd.Timestamp("2025-12-18"), {"x": 2.0}], "s": "t"}
    assert table._rounded(v) == {"1": [3, 0.1235, None], "d": ["2025-12-18", {"x": 2.0}], "s": "t"}
    assert table._rounded(1.23456789, digits=2) == 1.23 and type(table._rounded(np.int64(3))) is int
    assert table._rounded({"a": [1.23456]}, digits=1) == {"a": [1.2]}


def test_results_summary():
    results = [{"no": 1, "verdict": "supported", "values": {"n": 3, "share": 2 / 3}},
               {"no": 12, "verdict": "not measurable", "values": {}}]
    assert table.results_summary(results) == {
        "claim_01_verdict": "supported", "claim_12_verdict": "not measurable",
        "claim_01_values": {"n": 3, "share": 0.6667},
        "verdict_counts": {"supported": 1, "consistent with the data": 0, "not contradicted": 0, "contradicted": 0,
                           "not measurable": 1}}


def test_an_event_id_names_only_release_events_and_a_full_page_says_no_more():
    rows = pd.DataFrame({"source_org": ["Viasna"], "event_date": pd.to_datetime(["2024-08-01"]), "event_id": ["LE-1"]})
    assert table.cite_rows("legal_events", rows) == ["Viasna, 1 Aug 2024, legal_events row 1"]
    three = pd.DataFrame({"source_org": list("ABC"), "as_of_date": pd.to_datetime(["2025-01-01"] * 3)})
    assert "more" not in table.citations([("pp_counts", three)], limit=3)


def test_stated_figure_is_the_statements_own_row():
    import pytest

    from analysis.claims import statement
    from analysis.errors import DataError

    S = statement.STATEMENT_DATE
    other = pd.DataFrame({
        "metric": ["other_metric", statement.REMAINING_METRIC, statement.REMAINING_METRIC,
                   statement.REMAINING_METRIC],
        "as_of_date": [S, S - pd.Timedelta(days=1), S, S],
        "source_org": ["OHCHR", "OHCHR", "Viasna", "Mirage News (relaying OHCHR)"],
        "value": [5.0, 1000.0, 1197.0, 1100.0],
    })
    assert statement.stated_figure(other)["value"] == 1100.0  # not another metric, day or a non-UN publisher
    with pytest.raises(DataError) as e:
        statement.stated_figure(other.iloc[:3], statement_date=S)
    assert str(e.value) == ("other_figures.csv, column 'metric': no row of the statement's own figure (metric "
                            "'political_prisoners_remaining', dated 2025-12-18, UN source)")


def test_is_un_by_publisher_or_by_event_type():
    from analysis.claims import statement

    df = pd.DataFrame({"source_org": ["OHCHR", "Viasna", None, "UN News", "Viasna"],
                       "event_type": ["release", "un_statement", "release", None, "release"]})
    assert statement.is_un(df).tolist() == [True, True, False, True, False]
