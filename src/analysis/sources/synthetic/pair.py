"""`synthetic_pair`: two dated exports of one synthetic population, with the true change of every record and person.

Both exports come from ONE simulated history (calibrated up to ``date_new``, late recognition on), rendered
as the list would have shown it on each date; the text forms of a record are drawn once, so a record that
did not change between the dates is byte-identical in both files. Record ids (``id``) and person pages
(``url``) are stable across the pair. On top of the natural changes a few are injected with their own random
stream: records removed from the list, recognitions withdrawn (status changed), and fields corrected (a wrong
birthday in the old export, right in the new). Neither export has malformed rows or duplicates.
Contract: docs/SYNTHETIC.md, "A dated pair of exports".
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pandas as pd

from analysis import SYNTHETIC_STAMP
from analysis.errors import UsageError
from analysis.sources.synthetic.calibration import _days, calibrate
from analysis.sources.synthetic.generate import recognised_text, with_marker
from analysis.sources.synthetic.histories import simulate
from analysis.sources.synthetic.layout import RECOGNISED_COLUMN
from analysis.sources.synthetic.params import SynthParams
from analysis.sources.synthetic.recognition import apply_recognition
from analysis.sources.synthetic.render import render_records
from analysis.sources.synthetic.text import _iso

# Change classes, in priority order: a person with records in several classes gets the first one.
CHANGE_CLASSES = ("record_removed", "died", "rearrested", "released", "newly_recognised", "status_changed",
                  "newly_listed", "field_corrected", "case_updated", "unchanged")
RELEASE_ROUTES = ("pardon_wave_exiled", "pardon_wave", "sentence_served")
PAIR_LATE_RECOGNITION_SHARE = 0.3
PAIR_REARREST_SHARE = 0.03  # more re-arrests than the default (0.004), so that a small pair has some
PAIR_STREAM = 2
INJECTED_SHARE = {"record_removed": 0.004, "status_changed": 0.003, "field_corrected": 0.01}


def _state_at(h: dict, day: int) -> dict:
    """The histories as the list shows them on ``day`` (status, release, death, verdict, wave)."""
    released = h["exit_day"] <= day
    wave_of = np.where(released, h["wave_of"], -1)
    return {**h, "as_of": day, "released": released, "died": h["died"] & released,
            "status": np.where(~h["rec"] | (h["recognised"] > day), 2, np.where(released, 1, 0)),
            "sentenced": h["sentenced"] & (h["verdict"] <= day), "wave_of": wave_of,
            "exiled": h["exiled"] & (wave_of >= 0)}


def _params(date_new: str, params: SynthParams | None) -> SynthParams:
    from analysis.sources import curated

    base = dataclasses.replace(params or SynthParams(rearrest_share=PAIR_REARREST_SHARE), as_of=date_new)
    if not base.late_recognition_share:
        base.late_recognition_share = PAIR_LATE_RECOGNITION_SHARE
    return calibrate(curated.load("pp_counts"), curated.load("release_events"), base=base)


def synthetic_pair(seed: int, n: int | None, date_old: str, date_new: str,
                   params: SynthParams | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(old export, new export, truth) of one synthetic population listed on ``date_old`` and ``date_new``.

    ``n``: size of the simulated population as in :func:`generate` (None = calibrated size); the exports hold
    the records listed on each date. ``params``: optional base parameters (recalibrated to ``date_new``).
    Deterministic in its arguments.
    """
    old_ts, new_ts = pd.Timestamp(date_old), pd.Timestamp(date_new)
    if not old_ts < new_ts:
        raise UsageError(f"date_old ({date_old}) must be before date_new ({date_new})")
    p = _params(new_ts.date().isoformat(), params)
    if old_ts < pd.Timestamp(p.start):
        raise UsageError(f"date_old ({date_old}) is before the simulation starts ({p.start})")
    h = simulate(p, n, seed)
    old_day, new_day = _days(old_ts), _days(new_ts)
    apply_recognition(p, h, new_day)
    text_rng = copy.deepcopy(h["rng"])  # both dates draw the same text forms per record
    new, forms = render_records(p, h)
    new[RECOGNISED_COLUMN] = recognised_text(h, new_day)
    old_h = _state_at(h, old_day)
    old_h["rng"] = text_rng
    old, _ = render_records(p, old_h)
    old[RECOGNISED_COLUMN] = recognised_text(h, old_day)

    ids = forms["rec_id"].astype(np.int64)
    present_old = h["det"] <= old_day
    status_old, status_new = old_h["status"], h["status"]
    rng = np.random.default_rng([int(seed), PAIR_STREAM])
    removed = _pick(rng, present_old & ~h["rec"], INJECTED_SHARE["record_removed"])
    withdrawn = _pick(rng, present_old & (status_old == 1) & (status_new == 1) & ~removed,
                      INJECTED_SHARE["status_changed"])
    new.loc[withdrawn, "status"] = "np"
    new.loc[withdrawn, RECOGNISED_COLUMN] = ""
    same = (old.to_numpy() == new.to_numpy()).all(axis=1)
    corrected = _pick(rng, present_old & same & ~removed & ~withdrawn, INJECTED_SHARE["field_corrected"])
    old.loc[corrected, "birthday"] = _iso(h["birth"][corrected] - 365 - rng.integers(1, 28, int(corrected.sum())))
    same &= ~corrected

    record_class = _record_classes(h, old_h, present_old, removed, withdrawn, corrected, same)
    route = np.where(h["wave_of"] >= 0, np.where(h["exiled"], 0, 1), 2)
    released = record_class == "released"
    person = new["url"].to_numpy()
    truth = {
        "stamp": SYNTHETIC_STAMP, "seed": int(seed), "date_old": old_ts.date().isoformat(),
        "date_new": new_ts.date().isoformat(), "classes": list(CHANGE_CLASSES),
        "records": {str(i): str(c) for i, c in sorted(zip(ids, record_class))},
        "release_routes": {str(i): RELEASE_ROUTES[r] for i, r in sorted(zip(ids[released], route[released]))},
        "persons": _person_classes(person, record_class),
        "params": p.to_dict(),
    }
    truth["counts_records"] = _count(truth["records"].values())
    truth["counts_persons"] = _count(truth["persons"].values())
    keep_old, keep_new = present_old, ~removed
    return _export(old, keep_old, ids), _export(new, keep_new, ids), truth


