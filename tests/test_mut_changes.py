"""stats.changes functions report 05 shows that had no unit test: overview, consecutive_flows, key findings, routes."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.stats import changes as ch


def _t(rows):
    """Snapshot table from (record, person, status, died) tuples."""
    out = pd.DataFrame(rows, columns=["record_id", "person_id", "status", "died"])
    out["exit_type"] = ["died" if d else "still_held" if s == "current" else "unknown"
                        for s, d in zip(out["status"], out["died"])]
    out["release_date"] = pd.NaT
    out["detention_date"] = pd.Timestamp("2024-01-10")
    out["gender"] = "male"
    return out


A = _t([("r1", "p1", "current", False), ("r2", "p1", "former", False),  # one person, two records, held
        ("r3", "p2", "current", True),                                   # dead: not held
        ("r4", "p3", "former", False), ("r5", "p4", "not_recognised", False), ("r6", "p5", "current", False)])
B = _t([("r1", "p1", "former", False), ("r2", "p1", "former", False),   # p1 released
        ("r3", "p2", "current", True), ("r4", "p3", "former", False), ("r5", "p4", "not_recognised", False),
        ("r6", "p5", "current", False), ("r7", "p6", "current", False), ("r8", "p7", "current", False)])
C = _t([*B.loc[B["record_id"] != "r6", ["record_id", "person_id", "status", "died"]].itertuples(index=False),
        ("r6", "p5", "current", True)])                                  # p5 died


def test_overview_counts_records_people_and_people_held_by_hand():
    out = ch.overview([(pd.Timestamp("2026-01-31"), A), (pd.Timestamp("2026-03-02"), B)])
    assert out.to_dict("records") == [
        {"snapshot": "2026-01-31", "records": 6, "people": 5, "held": 2},   # p1 and p5 (p2 is dead)
        {"snapshot": "2026-03-02", "records": 8, "people": 7, "held": 3},   # p5, p6, p7
    ]


def test_consecutive_flows_one_row_per_interval_oldest_first():
    days = [pd.Timestamp("2026-01-31"), pd.Timestamp("2026-03-02"), pd.Timestamp("2026-04-01")]
    out = ch.consecutive_flows(list(zip(days, [A, B, C])))
    assert len(out) == 2
    first, second = out.iloc[0], out.iloc[1]
    assert (first["old_date"], first["new_date"]) == (days[0], days[1])
    assert (second["old_date"], second["new_date"]) == (days[1], days[2])
    assert (first["held_old"], first["held_new"], first["inflow"], first["outflow"]) == (2, 3, 2, 1)
    assert (second["held_old"], second["held_new"], second["inflow"], second["outflow"]) == (3, 2, 0, 1)
    assert first["months"] == pytest.approx(30 / (365.2425 / 12), abs=1e-4)
    assert ch.consecutive_flows([(days[0], A)]).empty


def _comparison(same_in, same_out, ref_in_months=3, ref_out_months=3):
    """compare_with_aggregates-like rows for one interval ending 2026-04-30."""
    def row(measure, per_month, same, months):
        return {"old_date": pd.Timestamp("2026-03-31"), "new_date": pd.Timestamp("2026-04-30"), "measure": measure,
                "snapshots_per_month": per_month, "aggregate_same_months": same,
                "aggregate_months_observed": 0 if pd.isna(same) else 1,
                "reference_start": pd.Timestamp("2026-01-01") if months else pd.NaT,
                "reference_end": pd.Timestamp("2026-04-01") if months else pd.NaT, "reference_months": months,
                "reference_mean": 50.0 if months else float("nan"),
                "reference_ci_low": 40.0 if months > 1 else float("nan"),
                "reference_ci_high": 60.0 if months > 1 else float("nan")}
    return pd.DataFrame([row("inflow", 20.0, same_in, ref_in_months), row("outflow", 30.0, same_out, ref_out_months)])


FLOWS = {"old_date": pd.Timestamp("2026-03-31"), "new_date": pd.Timestamp("2026-04-30"), "held_old": 100,
         "held_new": 90, "inflow": 20, "outflow": 30, "other": 0}
SUMMARY = pd.DataFrame({"change": ["released", "died", "newly_recognised", "re_arrested"], "people": [30, 0, 20, 6]})


def _per_month(comparison) -> str:
    return next(s for s in ch.key_findings(SUMMARY, FLOWS, comparison, 500) if s.startswith("Per month"))


def test_the_per_month_finding_with_both_aggregates():
    assert _per_month(_comparison(55.0, 35.0)) == (
        "Per month, the snapshots show an inflow of 20 and an outflow of 30 people; over Jan 2026–Apr 2026 the "
        "aggregate series averaged 50 newly recognised (95% CI 40–60) and an implied outflow of 50 (95% CI 40–60) "
        "a month, and 55 in and 35 out in the same calendar months.")


def test_the_per_month_finding_never_prints_nan_when_one_aggregate_is_missing():
    text = _per_month(_comparison(55.0, float("nan"), ref_out_months=0))
    assert "nan" not in text
    assert text.endswith("averaged 50 newly recognised (95% CI 40–60) a month, and 55 newly recognised a month in the "
                         "same calendar months (no implied outflow there).")
    text = _per_month(_comparison(float("nan"), 35.0, ref_in_months=0))
    assert text.endswith("averaged an implied outflow of 50 (95% CI 40–60) a month, and an implied outflow of 35 a "
                         "month in the same calendar months (no inflow figure there).")
    text = _per_month(_comparison(float("nan"), float("nan"), ref_in_months=1, ref_out_months=0))
    assert "nan" not in text and "50 newly recognised (one month: no interval) a month" in text
    assert text.endswith("; the aggregate series has no figure for the months between the snapshots.")
    text = _per_month(_comparison(float("nan"), float("nan"), 0, 0))
    assert text == ("Per month, the snapshots show an inflow of 20 and an outflow of 30 people; the aggregate "
                    "series has no figure for the months between the snapshots.")


def test_routes_accounting_and_recovery_by_hand():
    old = A
    new = B
    c = ch.classify(old, new)
    assert c.set_index("unit").loc["p5", "route"] == ch.NO_ROUTE == ""  # only released people have a route
    routes = ch.release_routes(c)
    assert routes.to_dict("records") == [{"route": "early_release", "people": 0},
                                         {"route": "sentence_served", "people": 0},
                                         {"route": "unknown", "people": 1}]  # p1: no exit type in B
    bad = pd.concat([c, c.iloc[:1]])
    with pytest.raises(ValueError, match="^a person falls in more than one class, or in none$"):
        ch.check_accounting(bad, old, new)
    truth = c.set_index("unit")["change"].rename("true_change")
    rec = ch.recovery(c, truth)
    assert list(rec.columns) == ["change", "true", "found", "found_and_true", "recovered"]
    assert rec["change"].tolist() == list(ch.CLASSES) and rec["recovered"].all()
    truth2 = truth.copy()
    truth2["p1"] = "died"
    rec2 = ch.recovery(c, truth2).set_index("change")
    assert rec2.loc["released", ["true", "found", "found_and_true"]].tolist() == [0, 1, 0]
    assert not rec2.loc["released", "recovered"] and not rec2.loc["died", "recovered"]
    assert rec2["recovered"].sum() == len(ch.CLASSES) - 2
