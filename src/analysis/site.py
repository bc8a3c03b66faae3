"""The static site under reports/: a landing page and one readable page per report, usable offline.

`build(reports, reports_dir)` is called by the runner after a default build. From each executed notebook
`reports/<name>/<name>.ipynb` and its `results.json` it writes `reports/<name>/<name>.html` — narrative,
figures and tables first, every code cell folded behind a "Show code" summary (a `<details>` element, no
script), formulas turned into MathML at build time (browsers draw MathML natively, so nothing is fetched),
code names replaced by display names (`analysis.labels`), table cells formatted for people (whole numbers
without ".0", missing values as "–", midnight timestamps as dates, no default 0, 1, 2… index) — and
`reports/index.html`, which shows each report's key findings (`results.json` `key_findings`), its first
figure and its links. Pages of reports made from synthetic data carry the synthetic stamp. Pages are
self-contained (inline CSS, figures as data URIs), deterministic, and rewritten only when their bytes change.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Protocol

from analysis import SYNTHETIC_STAMP, outpaths
from analysis.errors import DataError
from analysis.labels import LABELS, SNAKE, label

SNAKE_WORD = re.compile(rf"\b{SNAKE.pattern}\b")  # a code name inside a longer header
MISSING = "–"
MISSING_TOKENS = frozenset({"nan", "NaN", "<NA>", "None", "NaT", "NA", "", "inf", "-inf"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$")
NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
MAX_DECIMALS = 4
LONG_WORD = 24  # a cell with a longer word (an address) may break it anywhere; others break between words
ROUNDED = 3  # a column shown with at most this many decimals was rounded by the notebook: keep them
SIGNIFICANT = 2  # at least this many significant digits for the smallest non-zero value of a column
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=[^\s$])([^$\n]+?)(?<=[^\s\\])\$(?!\w)")
MIME_ORDER = ("image/png", "text/html", "text/markdown", "text/plain")
UNSAFE_TAGS = ("script", "iframe", "object", "embed", "link", "meta", "style")
STATIC = "site_static"
KEY_META = "analysis-site-key"  # a page records the hash of its sources, so an unchanged page is not re-rendered


class ReportEntry(Protocol):
    """What the site needs of a configured report (`analysis.run.Report` has it)."""

    name: str
    title: str
    summary: str


# ------------------------------------------------------------------------------------------ helpers


def _css() -> str:
    return (resources.files("analysis") / STATIC / "site.css").read_text(encoding="utf-8")


def read_results(path: Path) -> dict:
    """results.json as a dict; {} when absent; DataError naming the file when it is not a JSON object."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(path, "expected a JSON object")
    return data


def key_findings(results: dict) -> list[str]:
    """The report's generated findings (list of sentences), or [] when results.json has none."""
    found = results.get("key_findings")
    if not isinstance(found, list):
        return []
    return [s for s in found if isinstance(s, str) and s.strip()]


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", text).lower()).strip("-") or "section"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


# ------------------------------------------------------------------------------------- markdown, math


def math_to_mathml(latex: str, display: bool = False) -> str:
    """A TeX formula as MathML (drawn by the browser itself: no script, no font download)."""
    from latex2mathml.converter import convert

    return convert(latex.strip(), display="block" if display else "inline")


def markdown_html(source: str) -> str:
    """Markdown to HTML with $…$ and $$…$$ pre-rendered as MathML; code spans are left alone."""
    import mistune

    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return f"\x00{len(held) - 1}\x00"

    text = CODE_SPAN.sub(lambda m: hold(f"<code>{html.escape(m.group(2).strip())}</code>"), source)
    text = DISPLAY_MATH.sub(lambda m: hold(math_to_mathml(m.group(1), display=True)), text)
    text = INLINE_MATH.sub(lambda m: hold(math_to_mathml(m.group(1))), text)
    rendered = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])(text)
    return re.sub(r"\x00(\d+)\x00", lambda m: held[int(m.group(1))], rendered)


# --------------------------------------------------------------------------------------------- tables


def _number(text: str) -> float | None:
    return float(text) if NUMBER.match(text) else None


def _decimals(values: list[float], texts: list[str]) -> int:
    """Decimals for a column: none for whole numbers, else enough for SIGNIFICANT digits, never more than shown."""
    if all(v == int(v) for v in values):
        return 0
    shown = max((len(t.split(".", 1)[1]) if "." in t and "e" not in t.lower() else MAX_DECIMALS + 1) for t in texts)
    if shown <= ROUNDED:
        return shown  # the notebook rounded this column on purpose
    smallest = min((abs(v) for v in values if v != 0), default=1.0)
    wanted = SIGNIFICANT - 1 - math.floor(math.log10(smallest))
    return max(1, min(wanted, MAX_DECIMALS))


