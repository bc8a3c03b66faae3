"""`fetch viasna` against a local HTTP server on 127.0.0.1: success, 304, and every refusal; no internet."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, snapshots
from analysis.__main__ import main as cli
from analysis.sources import fetch
from analysis.sources import synthetic as syn

TINY = fetch.Client(connect_timeout=2.0, read_timeout=2.0, retries=1, backoff=0.0)  # roomy on a busy machine
SLOW = 4.5  # seconds the "slow" route waits: longer than the read timeout
ETAG = '"v1"'


@pytest.fixture(scope="module")
def exports():
    """A synthetic export (machine layout), a smaller one, and the same in Russian labels."""
    df, _ = syn.generate(syn.default_params(), n=400, seed=2)
    return {
        "full": syn.export_bytes(df),
        "small": syn.export_bytes(df.iloc[:100]),
        "ru": syn.export_bytes(syn.to_layout(df, "ru")),
    }


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    hits: dict = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        Handler.hits["last_headers"] = dict(self.headers)
        self.routes[path](self)

    def send(self, status, body=b"", ctype="text/csv; charset=utf-8", length=None, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(exports):
    def ok(h, body=None):
        if h.headers.get("If-None-Match") == ETAG:
            h.send_response(304)
            h.end_headers()
            return
        h.send(200, body or exports["full"], extra={"ETag": ETAG, "Last-Modified": "Tue, 31 Mar 2026 10:00:00 GMT"})

    def fail(h):
        h.send(500, b"oops", ctype="text/plain")

    def slow(h):
        time.sleep(SLOW)
        h.send(200, exports["full"])

    def html(h):
        h.send(200, b"<!DOCTYPE html><html><body>Please log in</body></html>", ctype="text/html")

    def truncated(h):  # promises more bytes than it sends, then closes the connection
        body = exports["full"]
        h.send(200, body[: len(body) // 2], length=len(body))
        h.close_connection = True

    def cut_line(h):  # a correct Content-Length, but the body ends in the middle of a record
        body = exports["full"]
        h.send(200, body[: body.rfind(b"\n", 0, len(body) - 200) + 12])

    def layout(h):
        h.send(200, exports["full"].replace(b"name,status", b"full_name,state", 1))

    def few(h):
        h.send(200, exports["small"])

    Handler.routes = {"/ru/list": ok, "/500": fail, "/slow": slow, "/html": html, "/truncated": truncated,
                      "/cut": cut_line, "/layout": layout, "/few": few,
                      "/labels": lambda h: h.send(200, exports["ru"], ctype="application/vnd.ms-excel")}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda request, address: None  # a client that gave up (slow route) is not an error here
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv(snapshots.DATA_HOME_ENV, str(tmp_path / "home"))
    monkeypatch.setattr(fetch, "DEFAULT_CLIENT", TINY)
    return tmp_path / "home"


def test_success_writes_private_snapshot_with_sidecar(server, home, exports, capsys):
    assert cli(["fetch", "viasna", "--url", f"{server}/ru/list?format=csv"]) == 0
    folder = home / "viasna" / "raw"
    (data,) = folder.glob("viasna-ru-*.csv")
    meta = json.loads(Path(str(data) + ".meta.json").read_text())
    assert data.read_bytes() == exports["full"]
    assert meta["sha256"] == hashlib.sha256(exports["full"]).hexdigest() and meta["size_bytes"] == len(exports["full"])
    assert (meta["http_status"], meta["layout"], meta["encoding"], meta["etag"]) == (200, "machine", "utf-8", ETAG)
    assert meta["rows"] == exports["full"].count(b"\nSyn") or meta["rows"] > 350
    assert data.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    assert "belarus-analysis/" in Handler.hits["last_headers"]["User-Agent"]
    assert not list(folder.glob(".*"))  # no temporary files left


def test_304_not_modified_downloads_nothing(server, home, capsys):
    url = f"{server}/ru/list?format=csv"
    assert cli(["fetch", "viasna", "--url", url]) == 0
    before = {p: p.stat().st_mtime_ns for p in (home / "viasna" / "raw").iterdir()}
    assert cli(["fetch", "viasna", "--url", url]) == 0
    assert Handler.hits["last_headers"].get("If-None-Match") == ETAG
    assert "not modified" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in (home / "viasna" / "raw").iterdir()} == before
    assert cli(["fetch", "viasna", "--url", url + "&mirror=1"]) == 0  # another address: no validators sent
    assert "If-None-Match" not in Handler.hits["last_headers"]


def test_localized_layout_is_detected(server, home):
    out = fetch.fetch(f"{server}/labels", home / "raw", "ru")
    assert out.meta["layout"] == "ru" and out.meta["header_coverage"] == 1.0
    assert fetch.layout_of({"name": "Імя і прозвішча", "status": "Статус"}) == "be"
    assert fetch.layout_of({"name": "Name and surname", "status": "Status"}) == "en"
    assert all(p.stat().st_mode & 0o777 == 0o700 for p in (home, home / "raw"))


@pytest.mark.parametrize("route, message", [
    ("/500", "gave up after 1 retry: the server kept answering HTTP 500"),
    ("/slow", "network error after 1 retry"),
    ("/html", "HTML page"),
    ("/truncated", "truncated body"),
    ("/cut", "truncated body: the last line is incomplete"),
    ("/layout", "unknown header layout"),
])
def test_refusals_leave_the_good_snapshot_untouched(server, home, route, message, capsys):
    assert cli(["fetch", "viasna", "--url", f"{server}/ru/list"]) == 0
    folder = home / "viasna" / "raw"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    assert cli(["fetch", "viasna", "--url", f"{server}{route}"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_far_fewer_rows_refused_unless_threshold_lowered(server, home, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "a test key that is long enough")
    assert cli(["fetch", "viasna", "--url", f"{server}/ru/list", "--clean"]) == 0
    outputs = {p: p.read_bytes() for p in [*(tmp_path / "processed").rglob("*"), *home.rglob("*")] if p.is_file()}
    assert cli(["fetch", "viasna", "--url", f"{server}/few", "--clean"]) == 2
    assert "far fewer than" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in [*(tmp_path / "processed").rglob("*"), *home.rglob("*")] if p.is_file()}
    assert after == outputs  # a refused fetch leaves the snapshot and every cleaned output untouched
    assert cli(["fetch", "viasna", "--url", f"{server}/few", "--min-ratio", "0.1"]) == 0


def test_retries_then_gives_up(server, home):
    Handler.hits.pop("/500", None)
    with pytest.raises(Exception, match="gave up after 1 retry"):
        fetch.fetch(f"{server}/500", home / "raw", "ru", client=TINY)
    assert Handler.hits["/500"] == 1 + TINY.retries


def test_refuses_a_folder_inside_the_repository(server, home, capsys):
    assert cli(["fetch", "viasna", "--url", f"{server}/ru/list", "--out", str(paths.ROOT / "data" / "x")]) == 2
    assert "inside the repository" in capsys.readouterr().err
    assert not (paths.ROOT / "data" / "x").exists()


def test_clean_writes_processed_and_a_dated_snapshot(server, home, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "a test key that is long enough")
    assert cli(["fetch", "viasna", "--url", f"{server}/ru/list", "--clean"]) == 0
    assert (tmp_path / "processed" / "user" / "viasna" / "people.csv").is_file()
    (dated,) = (home / "viasna" / "clean").iterdir()
    assert snapshots.snapshot_date(dated) is not None and (dated / "people.csv").stat().st_mode & 0o777 == 0o600
    people = (dated / "people.csv").read_text()
    assert "Синтетический" not in people and "spring96" not in people


def test_bad_arguments(home, capsys):
    assert cli(["fetch", "viasna", "--url", "file:///etc/passwd"]) == 2
    assert cli(["fetch", "viasna", "--url", "http://127.0.0.1:9/", "--min-ratio", "2"]) == 2
    assert os.environ[snapshots.DATA_HOME_ENV]


def test_two_fetches_on_two_days_then_diff_finds_the_true_changes(home, tmp_path, monkeypatch):
    """End to end: a synthetic pair served on two days, fetched, cleaned with the private key, diffed."""
    import datetime as dt

    from analysis.sources.synthetic import pair_snapshots as ps
    from analysis.stats import changes as ch

    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "a test key that is long enough")
    monkeypatch.delenv(snapshots.SNAPSHOTS_ENV, raising=False)
    old_export, new_export, truth = syn.synthetic_pair(4, 1500, "2025-09-30", "2026-03-31")
    old_date, new_date = pd.Timestamp(truth["date_old"]), pd.Timestamp(truth["date_new"])
    bodies = {"/list": syn.export_bytes(old_export)}

    class Pair(Handler):
        def do_GET(self):  # noqa: N802
            self.send(200, bodies["/list"])

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pair)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/list"
        for day, export in ((old_date, old_export), (new_date, new_export)):
            bodies["/list"] = syn.export_bytes(export)
            out = fetch.fetch(url, snapshots.raw_dir(), "ru", client=TINY,
                              now=dt.datetime.combine(day.date(), dt.time(12), tzinfo=dt.timezone.utc))
            snapshots.clean_export_to(out.path, [snapshots.clean_dir() / f"{day:%Y-%m-%d}"], day)
    finally:
        httpd.shutdown()
        httpd.server_close()
    loaded = snapshots.load_snapshots("auto")
    assert not loaded.synthetic and loaded.dates == [old_date, new_date]
    (_, old), (_, new) = loaded.items
    found = ch.classify(old, new)["change"].value_counts().to_dict()
    expected = ps.true_counts(old_export, new_export, truth)
    assert {k: found.get(k, 0) for k in expected} == expected and sum(expected.values()) == sum(found.values())
