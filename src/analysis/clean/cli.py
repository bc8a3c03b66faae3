"""`python -m analysis clean`: clean a person-level export into pseudonymous tables.

Reads a Viasna export (or a synthetic one in the same layout) and writes people.csv, quarantine.csv and
counts.json to data/processed/user/<source>/ (or --out), by the rules of :mod:`analysis.clean.outputs`
(checked before anything is read). ``--source synthetic`` (public key) is refused unless every row carries
the synthetic generator's marker; an export with the marker is stamped synthetic whatever ``--source`` says.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.clean import pseudonym
from analysis.clean.outputs import (
    OUTPUT_FILES, TRUTH_FILE, check_out, default_out, render_marker, write_atomically,
)
from analysis.clean.people import clean_export, marked_rows
from analysis.clean.quarantine import FORMULA_START, INERT_PREFIX
from analysis.errors import DataError, UsageError
from analysis.schemas_people import PEOPLE_SCHEMA, QUARANTINE_SCHEMA

FLOAT_FORMAT = "%.6g"
DATE_FORMAT = "%Y-%m-%d"

EPILOG = """\
outputs (in DIR; folder 0700, files 0600, with a .gitignore of "*"):
  people.csv      one row per record: parsed, typed fields only; ids are keyed hashes
  quarantine.csv  one row per problem (row, column, value_shape, reason, whole_row): never the text
  counts.json     input_rows = clean_rows + quarantined_rows; synthetic, synthetic_rows
  SYNTHETIC       only when the input carries the synthetic generator's marker

DIR (--out) is resolved against the current folder; it must be new, empty or made by clean before, and
not a file, the repository root or inside .git, data/raw, notebooks, src or reports.

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
                        help="what the input is; synthetic (public key) only for files the generator wrote")
    parser.add_argument("--input", required=True, type=Path, metavar="PATH", help="export file (.csv or .xlsx)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: data/processed/user/<source>/)")
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


def _cell_texts(s: pd.Series) -> tuple[pd.Series, bool]:
    """A column as the exact text written to CSV, formatted once per distinct value ('' for missing), and
    whether any text needs CSV quoting (a comma, quote or line break)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if pd.api.types.is_datetime64_any_dtype(s):
        texts = [u.strftime(DATE_FORMAT) for u in pd.DatetimeIndex(uniques)]
    elif pd.api.types.is_float_dtype(s):
        texts = [FLOAT_FORMAT % u for u in np.asarray(uniques, dtype=float)]
    else:
        texts = [str(u) for u in uniques]
    # a spreadsheet runs text starting with = + - @ as a formula: prefix it (outputs are parsed values, so this
    # is defence in depth), once per distinct value
    texts = [INERT_PREFIX + t if len(t) > 1 and t.startswith(FORMULA_START) else t for t in texts]
    quoting = any(_NEEDS_QUOTES.search(t) for t in texts)
    return pd.Series(np.array(texts + [""], dtype=object)[codes], index=s.index, dtype=object), quoting


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
CSV_CHUNK_ROWS = 50_000  # rows formatted at a time: memory stays at the output bytes + one chunk


def _csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV: every value pre-formatted as text, formula-like text made inert, "\n" lines.

    Written chunk by chunk into one growing buffer. When no text of a chunk needs quoting (the usual case:
    outputs are parsed values) its lines are joined directly, which gives the bytes ``DataFrame.to_csv``
    would, many times faster; otherwise ``to_csv`` quotes.
    """
    if not len(df):
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    out = io.BytesIO()
    for start in range(0, len(df), CSV_CHUNK_ROWS):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        columns, quoting = {}, start == 0 and any(_NEEDS_QUOTES.search(str(c)) for c in df.columns)
        for col in part.columns:
            columns[col], needs = _cell_texts(part[col])
            quoting |= needs
        if quoting:
            text = pd.DataFrame(columns, index=part.index).to_csv(index=False, header=start == 0, lineterminator="\n")
        else:
            lines = [",".join(df.columns)] if start == 0 else []
            lines += map(",".join, zip(*(c.to_numpy() for c in columns.values())))
            text = "\n".join(lines) + "\n"
        out.write(text.encode("utf-8"))
    return out.getvalue()  # the buffer itself (no copy of the whole output)


def render(result, source: str, today: pd.Timestamp, truth: bytes | None = None) -> dict[str, bytes]:
    """The output files as bytes (deterministic: same input, key and today -> same bytes)."""
    synthetic = source == "synthetic" or result.counts.get("synthetic_rows", 0) > 0
    counts = {**result.counts, "synthetic": synthetic, "source": source, "today": today.date().isoformat()}
    files = {
        "people.csv": _csv_bytes(result.people),
        "quarantine.csv": _csv_bytes(result.quarantine),
        "counts.json": (json.dumps(counts, sort_keys=True, indent=2) + "\n").encode("utf-8"),
        **render_marker(source, synthetic),
    }
    if synthetic and truth is not None:
        files[TRUTH_FILE] = truth
    return files