def _format_cell(text: str, decimals: int | None) -> str:
    if text.strip() in MISSING_TOKENS:
        return MISSING
    if m := MIDNIGHT.match(text):
        return m.group(1)
    if text in ("True", "False"):
        return "yes" if text == "True" else "no"
    value = _number(text)
    if value is not None and decimals is None:  # a number in a mixed column: whole, or 4 significant digits
        decimals = 0 if value == int(value) else max(0, min(MAX_DECIMALS, 3 - math.floor(math.log10(abs(value)))))
    if value is not None:
        out = f"{value:.{decimals}f}"
        return out.lstrip("-") if re.fullmatch(r"-0\.?0*", out) else out
    return label(text) if SNAKE.fullmatch(text) else text


def _drop_default_index(table: Any) -> None:
    """Remove pandas' 0, 1, 2… index column (and its empty header cell): it means nothing to a reader."""
    rows = table.select("tbody > tr")
    heads = [row.find(["th", "td"], recursive=False) for row in rows]
    if not rows or any(h is None or h.name != "th" for h in heads):
        return
    if [h.get_text(strip=True) for h in heads] != [str(i) for i in range(len(rows))]:
        return
    if any(len(row.find_all("th", recursive=False)) != 1 for row in rows):
        return
    for h in heads:
        h.decompose()
    for row in table.select("thead > tr"):
        first = row.find(["th", "td"], recursive=False)
        if first is not None and not first.get_text(strip=True):
            first.decompose()


def tidy_table(table: Any) -> None:
    """Format one HTML table in place for people (see the module docstring)."""
    for attr in ("border", "style"):
        table.attrs.pop(attr, None)
    for tag in table.find_all(True):
        tag.attrs.pop("style", None)
    _drop_default_index(table)
    for th in table.select("thead th"):
        text = th.get_text(" ", strip=True)
        if text and not th.find(True):
            shown = label(text) if SNAKE.fullmatch(text) else SNAKE_WORD.sub(lambda m: label(m.group()), label(text))
            th.string = shown if text in LABELS else shown[0].upper() + shown[1:]  # "p-value" stays as written
    body_rows = table.select("tbody > tr")
    columns: dict[int, list[Any]] = {}
    for row in body_rows:
        for i, td in enumerate(row.find_all("td", recursive=False)):
            columns.setdefault(i, []).append(td)
        for th in row.find_all("th", recursive=False):
            if not th.find(True):
                th.string = _format_cell(th.get_text(strip=True), None)
    for cells in columns.values():
        if any(c.find(True) for c in cells):
            continue  # cells holding markup (links, styled text) are left as they are
        texts = [c.get_text(strip=True) for c in cells]
        present = [t for t in texts if t not in MISSING_TOKENS]
        numbers = [_number(t) for t in present]
        numeric = bool(present) and sum(v is not None for v in numbers) >= max(1, len(present) - present.count("<5"))
        values = [v for v in numbers if v is not None and math.isfinite(v)]
        decimals = _decimals(values, [t for t in present if _number(t) is not None]) if numeric and values else None
        for cell, text in zip(cells, texts):
            cell.string = _format_cell(text, decimals)
            if numeric:
                cell["class"] = cell.get("class", []) + ["num"]
            elif ISO_DATE.match(cell.string):
                cell["class"] = cell.get("class", []) + ["date"]
            elif any(len(word) > LONG_WORD for word in cell.string.split()):
                cell["class"] = cell.get("class", []) + ["long"]  # an address: may break anywhere


def output_html(fragment: str) -> str:
    """HTML of a cell or its output made safe (no scripts, styles or handlers), its tables formatted for people."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(UNSAFE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in [a for a in tag.attrs if a.lower().startswith("on")]:
            del tag[attr]
    for table in soup.find_all("table"):
        tidy_table(table)
        table["class"] = ["data"]
    return str(soup)


# -------------------------------------------------------------------------------------- report pages


def _figure(output: dict, number: int, context: str) -> tuple[str, dict]:
    """<figure> for a PNG output; alt text from the output's metadata (written by analysis.plots)."""
    meta = output.get("metadata", {}).get("image/png", {}) or {}
    alt = str(meta.get("alt") or f"Figure {number} of {context}")
    if meta.get("empty"):
        return (f'<p class="empty-figure"><strong>Nothing to show.</strong> {html.escape(alt)} '
                "has no data in this selection, so no figure is drawn.</p>", {})
    data = _text(output["data"]["image/png"]).replace("\n", "")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"></figure>',
            {"png": data, "alt": alt})


