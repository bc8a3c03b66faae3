"""diff of two cleaned snapshots: one class per person, exact accounting, and recovery of a synthetic pair's truth."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import snapshots
from analysis.__main__ import main as cli
from analysis.sources import synthetic_pair as sp
from analysis.stats import changes as ch


def _rec(record, person, status, died=False, exit_type=None, release=None, detention="2024-01-10", gender="male"):
    return {"record_id": record, "person_id": person, "status": status, "died": died,
            "exit_type": exit_type or ("died" if died else "still_held" if status == "current" else "unknown"),
            "release_date": pd.Timestamp(release) if release else pd.NaT,
            "detention_date": pd.Timestamp(detention), "gender": gender}


@pytest.fixture()
def tables():
    old = pd.DataFrame([
        _rec("r_unch", "p_unch", "current"),
        _rec("r_rel", "p_rel", "current"),
        _rec("r_died", "p_died", "current"),
        _rec("r_re1", "p_re", "former", release="2023-05-01"),
        _rec("r_np", "p_np", "not_recognised"),
        _rec("r_st", "p_st", "former"),
        _rec("r_gone", "p_gone", "former"),
        _rec("r_fix", "p_fix", "current"),
        _rec("r_m1", "p_m1", "current"),          # two people in OLD ...
        _rec("r_m2", "p_m2", "former"),
    ])
    new = pd.DataFrame([
        _rec("r_unch", "p_unch", "current"),
        _rec("r_rel", "p_rel", "former", exit_type="early_release", release="2026-04-10"),
        _rec("r_died", "p_died", "former", died=True),
        _rec("r_re1", "p_re", "former", release="2023-05-01"),
        _rec("r_re2", "p_re", "current", detention="2026-04-02"),
        _rec("r_np", "p_np", "current"),
        _rec("r_st", "p_st", "not_recognised"),
        _rec("r_fix", "p_fix", "current", gender="female"),
        _rec("r_m1", "p_m", "current"),           # ... linked into one person in NEW (new person_id)
        _rec("r_m2", "p_m", "former"),
        _rec("r_new", "p_new", "current", detention="2026-03-20"),
        _rec("r_list", "p_list", "not_recognised", detention="2026-04-05"),
    ])
    return old, new


def test_each_class_and_exact_accounting(tables):
    old, new = tables
    c = ch.classify(old, new).set_index("unit")
    assert c.loc["p_unch", "change"] == "unchanged"
    assert c.loc["p_rel", "change"] == "released" and c.loc["p_rel", "route"] == "early_release"
    assert c.loc["p_rel", "event_month"] == pd.Timestamp("2026-04-01")
    assert c.loc["p_died", "change"] == "died"
    assert c.loc["p_re", "change"] == "re_arrested" and c.loc["p_re", "event_date"] == pd.Timestamp("2026-04-02")
    assert c.loc["p_np", "change"] == "newly_recognised"
    assert c.loc["p_st", "change"] == "status_changed"
    assert c.loc["p_gone", "change"] == "record_removed"
    assert c.loc["p_fix", "change"] == "field_corrected"
    assert c.loc["p_new", "change"] == "newly_recognised"
    assert c.loc["p_list", "change"] == "newly_listed"
    # p_m1, p_m2 (old) and p_m (new) share records: one unit, named by the smallest id, counted once
    assert "p_m" in c.index and "p_m1" not in c.index and "p_m2" not in c.index
    assert c.loc["p_m", "change"] == "field_corrected"
    acc = ch.check_accounting(ch.classify(old, new), old, new)
    assert acc["units"] == acc["classified"] == 11
    s = ch.summary(ch.classify(old, new))
    assert list(s["change"]) == list(ch.CLASSES) and s["people"].sum() == 11
    # the change in the number held is exactly the sum of the classes' contributions
    held_old = (old["status"].eq("current") & ~old["died"]).groupby(old["person_id"]).any().sum()
    held_new = (new["status"].eq("current") & ~new["died"]).groupby(new["person_id"]).any().sum()
    assert s["change_in_held"].sum() == held_new - held_old


def test_flows_identity(tables):
    old, new = tables
    f = ch.snapshot_flows(ch.classify(old, new), pd.Timestamp("2026-03-31"), pd.Timestamp("2026-04-30"))
    assert f["held_new"] == f["held_old"] + f["inflow"] - f["outflow"] + f["other"]
    assert (f["inflow"], f["outflow"]) == (3, 2)  # new + np->current + re-arrest; released + died
    with pytest.raises(ValueError, match="not after"):
        ch.snapshot_flows(ch.classify(old, new), pd.Timestamp("2026-04-30"), pd.Timestamp("2026-03-31"))


def test_identical_snapshots_are_unchanged(tables):
    old, _ = tables
    c = ch.classify(old, old.copy())
    assert set(c["change"]) == {"unchanged"} and len(c) == old["person_id"].nunique()


@pytest.fixture(scope="module")
def cleaned_pair(tmp_path_factory):
    pair = sp.build_pair(n=2000, seed=3)
    folder = tmp_path_factory.mktemp("snapshots")
    old_dir, new_dir = sp.clean_pair(pair, folder)
    return pair, old_dir, new_dir


def test_diff_recovers_the_true_changes_of_a_synthetic_pair(cleaned_pair):
    pair, old_dir, new_dir = cleaned_pair
    old, new = snapshots.read_snapshot(old_dir), snapshots.read_snapshot(new_dir)
    c = ch.classify(old, new)
    ch.check_accounting(c, old, new)
    truth = sp.truth_by_record(pair)
    expected = ch.true_classes(old, new, truth)
    got = c.set_index("unit")["change"]
    assert set(got.index) == set(expected.index)
    mismatch = got[got != expected.reindex(got.index)]
    assert mismatch.empty, mismatch.head()
    rec = ch.recovery(c, expected)
    assert rec["recovered"].all() and rec["true"].sum() == len(c)
    counts = c["change"].value_counts().to_dict()
    for klass, n in sp.true_counts(pair).items():
        assert counts[klass] == n
    # routes: releases without a date are "unknown", dated ones are not
    units = ch._units(old, new)
    rel = new.loc[new["record_id"].isin(truth.loc[truth["change"].eq("released"), "record_id"])]
    rel = rel.assign(unit=rel["person_id"].map(units)).merge(truth, on="record_id")
    routes = c.set_index("unit").loc[rel["unit"], "route"].to_numpy()
    dated = rel["release_dated"].to_numpy(dtype=bool)
    assert (~dated).sum() > 0 and (routes[~dated] == "unknown").all()
    assert pd.Series(routes[dated]).isin(["early_release", "sentence_served"]).all()


def test_pair_is_deterministic_and_synthetic():
    a, b = sp.build_pair(n=1500, seed=5), sp.build_pair(n=1500, seed=5)
    pd.testing.assert_frame_equal(a.new, b.new)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert a.new["name"].str.startswith("Синтетический Человек").all()
    assert a.new_date > a.old_date


def test_diff_cli(cleaned_pair, tmp_path, capsys):
    _, old_dir, new_dir = cleaned_pair
    assert cli(["diff", str(old_dir), str(new_dir), "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "each in exactly one class" in out and "released, by route" in out and "inflow" in out
    assert (tmp_path / "d" / "changes.csv").stat().st_mode & 0o777 == 0o600
    assert cli(["diff", str(tmp_path), str(new_dir)]) == 2
    assert "not a cleaned snapshot" in capsys.readouterr().err
