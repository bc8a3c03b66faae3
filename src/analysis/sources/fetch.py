"""`python -m analysis fetch viasna`: download Viasna's public CSV export into a dated snapshot outside the repository.

The address is the list page of prisoners.spring96.org in one language with the CSV format parameter
(``https://prisoners.spring96.org/<lang>/list?format=csv``), the export this project's reader
(``analysis.sources.viasna``) is written for. The client is polite and careful: an honest User-Agent, timeouts,
a few retries with exponential backoff (honouring Retry-After) and conditional requests (the ETag and
Last-Modified of the newest snapshot are sent back, so an unchanged export is not downloaded again).

A download becomes a snapshot only when it is a usable export: HTTP 200, not an HTML page, the whole body
(Content-Length and the last line), a header layout the reader knows (required columns and at least
:data:`MIN_HEADER_COVERAGE` of the headers recognised), and not far fewer rows than the previous snapshot
(``--min-ratio``). Otherwise the command stops with one line and exit code 2, and nothing is replaced: the file and
its provenance sidecar are written to temporary names in the same folder and renamed into place only at the end.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as _dt
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from analysis import __version__, people, snapshots
from analysis.errors import DataError, UsageError

SOURCE = "viasna"
LANGS = ("ru", "be", "en")
URL_TEMPLATE = "https://prisoners.spring96.org/{lang}/list?format=csv"
USER_AGENT = (f"belarus-analysis/{__version__} (reproducible statistics on political prisoners in Belarus; "
              f"one request per run) python-requests/{requests.__version__}")
ACCEPT = "text/csv, application/csv;q=0.9, text/plain;q=0.5"
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel",
             "text/comma-separated-values")
MIN_HEADER_COVERAGE = 0.75  # share of header cells the alias table must recognise
MIN_RATIO = 0.8  # refuse an export with fewer rows than this share of the previous snapshot's
MAX_BYTES = 500 * 1024 * 1024
CHUNK = 1 << 16
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Client:
    """Timeouts (seconds) and retry policy; tests shrink them."""

    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    retries: int = 4
    backoff: float = 2.0  # waits backoff * 2**(n-1) seconds between tries (urllib3 Retry)


DEFAULT_CLIENT = Client()


@dataclass
class Outcome:
    """What a fetch did: a new snapshot, or nothing because the export had not changed (HTTP 304)."""

    status: int
    path: Path | None
    meta: dict


def default_url(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return URL_TEMPLATE.format(lang=lang)


def session(client: Client) -> requests.Session:
    """A requests session with retries on connection errors, timeouts and 429/5xx answers."""
    retry = Retry(total=client.retries, connect=client.retries, read=client.retries, status=client.retries,
                  backoff_factor=client.backoff, status_forcelist=(429, 500, 502, 503, 504),
                  allowed_methods=frozenset({"GET"}), respect_retry_after_header=True, raise_on_status=True)
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT})
    return s


# ----------------------------------------------------------------------------------- previous snapshots
def snapshot_name(lang: str, day: _dt.date) -> str:
    return f"{SOURCE}-{lang}-{day:%Y-%m-%d}.csv"


def latest(out_dir: Path, lang: str) -> tuple[Path, dict] | None:
    """The newest snapshot of this language in ``out_dir`` and its sidecar, if any."""
    metas = sorted(Path(out_dir).glob(f"{SOURCE}-{lang}-????-??-??.csv{SIDECAR_SUFFIX}"))
    for meta in reversed(metas):
        data = Path(str(meta)[: -len(SIDECAR_SUFFIX)])
        if data.is_file():
            try:
                return data, json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
    return None


# ----------------------------------------------------------------------------------- checks of the body
def detect_encoding(data: bytes) -> str:
    """utf-8-sig / utf-8 / utf-16 / cp1251, in the order the reader tries them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1251"


def looks_like_html(data: bytes, content_type: str) -> bool:
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body"))


def last_line_complete(text: str) -> bool:
    """The body ends on a whole record: no open quote, and the last record has as many fields as the header."""
    try:
        records = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error:
        return False
    records = [r for r in records if any(cell.strip() for cell in r)]
    return len(records) < 2 or len(records[-1]) >= len(records[0])  # header only: the reader says so


def layout_of(source_columns: dict[str, str]) -> str:
    """Header layout: `machine` (English keys) or the language of the labels (`ru`, `be`, `en`)."""
    from analysis.sources.viasna import _norm_header

    labels = [_norm_header(v) for v in source_columns.values()]
    if all(label.replace(" ", "_") in MACHINE_KEYS for label in labels):
        return "machine"
    text = " ".join(labels)
    if any(ch in text for ch in "іўʼ’"):
        return "be"
    if any("а" <= ch <= "я" for ch in text):
        return "ru"
    return "en"


