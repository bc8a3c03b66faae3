"""Load the curated aggregate tables of data/raw/curated: checksum, schema, then typed columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths, provenance
from analysis.errors import DataError
from analysis.schemas import OBSERVED_DATE, SCHEMAS, after_publication

TABLES = tuple(SCHEMAS)
DATE_COLUMNS = ("as_of_date", "event_date", "date_of_death", "source_published")
CSV_HEADER_LINES = 1


def path_of(name: str, root: Path | None = None) -> Path:
    """Where a curated table lives."""
    if name not in SCHEMAS:
        raise DataError(name, f"unknown curated table; known: {', '.join(TABLES)}")
    return Path(root or paths.CURATED) / f"{name}.csv"


def parse_partial_date(s: pd.Series) -> pd.Series:
    """ISO text of day, month or year precision → Timestamp of the first day of that period."""
    text = s.astype("string")
    padded = text.where(text.str.len() != 4, text + "-01-01")
    padded = padded.where(padded.str.len() != 7, padded + "-01")
    return pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")


def _first_failure(exc: pa.errors.SchemaErrors, path: Path) -> DataError:
    """Turn pandera's failure table into one message naming file, CSV line and column."""
    cases = exc.failure_cases.sort_values("index", na_position="last", kind="stable")
    row = cases.iloc[0]
    line = int(row["index"]) + CSV_HEADER_LINES + 1 if pd.notna(row["index"]) else None
    more = f" ({len(cases) - 1} more problems)" if len(cases) > 1 else ""
    column = row["column"] if pd.notna(row["column"]) else None
    return DataError(path, f"value {row['failure_case']!r} fails check {row['check']}{more}", row=line, column=column)


def validate(df: pd.DataFrame, name: str, path: Path) -> pd.DataFrame:
    """Check a raw table against its schema and its dates against publication; DataError on the first failing cell."""
    try:
        checked = SCHEMAS[name].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_failure(exc, path) from None
    later = after_publication(checked, name)
    if later.any():
        index, column = later[later].index[0], OBSERVED_DATE[name]
        more = f" ({int(later.sum()) - 1} more rows)" if later.sum() > 1 else ""
        raise DataError(path, f"date {checked.at[index, column]} lies after the source's publication date "
                        f"{checked.at[index, 'source_published']}{more}", row=int(index) + CSV_HEADER_LINES + 1,
                        column=column)
    return checked


def read_raw(path: Path) -> pd.DataFrame:
    """Read a raw CSV as text, empty cells as missing, so the schema sees exactly what is written."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(path, f"cannot be read as UTF-8 CSV ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from None


def load(name: str, root: Path | None = None, verify: bool = True) -> pd.DataFrame:
    """Verified, validated curated table with parsed `*_date` columns (first day of the stated period)."""
    path = path_of(name, root)
    if not path.exists():
        raise DataError(path, "file not found")
    if verify:
        provenance.verify(path)
    df = validate(read_raw(path), name, path)
    for col in DATE_COLUMNS:
        if col in df:
            df[col + "_text"] = df[col]
            df[col] = parse_partial_date(df[col])
    df.attrs.update(name=name, path=str(path))
    return df


def meta(name: str, root: Path | None = None) -> dict:
    """Provenance record of a curated table."""
    return provenance.read_meta(path_of(name, root))


def summary(names: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """One line per curated table: rows, date span, producer, access date and checksum, for a notebook's data section."""
    rows = []
    for name in names:
        df, m = load(name), meta(name)
        dates = next((df[c] for c in ("as_of_date", "event_date", "date_of_death") if c in df), pd.Series(dtype="datetime64[ns]"))
        rows.append({
            "table": f"{name}.csv", "rows": len(df),
            "first": dates.min().strftime("%Y-%m-%d") if dates.notna().any() else "",
            "last": dates.max().strftime("%Y-%m-%d") if dates.notna().any() else "",
            "distinct sources": df["source_url"].nunique(),
            "accessed": str(m["date_accessed"]), "sha256": str(m["sha256"])[:12],
        })
    return pd.DataFrame(rows)
