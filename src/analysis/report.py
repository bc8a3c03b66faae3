"""Report artefacts: tables as CSV and LaTeX with small cells suppressed, and results.json for tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths

SMALL_CELL_THRESHOLD = 5
SUPPRESSED = "<5"
FLOAT_FORMAT = "%.4g"


def outdir(report: str, kind: str = "") -> Path:
    """Folder for one report's artefacts (REPORTS/<report>/<kind>), created on demand."""
    d = paths.REPORTS / report / kind if kind else paths.REPORTS / report
    d.mkdir(parents=True, exist_ok=True)
    return d


def suppress_small(df: pd.DataFrame, columns: list[str], threshold: int = SMALL_CELL_THRESHOLD) -> pd.DataFrame:
    """Replace counts from 1 to threshold-1 by '<threshold' so no small group can be singled out."""
    out = df.copy()
    for col in columns:
        small = out[col].notna() & (out[col] > 0) & (out[col] < threshold)
        out[col] = out[col].astype(object).where(~small, f"<{threshold}")
    return out


def write_table(df: pd.DataFrame, name: str, report: str, caption: str = "", index: bool = False) -> list[Path]:
    """Write a table as CSV (for reuse) and LaTeX (for papers); the caption says where it comes from."""
    d = outdir(report, "tables")
    csv, tex = d / f"{name}.csv", d / f"{name}.tex"
    df.to_csv(csv, index=index, float_format=FLOAT_FORMAT, lineterminator="\n")
    latex = df.to_latex(index=index, float_format=lambda x: FLOAT_FORMAT % x, na_rep="--",
                        caption=caption or None, label=f"tab:{name}", escape=True)
    tex.write_text(latex, encoding="utf-8")
    return [csv, tex]


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
