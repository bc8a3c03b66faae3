"""Person-level table for the notebooks: the cleaned export the user chose, else calibrated synthetic data.

Which folder a notebook reads (:func:`resolve`), first that applies:

1. ``$ANALYSIS_PEOPLE_DIR`` (an absolute folder made by ``python -m analysis clean``), whatever
   ``person_source`` says: ``python -m analysis run 02 03 --people DIR`` passes it to the kernels;
2. ``person_source = "viasna"``: ``data/processed/user/viasna/``, made by
   ``python -m analysis clean --source viasna --input EXPORT.csv`` (the export itself is never committed);
3. ``person_source = "auto"``: that folder when it holds a people.csv, else synthetic;
4. ``person_source = "synthetic"`` (or auto without a user clean): generated from the curated series with a
   fixed seed and cleaned by the same pipeline into ``data/processed/synthetic/`` on every load (a few
   seconds; deterministic, byte-identical between runs). ``clean`` never writes there.

A folder is synthetic when ``clean`` found the synthetic generator's marker in its input (``counts.json``
``synthetic``, the file ``SYNTHETIC``), whatever ``--source`` was: :attr:`People.synthetic` follows it.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import SYNTHETIC_STAMP, paths
from analysis.errors import DataError, UsageError

SOURCES = ("auto", "viasna", "synthetic")
PEOPLE_DIR_ENV = "ANALYSIS_PEOPLE_DIR"
SYNTHETIC_SEED = 20251218  # the date of the UN statement; any fixed seed would do
DATE_COLUMNS = ("detention_date", "verdict_date", "release_date", "recognised_date")
BOOL_COLUMNS = ("ex_post_facto", "released_marker", "died")
ROW_COUNTS = ("input_rows", "clean_rows", "quarantined_rows", "field_problems")
TRUTH_FILE = "truth.json"  # the synthetic generator's known parameters, beside the cleaned tables
SYNTHETIC_FOLDER = "synthetic"  # data/processed/synthetic/: the default build's own, regenerated every load


@dataclass
class People:
    """The cleaned records, where they came from, and the cleaning counts (rows only)."""

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
        if self.synthetic and self.folder.name == SYNTHETIC_FOLDER and self.folder.parent == paths.PROCESSED:
            return f"{SYNTHETIC_STAMP}: synthetic export calibrated to Viasna's published counts (seed {SYNTHETIC_SEED})"
        if self.synthetic:
            return f"{SYNTHETIC_STAMP}: synthetic export cleaned by analysis.clean; as of {self.as_of:%Y-%m-%d}"
        return f"Viasna list export, cleaned by analysis.clean; as of {self.as_of:%Y-%m-%d}"


def _read_people(source: Path | bytes) -> pd.DataFrame:
    """people.csv (a folder holding it, or its bytes) with typed dates, booleans and the nullable birth year."""
    data = io.BytesIO(source) if isinstance(source, bytes) else source / "people.csv"
    df = pd.read_csv(data, dtype=str, keep_default_na=False, na_values=[""])
    for col in DATE_COLUMNS:
        if col in df:
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    for col in BOOL_COLUMNS:
        df[col] = df[col].map({"True": True, "False": False}).astype(bool)
    df["birth_year"] = pd.to_numeric(df["birth_year"]).astype("Int64")
    df["sentence_months"] = pd.to_numeric(df["sentence_months"])
    return df


def build_synthetic(folder: Path | None = None, seed: int = SYNTHETIC_SEED) -> tuple[Path, pd.Timestamp]:
    """Generate the synthetic export and clean it into `folder` (default data/processed/synthetic)."""
    folder = Path(folder or paths.PROCESSED / SYNTHETIC_FOLDER)
    files, as_of = _synthetic_files(seed)
    _write_if_changed(files, folder)
    return folder, as_of


def _write_if_changed(files: dict[str, bytes], folder: Path) -> None:
    """Swap the files in only when they differ: notebooks run in parallel build the same bytes, and a reader
    must never meet the folder in the middle of a swap."""
    from analysis.clean.outputs import write_atomically

    if _holds(folder, files):
        return
    try:
        write_atomically(files, folder)
    except OSError:  # another process swapped the same files in at the same moment
        if not _holds(folder, files):
            raise


def _holds(folder: Path, files: dict[str, bytes]) -> bool:
    try:
        return {p.name for p in folder.iterdir()} == set(files) and all(
            (folder / name).read_bytes() == data for name, data in files.items())
    except OSError:
        return False


def _synthetic_files(seed: int = SYNTHETIC_SEED) -> tuple[dict[str, bytes], pd.Timestamp]:
    """The output files of the synthetic build (bytes, deterministic) and its data date."""
    from analysis.clean import pseudonym
    from analysis.clean.cli import render
    from analysis.clean.people import clean_export
    from analysis.sources import synthetic
    from analysis.sources.viasna import read_export

    params = synthetic.default_params()
    export, truth = synthetic.generate(params, seed=seed)
    as_of = pd.Timestamp(params.as_of)
    # The export (with its made-up names) lives only in a temporary folder: data/processed holds pseudonymous
    # tables and the generator's truth, never a names column, even a synthetic one.
    with tempfile.TemporaryDirectory(prefix="synthetic-export-") as tmp:
        export_path, truth_path = synthetic.write_export(export, truth, Path(tmp) / "export.csv")
        result = clean_export(read_export(export_path), "synthetic", pseudonym.SYNTHETIC_KEY, as_of)
        files = render(result, "synthetic", as_of, truth_path.read_bytes())
    return files, as_of


def user_folder(source: str) -> Path:
    """Where `clean --source SOURCE` writes without --out."""
    from analysis.clean.outputs import default_out

    return default_out(source)


def resolve(source: str = "auto") -> Path | None:
    """The cleaned folder a notebook with ``person_source = source`` reads; None means the synthetic build."""
    if source not in SOURCES:
        raise UsageError(f"person source must be one of {', '.join(SOURCES)}, not {source!r}")
    chosen = os.environ.get(PEOPLE_DIR_ENV)
    if chosen:
        folder = Path(chosen)
        if not folder.is_absolute():
            raise UsageError(f"${PEOPLE_DIR_ENV} must be an absolute folder, not {chosen!r}")
        if not (folder / "people.csv").is_file() or not (folder / "counts.json").is_file():
            raise DataError(folder, f"${PEOPLE_DIR_ENV} is not an output folder of `python -m analysis clean` "
                                    "(no people.csv and counts.json)")
        return folder
    real = user_folder("viasna")
    if source == "viasna" and not (real / "people.csv").is_file():
        raise DataError(real / "people.csv", "no cleaned Viasna export; run "
                        "`python -m analysis clean --source viasna --input YOUR_EXPORT.csv` first")
    if source == "viasna" or (source == "auto" and (real / "people.csv").is_file()):
        return real
    return None


def _default_truth() -> dict:
    """The generator's true wave-selection parameters (defaults) when a synthetic folder has no truth.json."""
    from analysis.sources.synthetic import SynthParams

    p = SynthParams()
    return {"stamp": SYNTHETIC_STAMP, "note": "defaults of the generator: the export came without its truth file",
            "wave_selection": {"hazard_ratio_female": p.hr_female, "hazard_ratio_older": p.hr_older}}