MACHINE_KEYS = frozenset((
    "id", "url", "name", "status", "gender", "photo", "description", "birthday", "arrested", "articles", "prison",
    "declaration", "decision", "penalty", "judge", "councel", "penalty_start_date", "release_date", "verdict_date",
    "appeal_date", "fake_terrorist_list", "died", "clusters",
    "recognised_date", "synthetic_marker",  # this project's own optional columns (docs/VIASNA_EXPORT_FORMAT.md)
))


def inspect(path: Path, data: bytes, url: str, content_type: str, previous: dict | None, min_ratio: float) -> dict:
    """Refuse (DataError naming the URL) anything that is not a usable export; else describe it."""
    from analysis.clean.cli import _read

    if looks_like_html(data, content_type):
        raise DataError(url, f"got an HTML page ({content_type or 'no content type'}), not the CSV export")
    kind = content_type.split(";")[0].strip().lower()
    if kind and kind not in CSV_TYPES:
        raise DataError(url, f"unexpected content type {kind!r}: not a CSV export")
    encoding = detect_encoding(data)
    if not last_line_complete(data.decode(encoding, errors="replace")):
        raise DataError(url, "truncated body: the last line is incomplete")
    try:
        raw = _read(path)  # the reader's own header detection: required columns, both layouts
    except DataError as exc:
        raise DataError(url, f"unknown header layout or unreadable export: {exc.detail}") from None
    columns = raw.attrs["source_columns"]
    unmapped = raw.attrs["unmapped_columns"]
    coverage = len(columns) / max(len(columns) + len(unmapped), 1)
    if coverage < MIN_HEADER_COVERAGE:
        raise DataError(url, f"unknown header layout: only {len(columns)} of {len(columns) + len(unmapped)} headers "
                             f"recognised (need {MIN_HEADER_COVERAGE:.0%}); unknown: "
                             + ", ".join(repr(h[:30]) for h in unmapped[:8]))
    rows = int(len(raw))
    if previous and previous.get("rows") and rows < min_ratio * previous["rows"]:
        raise DataError(url, f"{rows} rows, far fewer than the {previous['rows']} of the previous snapshot "
                             f"({previous.get('file')}); refused (threshold --min-ratio {min_ratio:g})")
    return {"encoding": encoding, "layout": layout_of(columns), "header_coverage": round(coverage, 4),
            "rows": rows, "unmapped_columns": unmapped}


# ----------------------------------------------------------------------------------- download
def _download(url: str, headers: dict, client: Client) -> tuple[requests.Response, bytes]:
    tries = f"{client.retries} retr{'y' if client.retries == 1 else 'ies'}"
    where = f"network error after {tries}"
    try:
        with session(client) as s:
            resp = s.get(url, headers=headers, timeout=(client.connect_timeout, client.read_timeout), stream=True,
                         allow_redirects=True)
            body = bytearray()
            if resp.status_code == 200:
                for chunk in resp.iter_content(CHUNK):
                    body.extend(chunk)
                    if len(body) > MAX_BYTES:
                        raise DataError(url, f"body larger than {MAX_BYTES // 2**20} MB: not the expected export")
            resp.close()
    except requests.exceptions.RetryError as exc:
        raise DataError(url, f"gave up after {tries}: {_reason(exc)}") from None
    except requests.exceptions.ChunkedEncodingError:
        raise DataError(url, "truncated body: the connection closed before the whole file arrived") from None
    except requests.exceptions.RequestException as exc:
        raise DataError(url, f"{where}: {_reason(exc)}") from None
    expected = resp.headers.get("Content-Length")
    if resp.status_code == 200 and expected and expected.isdigit() and not resp.headers.get("Content-Encoding") \
            and int(expected) != len(body):
        raise DataError(url, f"truncated body: {len(body)} of {expected} bytes")
    return resp, bytes(body)


def _reason(exc: BaseException) -> str:
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None) or inner
    text = " ".join(str(reason).split())
    found = re.search(r"too many (\d{3}) error responses", text)
    return f"the server kept answering HTTP {found.group(1)}" if found else text[:200]


