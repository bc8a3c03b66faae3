"""Comparison of a report build with the reviewed golden copies in tests/golden/ (see tools/update_golden.py).

Counts (integers, booleans) and text must match exactly; estimates (floats) to a relative 1e-6, because the
same seeded computation can differ in the last bits between BLAS builds, never by more.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).resolve().parent / "golden"
MAX_TABLE_ROWS = 400  # larger tables are checked through results.json and nbval, not copied here
REL_TOL = 1e-6
ABS_TOL = 1e-9


def report_dirs(reports: Path, prefixes: list[str] | None = None) -> list[Path]:
    """Report folders (NN_name with a results.json) under ``reports``, optionally only those starting with a prefix."""
    found = sorted(p for p in reports.iterdir() if p.is_dir() and p.name[:2].isdigit() and (p / "results.json").exists())
    return [p for p in found if not prefixes or any(p.name.startswith(x) for x in prefixes)]


def diff_values(expected, got, where: str = "") -> list[str]:
    """Human-readable differences between two JSON values, empty when they agree within the tolerances."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out = [f"{where}/{k}: missing (golden has it)" for k in sorted(set(expected) - set(got))]
        out += [f"{where}/{k}: new key not in golden" for k in sorted(set(got) - set(expected))]
        for k in sorted(set(expected) & set(got)):
            out += diff_values(expected[k], got[k], f"{where}/{k}")
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{where}: {len(got)} items, golden has {len(expected)}"]
        return [d for i, (e, g) in enumerate(zip(expected, got)) for d in diff_values(e, g, f"{where}[{i}]")]
    if isinstance(expected, float) or isinstance(got, float):
        if isinstance(expected, bool) or isinstance(got, bool) or expected is None or got is None:
            return [] if expected == got else [f"{where}: {got!r}, golden {expected!r}"]
        if math.isclose(float(expected), float(got), rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
        return [f"{where}: {got!r}, golden {expected!r} (relative tolerance {REL_TOL:g})"]
    return [] if expected == got else [f"{where}: {got!r}, golden {expected!r}"]


def diff_table(expected: Path, got: Path) -> list[str]:
    """Differences between two CSV tables: same columns and rows; numbers within tolerance, the rest exact."""
    e = pd.read_csv(expected, keep_default_na=False, dtype=str)
    g = pd.read_csv(got, keep_default_na=False, dtype=str)
    name = expected.name
    if list(e.columns) != list(g.columns):
        return [f"{name}: columns {list(g.columns)}, golden {list(e.columns)}"]
    if len(e) != len(g):
        return [f"{name}: {len(g)} rows, golden {len(e)}"]
    out = []
    for col in e.columns:
        for i, (a, b) in enumerate(zip(e[col], g[col])):
            if a == b:
                continue
            try:
                fa, fb = float(a), float(b)
            except ValueError:
                out.append(f"{name} row {i + 1} {col}: {b!r}, golden {a!r}")
                continue
            is_count = a.lstrip("-").isdigit() and b.lstrip("-").isdigit()
            if is_count or not math.isclose(fa, fb, rel_tol=REL_TOL, abs_tol=ABS_TOL):
                out.append(f"{name} row {i + 1} {col}: {b}, golden {a}")
    return out


def compare_report(golden: Path, built: Path) -> list[str]:
    """Every difference between one golden folder and the same report as built."""
    out = diff_values(json.loads((golden / "results.json").read_text(encoding="utf-8")),
                      json.loads((built / "results.json").read_text(encoding="utf-8")), "results.json")
    for table in sorted((golden / "tables").glob("*.csv")):
        mine = built / "tables" / table.name
        out += diff_table(table, mine) if mine.exists() else [f"{table.name}: not written"]
    return out
