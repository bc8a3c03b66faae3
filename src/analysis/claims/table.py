"""The claims table: citations by publisher, date and row id (never a URL that may carry a name), Markdown for
the report, and the key numbers for results.json.

A row id is ``<table> row <n>``: the n-th data row of ``data/raw/curated/<table>.csv`` (line n + 1, after the
header), or the table's own identifier where it has one (``event_id``, ``death_id``). The full source URL stays
in data/raw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import rubric

DATE_OF = {"pp_counts": "as_of_date", "other_figures": "as_of_date", "cross_country_pp": "as_of_date",
           "legal_events": "event_date", "release_events": "event_date", "deaths_in_custody": "date_of_death"}
TABLE_COLUMNS = ["no", "claim", "verdict", "finding", "since_then", "sensitivity", "uncertainty", "sources",
                 "sources_since", "rule"]
HEADERS = {"no": "#", "claim": "claim (paraphrased)", "verdict": "verdict",
           "finding": "evidence dated up to the statement", "since_then": "since then",
           "sensitivity": "other definitions", "uncertainty": "uncertainty", "sources": "sources (publisher, date, row)",
           "sources_since": "sources since then", "rule": "decision rule"}
MARKDOWN_COLUMNS = ("no", "claim", "verdict", "finding", "since_then", "sources")
MAX_CITATIONS = 6


def _org(text) -> str:
    """Publisher without the parenthesised detail ('Viasna (reported by AP)' -> 'Viasna')."""
    return str(text).split(" (")[0].strip() if pd.notna(text) else "unknown publisher"


def cite_rows(table: str, rows: pd.DataFrame) -> list[str]:
    """'publisher, date, table row n' for each row (date: publication date, else the figure's own date)."""
    out = []
    for idx, r in rows.iterrows():
        when = r.get("source_published")
        if pd.isna(when) if not isinstance(when, str) else not when:
            when = r.get(DATE_OF.get(table, ""), pd.NaT)
        date = pd.Timestamp(when).strftime("%d %b %Y").lstrip("0") if pd.notna(when) else "undated"
        ident = (r["event_id"] if table == "release_events" and "event_id" in r
                 else f"{r['death_id']}, {table} row {idx + 1}" if table == "deaths_in_custody"
                 else f"{table} row {idx + 1}")
        out.append(f"{_org(r.get('source_org'))}, {date}, {ident}")
    return list(dict.fromkeys(out))


def citations(parts: list[tuple[str, pd.DataFrame]], limit: int = MAX_CITATIONS) -> str:
    """All citations of a claim's rows, at most ``limit`` per table with the number left over."""
    out = []
    for table, rows in parts:
        c = cite_rows(table, rows)
        more = f"; and {len(c) - limit} more {table} rows" if len(c) > limit else ""
        out.append("; ".join(c[:limit]) + more)
    return " | ".join(o for o in out if o)


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame, columns: tuple[str, ...] = MARKDOWN_COLUMNS) -> str:
    """The claims table as Markdown (verdict in bold, empty cells as a dash)."""
    lines = ["| " + " | ".join(HEADERS.get(c, c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for _, row in table.iterrows():
        cells = []
        for c in columns:
            v = row[c] if str(row[c]).strip() else "–"
            cells.append(f"**{v}**" if c == "verdict" else _escape(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rounded(v, digits: int = 4):
    """JSON-ready values: floats rounded, timestamps as ISO dates, nested containers too."""
    if isinstance(v, dict):
        return {str(k): _rounded(x, digits) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_rounded(x, digits) for x in v]
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else round(float(v), digits)
    return v


def results_summary(results: list[dict]) -> dict:
    """Key numbers for results.json: verdict per claim, each claim's values, verdict counts."""
    out = {f"claim_{r['no']:02d}_verdict": r["verdict"] for r in results}
    out.update({f"claim_{r['no']:02d}_values": _rounded(r["values"]) for r in results if r["values"]})
    out["verdict_counts"] = {v: sum(r["verdict"] == v for r in results) for v in rubric.VERDICTS}
    return out
