"""Claim 14 (deaths in custody) on a hand-made table, against the mutants of analysis.claims.deaths that the
tests of test_claims.py let through. Expected values are counted by hand."""

from __future__ import annotations

import pandas as pd

from analysis.claims import deaths as D

S = pd.Timestamp("2025-12-18")


def _table(rows):
    return pd.DataFrame(rows, columns=["death_id", "date_of_death", "source_published", "person_status",
                                       "in_custody_or_after_release", "source_org"]).assign(
        date_of_death=lambda d: pd.to_datetime(d["date_of_death"]),
        source_published=lambda d: pd.to_datetime(d["source_published"]))


def test_no_death_in_custody_and_one_after_the_statement():
    t = _table([("DC-1", "2024-03-01", None, "political_prisoner", "after_release", "Viasna"),
                ("DC-2", "2026-01-05", None, "political_prisoner", "in_custody", "Viasna")])
    total = "deaths_in_custody_total"
    other = pd.DataFrame({"metric": [total, "pp_count", total, total, total, total],
                          "as_of_date": pd.to_datetime(["2025-09-08", "2025-10-01", "2025-10-02", "2023-07-31",
                                                        "2024-01-01", "2026-01-10"]),
                          "value": [9.0, 1197.0, 40.0, 3.0, 5.0, 10.0],
                          "source_org": ["Viasna", "Viasna", "OHCHR", "Nasha Niva", "RFE/RL", "Viasna"]})
    r = D.deaths(t, other, S)
    v = r["values"]
    assert r["verdict"] == "contradicted" and v["count"] == 0 and v["latest"] is None
    assert v["statement_date"] == S and v["later_people"] == 1 and v["all_people"] == 1
    # non-UN totals of the right metric up to the statement: 3 (2023), 5 (2024), 9 (Sep 2025, the last)
    assert v["published"] == (3.0, 9.0, pd.Timestamp("2025-09-08"), 9.0, "Viasna")
    assert [(name, d.index.tolist()) for name, d in r["rows"]] == [("other_figures", [0])]
    assert [(name, d.index.tolist()) for name, d in r["since"]] == [("deaths_in_custody", [1]), ("other_figures", [5])]


def test_published_total_of_the_latest_date_in_table_order():
    # 20 published totals on five dates, several per date (the dates and order of test_mut_claims_legal's tie
    # test): the latest date, 21 Nov 2024, has rows 6, 8, 12 and 15. The last of them in the table (row 15:
    # 12, Viasna) is the latest published count; an unstable sort of this many rows does not keep that order.
    dates = ["2024-06-30", "2023-06-30", "2023-12-31", "2023-12-31", "2023-12-31", "2022-12-31", "2024-11-21",
             "2023-12-31", "2024-11-21", "2022-12-31", "2023-06-30", "2024-06-30", "2024-11-21", "2023-12-31",
             "2023-06-30", "2024-11-21", "2024-06-30", "2022-12-31", "2024-06-30", "2024-06-30"]
    values = [8, 5, 6, 6, 6, 3, 9, 7, 10, 3, 5, 8, 11, 7, 5, 12, 8, 4, 8, 8]
    orgs = ["Nasha Niva"] * 20
    orgs[15] = "Viasna"
    other = pd.DataFrame({"metric": "deaths_in_custody_total", "as_of_date": pd.to_datetime(dates),
                          "value": [float(x) for x in values], "source_org": orgs})
    v = D.deaths(_table([]), other, S)["values"]
    assert v["published"] == (3.0, 12.0, pd.Timestamp("2024-11-21"), 12.0, "Viasna")
