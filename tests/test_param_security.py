"""No code through `-p`: every encoding of code is refused before any kernel starts, and nothing is written.

Issue 9: papermill wrote a set / bytes value unescaped into the notebook and two commands ran a shell
command in the kernel. Here the values are JSON only (params.check_json), the runner writes the injected
cell itself (params.to_source), and these tests try many encodings of code.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import params, paths, run
from analysis.errors import UsageError

FIXTURE_CONFIG = Path(__file__).parent / "fixtures" / "notebooks" / "reports.yml"
SHELL = 'str(__import__("os").system("touch pwned"))'
# issue 9, verbatim: both ran `touch` in the kernel before the fix
ISSUE_COMMANDS = [
    ["01", "-p", "compare_periods", "{'X\" + " + 'str(__import__("os").system("touch pwned"))' + " + \"'}"],
    ["01", "-p", "events", "{War: !!set {'X\" + " + 'str(__import__("os").system("touch pwned2"))' + " + \"': null}}"],
]
ENCODINGS = [
    # (parameter of the fixture notebook 01_counts, value)
    ("groups", "{'X\" + " + SHELL + " + \"'}"),  # a YAML mapping, i.e. a set in Python's eyes
    ("groups", "!!set {a, b}"),
    ("groups", "[!!set {'x': null}]"),
    ("groups", "[!!binary aGVsbG8=]"),
    ("groups", "!!binary aGVsbG8="),
    ("groups", "[!!python/object/apply:os.system ['touch pwned']]"),
    ("groups", "!!python/name:os.system"),
    ("groups", "[!!python/tuple [1, 2]]"),
    ("groups", "!!python/tuple [a, b]"),
    ("groups", "[!!omap [{a: 1}]]"),
    ("groups", "[!!timestamp 2020-01-01]"),
    ("groups", "[&a [x], *a]"),
    ("groups", "[[[[[[[[[[[[x]]]]]]]]]]]]"),
    ("groups", "[" * 20_000 + "]" * 20_000),
    ("groups", "[" + ", ".join(["1"] * 5000) + "]"),
    ("groups", "[{1: a}]"),
    ("groups", "[.nan]"),
    ("groups", "[1e999]"),
    ("groups", f"({SHELL},)"),
    ("groups", "{b'x': 1}"),
    ("groups", "(1, 2)"),
    ("groups", "{1, 2}"),
    ("window_months", f"__import__('os').system('touch pwned')"),
    ("window_months", "12; import os"),
    ("window_months", "0x10"),
    ("scale", "1e5; import os"),
    ("synthetic", "__import__('os')"),
    ("start_date", f"2020-01\"; {SHELL}; \""),
    ("label", "x\n" + SHELL),
    ("label", "x" * 20_000),
]


# Text that looks like code but is a plain string in JSON/YAML: accepted as a string, written as a string literal
LOOKS_LIKE_CODE = [f"[{SHELL}]", "[b'x']", "[\"'); import os; ('\"]", "['\\\" + os.system(1) + \\\"']"]


def _refused(argv: list[str], tmp_path: Path, monkeypatch, config: Path = FIXTURE_CONFIG) -> str:
    """Run the CLI in-process from tmp_path with execution forbidden; return the one-line message."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")

    def boom(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(run, "execute", boom)
    monkeypatch.setattr(run, "_run_in_workers", boom)
    with pytest.raises(UsageError) as exc:
        run.main([*argv, "--config", str(config)])
    message = str(exc.value)
    assert "\n" not in message and message
    assert list(tmp_path.iterdir()) == []  # nothing written: no reports/, no pwned
    return message


@pytest.mark.parametrize("name, value", ENCODINGS, ids=range(len(ENCODINGS)))
def test_code_in_a_value_is_refused_and_nothing_is_written(name, value, tmp_path, monkeypatch):
    _refused(["01", "-p", name, value], tmp_path, monkeypatch)


@pytest.mark.parametrize("value", LOOKS_LIKE_CODE)
def test_text_that_looks_like_code_stays_a_string_literal(value):
    typed = params.validate(FIXTURE_CONFIG.parent / "01_counts.ipynb", {"groups": value})
    assert all(type(item) is str for item in typed["groups"])
    _only_literals(params.to_source("groups", typed["groups"]))


@pytest.mark.parametrize("argv", ISSUE_COMMANDS, ids=["compare_periods", "events"])
def test_the_two_commands_of_issue_9_execute_nothing(argv, tmp_path):
    """Exactly as a user types them, from another folder: exit 2, one line, no `pwned*` anywhere."""
    proc = subprocess.run([sys.executable, "-m", "analysis", "run", *argv], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={k: v for k, v in os.environ.items() if k != "ANALYSIS_REPORTS"})
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: parameter ")
    assert list(tmp_path.iterdir()) == []
    for folder in (paths.ROOT, paths.NOTEBOOKS, paths.REPORTS):
        assert not list(folder.glob("pwned*"))


# ------------------------------------------------------------------------- what does pass is a literal

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


def _only_literals(source: str) -> None:
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    allowed = (ast.Constant, ast.List, ast.Dict, ast.UnaryOp, ast.USub, ast.Load)
    for node in ast.walk(tree.body[0].value):
        assert isinstance(node, allowed), ast.dump(node)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_injected_source_is_a_plain_literal(value):
    source = params.to_source("x", value)
    _only_literals(source)
    assert ast.literal_eval(source.split(" = ", 1)[1]) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_for_a_string_parameter_is_a_string_literal(text):
    try:
        value = params.parse_value(text, {"type": "str"}, "p")
    except UsageError:
        return  # control characters are refused
    assert value == text
    _only_literals(params.to_source("x", value))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_for_a_list_parameter_is_refused_or_a_json_list(text):
    try:
        value = params.parse_value(text, {"type": "list"}, "p")
    except UsageError:
        return
    assert type(value) is list
    params.check_json(value)
    _only_literals(params.to_source("x", value))


@pytest.mark.parametrize("value", [{1, 2}, b"x", (1, 2), [{1: "a"}], [float("nan")], 10**400 * 1.0 if False else [()],
                                   {"a": [b"x"]}, [[[[[[[[[[1]]]]]]]]]]])
def test_to_source_refuses_everything_that_is_not_json(value):
    with pytest.raises(UsageError):
        params.to_source("x", value)


def test_to_source_refuses_a_name_that_is_not_an_identifier():
    with pytest.raises(UsageError):
        params.to_source("x = 1; import os; y", 1)
