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