def load(source: str = "auto") -> People:
    """The person-level table for a notebook parameter `person_source` (auto, viasna or synthetic)."""
    folder = resolve(source)
    if folder is None:  # read from the bytes just built, not back from the shared folder
        folder = paths.PROCESSED / SYNTHETIC_FOLDER
        files, as_of = _synthetic_files()
        _write_if_changed(files, folder)
        counts, truth = json.loads(files["counts.json"]), json.loads(files[TRUTH_FILE])
        return People(_read_people(files["people.csv"]), "synthetic", True, as_of,
                      {k: counts[k] for k in ROW_COUNTS}, folder, truth)
    counts = json.loads((folder / "counts.json").read_text())
    table = _read_people(folder)
    synthetic = bool(counts.get("synthetic")) or (folder / "SYNTHETIC").exists() or \
        table["source"].eq("synthetic").any()
    as_of = pd.Timestamp(counts.get("today") or table["release_date"].max())
    truth = None
    if synthetic:
        truth_path = folder / TRUTH_FILE
        truth = json.loads(truth_path.read_text()) if truth_path.is_file() else _default_truth()
    return People(table, "synthetic" if synthetic else "viasna", synthetic, as_of,
                  {k: counts.get(k) for k in ROW_COUNTS}, folder, truth)
