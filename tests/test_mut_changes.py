"""stats.changes functions report 05 shows that had no unit test: overview, consecutive_flows, protect_columns."""

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


def test_protect_columns_protects_each_column_on_its_own():
    t = pd.DataFrame({"k": ["a", "b", "c", "d"], "x": [40, 3, 0, 12], "y": [40, 3, 2, 12], "z": [1, 2, 3, 4]})
    out = ch.protect_columns(t, ["x", "y"])
    assert out["x"].tolist() == [40, "<5", 0, "<5"]   # one small cell: the next smallest (12) hidden too
    assert out["y"].tolist() == [40, "<5", "<5", 12]  # two small cells hide each other
    assert out["z"].tolist() == [1, 2, 3, 4] and out["k"].tolist() == ["a", "b", "c", "d"]  # untouched
    assert t["x"].tolist() == [40, 3, 0, 12]  # input not modified
    assert ch.protect_columns(t, ["x"], threshold=13)["x"].tolist() == [40, "<13", 0, "<13"]  # 3 and 12 both small
