"""analysis.site and analysis.labels on a tiny fake reports tree: fast, no kernel, no browser."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from analysis import SYNTHETIC_STAMP, labels, plots, site
from analysis.errors import DataError

matplotlib.use("Agg")
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf000000020001e221bc330000000049454e44ae426082")).decode()


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    summary: str


def _notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    table = pd.DataFrame({"month": pd.to_datetime(["2026-02-01", "2026-03-01"]), "currently_held": [970.0, 897.0],
                          "ci_low": [0.123456789, float("nan")], "group": ["age_group", None]})
    code = nbformat.v4.new_code_cell("x = 1\nprint(None)", metadata={"tags": ["parameters"]})
    code.outputs = [
        nbformat.v4.new_output("execute_result", {"text/html": table._repr_html_(), "text/plain": "table"}),
        nbformat.v4.new_output("display_data", {"image/png": PNG, "text/plain": "<Figure>"},
                               metadata={"image/png": {"alt": "Chart: People held by month"}}),
        nbformat.v4.new_output("display_data", {"image/png": PNG, "text/plain": "<Figure>"},
                               metadata={"image/png": {"alt": "Chart: Gaps", "empty": True}}),
        nbformat.v4.new_output("stream", name="stdout", text="note: 3 months interpolated\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nModel: $y_t = b_0 + \\sum_k x_k$ costs $5 and $6.\n\n"
                                              "## Data\n\nText with `a_$b$` code."), code]
    return nb


@pytest.fixture
def tree(tmp_path: Path) -> tuple[list[Entry], Path]:
    reports = tmp_path / "reports"
    (reports / "01_a" / "figures").mkdir(parents=True)
    nbformat.write(nbformat.from_dict(_notebook()), reports / "01_a" / "01_a.ipynb")
    (reports / "01_a" / "figures" / "main.png").write_bytes(base64.b64decode(PNG))
    (reports / "01_a" / "results.json").write_text(json.dumps(
        {"synthetic": True, "key_findings": ["The number held fell to 897 in March 2026."]}))
    entries = [Entry("01_a", "Report A", "Summary A"), Entry("02_b", "Report B", "Summary B (not built)")]
    return entries, reports


def test_build_writes_landing_page_and_report_page(tree):
    entries, reports = tree
    index = site.build(entries, reports)
    landing = index.read_text(encoding="utf-8")
    assert "The number held fell to 897 in March 2026." in landing  # key findings, not the summary
    assert "Summary A" not in landing and "Summary B (not built)" in landing and "Not built yet" in landing
    assert SYNTHETIC_STAMP in landing and 'alt="Chart: People held by month"' in landing
    assert 'href="01_a/01_a.html"' in landing and 'href="01_a/01_a.ipynb"' in landing
    page = (reports / "01_a" / "01_a.html").read_text(encoding="utf-8")
    assert "<title>Report A</title>" in page and SYNTHETIC_STAMP in page
    assert '<details class="code"><summary>Show the parameters</summary>' in page
    assert "<math" in page and "$y_t" not in page and "$5 and $6" in page and "<code>a_$b$</code>" in page
    assert 'href="#data"' in page and 'id="data"' in page
    assert "Nothing to show." in page and "Chart: Gaps" in page and page.count("<img") == 1
    assert 'href="figures/main.png"' in page and 'href="../index.html"' in page
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)  # nothing to fetch


def test_tables_are_formatted_for_people(tree):
    entries, reports = tree
    site.build(entries, reports)
    page = (reports / "01_a" / "01_a.html").read_text(encoding="utf-8")
    table = page[page.index("<table"): page.index("</table>")]
    assert "2026-02-01" in table and "00:00:00" not in table
    assert ">970<" in table and "970.0" not in table  # whole numbers as whole numbers
    assert "NaN" not in table and "None" not in table and table.count("–") == 2
    assert ">0.12<" in table  # an unrounded float gets two significant digits
    assert "People held" in table and "95% CI, lower" in table and "Age group" in table
    assert not re.search(r"<th>\s*0\s*</th>", table)  # pandas' default index is dropped


def test_build_is_deterministic_and_writes_only_changes(tree):
    entries, reports = tree
    site.build(entries, reports)
    page = reports / "01_a" / "01_a.html"
    first, stat = page.read_bytes(), page.stat().st_mtime_ns
    site.build(entries, reports)
    assert page.read_bytes() == first and page.stat().st_mtime_ns == stat


def test_results_without_findings_fall_back_to_the_summary(tree):
    entries, reports = tree
    (reports / "01_a" / "results.json").write_text('{"synthetic": false}')
    landing = site.build(entries, reports).read_text(encoding="utf-8")
    assert "Summary A" in landing and SYNTHETIC_STAMP not in landing


def test_bad_results_json_names_the_file(tree):
    entries, reports = tree
    (reports / "01_a" / "results.json").write_text("{not json")
    with pytest.raises(DataError, match="results.json"):
        site.build(entries, reports)


def test_unsafe_markup_in_outputs_is_removed():
    cleaned = site.output_html('<div onclick="x()"><script>alert(1)</script><style>p{}</style><p>ok</p></div>')
    assert cleaned == "<div><p>ok</p></div>"


def test_labels_spell_out_code_names():
    assert labels.label("custodial_broadest_12m") == "Custodial, broadest definition, 12-month window"
    assert labels.label("claim_09_verdict") == "Claim 9: verdict"
    assert labels.label("gap_q90_days") == "Gap q90 days"
    assert labels.label("share_of_released_ci") == "Share of released CI"
    assert labels.label("Already readable") == "Already readable" and labels.label(3) == "3"
    df = pd.DataFrame({"age_group": ["under_50", "50+"], "n": [1, 2]}).set_index(pd.Index(["a_b", "c"], name="row_id"))
    out = labels.relabel(df)
    assert list(out.columns) == ["Age group", "n"] and out.index.name == "Row ID"
    assert list(out["Age group"]) == ["Under 50", "50+"] and list(out.index) == ["A b", "c"]
    assert list(df.columns) == ["age_group", "n"]  # the input is not changed


def test_figures_get_alt_text_and_steady_pixels():
    fig, ax = plots.figure()
    ax.plot([0.0, 1.0], [1.0000000000001, 2.0])
    ax.set_title("Counts")
    ax.set_ylabel("people")
    assert plots.describe(fig) == "Chart: Counts (vertical axis: people)"
    assert not plots.is_empty(fig)
    fig.canvas.draw()
    assert list(ax.get_lines()[0].get_ydata()) == [1.0, 2.0]  # last-bit noise rounded away before drawing
    empty, ax2 = plots.figure()
    ax2.text(0.5, 0.5, "no data")
    assert plots.is_empty(empty)
    matplotlib.pyplot.close("all")
