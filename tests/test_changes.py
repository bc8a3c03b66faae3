"""diff of two cleaned snapshots: one class per person, exact accounting, and recovery of a synthetic pair's truth."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import snapshots
from analysis.__main__ import main as cli
from analysis.sources import synthetic as syn
from analysis.sources.synthetic import pair_snapshots as ps
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


def test_a_birth_year_that_appears_or_disappears_is_a_field_change(tables):
    old, new = tables
    old = old.assign(birth_year=pd.array([1980] * len(old), dtype="Int64"))
    new = new.assign(birth_year=pd.array([1980] * len(new), dtype="Int64"))
    new.loc[new["record_id"].eq("r_unch"), "birth_year"] = pd.NA  # known -> missing (nullable column)
    c = ch.classify(old, new).set_index("unit")
    assert c.loc["p_unch", "change"] == "field_corrected"
    assert c["change"].eq("unchanged").sum() == 0


# Two years apart: every class of the diff occurs (3 deaths, 2 re-arrests), and so do the definitional
# differences the mapping of pair_snapshots handles (newly listed but recognised, case updated only in ignored
# columns, re-arrests that do not enter the people held, ...).
PAIR = (6, 2000, "2024-03-31", "2026-03-31")


@pytest.fixture(scope="module")
def cleaned_pair(tmp_path_factory):
    old, new, truth = syn.synthetic_pair(*PAIR)
    folder = tmp_path_factory.mktemp("snapshots")
    old_dir, new_dir = ps.clean_pair(old, new, truth, folder)
    return (old, new, truth), old_dir, new_dir


def test_diff_recovers_the_true_changes_of_a_synthetic_pair(cleaned_pair):
    pair, old_dir, new_dir = cleaned_pair
    old, new = snapshots.read_snapshot(old_dir), snapshots.read_snapshot(new_dir)
    c = ch.classify(old, new)
    ch.check_accounting(c, old, new)
    truth = ps.diff_truth(*pair)
    expected = ch.true_classes(old, new, truth)
    got = c.set_index("unit")["change"]
    assert set(got.index) == set(expected.index)
    mismatch = got[got != expected.reindex(got.index)]
    assert mismatch.empty, mismatch.head()
    rec = ch.recovery(c, expected)
    assert rec["recovered"].all() and rec["true"].sum() == len(c)
    assert (rec["true"] > 0).all(), rec  # every class occurs, so each one is checked
    counts = c["change"].value_counts().to_dict()
    assert ps.true_counts(*pair) == {k: counts[k] for k in sorted(counts)}
    # routes of people with one record: releases without a date are "unknown", dated ones are not (with several
    # records the route is that of the first record held, which may be another one)
    units = ch._units(old, new)
    rel = new.loc[new["record_id"].isin(truth.loc[truth["generator_change"].eq("released"), "record_id"])]
    rel = rel.assign(unit=rel["person_id"].map(units)).merge(truth, on="record_id")
    single = new["person_id"].map(units).value_counts().eq(1)
    rel = rel.loc[rel["change"].eq("released") & rel["unit"].map(single)]
    routes = c.set_index("unit").loc[rel["unit"], "route"].to_numpy()
    dated = rel["release_dated"].to_numpy(dtype=bool)
    assert (~dated).sum() > 0 and (routes[~dated] == "unknown").all()
    assert pd.Series(routes[dated]).isin(["early_release", "sentence_served"]).all()


def test_the_generator_classes_map_onto_the_diff_classes_as_documented(cleaned_pair):
    pair, _, _ = cleaned_pair
    p = ps.person_classes(*pair)
    assert set(p["url"]) == set(pair[2]["persons"]) and set(p["change"]) == set(ch.CLASSES)
    allowed = {
        "unchanged": {"unchanged"}, "field_corrected": {"field_corrected"},
        "case_updated": {"field_corrected", "unchanged"}, "newly_listed": {"newly_listed", "newly_recognised"},
        "record_removed": {"record_removed", "field_corrected"}, "status_changed": {"status_changed", "field_corrected"},
        "died": {"died", "newly_recognised"}, "released": {"released", "field_corrected"},
        "newly_recognised": {"newly_recognised", "status_changed", "field_corrected"},
        "rearrested": {"re_arrested", "released", "died", "newly_recognised", "status_changed", "field_corrected"},
    }
    seen = p.groupby("generator_change")["change"].agg(set)
    for g, found in seen.items():
        assert found <= allowed[g], (g, found)
    # the documented reasons: a newly recognised case of someone recognised before; released but held on another case
    old, new, _ = pair
    recognised_before = set(old.loc[old["status"].isin(["active", "former"]), "url"])
    held_after = set(new.loc[new["status"].eq("active") & new["died"].eq(""), "url"])
    other = p.loc[p["generator_change"].eq("newly_recognised") & p["change"].ne("newly_recognised"), "url"]
    assert len(other) and set(other) <= recognised_before
    other = p.loc[p["generator_change"].eq("released") & p["change"].ne("released"), "url"]
    assert set(other) <= held_after


def test_pair_truth_is_deterministic_and_synthetic(cleaned_pair):
    pair, _, _ = cleaned_pair
    a, b = ps.diff_truth(*pair), ps.diff_truth(*syn.synthetic_pair(*PAIR))
    pd.testing.assert_frame_equal(a, b)
    assert pair[1]["name"].str.startswith(syn.NAME_RU).all()
    assert pd.Timestamp(pair[2]["date_new"]) > pd.Timestamp(pair[2]["date_old"])


def test_diff_cli(cleaned_pair, tmp_path, capsys):
    _, old_dir, new_dir = cleaned_pair
    assert cli(["diff", str(old_dir), str(new_dir), "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "each in exactly one class" in out and "released, by route" in out and "inflow" in out
    assert (tmp_path / "d" / "changes.csv").stat().st_mode & 0o777 == 0o600
    assert cli(["diff", str(tmp_path), str(new_dir)]) == 2
    assert "not a cleaned snapshot" in capsys.readouterr().err


def test_report_05_tables_go_through_the_disclosure_chokepoint():
    """A column with one small cell: it is '<5' and the next smallest is withheld, so 3 = total - 40 - 12 fails."""
    from analysis import disclosure

    t = pd.DataFrame({"change": ["a", "b", "c", "d"], "people": [40, 3, 0, 12]})
    assert disclosure.protect(t, ["people"])["people"].tolist() == ["40", "<5", "0", "withheld"]
    assert not hasattr(ch, "protect")  # one small-cell rule for every report


def test_compare_with_aggregates_uses_same_months_and_a_reference_window():
    months = pd.date_range("2025-01-01", periods=6, freq="MS")
    balance = pd.DataFrame({"month": months, "inflow": [10.0, 20, 30, 40, 50, 60],
                            "implied_outflow": [5.0, 5, 5, 5, 5, float("nan")]})
    intervals = pd.DataFrame([{"old_date": pd.Timestamp("2025-05-10"), "new_date": pd.Timestamp("2025-06-09"),
                               "inflow_per_month": 7.0, "outflow_per_month": 9.0}])
    c = ch.compare_with_aggregates(intervals, balance, reference_months=3).set_index("measure")
    assert c.loc["inflow", "aggregate_same_months"] == 55 and c.loc["inflow", "aggregate_months_observed"] == 2
    assert c.loc["inflow", "reference_mean"] == 50 and c.loc["inflow", "reference_months"] == 3
    assert c.loc["inflow", "reference_ci_low"] < 50 < c.loc["inflow", "reference_ci_high"]
    assert c.loc["outflow", "aggregate_same_months"] == 5 and c.loc["outflow", "snapshots_per_month"] == 9


def test_key_findings_never_state_a_small_count(tables):
    old, new = tables
    result = ch.classify(old, new)
    interval = ch.snapshot_flows(result, pd.Timestamp("2026-03-31"), pd.Timestamp("2026-04-30"))
    comparison = ch.compare_with_aggregates(pd.DataFrame([interval]), pd.DataFrame(
        {"month": pd.date_range("2025-01-01", periods=3, freq="MS"), "inflow": [1.0, 2, 3],
         "implied_outflow": [1.0, 2, 3]}))
    text = " ".join(ch.key_findings(ch.summary(result), interval, comparison, len(result)))
    assert "fewer than 5 people held were released" in text and " in − " not in text and "Per month" not in text


def test_snapshot_folders(cleaned_pair, tmp_path):
    _, old_dir, _ = cleaned_pair
    found = snapshots.list_snapshots(old_dir.parent)
    assert list(found["date"]) == sorted(found["date"]) and len(found) == 2
    loaded = snapshots.load_snapshots(str(old_dir.parent))
    assert not loaded.synthetic and len(loaded.items) == 2
    with pytest.raises(Exception, match="at least two cleaned snapshots"):
        snapshots.load_snapshots(str(tmp_path))
    (tmp_path / "2026-02-30").mkdir()
    assert snapshots.snapshot_date(tmp_path / "2026-02-30") is None and snapshots.list_snapshots(tmp_path).empty
    assert snapshots.snapshot_date(old_dir / "people.csv") == snapshots.snapshot_date(old_dir)


def test_reference_interval_equals_report_01s_period_means():
    from analysis.stats import flows

    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    values = [31.0, 45, 52, 38, 60, 41, 47, 55, 33, 49, 58, 40]
    balance = pd.DataFrame({"month": months, "inflow": values, "implied_outflow": values, "net_change": values})
    ref = flows.period_means(balance, {"all": ("2024-01-01", "2024-12-01")}).set_index("measure").loc["inflow"]
    n, mean, lo, hi = ch._mean_ci(balance["inflow"])
    assert (n, mean) == (ref["n_months"], ref["mean_per_month"])
    assert lo == pytest.approx(ref["ci_low"], abs=1e-12) and hi == pytest.approx(ref["ci_high"], abs=1e-12)
