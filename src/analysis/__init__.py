"""Reproducible statistics on political repression and release patterns in Belarus."""

__version__ = "0.1.0"

SYNTHETIC_STAMP = "SYNTHETIC DATA — not real people"
