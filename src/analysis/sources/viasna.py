"""Read a Viasna person-level export (CSV or XLSX) into canonical raw text columns.

Two header layouts exist (docs/VIASNA_EXPORT_FORMAT.md describes both, with sources):

- the machine export: 23 English keys (``id,url,name,status,...,died,clusters``);
- the localized page/"Excel" layout: labels in Russian, Belarusian or English (``Имя и фамилия``,
  ``Дата нараджэння``, ``Date of detention``...).

Both go through ONE alias table, :data:`ALIASES` (canonical name -> every header spelling we accept).
Header matching ignores case, surrounding/inner whitespace, ``_`` vs space, ``ё``/``е`` and the kind of
apostrophe. Columns we do not know are dropped (their headers are kept in ``df.attrs["unmapped_columns"]``);
canonical columns missing from the file are added as empty text, so the result always has every
canonical column, in :data:`CANONICAL` order, plus ``_row``.

Everything is read as text, nothing is evaluated: a cell such as ``=cmd|' /C calc'!A0`` stays exactly
that string (XLSX formulas are read as their formula text, never computed). Writers of outputs make such
text inert (see ``analysis.clean.cli._cell_texts``); the cleaned outputs hold parsed values only.

Failures raise :class:`analysis.errors.DataError` naming the file: missing/unreadable file, binary or
otherwise non-CSV/XLSX content, empty file, header without data rows, required columns missing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError

# Canonical raw columns, in output order.
CANONICAL: tuple[str, ...] = (
    "name", "url", "id", "status", "gender", "birth_date", "detention_date", "charges", "verdict_date",
    "sentence", "penalty", "judge", "counsel", "prosecutor", "prison", "release_date", "died", "clusters",
    "declaration", "description", "photo", "penalty_start_date", "appeal_date", "fake_terrorist_list",
    "recognised_date", "synthetic_marker",
)
REQUIRED: tuple[str, ...] = ("name", "status")
ROW_COLUMN = "_row"

# THE alias table: canonical column -> accepted header spellings (matched after _norm_header).
# Sources: machine-export keys (layout 1) and the ru/en/be labels of layout 2 (docs/VIASNA_EXPORT_FORMAT.md
# §1-2). Each canonical name also matches itself (e.g. ``birth_date``). Two columns are OURS, not Viasna's:
# ``recognised_date`` (optional date of recognition; the real export has none) and ``synthetic_marker``
# (written by the synthetic generator, see analysis.sources.synthetic.marker). Nothing else is guessed: an
# unknown label is reported in attrs["unmapped_columns"], never silently matched.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "Name and surname", "Имя и фамилия", "Імя і прозвішча"),
    "url": ("url",),
    "id": ("id",),
    "status": ("status", "Status", "Статус"),
    "gender": ("gender", "Gender", "Пол"),
    "birth_date": ("birthday", "Date of birth", "Дата рождения", "Дата нараджэння"),
    "detention_date": ("arrested", "Date of detention", "Дата задержания", "Дата затрымання"),
    "charges": ("articles", "Charges indicted", "Предъявлены обвинения", "Прад’яўлены абвінавачванні"),
    "verdict_date": ("verdict_date", "Date of verdict", "Дата приговора", "Дата прысуду"),
    "sentence": ("decision", "Sentence", "Решение суда", "Рашэнне суда"),
    "penalty": ("penalty", "Penalty", "Вид наказания", "Від пакарання"),
    "judge": ("judge", "Judge", "Судья", "Суддзя"),
    "counsel": ("councel", "counsel"),  # sic: the machine export spells it "councel"
    "prosecutor": ("prosecutor", "Prosecutor", "Прокурор", "Пракурор"),
    "prison": ("prison", "Prison", "Место заключения", "Месца зняволення"),
    "release_date": ("release_date",),
    "died": ("died",),
    "clusters": ("clusters",),
    "declaration": ("declaration",),
    "description": ("description",),
    "photo": ("photo",),
    "penalty_start_date": ("penalty_start_date",),
    "appeal_date": ("appeal_date",),
    "fake_terrorist_list": ("fake_terrorist_list",),
    "recognised_date": ("recognized_date", "recognition_date"),
    "synthetic_marker": (),
}

CSV_EXTENSIONS = {".csv", ".txt", ".tsv", ""}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc
DELIMITERS = (",", ";", "\t")
MAX_CONTROL_SHARE = 0.001  # more C0 control characters than this (besides \t \r \n) = not text
MAX_LISTED_HEADERS = 30


def _norm_header(label: object) -> str:
    """Header cell -> matching key: case-folded, single spaces, '_' as space, ё=е, one apostrophe."""
    text = "" if label is None else str(label)
    text = text.replace("\ufeff", "").casefold().replace("ё", "е")
    text = re.sub(r"[’ʼ‘`´]", "'", text)
    text = re.sub(r"[\s_]+", " ", text).strip()
    return text.rstrip(":*").strip()


def _build_lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, labels in aliases.items():
        for label in (canonical, *labels):
            key = _norm_header(label)
            if lookup.get(key, canonical) != canonical:  # pragma: no cover - guards edits of the table
                raise ValueError(f"alias {label!r} maps to both {lookup[key]!r} and {canonical!r}")
            lookup[key] = canonical
    return lookup


HEADER_LOOKUP: dict[str, str] = _build_lookup(ALIASES)
assert set(ALIASES) == set(CANONICAL)


# ---------------------------------------------------------------------------------------------- reading
def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise DataError(path, "file not found")
    if not path.is_file():
        raise DataError(path, "not a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot read file: {exc.strerror or exc}") from None


def _decode(path: Path, data: bytes) -> str:
    """utf-8 (with or without BOM), UTF-16 with BOM, else cp1251; binary content is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(path, "not readable as UTF-16 text despite its byte-order mark") from None
    if b"\x00" in data[:65536]:
        raise DataError(path, "binary content: not a CSV or XLSX file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise DataError(path, "not a text file in UTF-8 or cp1251 (binary content?)") from None
    _check_controls(path, text[:65536])
    return text


def _check_controls(path: Path, sample: str) -> None:
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > MAX_CONTROL_SHARE * max(len(sample), 1):
        raise DataError(path, "binary content: not a CSV or XLSX file")


UTF8_BOM = b"\xef\xbb\xbf"
_VALIDATE_CHUNK = 1 << 24  # bytes decoded at a time when checking that a file is UTF-8


def _is_utf8(data: bytes, start: int) -> bool:
    """``data[start:]`` is valid UTF-8 (checked chunk by chunk: never a full decoded copy in memory)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)
    try:
        for pos in range(start, len(data), _VALIDATE_CHUNK):
            decoder.decode(view[pos:pos + _VALIDATE_CHUNK], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        view.release()
    return True


def _utf8_source(path: Path, data: bytes) -> tuple[bytes, int] | None:
    """(UTF-8 bytes, offset where the text starts) for a UTF-8 file, the same checks as :func:`_decode`.

    The file's own bytes are used as they are (no decoded copy of the whole text); None when the file is
    not UTF-8 (then :func:`_decode` decides: UTF-16, cp1251 or an error).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:65536]:
        return None
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    if not _is_utf8(data, start):
        return None
    sample = codecs.getincrementaldecoder("utf-8")("strict").decode(data[start:start + 4 * 65536], final=False)
    _check_controls(path, sample[:65536])
    return data, start