def _outputs(cell: dict, figures: list[dict], context: str) -> list[str]:
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            text = ANSI.sub("", _text(output.get("text"))).strip("\n")
            if text:
                parts.append(f'<pre class="{"stderr" if output.get("name") == "stderr" else "note"}">'
                             f"{html.escape(text)}</pre>")
        elif kind == "error":
            trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
            parts.append(f'<pre class="stderr">{html.escape(trace)}</pre>')
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            mime = next((m for m in MIME_ORDER if m in data), None)
            if mime == "image/png":
                block, figure = _figure(output, len(figures) + 1, context)
                if figure:
                    figures.append(figure)
                parts.append(block)
            elif mime == "text/html":
                parts.append(f'<div class="output">{output_html(_text(data[mime]))}</div>')
            elif mime == "text/markdown":
                parts.append(f'<div class="output">{output_html(markdown_html(_text(data[mime])))}</div>')
            elif mime == "text/plain":
                parts.append(f'<pre class="note">{html.escape(_text(data[mime]))}</pre>')
    return parts


def _code(cell: dict) -> str:
    source = _text(cell.get("source")).strip("\n")
    if not source:
        return ""
    tags = cell.get("metadata", {}).get("tags", [])
    summary = ("Show the parameters" if "parameters" in tags
               else "Show the parameters of this run" if "injected-parameters" in tags else "Show code")
    return (f'<details class="code"><summary>{summary}</summary>'
            f"<pre><code>{html.escape(source)}</code></pre></details>")


