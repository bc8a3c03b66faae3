"""Rules shared by the cleaning pipeline and the schema of its output (no imports from either: no cycle)."""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 365.2425 / 12
SERVED_TOLERANCE_MONTHS = 1
EXIT_TYPES = ("died", "still_held", "sentence_served", "early_release", "unknown")


def exit_type(people: pd.DataFrame) -> pd.Series:
    """The exit_type rule of docs/PEOPLE_SCHEMA.md, vectorised.

    died -> ``died``; status current -> ``still_held``; release known and detention + sentence_months
    <= release + 1 month -> ``sentence_served``; release known -> ``early_release``; else ``unknown``.
    Months are average calendar months (365.2425/12 days); the 1-month tolerance absorbs the difference.
    """
    release_known = people["release_date"].notna()
    term = pd.to_timedelta(people["sentence_months"] * DAYS_PER_MONTH, unit="D")
    tolerance = pd.Timedelta(days=SERVED_TOLERANCE_MONTHS * DAYS_PER_MONTH)
    served = (people["detention_date"] + term <= people["release_date"] + tolerance).fillna(False)
    which = np.select(
        [people["died"].astype(bool), people["status"] == "current", release_known & served, release_known],
        [0, 1, 2, 3],
        default=4,
    )
    labels = np.array(EXIT_TYPES, dtype=object)
    return pd.Series(labels[which], index=people.index, dtype=object)  # 5 shared str objects, not one per row
