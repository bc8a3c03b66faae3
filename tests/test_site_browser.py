"""Open every page of the committed site (reports/) from disk in headless Chromium, as a reader would.

Fails on a console error, a broken link or image, any request that is not file:// or data:, visible text
that betrays a raw notebook ("Traceback", "Warning", "NaN", "<NA>", "None", a raw $…$ formula) and a page
wider than 1,280 px. Saves a full-page screenshot of each page in SITE_SCREENSHOTS (default: a scratch
folder under the system temp dir) for review. Chromium comes from the distribution (`apt-get install
chromium`; .ci/run installs it), driven by Playwright (pinned in pyproject.toml) with `executable_path`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import paths

WIDTH = 1280
HEIGHT = 900
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
ALLOWED_SCHEMES = ("file:", "data:", "about:")
# Visible text that means a raw notebook leaked onto a page. "None" at the start of a sentence
# ("None of them…") is English, so only a "None" that is not followed by a lower-case word counts.
FORBIDDEN = {
    "Traceback": re.compile(r"Traceback"),
    "Warning": re.compile(r"Warning"),
    "NaN": re.compile(r"\bNaN\b"),
    "<NA>": re.compile(r"<NA>"),
    "None": re.compile(r"\bNone\b(?!\s+[a-z])"),
    "raw $…$ formula": re.compile(r"\$\$|\$[^$\n]*[\\_^{}][^$\n]*\$"),
}


def chromium() -> str | None:
    """The distribution's Chromium (CHROMIUM env var first), or None."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def site_pages(root: Path) -> list[Path]:
    """index.html and every report page it belongs with (reports/<name>/<name>.html)."""
    pages = [root / "index.html"] if (root / "index.html").is_file() else []
    pages += sorted(p for p in root.glob("*/*.html") if p.stem == p.parent.name)
    return pages


def check_page(browser, page_path: Path, shots: Path) -> list[str]:
    """Load one page from disk and return every problem found (empty when the page is fine)."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def route(r):
        url = r.request.url
        if url.startswith(ALLOWED_SCHEMES):
            r.continue_()
        else:
            problems.append(f"network request: {url}")
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: problems.append(f"failed to load: {r.url}")
            if r.url.startswith("file:") else None)
    page.goto(page_path.resolve().as_uri(), wait_until="load")

    text = page.inner_text("body")
    for what, pattern in FORBIDDEN.items():
        for m in pattern.finditer(text):
            context = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            problems.append(f"visible {what!r}: …{context}…")
            break
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    if width > WIDTH:
        problems.append(f"page is {width} px wide (more than {WIDTH})")
    scrollers = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
        const s = getComputedStyle(e);
        return ['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
      }).map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    if scrollers:
        problems.append(f"sideways scrolling inside the page: {scrollers}")
    broken = page.evaluate("""() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
                                    .map(i => i.getAttribute('src').slice(0, 80))""")
    problems += [f"broken image: {src}" for src in broken]
    no_alt = page.evaluate("() => [...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).length")
    if no_alt:
        problems.append(f"{no_alt} image(s) without alt text")
    ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
    for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
        problems += _link_problem(href, page_path, ids)
    page.screenshot(path=str(shots / f"{page_path.stem}.png"), full_page=True)
    page.close()
    return problems


def _link_problem(href: str, page_path: Path, ids: set[str]) -> list[str]:
    """A file:// link must point at an existing file (and, within the page, an existing anchor)."""
    url = urlparse(href)
    if url.scheme in ("http", "https", "mailto"):
        return []  # a link out is fine; only loading something from the network is not
    if url.scheme != "file":
        return [f"link with unexpected scheme: {href}"]
    target = Path(unquote(url.path))
    if not target.exists():
        return [f"broken link: {href}"]
    if url.fragment and target.resolve() == page_path.resolve() and url.fragment not in ids:
        return [f"broken anchor: #{url.fragment}"]
    return []


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make .venv)")
    executable = chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium not found: .ci/run installs it with apt-get install chromium")
        pytest.skip("Chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("SITE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "analysis-site-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


COMMITTED = paths.ROOT / "reports"


def test_site_has_pages():
    pages = site_pages(COMMITTED)
    assert pages and pages[0].name == "index.html", "reports/index.html is missing: run make reports"


@pytest.mark.parametrize("page_path", site_pages(COMMITTED), ids=lambda p: p.name)
def test_page_reads_cleanly(browser, shots, page_path):
    problems = check_page(browser, page_path, shots)
    assert not problems, f"{page_path.relative_to(paths.ROOT)} (screenshot in {shots}):\n  " + "\n  ".join(problems)


def test_the_checks_catch_what_they_promise(browser, tmp_path):
    """A page with every fault the test looks for: each one is reported (a test of the test)."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><script src="https://cdn.example.org/mathjax.js"></script></head><body>'
        "<p>Traceback (most recent call last)</p><p>UserWarning: careful</p><p>value NaN and &lt;NA&gt; and None.</p>"
        "<p>None of these is a problem.</p><p>$y_t = b_0$</p><img src=\"missing.png\" alt=\"gone\"><img src=\"data:,\">"
        '<a href="nowhere.html">x</a><a href="#nothing">y</a><div style="width: 1500px">wide</div>'
        "<script>console.error('boom')</script></body></html>", encoding="utf-8")
    problems = "\n".join(check_page(browser, bad, tmp_path))
    for expected in ("network request: https://cdn.example.org", "visible 'Traceback'", "visible 'Warning'",
                     "visible 'NaN'", "visible '<NA>'", "visible 'None'", "visible 'raw $…$ formula'",
                     "broken image: missing.png", "without alt text", "broken link", "broken anchor: #nothing",
                     "page is", "console error: boom"):
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"
    assert not FORBIDDEN["None"].search("None of these is a problem.")  # English, not a leaked Python None
