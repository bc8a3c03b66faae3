"""`python -m analysis clean`: clean a person-level export into pseudonymous tables.

Reads a Viasna export (or a synthetic one in the same layout), writes people.csv, quarantine.csv and
counts.json to data/processed/<source>/ (or --out). Outputs are first written to a temporary directory
next to the target and then swapped in, so a failed run leaves the previous outputs untouched.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis.clean import pseudonym
from analysis.clean.people import clean_export
from analysis.clean.quarantine import inert_frame
from analysis.errors import DataError, UsageError
from analysis.schemas_people import PEOPLE_SCHEMA, QUARANTINE_SCHEMA

OUTPUT_FILES = ("people.csv", "quarantine.csv", "counts.json")
GITIGNORE = ".gitignore"  # written into outputs of real exports so they are never committed by accident
FLOAT_FORMAT = "%.6g"
DATE_FORMAT = "%Y-%m-%d"

EPILOG = """\
outputs (in DIR):
  people.csv      one row per record, no names/URLs/judges/free text; ids are keyed hashes
  quarantine.csv  one row per problem (row, column, raw_value, reason, whole_row)
  counts.json     input_rows = clean_rows + quarantined_rows

pseudonym key (viasna): $ANALYSIS_PSEUDONYM_KEY, else the file named by $ANALYSIS_PSEUDONYM_KEY_FILE,
else ~/.config/belarus-analysis/pseudonym.key (created on first use). Synthetic data uses a public key.

