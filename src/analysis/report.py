"""Report artefacts: tables as CSV and LaTeX, results.json, and tables formatted for people.

Two chokepoints run through here: `write_table` refuses a table whose person counts still show a group of
fewer than 5 (`analysis.disclosure`), and stamps every table made from synthetic rows — a `data_origin`
column in the CSV (it survives re-saving) and the caption in LaTeX.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import SYNTHETIC_STAMP, disclosure, labels, paths

SMALL_CELL_THRESHOLD = disclosure.MIN_CELL
SUPPRESSED = disclosure.SMALL
FLOAT_FORMAT = "%.6g"
ORIGIN_COLUMN = "data_origin"
SYNTHETIC_ORIGIN = "SYNTHETIC — not real people"
MISSING = "–"
YEAR_WORDS = ("year", "cohort", "period", "date")  # columns whose numbers are years or dates: no separators

def outdir(report: str, kind: str = "") -> Path:
    """Folder for one report's artefacts (REPORTS/<report>/<kind>), created on demand."""
    d = paths.REPORTS / report / kind if kind else paths.REPORTS / report
    d.mkdir(parents=True, exist_ok=True)
    return d


def suppress_small(df: pd.DataFrame, columns: list[str], threshold: int = SMALL_CELL_THRESHOLD) -> pd.DataFrame:
    """Replace counts from 1 to threshold-1 by '<5' (threshold never below 5; see analysis.disclosure)."""
    t, _ = disclosure.threshold(threshold)
    out = df.copy()
    for col in columns:
        small = disclosure.small_cells(out, [col], t).index
        out[col] = out[col].astype(object)
        out.loc[small, col] = f"<{t}"
    return out


def _integral_floats(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers become integers, so a count prints as 18, not 18.0."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s) and s.notna().any() and np.all(np.mod(s.dropna().astype(float), 1) == 0):
            out[col] = s.astype("Int64")
    return out


def write_table(df: pd.DataFrame, name: str, report: str, caption: str = "", index: bool = False, *,
                synthetic: bool = False, counts: Sequence[str] = ()) -> list[Path]:
    """Write a table as CSV (for reuse) and LaTeX (for papers); the caption says where it comes from.

    `counts` names the columns that count people: a number from 1 to 4 there is refused (pass the table
    through `analysis.disclosure` first). With `synthetic` the CSV gets a first column `data_origin` and
    the LaTeX caption the stamp, so the mark survives re-saving and copying.
    """
    disclosure.check(df, counts, name)
    d = outdir(report, "tables")
    csv, tex = d / f"{name}.csv", d / f"{name}.tex"
    out = _integral_floats(df)
    if synthetic:
        out.insert(0, ORIGIN_COLUMN, SYNTHETIC_ORIGIN)
        caption = f"{SYNTHETIC_STAMP}. {caption}" if caption else SYNTHETIC_STAMP
    out.to_csv(csv, index=index, float_format=FLOAT_FORMAT, lineterminator="\n")
    latex = out.to_latex(index=index, float_format=lambda x: FLOAT_FORMAT % x, na_rep="--",
                         caption=caption or None, label=f"tab:{name}", escape=True)
    tex.write_text(latex, encoding="utf-8")
    return [csv, tex]


def display_name(label) -> str:
    """A code label as a reader should see it (one display-name map for the project: `analysis.labels`)."""
    if label is None or (not isinstance(label, str) and pd.isna(label)):
        return MISSING
    text = labels.label(str(label))
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text  # reads inside a sentence


def _cell(value, decimals: int) -> str:
    """One table cell for people: integers with thousands separators, rounded floats, dates, '–' for missing."""
    if value is None or (not isinstance(value, (str, list, tuple, dict)) and pd.isna(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{int(value):,}" if float(value).is_integer() else f"{float(value):,.{decimals}f}"
    if isinstance(value, str):
        return display_name(value)
    return str(value)


def for_people(df: pd.DataFrame, decimals: int = 1, columns: Mapping[str, str] | None = None,
               keep_codes: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of `df` formatted for reading: every cell text (integers as integers, floats rounded, dates as
    dates, missing as '–', code labels as words), readable column names, no numeric index."""
    names = dict(columns or {})
    out = pd.DataFrame(index=range(len(df)))
    for col in df.columns:
        values = df[col].tolist()
        if col in keep_codes:
            cells = [MISSING if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in values]
        elif any(word in str(col) for word in YEAR_WORDS):  # years: no thousands separator
            cells = [str(int(v)) if isinstance(v, (int, float, np.integer, np.floating)) and pd.notna(v)
                     and float(v).is_integer() else _cell(v, decimals) for v in values]
        else:  # counts published as text by analysis.disclosure get thousands separators like any other count
            cells = [f"{int(v):,}" if isinstance(v, str) and v.isdigit() else _cell(v, decimals) for v in values]
        out[names.get(col, display_name(col))] = cells
    out.index = [""] * len(out)
    return out


def results_table(results: Mapping[str, object], labels: Mapping[str, str], decimals: int = 2) -> pd.DataFrame:
    """The end-of-report summary: one labelled row per result named in `labels` (in that order), values for people."""
    rows = []
    for key, label in labels.items():
        value = results.get(key)
        if isinstance(value, (list, tuple)):
            text = ", ".join(display_name(v) for v in value) or MISSING
        elif isinstance(value, dict):
            text = ", ".join(f"{display_name(k)} {_cell(v, decimals)}" for k, v in value.items())
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            text = value  # an ISO date stays a date
        else:
            text = _cell(value, decimals)
        rows.append({"result": label, "value": text})
    out = pd.DataFrame(rows)
    out.index = [""] * len(out)
    return out


def _plain(value):
    """JSON-safe scalar: numpy types to Python, NaN to None, timestamps to ISO dates."""
    if isinstance(value, (pd.Timestamp,)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 6)
    return value


def key_findings(sentences: list[str], synthetic: bool = False):
    """The "Key findings" block a report opens with: sentences generated from its results, shown as Markdown.

    Every report calls this near its top and passes the same list to `write_results(key_findings=...)`, so
    the site's landing page and `results.json` carry exactly what the reader sees.
    """
    from IPython.display import Markdown

    if not sentences or not all(isinstance(s, str) and s.strip() for s in sentences):
        raise ValueError("key findings must be a non-empty list of non-empty sentences")
    head = "## Key findings\n\n"
    if synthetic:
        head += "**SYNTHETIC DATA — not real people.** Findings from person-level rows describe made-up data.\n\n"
    return Markdown(head + "\n".join(f"- {s}" for s in sentences))


def write_results(results: dict, report: str, synthetic: bool = False,
                  key_findings: list[str] | None = None) -> Path:
    """Write the key numbers of a report to results.json (sorted keys) for tests and the index page."""
    clean = {k: (_plain(v) if not isinstance(v, (dict, list)) else json.loads(json.dumps(v, default=_plain)))
             for k, v in results.items()}
    clean["synthetic"] = bool(synthetic)
    if key_findings is not None:
        clean["key_findings"] = [str(s) for s in key_findings]
    path = outdir(report) / "results.json"
    path.write_text(json.dumps(clean, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