def _pick(rng: np.random.Generator, eligible: np.ndarray, share: float) -> np.ndarray:
    """A mask of round(share x eligible) rows (at least 1 when any is eligible), drawn without replacement."""
    pool = np.flatnonzero(eligible)
    k = min(pool.size, max(1, int(round(share * pool.size)))) if pool.size else 0
    out = np.zeros(eligible.size, dtype=bool)
    out[rng.choice(pool, size=k, replace=False)] = True
    return out


def _record_classes(h: dict, old_h: dict, present_old: np.ndarray, removed: np.ndarray, withdrawn: np.ndarray,
                    corrected: np.ndarray, same: np.ndarray) -> np.ndarray:
    """The true change class of every base record (priority as in CHANGE_CLASSES for records as well)."""
    rearrest = np.zeros(h["N"], dtype=bool)
    rearrest[h["re_rows"]] = present_old[h["linked"]]  # a new record of someone already listed
    status_old, status_new = old_h["status"], h["status"]
    both = present_old & ~removed
    recognised_now = both & (status_old == 2) & np.isin(status_new, (0, 1)) & h["rec"]
    conditions = [
        removed,
        both & h["died"] & ~old_h["died"],
        ~present_old & rearrest,
        both & (status_old == 0) & (status_new == 1) & ~h["died"],
        recognised_now,
        withdrawn,
        ~present_old,
        corrected,
        both & ~same,
    ]
    names = np.array(CHANGE_CLASSES, dtype=object)
    return names[np.select(conditions, np.arange(len(conditions)), default=len(CHANGE_CLASSES) - 1)]


def _person_classes(person: np.ndarray, record_class: np.ndarray) -> dict[str, str]:
    rank = {c: i for i, c in enumerate(CHANGE_CLASSES)}
    best: dict[str, str] = {}
    for who, cls in zip(person, record_class):
        if who not in best or rank[cls] < rank[best[who]]:
            best[who] = str(cls)
    return dict(sorted(best.items()))


def _count(values) -> dict[str, int]:
    found = pd.Series(list(values), dtype=object).value_counts()
    return {c: int(found.get(c, 0)) for c in CHANGE_CLASSES}


def _export(df: pd.DataFrame, keep: np.ndarray, ids: np.ndarray) -> pd.DataFrame:
    """Rows kept, sorted by id, with the generator's marker."""
    out = df.loc[keep].iloc[np.argsort(ids[keep], kind="stable")].reset_index(drop=True)
    return with_marker(out)
