"""The dated synthetic pair as cleaned snapshots, and its truth in the classes of the diff (SYNTHETIC DATA).

:func:`clean_pair` cleans the two exports of :func:`analysis.sources.synthetic.pair.synthetic_pair` with the
public synthetic key into ``folder/<date>/`` (the layout of real cleaned snapshots). :func:`diff_truth` gives the
true class of every record in the classes of :mod:`analysis.stats.changes` (``CLASSES``), keyed by the cleaned
``record_id``; :func:`true_counts` the true number of people per class.

The generator's classes (``pair.CHANGE_CLASSES``) are mapped onto the diff's here and nowhere else. Both put each
person in one class, but the generator labels *events of records* (a person takes the class of their first
record in its order) while the diff labels the *change of a person's state*: recognised (some record current or
former), held (some record current and not dead), strongest status. The mapping, per person (``url``), from the
generator's class and the person's states on the two dates (read from the exports' machine ``status`` and
``died`` columns, which the generator writes without noise in a pair):

============================  ==================================================================================
generator                     diff
============================  ==================================================================================
``unchanged``                 ``unchanged``
``field_corrected``           ``field_corrected``
``case_updated``              ``field_corrected`` when a column the diff compares changed; ``unchanged`` when only
                              columns it ignores changed (appeal date, judge, description, ...: ``IGNORED``) or
                              a blank cell became an unknown marker (a not-recognised person's release date
                              ``неизвестно``: `clean` reads both as "not known")
``newly_listed``              ``newly_recognised`` when recognised in the new export, else ``newly_listed`` (the
                              diff splits new people by status; the generator's class is "detained between")
``record_removed``            ``record_removed`` (the person has no record left), else as the rest below
``status_changed``,           the diff's rules on the person's states: newly recognised (not recognised before,
``newly_recognised``,         recognised now) > died (dead now, not before) > re-arrested (the generator says
``died``, ``rearrested``,     so, held now, not held before) > released (held before, not now) > status changed
``released``                  (strongest status differs) > field corrected (records added, or a field changed)
============================  ==================================================================================

Where the last rule changes the class, the definitions differ, neither side is wrong: a newly recognised *case*
of someone recognised for an earlier one is not a newly recognised *person* (status changed if they are held
again, else field corrected); a re-arrest whose new case is not (yet) recognised does not enter the people held
(field corrected, or released when the earlier case ended between the dates), and one who died on the new case
died; a person released from one case but still held on another is not released; someone recognised only after
dying in custody is newly recognised (the diff ranks recognition before death).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import is_unknown_value, normalise_value
from analysis.sources.synthetic.generate import RECOGNISED_COLUMN
from analysis.sources.synthetic.layout import export_bytes
from analysis.sources.synthetic.marker import MARKER_COLUMN

# Raw columns that `clean` drops (or keeps without the diff comparing them): a change only there is no change.
IGNORED = ("photo", "description", "judge", "councel", "declaration", "penalty_start_date", "appeal_date",
           "fake_terrorist_list", RECOGNISED_COLUMN, MARKER_COLUMN)
RECOGNISED_STATUS = ("active", "former")
STATUS_RANK = {"active": 0, "former": 1, "np": 2}  # the strongest status of a person: the smallest rank
AS_IS = {"unchanged", "field_corrected"}


def clean_pair(old: pd.DataFrame, new: pd.DataFrame, truth: dict, folder: Path) -> list[Path]:
    """Clean both exports (public synthetic key) into ``folder/<date_old>/`` and ``folder/<date_new>/``.

    The exports themselves (with their made-up names) exist only in a temporary folder.
    """
    from analysis.snapshots import clean_export_to

    folder = Path(folder)
    out = []
    with tempfile.TemporaryDirectory(prefix="synthetic-pair-") as tmp:
        for export, day in ((old, truth["date_old"]), (new, truth["date_new"])):
            path = Path(tmp) / f"export-{day}.csv"
            path.write_bytes(export_bytes(export))
            target = folder / day
            clean_export_to(path, [target], pd.Timestamp(day), source="synthetic")
            out.append(target)
    return out


def _states(export: pd.DataFrame) -> pd.DataFrame:
    """Per person (url): recognised, held, dead, strongest status rank."""
    t = export.assign(_recognised=export["status"].isin(RECOGNISED_STATUS), _died=export["died"].ne(""),
                      _rank=export["status"].map(STATUS_RANK))
    t["_held"] = t["status"].eq("active") & ~t["_died"]
    g = t.groupby("url")
    return pd.DataFrame({"recognised": g["_recognised"].any(), "held": g["_held"].any(), "died": g["_died"].any(),
                         "rank": g["_rank"].min()})


def _known(s: pd.Series) -> pd.Series:
    """The texts with `clean`'s unknown markers ("неизвестно", "-", ...) made empty: both mean "not known"."""
    unknown = s.map(lambda v: is_unknown_value(normalise_value(v)))
    return s.mask(unknown, "")