exit codes: 0 done (even with quarantined rows), 2 unusable input or bad arguments (one line on stderr).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis clean",
        description="Clean a person-level export (Viasna CSV/XLSX, or a synthetic export) into "
                    "pseudonymous people.csv + quarantine.csv + counts.json.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--source", required=True, choices=("viasna", "synthetic"),
                        help="what the input is; synthetic data is hashed with a public key")
    parser.add_argument("--input", required=True, type=Path, metavar="PATH", help="export file (.csv or .xlsx)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="output directory (default: data/processed/<source>/)")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="dates after this day are quarantined as future (default: today)")
    return parser


def _parse_today(text: str | None) -> pd.Timestamp:
    if text is None:
        return pd.Timestamp.today().normalize()
    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d")).normalize()
    except (ValueError, TypeError):
        raise UsageError(f"--today must be YYYY-MM-DD, not {text!r}") from None


def _read(path: Path) -> pd.DataFrame:
    """read_export, with any stray low-level failure turned into a one-line DataError naming the file."""
    from analysis.sources.viasna import read_export

    try:
        return read_export(path)
    except DataError:
        raise
    except (UnicodeError, pd.errors.ParserError, pd.errors.EmptyDataError, zipfile.BadZipFile,
            OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise DataError(path, f"cannot read export ({type(exc).__name__}: {detail})") from None


def _cell_texts(s: pd.Series) -> pd.Series:
    """A column as the exact text written to CSV, formatted once per distinct value ('' for missing)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if pd.api.types.is_datetime64_any_dtype(s):
        texts = [u.strftime(DATE_FORMAT) for u in pd.DatetimeIndex(uniques)]
    elif pd.api.types.is_float_dtype(s):
        texts = [FLOAT_FORMAT % u for u in np.asarray(uniques, dtype=float)]
    else:
        texts = [str(u) for u in uniques]
    return pd.Series(np.array(texts + [""], dtype=object)[codes], index=s.index, dtype=object)


# Names the synthetic generator gives its (not real) people; any other name means the file is not synthetic.
SYNTHETIC_NAME_PREFIXES = ("Синтетический Человек", "Synthetic Person")


def check_synthetic(raw: pd.DataFrame, path: Path) -> None:
    """Refuse to hash a file as synthetic (public key!) unless every name is a generated one."""
    names = raw["name"].astype(str).str.strip()
    real = names.ne("") & ~names.str.startswith(SYNTHETIC_NAME_PREFIXES)
    if real.any():
        raise UsageError(
            f"{path}: {int(real.sum())} row(s) have names the synthetic generator does not produce; "
            "a real export must be cleaned with --source viasna (private pseudonym key)")


CSV_CHUNK_ROWS = 50_000  # rows formatted at a time: memory stays at the output bytes + one chunk


def _csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV: every value pre-formatted as text, formula-like text made inert, "\n" lines.

    Written chunk by chunk into one growing buffer; every step is per value (formatting, inert text)
    or per row (CSV quoting), so the bytes equal those of formatting the whole table at once.
    """
    if not len(df):
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    out = io.BytesIO()
    for start in range(0, len(df), CSV_CHUNK_ROWS):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        text = inert_frame(pd.DataFrame({col: _cell_texts(part[col]) for col in part.columns}, index=part.index))
        out.write(text.to_csv(index=False, header=start == 0, lineterminator="\n").encode("utf-8"))
    return out.getvalue()  # the buffer itself (no copy of the whole output)


def render(result, source: str) -> dict[str, bytes]:
    """The output files as bytes (deterministic: same input, key and today -> same bytes)."""
    files = {
        "people.csv": _csv_bytes(result.people),
        "quarantine.csv": _csv_bytes(result.quarantine),
        "counts.json": (json.dumps(result.counts, sort_keys=True, indent=2) + "\n").encode("utf-8"),
    }
    if source == "viasna":
        files[GITIGNORE] = b"# derived from a real export: never commit\n*\n"
    return files


def write_atomically(files: dict[str, bytes], target: Path, private: bool = True) -> None:
    """Write ``files`` into ``target`` so that readers see either the old or the new set.

    The files go to a temporary directory in the same parent; when the target holds only our own
    outputs it is swapped as a whole (rename old away, rename new in, delete old), otherwise each file
    is moved in with os.replace and other files are left alone. A failure before the swap leaves the
    target untouched.
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))  # mode 0700
    try:
        if not private:
            os.chmod(tmp, 0o755)
        for name, data in files.items():
            with open(tmp / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        ours = set(OUTPUT_FILES) | {GITIGNORE}
        if target.exists() and not target.is_dir():
            raise UsageError(f"--out {target} exists and is not a directory")
        if not target.exists():
            os.replace(tmp, target)
            return
        if {p.name for p in target.iterdir()} <= ours:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            os.replace(target, old / "d")
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old / "d", target)
                raise
            shutil.rmtree(old, ignore_errors=True)
            return
        for name in files:
            os.replace(tmp / name, target / name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    today = _parse_today(args.today)
    out = args.out if args.out is not None else paths.PROCESSED / args.source
    raw = _read(args.input)
    if args.source == "synthetic":
        check_synthetic(raw, args.input)
        key = pseudonym.SYNTHETIC_KEY
    else:
        key = pseudonym.load_key()
    result = clean_export(raw, args.source, key, today)
    try:
        # inplace: no copy of the whole table just to look at it (the schemas coerce nothing)
        PEOPLE_SCHEMA.validate(result.people, lazy=True, inplace=True)
        QUARANTINE_SCHEMA.validate(result.quarantine, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:  # a bug in the cleaning code, not in the input
        cases = exc.failure_cases[["column", "check", "failure_case"]].head(5).to_string(index=False)
        print(f"internal error: cleaned tables fail their schema; nothing written\n{cases}", file=sys.stderr)
        return 1
    write_atomically(render(result, args.source), out, private=args.source != "synthetic")
    c = result.counts
    persons = result.people["person_id"].nunique()
    unmapped = raw.attrs.get("unmapped_columns") or []
    print(f"input rows:            {c['input_rows']}")
    print(f"clean rows:            {c['clean_rows']} ({persons} persons)")
    print(f"quarantined (whole):   {c['quarantined_rows']}")
    print(f"field problems:        {c['field_problems']}")
    if raw.attrs.get("blank_rows_skipped"):
        print(f"blank rows skipped:    {raw.attrs['blank_rows_skipped']}")
    if unmapped:
        shown = ", ".join(repr(h[:40]) for h in unmapped[:10]) + (" …" if len(unmapped) > 10 else "")
        print(f"ignored columns:       {len(unmapped)} not in the alias table: {shown}")
    print(f"wrote {out}/{{{','.join(OUTPUT_FILES)}}}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
