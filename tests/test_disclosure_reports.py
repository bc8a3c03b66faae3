"""End to end: a cleaned export with deliberately tiny groups run through notebooks 02 and 03; no CSV, TeX, HTML,
results.json or notebook output may show a group of fewer than 5 people.

The export is the seeded synthetic one, cut down and given groups of 1–4 people (an article family, a gender, a
detention year, an exit route) with labels that appear nowhere else; it is placed where `people.load("viasna")`
finds a cleaned real export (ANALYSIS_PROCESSED), so the reports treat it as real data (no synthetic stamp).
About a minute: the two notebooks run with a small bootstrap.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths, people

ROOT = Path(__file__).resolve().parents[1]
TINY = {"article_family": "zzfamily", "gender": "zzgender"}
COUNT_COLUMNS = {"n", "events", "at_risk", "n_records", "n_411", "n_411_with_sentence", "records_removed",
                 "records_with_411", "411_without_verdict_date", "411_first_record_of_person", "inferred_extensions",
                 "with_gap"}
RUNNER = """
import os, sys, papermill as pm
from analysis import run
nb, out, params = sys.argv[1], sys.argv[2], eval(sys.argv[3])
executed = pm.execute_notebook(nb, out, parameters=params, cwd=os.path.dirname(nb), progress_bar=False, kernel_name="python3")
open(out[:-6] + ".html", "wb").write(run.html_bytes(executed, "x"))
"""


def _tiny_export(folder: Path) -> pd.DataFrame:
    """A cleaned export (people.csv + counts.json) of 900 seeded synthetic records plus tiny groups."""
    src, _ = people.build_synthetic(folder / "synthetic-source")
    table = pd.read_csv(src / "people.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(7)
    table = table.iloc[np.sort(rng.choice(len(table), 900, replace=False))].reset_index(drop=True)
    usable = table.index[(table["status"].isin(["current", "former"])) & (table["penalty_type"] == "imprisonment")
                         & (table["sentence_months"] != "") & (table["detention_precision"] != "year")
                         & (table["verdict_date"] >= "2021-01-01")]
    table.loc[usable[:2], "article_family"] = TINY["article_family"]  # two people
    table.loc[usable[2:5], "gender"] = TINY["gender"]  # three people
    table["source"] = "viasna"  # looks like a real export: the reports must not stamp it synthetic
    out = folder / "viasna"
    out.mkdir(parents=True)
    table.to_csv(out / "people.csv", index=False)
    counts = {k: v for k, v in json.loads((src / "counts.json").read_text()).items() if k in people.ROW_COUNTS}
    (out / "counts.json").write_text(json.dumps(counts))
    return table


def _run(nb: str, out: Path, params: dict, env: dict) -> None:
    res = subprocess.run([sys.executable, "-c", RUNNER, str(ROOT / "notebooks" / nb), str(out), repr(params)],
                         env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]


def _small_counts(csv: Path) -> list[str]:
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    bad = []
    for col in set(df.columns) & COUNT_COLUMNS:
        for i, v in enumerate(df[col]):
            if re.fullmatch(r"[1-4](\.0)?", v):
                bad.append(f"{csv.name} row {i + 1} column {col}: {v}")
    return bad


def _notebook_texts(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text())
    texts = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if "text" in o:
                texts.append("".join(o["text"]))
            for v in o.get("data", {}).values():
                texts.append("".join(v) if isinstance(v, list) else str(v))
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("tiny")
    _tiny_export(base / "processed")
    reports = base / "reports"
    env = {**os.environ, "ANALYSIS_PROCESSED": str(base / "processed"), "ANALYSIS_REPORTS": str(reports),
           people.PEOPLE_DIR_ENV: str(base / "processed" / "viasna")}  # what `run --people DIR` passes
    _run("02_release_patterns.ipynb", base / "02.ipynb", {"person_source": "viasna"}, env)
    _run("03_sentencing_and_article_411.ipynb", base / "03.ipynb",
         {"person_source": "viasna", "n_boot": 20, "small_cell_threshold": 1}, env)
    return base, reports


def test_tiny_groups_never_reach_a_published_table(built):
    base, reports = built
    csvs = sorted(reports.rglob("*.csv"))
    assert len(csvs) >= 10
    bad = [b for csv in csvs for b in _small_counts(csv)]
    assert not bad, bad
    for f in [*csvs, *reports.rglob("*.tex"), *reports.rglob("results.json")]:
        text = f.read_text()
        for label in TINY.values():
            assert label not in text, f"{f.name} names the tiny group {label}"


def test_tiny_groups_never_reach_notebook_output_or_html(built):
    base, _ = built
    for nb in ("02", "03"):
        texts = _notebook_texts(base / f"{nb}.ipynb") + [(base / f"{nb}.html").read_text()]
        notes = [line for text in texts for line in text.splitlines() if "fewer than 5 people" in line]
        assert all(any(label in n for n in notes) for label in TINY.values())  # the tiny groups were there, pooled
        for text in texts:
            for line in text.splitlines():
                for label in TINY.values():
                    # the pooling note may name a pooled level, as a '<5' cell would; nothing else may
                    assert label not in line or "fewer than 5 people" in line, f"report {nb}: {line[:200]}"


def test_threshold_below_five_is_raised_with_a_note(built):
    base, _ = built
    texts = "\n".join(_notebook_texts(base / "03.ipynb"))
    assert "small-cell threshold 1 is below the minimum of 5" in texts


def test_real_export_is_not_stamped_and_keys_findings_are_written(built):
    _, reports = built
    for name in ("02_release_patterns", "03_sentencing_and_article_411"):
        data = json.loads((reports / name / "results.json").read_text())
        assert data["synthetic"] is False and 3 <= len(data["key_findings"]) <= 7
        assert "data_origin" not in (reports / name / "tables").joinpath(
            "median_time_held.csv" if name.startswith("02") else "sentence_by_family.csv").read_text()