def _compared_change(old: pd.DataFrame, new: pd.DataFrame) -> set[str]:
    """Urls of people with a record in both exports whose compared columns differ (other than blank <-> unknown)."""
    cols = [c for c in old.columns if c not in IGNORED and c in new.columns]
    both = old[cols].merge(new[cols], on="id", suffixes=("_old", "_new"))
    differs = np.zeros(len(both), dtype=bool)
    for c in cols:
        if c != "id":
            differs |= _known(both[f"{c}_old"]).to_numpy() != _known(both[f"{c}_new"]).to_numpy()
    return set(both.loc[differs, "url_new"])


def _by_state(g: str, a: pd.Series, b: pd.Series) -> str:
    """The diff's rules on a person's states before (a) and after (b); re-arrested only when the generator says so."""
    if b["recognised"] and not a["recognised"]:
        return "newly_recognised"
    if b["died"] and not a["died"]:
        return "died"
    if g == "rearrested" and b["held"] and not a["held"]:
        return "re_arrested"
    if a["held"] and not b["held"]:
        return "released"
    if a["rank"] != b["rank"]:
        return "status_changed"
    return "field_corrected"


def person_classes(old: pd.DataFrame, new: pd.DataFrame, truth: dict) -> pd.DataFrame:
    """Per person (url): the generator's class and the diff's (the mapping of the module docstring)."""
    a, b = _states(old), _states(new)
    changed = _compared_change(old, new)
    rows = []
    for url, g in truth["persons"].items():
        if g in AS_IS:
            d = g
        elif g == "case_updated":
            d = "field_corrected" if url in changed else "unchanged"
        elif g == "newly_listed":
            d = "newly_recognised" if b.at[url, "recognised"] else "newly_listed"
        elif url not in b.index:
            d = "record_removed"
        else:
            d = _by_state(g, a.loc[url], b.loc[url])
        rows.append((url, g, d))
    return pd.DataFrame(rows, columns=["url", "generator_change", "change"])


def diff_truth(old: pd.DataFrame, new: pd.DataFrame, truth: dict) -> pd.DataFrame:
    """The true diff class of every record of either export (its person's), keyed by the cleaned ``record_id``.

    Columns: ``record_id`` (keyed hash of the source id, as `clean` computes it), ``id``, ``url``, ``change``
    (the diff's class, see the module docstring), ``generator_change`` (the record's own class in the generator's
    truth), ``release_route`` (the generator's route of a released record, else empty) and ``release_dated`` (the
    record has a release date, not blank or an unknown marker, in the new export).
    """
    from analysis.clean.pseudonym import SYNTHETIC_KEY, keyed_hash

    records = pd.concat([new[["id", "url", "release_date"]], old[["id", "url"]].assign(release_date="")])
    records = records.drop_duplicates("id").sort_values("id", key=lambda s: s.astype(np.int64), kind="stable")
    persons = person_classes(old, new, truth).set_index("url")["change"]
    out = pd.DataFrame({
        "record_id": keyed_hash("id:" + records["id"], SYNTHETIC_KEY, "record|synthetic").to_numpy(),
        "id": records["id"].to_numpy(),
        "url": records["url"].to_numpy(),
        "change": records["url"].map(persons).to_numpy(),
        "generator_change": records["id"].map(truth["records"]).to_numpy(),
        "release_route": records["id"].map(truth["release_routes"]).fillna("").to_numpy(),
        "release_dated": _known(records["release_date"]).ne("").to_numpy(),
    })
    return out.reset_index(drop=True)


def true_counts(old: pd.DataFrame, new: pd.DataFrame, truth: dict) -> dict[str, int]:
    """People per diff class (every class that occurs; the diff's ``summary`` lists the others as 0)."""
    found = person_classes(old, new, truth)["change"].value_counts()
    return {str(k): int(v) for k, v in sorted(found.items())}
