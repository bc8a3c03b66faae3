"""Statistics on the curated and processed tables: monthly series, trends, survival, sentencing, ranking.

Names are imported lazily (PEP 562) so that ``import analysis.stats.series`` does not load statsmodels.
"""

from __future__ import annotations

import importlib

_EXPORTS: dict[str, str] = {
    "choose_monthly": "series",
    "monthly_series": "series",
    "monthly_flows": "series",
    "implied_flows": "series",
    "ITSResult": "trends",
    "default_hac_lags": "trends",
    "its_design": "trends",
    "segmented_regression": "trends",
    "forecast": "trends",
    "simulate_its": "trends",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    """Import the submodule that defines ``name`` on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