def _write_private(path: Path, data: bytes) -> Path:
    """Write to a temporary 0600 file beside ``path``; the caller renames it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, snapshots.PRIVATE_FILE)
    return Path(tmp)


def fetch(url: str, out_dir: Path, lang: str, min_ratio: float = MIN_RATIO, client: Client = DEFAULT_CLIENT,
          now: _dt.datetime | None = None) -> Outcome:
    """Download the export into ``out_dir`` as ``viasna-<lang>-<date>.csv`` + sidecar, or refuse with DataError."""
    if not 0 <= min_ratio <= 1:
        raise UsageError(f"--min-ratio must be between 0 and 1, not {min_ratio}")
    out_dir = snapshots.private_dir(out_dir, "snapshot folder")
    now = now or _dt.datetime.now(_dt.timezone.utc)
    prev = latest(out_dir, lang)
    headers = {}
    if prev and prev[1].get("url") == url:  # validators of the same address only
        if prev[1].get("etag"):
            headers["If-None-Match"] = prev[1]["etag"]
        if prev[1].get("last_modified"):
            headers["If-Modified-Since"] = prev[1]["last_modified"]
    resp, body = _download(url, headers, client)
    if resp.status_code == 304:
        if not prev:
            raise DataError(url, "server answered 304 Not Modified, but there is no earlier snapshot here")
        return Outcome(304, prev[0], prev[1])
    if resp.status_code != 200:
        raise DataError(url, f"HTTP {resp.status_code} {resp.reason or ''}".rstrip())
    target = out_dir / snapshot_name(lang, now.date())
    tmp = _write_private(target, body)
    try:
        info = inspect(tmp, body, url, resp.headers.get("Content-Type", ""), prev[1] if prev else None, min_ratio)
        meta = {
            "source": SOURCE, "publisher": "Human Rights Centre \"Viasna\" (prisoners.spring96.org)",
            "url": url, "final_url": resp.url, "lang": lang, "file": target.name,
            "downloaded_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "http_status": resp.status_code,
            "content_type": resp.headers.get("Content-Type", ""), "etag": resp.headers.get("ETag"),
            "last_modified": resp.headers.get("Last-Modified"), "size_bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(), "user_agent": USER_AGENT, **info,
        }
        side = _write_private(Path(str(target) + SIDECAR_SUFFIX),
                              (json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)  # data first: a sidecar never describes a file that is not there
    os.replace(side, Path(str(target) + SIDECAR_SUFFIX))
    return Outcome(200, target, meta)


# ----------------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis fetch",
        description="Download Viasna's public CSV export of its list (" + URL_TEMPLATE + ") into a dated snapshot "
                    "OUTSIDE the repository (it holds names), check that it is a usable export, and optionally "
                    "clean it.",
        epilog=f"Default folder: ${snapshots.DATA_HOME_ENV} or $XDG_DATA_HOME/{snapshots.APP_DIR} or "
               f"~/.local/share/{snapshots.APP_DIR}, then viasna/raw/ (exports) and viasna/clean/<date>/ (cleaned). "
               "Exit codes: 0 new snapshot or unchanged (304), 2 refused (one line on stderr, nothing replaced).")
    ap.add_argument("source", choices=(SOURCE,), help="which list (only viasna)")
    ap.add_argument("--lang", choices=LANGS, default="ru", help="language of the list page (default ru)")
    ap.add_argument("--url", help="address to download instead of the list page (a mirror, or a test server)")
    ap.add_argument("--out", type=Path, metavar="DIR", help="folder for the raw snapshots (outside the repository)")
    ap.add_argument("--clean", action="store_true",
                    help="also clean the snapshot into data/processed/user/viasna/ (reports 02/03) and a dated cleaned "
                         "snapshot (for `diff` and report 05)")
    ap.add_argument("--min-ratio", type=float, default=MIN_RATIO, metavar="X",
                    help=f"refuse an export with fewer than X times the previous snapshot's rows (default {MIN_RATIO})")
    return ap


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    url = args.url or default_url(args.lang)
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--url must be an http(s) address, not {url!r}")
    out_dir = args.out or snapshots.raw_dir(SOURCE)
    outcome = fetch(url, out_dir, args.lang, args.min_ratio, client=DEFAULT_CLIENT)
    m = outcome.meta
    if outcome.status == 304:
        print(f"not modified since {m.get('downloaded_at')}: nothing downloaded; latest snapshot {outcome.path}")
    else:
        print(f"wrote {outcome.path} ({m['rows']} rows, {m['size_bytes']} bytes, {m['encoding']}, layout "
              f"{m['layout']}, sha256 {m['sha256'][:12]}…) and its sidecar {outcome.path.name}{SIDECAR_SUFFIX}")
    if args.clean:
        day = pd.Timestamp(m["downloaded_at"][:10])
        dated = snapshots.private_dir(snapshots.clean_dir(SOURCE), "cleaned snapshot folder") / f"{day:%Y-%m-%d}"
        processed = people.user_folder(SOURCE)
        result = snapshots.clean_export_to(outcome.path, [processed, dated], day)
        c = result.counts
        print(f"cleaned: {c['clean_rows']} rows kept, {c['quarantined_rows']} quarantined; wrote {processed}/ "
              f"(reports 02/03: `make reports-force`) and {dated}/ (for `python -m analysis diff`)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
