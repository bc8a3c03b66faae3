"""Person-level table for the notebooks: a cleaned real export if the user made one, else calibrated synthetic data.

- `viasna`: `data/processed/viasna/people.csv`, made by the user with
  `python -m analysis clean --source viasna --input EXPORT.csv` (the export itself is never committed).
- `synthetic`: generated from the curated series with a fixed seed and cleaned by the same pipeline, every time
  (a few seconds; deterministic, so the files in `data/processed/synthetic/` are byte-identical between runs).
- `auto`: `viasna` when its cleaned table exists, otherwise `synthetic`.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import SYNTHETIC_STAMP, paths
from analysis.errors import DataError, UsageError

SOURCES = ("auto", "viasna", "synthetic")
SYNTHETIC_SEED = 20251218  # the date of the UN statement; any fixed seed would do
DATE_COLUMNS = ("detention_date", "verdict_date", "release_date")
BOOL_COLUMNS = ("ex_post_facto", "released_marker", "died")
TRUTH_FILE = "truth.json"  # the synthetic generator's known parameters, beside the cleaned tables


@dataclass
class People:
    """The cleaned records, where they came from, and the cleaning counts."""

    table: pd.DataFrame
    source: str
    synthetic: bool
    as_of: pd.Timestamp
    counts: dict
    folder: Path
    truth: dict | None = None  # the generator's known parameters, for synthetic data only

    @property
    def label(self) -> str:
        """Source line for figures and tables."""
        if self.synthetic:
            return f"{SYNTHETIC_STAMP}: synthetic export calibrated to Viasna's published counts (seed {SYNTHETIC_SEED})"
        return f"Viasna list export, cleaned by analysis.clean; as of {self.as_of:%Y-%m-%d}"


def _read_people(folder: Path) -> pd.DataFrame:
    """people.csv with typed dates, booleans and the nullable birth year."""
    df = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False, na_values=[""])
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    for col in BOOL_COLUMNS:
        df[col] = df[col].map({"True": True, "False": False}).astype(bool)
    df["birth_year"] = pd.to_numeric(df["birth_year"]).astype("Int64")
    df["sentence_months"] = pd.to_numeric(df["sentence_months"])
    return df


def build_synthetic(folder: Path | None = None, seed: int = SYNTHETIC_SEED) -> tuple[Path, pd.Timestamp]:
    """Generate the synthetic export and clean it into `folder` (default data/processed/synthetic)."""
    from analysis.clean import pseudonym
    from analysis.clean.cli import render, write_atomically
    from analysis.clean.people import clean_export
    from analysis.sources import synthetic
    from analysis.sources.viasna import read_export

    folder = Path(folder or paths.PROCESSED / "synthetic")
    params = synthetic.default_params()
    export, truth = synthetic.generate(params, seed=seed)
    as_of = pd.Timestamp(params.as_of)
    # The export (with its made-up names) lives only in a temporary folder: data/processed holds pseudonymous
    # tables and the generator's truth, never a names column, even a synthetic one.
    with tempfile.TemporaryDirectory(prefix="synthetic-export-") as tmp:
        export_path, truth_path = synthetic.write_export(export, truth, Path(tmp) / "export.csv")
        result = clean_export(read_export(export_path), "synthetic", pseudonym.SYNTHETIC_KEY, as_of)
        files = render(result, "synthetic") | {TRUTH_FILE: truth_path.read_bytes()}
    write_atomically(files, folder, private=False)
    return folder, as_of


def load(source: str = "auto") -> People:
    """The person-level table for a notebook parameter `person_source` (auto, viasna or synthetic)."""
    if source not in SOURCES:
        raise UsageError(f"person source must be one of {', '.join(SOURCES)}, not {source!r}")
    real = paths.PROCESSED / "viasna"
    if source == "auto":
        source = "viasna" if (real / "people.csv").exists() else "synthetic"
    if source == "viasna":
        if not (real / "people.csv").exists():
            raise DataError(real / "people.csv", "no cleaned Viasna export; run "
                            "`python -m analysis clean --source viasna --input YOUR_EXPORT.csv` first")
        folder = real
        counts = json.loads((folder / "counts.json").read_text())
        table = _read_people(folder)
        as_of = pd.Timestamp(counts.get("today") or table["release_date"].max())
        return People(table, "viasna", False, as_of, counts, folder)
    folder, as_of = build_synthetic()
    counts = json.loads((folder / "counts.json").read_text())
    truth = json.loads((folder / TRUTH_FILE).read_text())
    return People(_read_people(folder), "synthetic", True, as_of, counts, folder, truth)
