"""Project locations, defined once; override with environment variables for tests and reruns.

REPORTS is where report code writes figures, tables and results. The runner (`python -m analysis run`)
sets ANALYSIS_REPORTS for every kernel it starts (a staging folder it then publishes under reports/).
A notebook run by hand in Jupyter (a kernel without ANALYSIS_REPORTS) writes to SCRATCH instead, so
only the runner ever writes the committed reports/ tree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(os.environ.get("ANALYSIS_ROOT", Path(__file__).resolve().parents[2])).absolute()
RAW = ROOT / "data" / "raw"
CURATED = RAW / "curated"
PROCESSED = Path(os.environ.get("ANALYSIS_PROCESSED", ROOT / "data" / "processed")).absolute()
SCRATCH = ROOT / ".scratch"  # git-ignored: outputs of notebooks run outside the runner
PUBLISHED = ROOT / "reports"  # the committed reports tree; only the runner writes it


def _reports() -> Path:
    if "ANALYSIS_REPORTS" in os.environ:
        return Path(os.environ["ANALYSIS_REPORTS"]).absolute()
    if "ipykernel" in sys.modules:  # a notebook kernel the runner did not start: keep committed outputs intact
        return SCRATCH / "reports"
    return PUBLISHED


REPORTS = _reports()
NOTEBOOKS = ROOT / "notebooks"
CONFIG = ROOT / "notebooks" / "reports.yml"
