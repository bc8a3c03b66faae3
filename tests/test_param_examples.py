"""Every `python -m analysis run ...` example shown to users is accepted: README, docs/, notebooks' text, `run --help`.

The examples are extracted from those files (not listed here), so a new example is checked as soon as it
is written. Only the checks that come before any kernel are run: report names, argparse, parameters.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from analysis import params, paths, run
from analysis.errors import UsageError

COMMAND = re.compile(r"analysis run((?:[ \t]+[^\n`]*)?)")
PLACEHOLDERS = re.compile(r"\b(KEY|VALUE|NAME|DIR|OUT|PATH|N|SECONDS)\b|\.\.\.|…|<")


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []))


def documented_commands() -> list[tuple[str, str]]:
    """(where, argument string) of every `analysis run` example in the user-facing text."""
    texts = {"README.md": (paths.ROOT / "README.md").read_text(encoding="utf-8"),
             "run --help": run.build_parser().format_help()}
    for doc in sorted((paths.ROOT / "docs").glob("*.md")):
        texts[f"docs/{doc.name}"] = doc.read_text(encoding="utf-8")
    for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        texts[f"notebooks/{nb.name}"] = _notebook_text(nb)
    found = []
    for where, text in texts.items():
        for match in COMMAND.finditer(text):
            args = re.split(r"\s{2,}", match.group(1).strip())[0]  # `run --help` explains after two spaces
            if not re.search(r"(^|\s)(-p|--people)\s", args) or PLACEHOLDERS.search(args):
                continue  # only examples with parameters or --people; `-p KEY VALUE` is a placeholder
            found.append((where, args))
    return found


EXAMPLES = documented_commands()


def test_the_known_examples_are_found():
    shown = {args for _, args in EXAMPLES}
    assert any("top_k 3" in a for a in shown)  # suggested by report 04 itself
    assert any(a.startswith("01 -p start_date 2021-01-01") for a in shown)
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("where, args", EXAMPLES, ids=[f"{w}: {a[:60]}" for w, a in EXAMPLES])
def test_documented_example_is_accepted(where, args):
    argv = shlex.split(args.split("#", 1)[0])
    parsed = run.build_parser().parse_args(argv)
    reports = run.load_config(paths.CONFIG)
    selected = run.select(reports, parsed.names)
    spec = params.load_spec(paths.CONFIG.parent / params.SPEC_FILE)
    overrides = run._overrides(parsed.parameter)
    for report in selected:
        params.validate(report.notebook, overrides, spec.get(report.name) or {})
    if parsed.people is not None:
        assert all(r.person_level for r in selected), f"{where}: --people with a report that reads no person data"


def test_examples_from_issue_10_are_accepted():
    """The examples the issue quotes, with the current notebooks (02 starts at 2024-07-01, so its end may not be earlier)."""
    spec = params.load_spec(paths.CONFIG.parent / params.SPEC_FILE)
    nb = {r.name[:2]: r for r in run.load_config(paths.CONFIG)}
    assert params.validate(nb["04"].notebook, {"top_k": "3"}, spec[nb["04"].name]) == {"top_k": 3}
    assert params.validate(nb["02"].notebook, {"end_date": "2025-06"}, spec[nb["02"].name]) == {"end_date": "2025-06"}
    assert params.validate(nb["01"].notebook, {"forecast_months": "12", "backtest_months": "24"}, spec[nb["01"].name])


@pytest.mark.parametrize("argv, expected", [
    (["01", "-p", "its_errors", "foo"], "unknown parameter 'its_errors'"),  # report 01's models have no such choice now
    (["01", "-p", "backtest_months", "6"], "below the minimum 12"),
    (["02", "-p", "person_source", "zero"], "'zero' is not one of 'auto', 'viasna', 'synthetic'"),
    (["01", "-p", "events", '{"War": "2022-02-30"}'], "'2022-02-30' is not a calendar date"),
    (["01", "-p", "compare_periods", '{"before": ["2024-06-30", "2022-08-01"]}'], "end 2022-08-01 is before start"),
    (["01", "-p", "forecast_months", "0"], "below the minimum 1"),
    (["03", "-p", "small_cell_threshold", "2"], "below the minimum 5"),
    (["03", "-p", "quantiles", "[0.5, 1.5]"], "above the maximum"),
    (["02", "-p", "end_date", "2024-06"], "end_date=2024-06 is before start_date=2024-07-01 (default)"),
    (["04", "-p", "top_k", "three"], "not a whole number"),
])
def test_bad_values_of_the_real_notebooks_are_refused_before_any_kernel(argv, expected, monkeypatch, tmp_path):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(run, "_run_in_workers", boom)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as exc:
        run.main(argv)
    assert expected in str(exc.value) and "\n" not in str(exc.value)
