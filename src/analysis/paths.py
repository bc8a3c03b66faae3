"""Project locations, defined once; override with environment variables for tests and reruns."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ANALYSIS_ROOT", Path(__file__).resolve().parents[2]))
RAW = ROOT / "data" / "raw"
CURATED = RAW / "curated"
PROCESSED = Path(os.environ.get("ANALYSIS_PROCESSED", ROOT / "data" / "processed"))
REPORTS = Path(os.environ.get("ANALYSIS_REPORTS", ROOT / "reports"))
NOTEBOOKS = ROOT / "notebooks"
CONFIG = ROOT / "notebooks" / "reports.yml"
