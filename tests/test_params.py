"""analysis.params: -p KEY VALUE strings -> typed values, and one-line UsageErrors before anything runs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import params, paths, run
from analysis.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
COUNTS = FIXTURES / "01_counts.ipynb"


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message and message
    return message


def notebook_with(tmp_path: Path, source: str) -> Path:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_types_follow_the_defaults():
    typed = params.validate(COUNTS, {"window_months": "6", "scale": "2", "label": "  x y", "synthetic": "No",
                                     "groups": "[a, 2020-01-01]", "start_date": "2021-03"})
    assert typed == {"window_months": 6, "scale": 2.0, "label": "  x y", "synthetic": False,
                     "groups": ["a", "2020-01-01"], "start_date": "2021-03"}
    assert type(typed["scale"]) is float and type(typed["window_months"]) is int
    assert params.validate(COUNTS, {"groups": '["b"]'}) == {"groups": ["b"]}
    assert params.validate(COUNTS, {}) == {}


@pytest.mark.parametrize("word, value", [("true", True), ("1", True), ("YES", True), ("false", False),
                                         ("0", False), ("no", False)])
def test_bool_words(word, value):
    assert params.validate(COUNTS, {"synthetic": word}) == {"synthetic": value}


def test_annotations_and_unknown_types(tmp_path):
    path = notebook_with(tmp_path, 'n_items: int = 3\nratio = 0.5  # type: float\nlimit = None\nmapping = {"a": 1}\n'
                                   'when = pd.Timestamp("2020")\nrelease_date = "2021-01-01"\n')
    typed = params.validate(path, {"n_items": "4", "ratio": "1", "limit": "7", "mapping": "{b: 2}",
                                   "when": "2020-02", "release_date": "2021-02-03"})
    assert typed == {"n_items": 4, "ratio": 1.0, "limit": 7, "mapping": {"b": 2}, "when": "2020-02",
                     "release_date": "2021-02-03"}
    with pytest.raises(UsageError, match="below the minimum 0"):
        params.validate(path, {"n_items": "-1"})
    with pytest.raises(UsageError, match="not an object"):
        params.validate(path, {"mapping": "[1]"})


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(UsageError) as exc:
        params.validate(COUNTS, {"start_dat": "2020-01"})
    message = one_line(exc)
    assert "'start_dat'" in message and "01_counts" in message
    assert "known: start_date, end_date, window_months, scale, label, synthetic, groups" in message


def test_notebook_without_parameters_cell():
    with pytest.raises(UsageError, match="no cell tagged 'parameters'"):
        params.validate(FIXTURES / "02_plain.ipynb", {"x": "1"})


@pytest.mark.parametrize("value", ["2020-13", "2020-02-30", "20-01-01", "2020/01/01", "January", "2020-1",
                                   "２０２０-01-01", "2020-0１", "2020-01-01T00:00"])
def test_bad_dates(value):
    with pytest.raises(UsageError) as exc:
        params.validate(COUNTS, {"start_date": value})
    assert "not a calendar date (YYYY-MM-DD or YYYY-MM, ASCII digits)" in one_line(exc)


def test_end_before_start_uses_the_defaults_too():
    with pytest.raises(UsageError) as exc:
        params.validate(COUNTS, {"start_date": "2025-01"})  # default end_date is 2024-12
    assert one_line(exc).endswith("end_date=2024-12 (default) is before start_date=2025-01")
    with pytest.raises(UsageError, match="end_date=2021-01-31 is before start_date=2021-02-01"):
        params.validate(COUNTS, {"start_date": "2021-02-01", "end_date": "2021-01-31"})
    # same month at different precision is not "before"
    assert params.validate(COUNTS, {"start_date": "2021-05-17", "end_date": "2021-05"})


@pytest.mark.parametrize("name, value, expected", [("window_months", "1.5", "not a whole number"),
                                                   ("window_months", "x", "not a whole number"),
                                                   ("window_months", "١٢", "not a whole number"),
                                                   ("window_months", "-2", "below the minimum 0"),
                                                   ("scale", "abc", "not a number"),
                                                   ("scale", "inf", "not a number"),
                                                   ("scale", "1e999", "not a finite number"),
                                                   ("synthetic", "maybe", "not a boolean"),
                                                   ("groups", "{a: 1}", "not a list")])
def test_bad_values(name, value, expected):
    with pytest.raises(UsageError) as exc:
        params.validate(COUNTS, {name: value})
    assert expected in one_line(exc) and f"'{name}'" in str(exc.value)


@pytest.mark.parametrize("argv, expected", [
    (["01", "-p", "nope", "1"], "unknown parameter 'nope'"),
    (["01", "-p", "end_date", "2024-31"], "not a calendar date"),
    (["01", "-p", "start_date", "2024-06", "-p", "end_date", "2024-01"], "is before start_date=2024-06"),
    (["01", "-p", "window_months", "twelve"], "not a whole number"),
    (["-p", "label", "x"], "unknown parameter 'label' for 02_plain"),  # unknown to ANY selected notebook
    (["09"], "no report named '09'"),
])
def test_cli_rejects_before_executing(argv, expected, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")

    def boom(*args, **kwargs):
        raise AssertionError("nothing may execute after a usage error")

    monkeypatch.setattr(run, "execute", boom)
    with pytest.raises(UsageError) as exc:
        run.main([*argv, "--config", str(FIXTURES / "reports.yml")])
    assert expected in one_line(exc)
    assert not (tmp_path / "reports").exists()


def test_small_cell_threshold_never_below_five(tmp_path):
    path = notebook_with(tmp_path, "small_cell_threshold = 5\n")
    with pytest.raises(UsageError, match="below the minimum 5"):
        params.validate(path, {"small_cell_threshold": "4"}, {"small_cell_threshold": {"type": "int", "min": 1}})
    assert params.validate(path, {"small_cell_threshold": "6"}) == {"small_cell_threshold": 6}
    params.check_floors(path)
    from analysis.errors import DataError

    low = notebook_with(tmp_path, "small_cell_threshold = 3  # too low\n")
    with pytest.raises(DataError, match="at least 5"):
        params.check_floors(low)


def test_floor_equals_the_report_threshold():
    from analysis import report

    assert params.SMALL_CELL_FLOOR == report.SMALL_CELL_THRESHOLD


def test_parameters_cell_with_equals_in_comments_and_multiline_values(tmp_path):
    path = notebook_with(tmp_path, 'top_k = 5   # "among the highest" = within the top k\n'
                                   'events = {  # name = date\n    "a": "2020-01-01",\n}\nx: int = 3  # type = int\n')
    found = params.declared(path)
    assert {n: d.default for n, d in found.items()} == {"top_k": 5, "events": {"a": "2020-01-01"}, "x": 3}
    assert found["top_k"].help == '"among the highest" = within the top k'
    assert params.validate(path, {"top_k": "3", "x": "4"}) == {"top_k": 3, "x": 4}


def test_every_rule_names_a_parameter_the_notebook_declares():
    spec = params.load_spec(paths.CONFIG.parent / params.SPEC_FILE)
    reports = {r.name: r for r in run.load_config(paths.CONFIG)}
    for name, rules in spec.items():
        assert name in reports, f"parameters.yml: no report {name}"
        declared = params.declared(reports[name].notebook)
        assert set(rules) <= set(declared), f"{name}: rules for undeclared {set(rules) - set(declared)}"
        for parameter, info in declared.items():  # every default obeys its own rule
            rule = params.rule_for(parameter, info, rules)
            assert params.conform(info.default, rule, parameter) == info.default or rule.get("type") == "float"