SCHEMA_SAMPLE_ROWS = 100_000  # rows of people.csv checked row by row; uniqueness is checked on all


def check_schemas(result) -> None:
    """Schema check of the cleaned tables (a guard against bugs in this code, not a check of the input).

    people.csv is checked on an evenly spaced sample of at most SCHEMA_SAMPLE_ROWS rows plus the uniqueness
    of record_id on all rows: a bug shows on many rows, and the full check costs as much as the cleaning.
    """
    people = result.people
    step = max(1, -(-len(people) // SCHEMA_SAMPLE_ROWS))
    sample = people if step == 1 else people.iloc[::step]
    PEOPLE_SCHEMA.validate(sample, lazy=True, inplace=True)  # inplace: no copy (the schema coerces nothing)
    QUARANTINE_SCHEMA.validate(result.quarantine, lazy=True, inplace=True)
    if not people["record_id"].is_unique:
        raise AssertionError("internal error: record_id is not unique; nothing written")


def refuse_unmarked(raw: pd.DataFrame, marked_rows: int, path: Path) -> None:
    """The public synthetic key hashes only files the generator wrote: every row must carry its marker."""
    if marked_rows < len(raw):
        raise UsageError(
            f"{path}: {len(raw) - marked_rows} of {len(raw)} rows lack the synthetic generator's marker; "
            "a real export must be cleaned with --source viasna (private pseudonym key)")


def _truth_beside(path: Path) -> bytes | None:
    """The generator's truth file written beside a synthetic export (``<export>.truth.json``), if any."""
    sidecar = path.with_name(path.name + ".truth.json")
    try:
        data = sidecar.read_bytes()
        return data if json.loads(data).get("stamp") else None
    except (OSError, ValueError, AttributeError):
        return None


def clean_file(path: Path, source: str, outs: list[Path], today: pd.Timestamp):
    """The `clean` command without its printout: read one export, clean it, write the same outputs to each of
    ``outs`` (folders already checked by `check_out`). Returns (result, info) with what `main` reports.

    The public synthetic key hashes only rows that carry the generator's marker; anything else needs the
    private key. A schema failure of the cleaned tables is a bug here and raises before anything is written.
    """
    raw = _read(path)
    info = {"unmapped": raw.attrs.get("unmapped_columns") or [], "blank_rows": raw.attrs.get("blank_rows_skipped")}
    rows_marked = marked_rows(raw)
    marked = int(rows_marked.sum())
    if source == "synthetic":
        refuse_unmarked(raw, marked, path)
        key = pseudonym.SYNTHETIC_KEY
    else:
        key = pseudonym.load_key()
    result = clean_export(raw, source, key, today, marked=rows_marked)
    del raw, rows_marked  # the export's text is no longer needed
    check_schemas(result)
    files = render(result, source, today, _truth_beside(path) if marked else None)
    for out in outs:
        write_atomically(files, out)
    info["marked"] = marked
    return result, info


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    today = _parse_today(args.today)
    out = check_out(args.out if args.out is not None else default_out(args.source))
    try:
        result, info = clean_file(args.input, args.source, [out], today)
    except pa.errors.SchemaErrors as exc:  # a bug in the cleaning code, not in the input
        cases = exc.failure_cases[["column", "check"]].head(5).to_string(index=False)
        print(f"internal error: cleaned tables fail their schema; nothing written\n{cases}", file=sys.stderr)
        return 1
    unmapped, blank_rows, marked = info["unmapped"], info["blank_rows"], info["marked"]
    c = result.counts
    persons = result.people["person_id"].nunique()
    print(f"input rows:            {c['input_rows']}")
    print(f"clean rows:            {c['clean_rows']} ({persons} persons)")
    print(f"quarantined (whole):   {c['quarantined_rows']}")
    print(f"field problems:        {c['field_problems']}")
    if marked:
        print(f"synthetic rows:        {marked} (generator's marker found: outputs stamped SYNTHETIC)")
    if blank_rows:
        print(f"blank rows skipped:    {blank_rows}")
    if unmapped:
        shown = ", ".join(repr(h[:40]) for h in unmapped[:10]) + (" …" if len(unmapped) > 10 else "")
        print(f"ignored columns:       {len(unmapped)} not in the alias table: {shown}")
    print(f"wrote {out}/{{{','.join(OUTPUT_FILES)}}}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
