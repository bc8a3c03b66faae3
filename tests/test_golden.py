"""Published numbers against the reviewed golden copies (tests/golden/, written by tools/update_golden.py).

Two builds are held to them: the committed reports/ (what readers see), and the reports that nbval rebuilds
from the committed notebooks into the scratch folder of `make test` (ANALYSIS_REPORTS). The conftest runs
these tests after nbval, so in `make test` the rebuilt copies exist; in a unit-only run that part is skipped.
A changed golden value is a visible diff in review and needs a reason in its commit message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from golden import GOLDEN, compare_report, diff_table, diff_values

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
GOLDEN_REPORTS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) if GOLDEN.exists() else []


def test_every_report_has_a_golden_copy():
    built = sorted(p.name for p in REPORTS.iterdir() if p.is_dir() and (p / "results.json").exists())
    assert built == GOLDEN_REPORTS, "run tools/update_golden.py for new reports and review the copy"


@pytest.mark.golden
@pytest.mark.parametrize("name", GOLDEN_REPORTS)
def test_committed_report_matches_golden(name):
    problems = compare_report(GOLDEN / name, REPORTS / name)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.golden
@pytest.mark.parametrize("name", GOLDEN_REPORTS)
def test_rebuilt_report_matches_golden(name):
    scratch = os.environ.get("ANALYSIS_REPORTS")
    built = Path(scratch) / name if scratch else None
    if built is None or not (built / "results.json").exists():
        pytest.skip("no rebuilt copy: run `make test` (nbval rebuilds the notebooks into a scratch folder)")
    problems = compare_report(GOLDEN / name, built)
    assert not problems, "\n".join(problems[:40])


def test_comparison_catches_a_moved_count_and_a_moved_estimate(tmp_path):
    golden = {"n": 1687, "est": 0.25, "nested": {"k": [1, 2.5]}, "label": "Dec 2025"}
    assert diff_values(golden, json.loads(json.dumps(golden))) == []
    assert diff_values(golden, {**golden, "n": 1688}) == ["/n: 1688, golden 1687"]
    assert diff_values(golden, {**golden, "est": 0.25 * (1 + 1e-9)}) == []
    assert diff_values(golden, {**golden, "est": 0.2501})
    assert diff_values(golden, {**golden, "nested": {"k": [1, 2.6]}})
    assert diff_values(golden, {**golden, "label": "Jan 2026"})
    assert diff_values(golden, {k: v for k, v in golden.items() if k != "n"}) == ["/n: missing (golden has it)"]
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("group,n,median\nx,12,3.5\n", encoding="utf-8")
    b.write_text("group,n,median\nx,12,3.5000000001\n", encoding="utf-8")
    assert diff_table(a, b) == []
    b.write_text("group,n,median\nx,13,3.5\n", encoding="utf-8")
    assert diff_table(a, b) == ["a.csv row 1 n: 13, golden 12"]
