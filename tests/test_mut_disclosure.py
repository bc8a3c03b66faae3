"""Disclosure control, case by case, written against the mutants that the tests of test_disclosure.py let through
(docs/MUTATION.md). Every expected table is worked out by hand from the rule in the docstring of
analysis.disclosure, not computed by the code under test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import disclosure


def _people(levels: dict[str, int], column: str = "g", person: str = "person_id") -> pd.DataFrame:
    rows = [(f"{lvl}-{i}", lvl) for lvl, n in levels.items() for i in range(n)]
    return pd.DataFrame(rows, columns=[person, column])


# ── merge_small ──────────────────────────────────────────────────────────────────────────────────
def test_missing_values_are_the_level_unknown():
    df = _people({"a": 20})
    df = pd.concat([df, pd.DataFrame({"person_id": [f"x{i}" for i in range(6)], "g": [None] * 6}),
                    _people({"b": 2})], ignore_index=True)
    assert disclosure._people(df.assign(g=df["g"].astype(object)), "g").to_dict() == {"a": 20, "b": 2, "unknown": 6}
    out, notes = disclosure.merge_small(df, ["g"])
    # b (2 people) alone is too small; the smallest large level, unknown (6), joins it
    assert out["g"].value_counts().to_dict() == {"a": 20, "unknown + other": 8}
    assert notes == ["g: levels with fewer than 5 people (b) are shown together as 'unknown + other'"]


def test_merge_small_uses_a_raised_threshold():
    out, notes = disclosure.merge_small(_people({"a": 20, "b": 6, "c": 8}), ["g"], min_n=7)
    # b (6 < 7) is pooled; 6 is still < 7, so c joins it
    assert out["g"].value_counts().to_dict() == {"a": 20, "c + other": 14}
    assert "fewer than 7 people (b)" in notes[0]


def test_merge_small_goes_on_past_a_missing_column_and_a_column_without_small_levels():
    df = _people({"a": 21, "b": 20, "c": 3})
    df["h"] = df["g"]
    df["g"] = np.where(df.index % 2 == 0, "even", "odd")  # 22 and 22 people: nothing to pool
    out, notes = disclosure.merge_small(df, ["not_there", "g", "h"])
    assert out["g"].tolist() == df["g"].tolist()
    assert out["h"].value_counts().to_dict() == {"a": 21, "b + other": 23}
    assert len(notes) == 1 and notes[0].startswith("h: ")


def test_merge_small_counts_people_in_the_pool_not_records():
    df = pd.concat([_people({"a": 30, "b": 20, "c": 3})] * 2, ignore_index=True)  # c: 3 people, 6 records
    out, _ = disclosure.merge_small(df, ["g"])
    assert set(out["g"]) == {"a", "b + other"}  # 3 people < 5, so b joins though c has 6 records


def test_merge_small_without_person_ids_counts_rows():
    df = _people({"a": 30, "b": 20, "c": 3, "d": 1}).drop(columns="person_id")
    out, notes = disclosure.merge_small(df, ["g"])
    assert out["g"].value_counts().to_dict() == {"a": 30, "b + other": 24}
    assert "(c, d)" in notes[0]


def test_merge_small_with_another_person_column():
    df = pd.concat([_people({"a": 30, "b": 3}, person="pid")] * 2, ignore_index=True)  # b: 6 rows, 3 people
    out, _ = disclosure.merge_small(df, ["g"], person="pid")
    assert set(out["g"]) == {"a + other"}


def test_a_pool_of_exactly_five_stands_alone():
    out, notes = disclosure.merge_small(_people({"a": 20, "b": 10, "c": 3, "d": 2}, column="article_family"),
                                        ["article_family"])
    assert out["article_family"].value_counts().to_dict() == {"a": 20, "b": 10, "other": 5}
    assert notes == ["article family: levels with fewer than 5 people (c, d) are shown together as 'other'"]


# ── hidden / protect ─────────────────────────────────────────────────────────────────────────────
def test_hidden_uses_a_raised_threshold():
    t = pd.DataFrame({"n": [7, 40, 50]})
    primary, hide = disclosure.hidden(t, "n", min_n=10)
    assert primary.tolist() == [True, False, False] and hide.tolist() == [True, True, False]
    assert disclosure.protect(t, ["n"], min_n=10)["n"].tolist() == ["<10", "withheld", "50"]


def test_missing_and_unreadable_counts_are_not_small():
    t = pd.DataFrame({"n": [np.nan, 50, 60]})
    assert disclosure.protect(t, ["n"])["n"].tolist() == ["–", "50", "60"]
    t = pd.DataFrame({"n": ["n/a", "3", "40"]})
    assert disclosure.protect(t, ["n"])["n"].tolist() == ["–", "<5", "withheld"]


def test_a_given_primary_mask_is_aligned_on_the_index():
    t = pd.DataFrame({"n": [7, 1, 40]}, index=[10, 11, 12])
    primary, hide = disclosure.hidden(t, "n", primary=pd.Series([True], index=[10]))
    assert primary.tolist() == [True, False, False]
    assert hide.tolist() == [True, True, False]  # the smallest positive other cell: 7 + 1 = 8 >= 5


def test_two_hidden_cells_adding_to_exactly_five_are_enough():
    t = pd.DataFrame({"n": [100, 2, 3, 50]})
    assert disclosure.protect(t, ["n"])["n"].tolist() == ["100", "<5", "<5", "50"]


def test_zero_is_never_a_complement():
    t = pd.DataFrame({"n": [0, 3, 40]})
    assert disclosure.protect(t, ["n"])["n"].tolist() == ["0", "<5", "withheld"]


def test_every_line_is_protected_after_one_that_needs_nothing_or_can_do_nothing():
    t = pd.DataFrame({"k": ["a", "a", "a", "z", "b", "b"], "n": [2, 3, 100, 3, 1, 40]})
    # a: 2 + 3 hidden = 5, enough; z: a lone small cell with nothing to hide beside it; b: 40 withheld
    assert disclosure.protect(t, ["n"], lines=[["k"]])["n"].tolist() == ["<5", "<5", "100", "<5", "<5", "withheld"]


def test_missing_key_is_a_line_of_its_own():
    # (a line on one key alone that holds a missing value raises in pandas 2.3's groupby(...).groups)
    t = pd.DataFrame({"j": ["y"] * 4, "k": [None, None, "x", "x"], "n": [3, 40, 50, 60]})
    assert disclosure.protect(t, ["n"], lines=[["j", "k"]])["n"].tolist() == ["<5", "withheld", "50", "60"]


def test_complements_propagate_until_every_line_is_safe():
    # pass 1, rows: r1 hides 30 beside the 2; columns: c1 hides 10 (r2), c2 hides 20 (r3);
    # pass 2, rows: r2 and r3 now hide one cell each, so 60 and 50 go too
    t = pd.DataFrame({"r": ["r1", "r1", "r2", "r2", "r3", "r3"], "c": ["c1", "c2"] * 3, "n": [2, 30, 10, 60, 50, 20]})
    _, hide = disclosure.hidden(t, "n", lines=[["r"], ["c"]])
    assert hide.tolist() == [True] * 6


def test_shown_counts_keep_the_index():
    values = pd.Series([3, 40, np.nan], index=[7, 8, 9])
    out = disclosure.shown_counts(values, pd.Series([True, False, False], index=[7, 8, 9]),
                                  pd.Series([True, True, False], index=[7, 8, 9]))
    assert out.to_dict() == {7: "<5", 8: "withheld", 9: "–"}


def test_derived_columns_are_blanked_where_their_count_is_hidden():
    t = pd.DataFrame({"n": [3, 40, 60], "share": [0.03, 0.4, 0.6]})
    out = disclosure.protect(t, ["n"], derived={"n": ["share"]})
    assert out["share"].tolist()[2] == 0.6 and out["share"].iloc[0] is None and out["share"].iloc[1] is None


# ── protect_summary ──────────────────────────────────────────────────────────────────────────────
def test_protect_summary_raised_threshold_and_lines():
    s = pd.DataFrame({"k": ["a", "a", "b", "b"], "n": [3, 80, 60, 70], "mean": [1.0, 2.0, 3.0, 4.0]})
    out = disclosure.protect_summary(s, lines=[["k"]])
    assert out["n"].tolist() == ["<5", "withheld", "60", "70"]  # along k, not the whole table (which hides 60)
    out = disclosure.protect_summary(s.assign(n=[8, 80, 60, 70]), lines=[["k"]], min_n=10)
    assert out["n"].tolist() == ["<10", "withheld", "60", "70"] and pd.isna(out.loc[0, "mean"])


def test_protect_summary_blanks_only_the_statistics():
    s = pd.DataFrame({"g": ["a", "b", "c"], "n": [3, 40, 60], "median": [1.0, 2.0, 3.0], "mean": [4.0, 5.0, 6.0],
                      "flag": [True, False, True]})
    out = disclosure.protect_summary(s)
    assert out.loc[0, "g"] == "a" and out.loc[0, "flag"] is np.True_ and pd.isna(out.loc[0, "mean"])
    out = disclosure.protect_summary(s, stats=["median"])
    assert pd.isna(out.loc[0, "median"]) and out.loc[0, "mean"] == 4.0


def test_protect_summary_reads_unreadable_counts_as_missing():
    s = pd.DataFrame({"n": [50, 60, "n/a"], "events": [20, "n/a", 30]})
    out = disclosure.protect_summary(s, extra_counts=["events"])
    assert out["n"].tolist() == ["50", "60", "–"] and out["events"].tolist() == ["20", "–", "30"]


def test_protect_summary_events_small_by_themselves():
    s = pd.DataFrame({"n": [50, 60, 70], "events": [30, 3, 40]})
    out = disclosure.protect_summary(s, extra_counts=["events"])
    assert out["events"].tolist() == ["withheld", "<5", "40"]


def test_protect_summary_events_of_a_small_group_are_small_too():
    s = pd.DataFrame({"n": [3, 50, 60], "events": [1, 20, 30]})
    out = disclosure.protect_summary(s, extra_counts=["events"])
    assert out["n"].tolist() == ["<5", "withheld", "60"] and out["events"].iloc[0] == "<5"


def test_protect_summary_events_along_lines_and_raised_threshold():
    s = pd.DataFrame({"k": ["a", "a", "b", "b"], "n": [50, 90, 60, 70], "events": [8, 80, 20, 30]})
    out = disclosure.protect_summary(s, lines=[["k"]], extra_counts=["events"], min_n=10)
    # 8 < 10 events; the complement goes in line a (80), not the smallest of the table (20)
    assert out["events"].tolist() == ["<10", "withheld", "20", "30"]


# ── pool_steps, risk_shown, cut_curves, small_cells, check ───────────────────────────────────────
def _steps(removed: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"step": [f"s{i}" for i in range(len(removed))], "removed": removed})


def test_pool_steps_boundary_and_raised_threshold():
    assert disclosure.pool_steps(_steps([0, 5, 100]), "step", "removed")["removed"].tolist() == [0, 5, 100]
    out = disclosure.pool_steps(_steps([0, 7, 100]), "step", "removed", min_n=10)
    assert out["removed"].tolist() == [0, 107] and out["step"].tolist() == ["s0", "s1; s2"]


def test_pool_steps_trailing_small_step_joins_the_last_step_that_removed_something():
    out = disclosure.pool_steps(_steps([0, 0, 100, 3]), "step", "removed")
    assert out["removed"].tolist() == [0, 0, 103] and out["step"].iloc[-1] == "s2; s3"


def test_pool_steps_trailing_small_step_after_nothing_removed_is_shown_small():
    out = disclosure.pool_steps(_steps([0, 3]), "step", "removed")
    assert out["removed"].tolist() == [0, "<5"] and out["step"].tolist() == ["s0", "s1"]
    out = disclosure.pool_steps(_steps([3]), "step", "removed")
    assert out["removed"].tolist() == ["<5"]


def test_pool_steps_of_no_steps_keeps_the_columns():
    assert list(disclosure.pool_steps(_steps([]), "step", "removed").columns) == ["step", "removed"]


def test_risk_shown_raised_threshold():
    risk = pd.DataFrame({"group": ["a", "b", "c"], "time": [0, 0, 0], "at_risk": [7, 20, 30]})
    assert disclosure.risk_shown(risk, min_n=10)["at_risk"].tolist() == ["<10", "withheld", "30"]


def test_cut_curves_keep_group_order_and_raised_threshold():
    c = pd.DataFrame({"group": ["b", "b", "a", "a"], "time": [0, 1, 0, 1], "at_risk": [20, 8, 30, "n/a"]})
    out = disclosure.cut_curves(c, min_n=10)
    assert out["group"].tolist() == ["b", "a", "a"] and out["time"].tolist() == [0, 0, 1]
    assert disclosure.cut_curves(c.iloc[:0]).empty
    assert disclosure.cut_curves(pd.DataFrame({"group": [np.nan], "at_risk": [3]})).empty  # no group: nothing


def test_small_cells_looks_at_every_count_column_and_check_names_it():
    t = pd.DataFrame({"n": [3, 50], "events": [20, 30]})
    assert disclosure.small_cells(t, ["n", "events"]).index.tolist() == [0]
    with pytest.raises(ValueError, match=r"t: column 'n' shows a count below 5 in row 0; pass it through "
                                         r"analysis.disclosure before publishing"):
        disclosure.check(t, ["gone", "events", "n"], name="t")


def test_protect_summary_events_complements_use_the_raised_threshold():
    s = pd.DataFrame({"n": [50, 60, 70], "events": [6, 3, 40]})
    out = disclosure.protect_summary(s, extra_counts=["events"], min_n=10)
    # 6 and 3 are both below 10 and add to 9 < 10, so a third cell is withheld too
    assert out["events"].tolist() == ["<10", "<10", "withheld"]


def test_check_names_the_table_by_default():
    with pytest.raises(ValueError, match=r"^table: column 'n'"):
        disclosure.check(pd.DataFrame({"n": [2]}), ["n"])


def test_the_small_label_names_the_threshold_in_force():
    """Under a raised threshold a hidden count is shown '<10', not '<5' (it may be 7); never below the minimum."""
    assert disclosure.small_label() == disclosure.SMALL == "<5"
    assert disclosure.small_label(10) == "<10" and disclosure.small_label(3) == "<5"
    steps = pd.DataFrame({"step": ["a", "b"], "removed": [0, 7], "left": [100, 93]})
    assert disclosure.pool_steps(steps, "step", "removed", "left", min_n=10)["removed"].tolist() == [0, "<10"]