def _sniff_delimiter(text: str) -> str:
    """The delimiter that occurs most often in the header line (comma on ties)."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _sniff_delimiter_bytes(data: bytes, start: int) -> str:
    """:func:`_sniff_delimiter` on UTF-8 bytes (the delimiters are ASCII: counting bytes is the same)."""
    pos = start
    while pos < len(data) and data[pos] in b"\r\n":
        pos += 1
    end = data.find(b"\n", pos)
    first = data[pos:] if end < 0 else data[pos:end]
    counts = {d: first.count(d.encode("ascii")) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv_source(path: Path, data: bytes) -> pd.DataFrame:
    """The CSV grid of a file's bytes: UTF-8 is parsed from the bytes themselves, other text decoded first.

    Same result as ``_read_csv_text(path, _decode(path, data))`` (pandas' C parser reads text as UTF-8
    anyway), without holding the decoded text and a StringIO copy of it in memory.
    """
    source = _utf8_source(path, data)
    if source is None:
        return _read_csv_text(path, _decode(path, data))
    data, start = source
    end = data.find(b"\n", start)
    first = (data[start:] if end < 0 else data[start:end]).decode("utf-8")
    if re.fullmatch(r"sep=.\r?", first):  # Excel's delimiter hint line
        delimiter, start = first[4], (len(data) if end < 0 else end + 1)
        if not delimiter.isascii():  # pragma: no cover - exotic: leave it to the text reader
            return _read_csv_text(path, _decode(path, data))
    else:
        delimiter = _sniff_delimiter_bytes(data, start)
    buffer = io.BytesIO(data)  # shares the bytes, no copy
    buffer.seek(start)
    return _parse_csv(path, buffer, delimiter, encoding="utf-8")


def _read_csv_text(path: Path, text: str) -> pd.DataFrame:
    first, _, rest = text.partition("\n")
    if re.fullmatch(r"sep=.\r?", first):  # Excel's delimiter hint line
        delimiter, text = first[4], rest
    else:
        delimiter = _sniff_delimiter(text)
    if delimiter.isascii():  # the C parser reads UTF-8 bytes: give it those (smaller than a StringIO copy)
        return _parse_csv(path, io.BytesIO(text.encode("utf-8")), delimiter, encoding="utf-8")
    return _parse_csv(path, io.StringIO(text), delimiter)


def _parse_csv(path: Path, source, delimiter: str, encoding: str | None = None) -> pd.DataFrame:
    try:
        grid = pd.read_csv(
            source, sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_filter=False, quotechar='"', doublequote=True, skip_blank_lines=True, engine="c",
            encoding=encoding,
        )
    except pd.errors.EmptyDataError:
        raise DataError(path, "empty file") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise DataError(path, f"not a well-formed CSV file: {_short(exc)}") from None
    return grid


def _cell_text(value: object) -> str:
    """One XLSX cell -> text, without evaluating anything (formulas arrive as their text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> pd.DataFrame:
    import openpyxl  # imported here: only XLSX needs it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise DataError(path, f"not a readable XLSX workbook: {_short(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on corrupt files
        raise DataError(path, f"not a readable XLSX workbook: {type(exc).__name__}") from None
    try:
        if not workbook.worksheets:
            raise DataError(path, "XLSX workbook has no worksheet")
        rows = [[_cell_text(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise DataError(path, f"not a readable XLSX workbook: {type(exc).__name__}") from None
    finally:
        workbook.close()
    while rows and not any(c.strip() for c in rows[-1]):  # trailing formatted-but-empty rows
        rows.pop()
    while rows and not any(c.strip() for c in rows[0]):  # blank lines above the header
        rows.pop(0)
    if not rows:
        raise DataError(path, "empty file")
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _map_header(path: Path, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column position -> canonical name; also the headers we did not recognise."""
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    unmapped: list[str] = []
    for pos, label in enumerate(header):
        key = _norm_header(label)
        if not key:
            continue
        canonical = HEADER_LOOKUP.get(key)
        if canonical is None:
            unmapped.append(str(label).strip())
            continue
        if canonical in seen:
            raise DataError(path, f"columns {seen[canonical]!r} and {str(label).strip()!r} both mean {canonical!r}")
        seen[canonical] = str(label).replace("\ufeff", "").strip()
        mapping[pos] = canonical
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        found = [str(h).replace("\ufeff", "").strip()[:40] for h in header if str(h).strip()]
        listed = ", ".join(repr(h) for h in found[:MAX_LISTED_HEADERS])
        if len(found) > MAX_LISTED_HEADERS:
            listed += f", … ({len(found)} in all)"
        raise DataError(path, f"required column(s) {', '.join(missing)} missing; found: {listed or 'no headers'}")
    return mapping, unmapped


def read_export(path: str | Path) -> pd.DataFrame:
    """Read a Viasna export (CSV in utf-8/utf-8-BOM/cp1251, or XLSX) into canonical text columns.

    Returns a DataFrame with every column of :data:`CANONICAL` (str; empty cell = ``''``) plus
    ``_row``, the 1-based data row number in the file (header not counted; a quoted multi-line cell is
    one row). Fully blank rows are skipped (their count is in ``attrs["blank_rows_skipped"]``).
    ``attrs["source_columns"]`` maps canonical -> header as written in the file,
    ``attrs["unmapped_columns"]`` lists headers that were ignored, ``attrs["file"]`` the path.
    Raises DataError (naming the file) when the file cannot be used at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    data = _read_bytes(path)
    if not data.strip():
        raise DataError(path, "empty file")
    if data.startswith(OLE_MAGIC):
        raise DataError(path, "legacy Excel .xls (or other OLE) file: save it as XLSX or CSV")
    if suffix in XLSX_EXTENSIONS or data.startswith(ZIP_MAGIC):
        if not data.startswith(ZIP_MAGIC):
            raise DataError(path, f"has extension {suffix} but is not an XLSX workbook")
        grid = _read_xlsx(path)
    elif suffix in CSV_EXTENSIONS:
        grid = _read_csv_source(path, data)
    else:
        raise DataError(path, f"unsupported file type {suffix!r}: expected .csv or .xlsx")
    del data  # the file's bytes are no longer needed (can be hundreds of MB)

    header = [str(v) for v in grid.iloc[0].tolist()]
    mapping, unmapped = _map_header(path, header)
    body = grid.iloc[1:]
    if body.empty:
        raise DataError(path, "header only: no data rows")
    rows = pd.Series(range(1, len(body) + 1), index=body.index, dtype="int64")
    # fully blank rows (checked on the few rows whose first two cells are empty: cheap on big files)
    maybe = body.iloc[:, 0].eq("") & body.iloc[:, min(1, body.shape[1] - 1)].eq("")
    blank = np.zeros(len(body), dtype=bool)
    if maybe.any():
        blank[maybe.to_numpy()] = body[maybe].eq("").all(axis=1).to_numpy(dtype=bool)
    n_blank = int(blank.sum())
    body, rows = body[~blank], rows[~blank]
    if body.empty:
        raise DataError(path, "no data rows (only blank rows under the header)")

    out = pd.DataFrame(index=range(len(body)))
    for pos, canonical in mapping.items():
        out[canonical] = body.iloc[:, pos].to_numpy(dtype=object)
    for canonical in CANONICAL:
        if canonical not in out:
            out[canonical] = ""
    out = out[list(CANONICAL)]
    out[ROW_COLUMN] = rows.to_numpy()
    out.attrs.update(
        file=str(path),
        source_columns={canonical: str(header[pos]).replace("\ufeff", "").strip() for pos, canonical in mapping.items()},
        unmapped_columns=unmapped,
        blank_rows_skipped=n_blank,
    )
    return out