def _page(title: str, body: str, key: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            + (f'<meta name="{KEY_META}" content="{key}">\n' if key else "") +
            f"<title>{html.escape(title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _files(folder: Path, name: str) -> str:
    """Links to the report's own files (notebook, figures, tables, results.json) that exist on disk."""
    links = []
    for path in [folder / f"{name}.ipynb", folder / "results.json",
                 *sorted((folder / "figures").glob("*")), *sorted((folder / "tables").glob("*"))]:
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(folder).as_posix()
            links.append(f'<li><a href="{html.escape(rel)}">{html.escape(rel)}</a></li>')
    return "<ul class=\"files\">" + "".join(links) + "</ul>" if links else ""


def source_key(*files: Path) -> str:
    """sha256 of what a page is made from (the files given, and the site's own code and CSS)."""
    from analysis import labels

    digest = hashlib.sha256()
    for path in (*files, Path(__file__), Path(labels.__file__)):
        digest.update(path.read_bytes() if path.is_file() else b"(absent)")
        digest.update(b"\0")
    digest.update(_css().encode("utf-8"))
    return digest.hexdigest()


def first_figure(nb: dict, title: str) -> dict | None:
    """The first figure a notebook shows (base64 PNG and alt text), for the landing page."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("image/png", {}) or {}
            if "image/png" in output.get("data", {}) and not meta.get("empty"):
                return _figure(output, 1, f"the report {title}")[1]
    return None


def report_page(nb: dict, report: ReportEntry, results: dict, folder: Path, key: str = "") -> tuple[str, list[dict]]:
    """One report's page and the figures shown on it (in order), from its executed notebook."""
    figures: list[dict] = []
    blocks: list[str] = []
    used: set[str] = set()
    toc: list[tuple[str, str]] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            rendered = output_html(markdown_html(_text(cell.get("source"))))

            def anchor(m: re.Match) -> str:
                slug = _slug(m.group(2), used)
                if m.group(1) == "2":
                    toc.append((slug, re.sub(r"<[^>]+>", "", m.group(2))))
                return f'<h{m.group(1)} id="{slug}">{m.group(2)}</h{m.group(1)}>'

            blocks.append(f'<section class="text">{re.sub(r"<h([23])>(.*?)</h[23]>", anchor, rendered)}</section>')
        elif cell.get("cell_type") == "code":
            parts = [_code(cell), *_outputs(cell, figures, f"the report {report.title}")]
            blocks.append('<div class="cell">' + "".join(p for p in parts if p) + "</div>")
    synthetic = results.get("synthetic") is True
    stamp = (f'<p class="stamp" role="note"><strong>{html.escape(SYNTHETIC_STAMP)}.</strong> The person-level '
             "parts of this report use made-up records: they show the method, not findings about real people.</p>"
             if synthetic else "")
    contents = ("<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ul>"
                + "".join(f'<li><a href="#{slug}">{text}</a></li>' for slug, text in toc) + "</ul></nav>") if toc else ""
    if blocks:
        blocks.insert(1, contents)  # after the opening question
    body = (f'<header><a class="back" href="../index.html">← All reports</a></header>\n<main>\n{stamp}\n'
            + "\n".join(blocks)
            + f'\n<section class="text"><h2 id="files">Files of this report</h2>{_files(folder, report.name)}</section>'
            + "\n</main>")
    return _page(report.title, body, key), figures


# ----------------------------------------------------------------------------------------- landing page


def index_page(entries: list[dict]) -> str:
    """The landing page: per report its title, synthetic badge, key findings, first figure and links."""
    items = []
    for e in entries:
        name = html.escape(e["name"])
        badge = f' <span class="badge">{html.escape(SYNTHETIC_STAMP)}</span>' if e["synthetic"] else ""
        findings = e["findings"]
        what = ("<ul class=\"findings\">" + "".join(f"<li>{html.escape(s)}</li>" for s in findings) + "</ul>"
                if findings else f"<p>{html.escape(e['summary'])}</p>")
        figure = (f'<a class="thumb" href="{name}/{name}.html"><img src="data:image/png;base64,{e["figure"]["png"]}" '
                  f'alt="{html.escape(e["figure"]["alt"])}"></a>' if e["figure"] else "")
        if e["built"]:
            links = (f'<a href="{name}/{name}.html">Read the report</a>'
                     f'<a href="{name}/{name}.ipynb">Notebook (.ipynb)</a>')
        else:
            links = '<span class="missing">Not built yet: run <code>make reports</code>.</span>'
        items.append(f'<li class="report">\n<h2><a href="{name}/{name}.html">{html.escape(e["title"])}</a>{badge}</h2>\n'
                     f'<div class="report-body"><div>{what if e["built"] else ""}<p class="links">{links}</p></div>'
                     f"{figure}</div>\n</li>" if e["built"] else
                     f'<li class="report">\n<h2>{html.escape(e["title"])}</h2>\n<p>{html.escape(e["summary"])}</p>\n'
                     f'<p class="links">{links}</p>\n</li>')
    body = ("<main>\n<h1>Political repression in Belarus: statistical reports</h1>\n"
            '<p class="lead">Reports built from public records by the notebooks in this repository. Each report '
            "opens with its key findings; the code behind every table and figure is one click away on its page.</p>\n"
            '<ol class="reports">\n' + "\n".join(items) + "\n</ol>\n</main>")
    return _page("Political repression in Belarus: reports", body)


def pages(reports: Iterable[ReportEntry], reports_dir: Path) -> dict[Path, str]:
    """Every page of the site as {path: html}, from what is under reports_dir (nothing is written)."""
    reports_dir = Path(reports_dir)
    entries, out = [], {}
    for report in reports:
        folder = reports_dir / report.name
        notebook = folder / f"{report.name}.ipynb"
        results = read_results(folder / "results.json")
        figure = None
        if notebook.is_file():
            try:
                nb = json.loads(notebook.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise DataError(notebook, f"not a valid notebook: {exc}") from None
            page = folder / f"{report.name}.html"
            key = source_key(notebook, folder / "results.json")
            known = page.read_text(encoding="utf-8") if page.is_file() else ""
            if f'<meta name="{KEY_META}" content="{key}">' in known:  # made from the same files: keep it
                out[page] = known
            else:
                out[page] = report_page(nb, report, results, folder, key)[0]
            figure = first_figure(nb, report.title)
        entries.append({"name": report.name, "title": report.title, "summary": report.summary,
                        "synthetic": results.get("synthetic") is True, "findings": key_findings(results),
                        "figure": figure, "built": notebook.is_file()})
    out[reports_dir / "index.html"] = index_page(entries)
    return out


def build(reports: Iterable[ReportEntry], reports_dir: Path) -> Path:
    """Write every built report's page and reports_dir/index.html (only files whose bytes change); return the index."""
    for path, text in pages(reports, reports_dir).items():
        outpaths.write_if_changed(path, text.encode("utf-8"))
    return Path(reports_dir) / "index.html"
