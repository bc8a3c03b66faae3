"""Disclosure control: no group of fewer than 5 people is shown, directly or by subtraction; synthetic artefacts
are stamped wherever they go (tables, figures, results)."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy.optimize import linprog  # noqa: E402

from analysis import SYNTHETIC_STAMP, disclosure, plots, report  # noqa: E402
from analysis.findings import count  # noqa: E402


# ── threshold ────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("asked, used, noted", [(None, 5, False), (1, 5, True), (4, 5, True), (5, 5, False),
                                                (6, 6, False), (10, 10, False)])
def test_threshold_is_never_below_five(asked, used, noted):
    value, note = disclosure.threshold(asked)
    assert value == used and (note is not None) is noted
    if noted:
        assert "below the minimum of 5" in note


def test_min_cell_constant():
    assert disclosure.MIN_CELL == 5 and disclosure.SMALL == "<5"


# ── merging small levels ─────────────────────────────────────────────────────────────────────────
def _people(levels: dict[str, int], column: str = "g") -> pd.DataFrame:
    rows = [(f"{lvl}-{i}", lvl) for lvl, n in levels.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["person_id", column])


def test_merge_small_pools_into_existing_other():
    df = _people({"a": 20, "b": 4, "other": 7})
    out, notes = disclosure.merge_small(df, ["g"])
    assert out["g"].value_counts().to_dict() == {"a": 20, "other": 11}
    assert len(notes) == 1 and "(b)" in notes[0]


def test_merge_small_pool_too_small_takes_the_smallest_large_level():
    df = _people({"a": 20, "b": 9, "c": 2, "d": 1})
    out, _ = disclosure.merge_small(df, ["g"])
    assert out["g"].value_counts().to_dict() == {"a": 20, "b + other": 12}


@pytest.mark.parametrize("n, merged", [(4, True), (5, False)])
def test_merge_small_boundary(n, merged):
    out, notes = disclosure.merge_small(_people({"a": 30, "b": n}), ["g"])
    assert ("b" not in set(out["g"])) is merged and bool(notes) is merged


def test_merge_small_counts_people_not_records():
    df = pd.concat([_people({"a": 30, "b": 3})] * 2, ignore_index=True)  # b: 6 records of 3 people
    out, _ = disclosure.merge_small(df, ["g"])
    assert "b" not in set(out["g"])


def test_merge_small_missing_is_a_level_and_untouched_columns_keep_their_type():
    df = _people({"a": 30, "b": 30})
    df["g"] = df["g"].astype("category")
    df.loc[:1, "g"] = np.nan
    out, _ = disclosure.merge_small(df, ["g"])
    assert set(out["g"]) == {"a + other", "b"}  # two unknowns are too few alone: pooled with the smallest level
    same, notes = disclosure.merge_small(_people({"a": 30, "b": 30}).astype({"g": "category"}), ["g"])
    assert same["g"].dtype == "category" and notes == []


# ── complementary suppression ────────────────────────────────────────────────────────────────────
def test_one_way_table_hides_a_complement():
    t = pd.DataFrame({"g": list("abcd"), "n": [3017 - 40, 4, 20, 20]})  # the 'unknown family' case: total shown
    out = disclosure.protect(t, ["n"])
    assert out["n"].tolist() == [str(3017 - 40), "<5", "withheld", "20"]


def test_two_hidden_cells_adding_to_less_than_five_are_not_enough():
    t = pd.DataFrame({"g": list("abcd"), "n": [100, 1, 2, 50]})
    out = disclosure.protect(t, ["n"])
    assert out["n"].tolist() == ["100", "<5", "<5", "withheld"]


def test_zero_is_shown_and_nothing_small_means_nothing_hidden():
    t = pd.DataFrame({"g": list("abc"), "n": [0, 5, 9]})
    assert disclosure.protect(t, ["n"])["n"].tolist() == ["0", "5", "9"]


def _bounds(table: pd.DataFrame, rows: str, cols: str, hide: pd.Series) -> dict:
    """Linear-programming attack: the range each hidden cell can take given every shown cell and every row and
    column total (all published). A range of width 0 would mean the cell is recovered exactly."""
    hidden_idx = list(table.index[hide])
    k = len(hidden_idx)
    a_eq, b_eq = [], []
    for key, line in itertools.chain(((rows, v) for v in table[rows].unique()), ((cols, v) for v in table[cols].unique())):
        members = table.index[table[key] == line]
        if not hide.loc[members].any():
            continue
        a_eq.append([1.0 if i in members else 0.0 for i in hidden_idx])
        b_eq.append(float(table.loc[members, "n"][hide.loc[members]].sum()))
    out = {}
    for j, i in enumerate(hidden_idx):
        c = np.zeros(k)
        c[j] = 1
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(1, None)] * k).fun
        hi = -linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=[(1, None)] * k).fun
        out[i] = (lo, hi)
    return out


def test_cross_table_small_cell_cannot_be_worked_out_from_row_and_column_totals():
    # the 'cohort 2026 female' case: one woman in the newest cohort; gender totals are published elsewhere
    cohorts, genders = ["2020", "2021", "2022", "2026"], ["female", "male"]
    n = {("2020", "female"): 80, ("2020", "male"): 700, ("2021", "female"): 90, ("2021", "male"): 800,
         ("2022", "female"): 60, ("2022", "male"): 500, ("2026", "female"): 1, ("2026", "male"): 40}
    t = pd.DataFrame([{"cohort": c, "gender": g, "n": n[(c, g)]} for c in cohorts for g in genders])
    primary, hide = disclosure.hidden(t, "n", lines=[["cohort"], ["gender"]])
    assert primary.sum() == 1 and hide.sum() >= 4  # a rectangle of hidden cells
    for keys in (["cohort"], ["gender"]):
        for _, idx in t.groupby(keys).groups.items():
            h = hide.loc[idx]
            assert h.sum() == 0 or (h.sum() >= 2 and t.loc[idx, "n"][h].sum() >= 5)
    small = t.index[primary][0]
    lo, hi = _bounds(t, "cohort", "gender", hide)[small]
    assert hi - lo >= 4  # the attacker learns only a range, never the value


def test_protect_summary_blanks_statistics_of_small_groups():
    s = pd.DataFrame({"g": ["a", "b", "c"], "n": [3, 40, 60], "median": [10.0, 20.0, 30.0],
                      "median_ci_low": [1.0, 18.0, 28.0], "suppressed": [False, False, False]})
    out = disclosure.protect_summary(s)
    assert out["n"].tolist() == ["<5", "withheld", "60"]
    assert pd.isna(out.loc[0, "median"]) and pd.isna(out.loc[0, "median_ci_low"]) and out.loc[0, "suppressed"]
    assert out.loc[1, "median"] == 20.0  # a withheld count's group is large: its statistics stay


def test_protect_summary_hides_events_when_events_or_their_complement_are_small():
    m = pd.DataFrame({"compared_by": ["x"] * 3, "group": list("abc"), "n": [50, 60, 70], "events": [48, 3, 30],
                      "median": [1.0, 2.0, 3.0]})
    out = disclosure.protect_summary(m, lines=[["compared_by"]], extra_counts=["events"])
    assert out["n"].tolist() == ["50", "60", "70"]
    assert out["events"].tolist() == ["withheld", "<5", "30"]  # two hidden, adding to 51: neither recoverable


def test_pool_steps_merges_small_removals():
    steps = pd.DataFrame({"step": ["all", "status", "penalty", "window", "term"],
                          "records_left": [1000, 900, 897, 890, 889], "records_removed": [0, 100, 3, 7, 1]})
    out = disclosure.pool_steps(steps, "step", "records_removed", "records_left")
    assert out["records_removed"].tolist() == [0, 100, 11]
    assert out["records_left"].tolist() == [1000, 900, 889]
    assert out["step"].iloc[-1] == "penalty; window; term"
    assert disclosure.small_cells(out, ["records_removed"]).empty


def test_cut_curves_stop_before_fewer_than_five_remain():
    c = pd.DataFrame({"group": ["a"] * 4 + ["b"] * 2, "time": [0, 1, 2, 3, 0, 1], "at_risk": [10, 7, 5, 4, 8, 6]})
    out = disclosure.cut_curves(c)
    assert out.loc[out["group"] == "a", "time"].tolist() == [0, 1, 2]
    assert out.loc[out["group"] == "b", "time"].tolist() == [0, 1]


def test_check_refuses_a_small_count_and_write_table_uses_it(tmp_path, monkeypatch):
    monkeypatch.setattr(report.paths, "REPORTS", tmp_path)
    bad = pd.DataFrame({"g": ["a", "b"], "n": [3, 50]})
    with pytest.raises(ValueError, match="'n' shows a count below 5"):
        report.write_table(bad, "t", "r", counts=["n"])
    assert not (tmp_path / "r" / "tables" / "t.csv").exists()
    report.write_table(disclosure.protect(bad, ["n"]), "t", "r", counts=["n"])


def test_count_text_never_shows_a_small_number():
    assert [count(n) for n in (0, 1, 4, 5, 1234)] == ["0", "fewer than 5", "fewer than 5", "5", "1,234"]


# ── the synthetic stamp ──────────────────────────────────────────────────────────────────────────
def test_synthetic_tables_carry_the_stamp_in_csv_and_tex(tmp_path, monkeypatch):
    monkeypatch.setattr(report.paths, "REPORTS", tmp_path)
    df = pd.DataFrame({"g": ["a", "b"], "n": [18.0, 20.0], "x": [0.123456789, np.nan]})
    csv, tex = report.write_table(df, "t", "r", caption="A table", synthetic=True)
    back = pd.read_csv(csv)
    assert back.columns[0] == report.ORIGIN_COLUMN and set(back[report.ORIGIN_COLUMN]) == {report.SYNTHETIC_ORIGIN}
    assert "18," in csv.read_text() and "18.0" not in csv.read_text()  # counts print as integers
    assert SYNTHETIC_STAMP in tex.read_text()
    # re-saving the CSV keeps the mark: it is data, not metadata
    back.to_csv(tmp_path / "copy.csv", index=False)
    assert report.SYNTHETIC_ORIGIN in (tmp_path / "copy.csv").read_text()
    real_csv, real_tex = report.write_table(df, "u", "r", caption="A table")
    assert report.ORIGIN_COLUMN not in real_csv.read_text() and SYNTHETIC_STAMP not in real_tex.read_text()


def test_save_stamps_a_synthetic_figure_once(tmp_path):
    fig, ax = plots.figure()
    ax.plot([0, 1], [0, 1])
    plots.save(fig, "f", tmp_path, synthetic=True)
    assert sum(t.get_text() == SYNTHETIC_STAMP for t in fig.texts) == 2  # watermark and corner mark
    plots.save(fig, "f", tmp_path, synthetic=True)
    assert sum(t.get_text() == SYNTHETIC_STAMP for t in fig.texts) == 2
    fig2, _ = plots.figure()
    plots.save(fig2, "g", tmp_path)
    assert not plots.has_stamp(fig2)


def test_results_json_says_synthetic(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(report.paths, "REPORTS", tmp_path)
    path = report.write_results({"when": pd.Timestamp("2026-03-01"), "x": 1.23456789}, "r", synthetic=True,
                                key_findings=["One sentence."])
    data = json.loads(path.read_text())
    assert data["synthetic"] is True and data["when"] == "2026-03-01" and data["key_findings"] == ["One sentence."]


# ── tables for people ────────────────────────────────────────────────────────────────────────────
def test_for_people_formats_cells():
    df = pd.DataFrame({"article_family": ["insult_of_officials", None], "n": [18.0, np.nan],
                       "when": [pd.Timestamp("2026-03-01"), pd.NaT], "share": [0.123456, pd.NA]})
    out = report.for_people(df)
    assert list(out.columns) == ["article family", "n", "when", "share"]
    assert out.iloc[0].tolist() == ["insulting officials", "18", "2026-03-01", "0.1"]
    assert out.iloc[1].tolist() == ["–"] * 4


def test_results_table_is_labelled_and_rounded():
    out = report.results_table({"a": 23.987654, "b": "2026-03-31", "c": ["cohort"], "d": None},
                               {"a": "median months", "b": "as of", "c": "strata", "d": "missing"})
    assert out["result"].tolist() == ["median months", "as of", "strata", "missing"]
    assert out["value"].tolist() == ["23.99", "2026-03-31", "detention cohort", "–"]


def test_for_people_years_have_no_separator_and_published_counts_do():
    df = pd.DataFrame({"verdict_year": [2020, None], "n": ["1029", "<5"], "event_date": pd.to_datetime(["2024-07-03", None])})
    out = report.for_people(df)
    assert out.iloc[0].tolist() == ["2020", "1,029", "2024-07-03"]
    assert out.iloc[1].tolist() == ["–", "<5", "–"]


PERSON_TABLES = {
    "02_release_patterns": ["median_time_held", "cox_model"],
    "03_sentencing_and_article_411": ["sentence_by_family", "sentence_by_family_year", "sentence_by_cohort_gender",
                                      "quantile_regression", "article_411_records", "article_411_extensions"],
}


@pytest.mark.parametrize("name", sorted(PERSON_TABLES))
def test_committed_person_tables_carry_the_stamp_when_synthetic(name):
    import json

    folder = report.paths.ROOT / "reports" / name
    synthetic = json.loads((folder / "results.json").read_text())["synthetic"]
    for table in PERSON_TABLES[name]:
        csv = pd.read_csv(folder / "tables" / f"{table}.csv", dtype=str, keep_default_na=False)
        assert (report.ORIGIN_COLUMN in csv.columns) is synthetic, table
        if synthetic:
            assert set(csv[report.ORIGIN_COLUMN]) == {report.SYNTHETIC_ORIGIN}
            assert SYNTHETIC_STAMP in (folder / "tables" / f"{table}.tex").read_text()
        for col in set(csv.columns) & {"n", "events", "n_records", "n_411", "n_411_with_sentence"}:
            assert not csv[col].str.fullmatch(r"[1-4](\.0)?").any(), f"{table}.{col}"


def test_a_line_on_one_key_with_a_missing_value_is_its_own_line():
    """Missing keys form a line of their own (pandas' .groups raised on a single categorical key with NaN)."""
    from analysis import disclosure as d

    t = pd.DataFrame({"g": pd.Categorical(["a", "a", None, None]), "n": [3, 10, 2, 9]})
    first, hide = d.hidden(t, "n", [("g",)])
    assert first.tolist() == [True, False, True, False]
    assert hide.tolist() == [True, True, True, True]  # each line's only other cell is withheld with it
