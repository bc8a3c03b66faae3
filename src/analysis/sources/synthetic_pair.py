"""Two dated synthetic exports with known changes between them (SYNTHETIC DATA — not real people).

The older export is the generator's own (``analysis.sources.synthetic.generate``, dated ``params.as_of``). The
newer one, ``gap_days`` later, is the older export with known changes applied to chosen records, record ids kept:
releases (some without a release date, so their route is unknown), deaths, re-arrests of released people (a new
record with the same person page), newly recognised and newly listed people, a status correction (former
political prisoner -> not recognised), removed records and corrected fields (gender). Only "plain" records are
changed: one record per person, none of the generator's malformed rows, duplicates or re-arrest pairs, so each
change maps to exactly one class of ``analysis.stats.changes``. ``truth`` lists every source id that was changed or
added, with its class; every other person is unchanged.

The generator's deliberately future-dated rows are moved further into the future in both exports, so that they
stay future (and quarantined) when the newer export is cleaned on its later date.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import SYNTHETIC_STAMP
from analysis.sources import synthetic as syn
from analysis.sources.synthetic.generate import with_marker

GAP_DAYS = 30
# People per class in the newer export (ILLUSTRATIVE; every class >= 5 so that none is suppressed in a table).
CHANGE_COUNTS: dict[str, int] = {
    "released": 40, "died": 5, "re_arrested": 5, "newly_recognised": 30, "newly_listed": 20,
    "status_changed": 5, "record_removed": 5, "field_corrected": 10,
}
UNDATED_RELEASE_EVERY = 5  # every 5th release has no release date: its route is "unknown"
RECOGNITION_LAG_DAYS = 90  # newly recognised people were detained up to this long before the older export
FUTURE_PUSH_DAYS = 400
PAIR_SALT = 12  # added to the seed of the changes (the generator's own seed stays the export's)
PRE_TRIAL_CELL = "СИЗО № 1\n000000, Минск"


@dataclass
class SyntheticPair:
    """Older and newer export (machine layout, all text), their dates, and the true class of each changed id."""

    old: pd.DataFrame
    new: pd.DataFrame
    old_date: pd.Timestamp
    new_date: pd.Timestamp
    truth: pd.DataFrame  # id, change, release_dated (bool)
    generator_truth: dict = field(default_factory=dict)
    stamp: str = SYNTHETIC_STAMP


def _iso(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _plain_rows(df: pd.DataFrame, truth: dict) -> pd.Series:
    """Rows safe to change: one record per person page, not malformed, duplicated or part of a re-arrest."""
    skip: set[str] = set()
    for info in truth["malformed"].values():
        skip |= {str(i) for i in info["ids"]}
        skip |= {str(i) for i in info.get("source_ids", {}).values()}
    skip |= {str(i) for i in truth["true_duplicate_ids"]}
    for a, b in truth["rearrests"].items():
        skip |= {str(a), str(b)}
    single = ~df["url"].duplicated(keep=False) & ~df["id"].duplicated(keep=False)
    return single & ~df["id"].isin(skip) & df["gender"].isin(["male", "female"])


def _pick(rng: np.random.Generator, candidates: pd.Index, k: int, taken: set) -> list:
    pool = np.array(sorted(set(candidates) - taken), dtype=object)
    if len(pool) < k:
        raise ValueError(f"only {len(pool)} records to choose {k} from: use a larger n")
    chosen = sorted(rng.choice(pool, size=k, replace=False).tolist())
    taken.update(chosen)
    return chosen


def _day_between(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp, k: int) -> list[str]:
    """k ISO days in (start, end]."""
    days = rng.integers(1, (end - start).days + 1, size=k)
    return [_iso(start + pd.Timedelta(days=int(d))) for d in days]


def _new_person_rows(template: pd.DataFrame, k: int, status: str, first_id: int, first_person: int,
                     width: int, det_days: list[str]) -> pd.DataFrame:
    rows = pd.DataFrame("", index=range(k), columns=template.columns, dtype=object)
    nums = [f"{first_person + i:0{width}d}" for i in range(k)]
    rows["id"] = [str(first_id + i) for i in range(k)]
    rows["name"] = [f"{syn.NAME_RU} {x}" for x in nums]
    rows["url"] = [syn.URL_BASE + x for x in nums]
    rows["status"] = status
    rows["gender"] = ["female" if i % 4 == 0 else "male" for i in range(k)]
    rows["birthday"] = [f"{1960 + (i * 7) % 40}-0{1 + i % 9}-1{i % 10}" for i in range(k)]
    rows["arrested"] = det_days
    rows["articles"] = "ч. 1 ст. 342 УК"
    rows["prison"] = PRE_TRIAL_CELL if status == "active" else ""
    rows["clusters"] = "Minsk"
    return rows


def _keep_future_rows_future(old: pd.DataFrame, gtruth: dict, new_date: pd.Timestamp) -> pd.DataFrame:
    """The generator's future-dated rows, moved so that they are still in the future on ``new_date``."""
    out = old.copy()
    future = out["id"].isin([str(i) for i in gtruth["malformed"]["future_date"]["ids"]])
    arrested = pd.to_datetime(out["arrested"], format="%Y-%m-%d", errors="coerce")
    push = future & arrested.le(new_date + pd.Timedelta(days=1))
    out.loc[push, "arrested"] = [_iso(d + pd.Timedelta(days=FUTURE_PUSH_DAYS)) for d in arrested[push]]
    return out


def _choose(rng: np.random.Generator, old: pd.DataFrame, gtruth: dict, counts: dict[str, int]) -> dict[str, list]:
    """Source ids of the existing records to change, per class (disjoint; plain records only)."""
    plain = _plain_rows(old, gtruth)
    listed, active = old["status"].ne(""), old["status"].eq("active")
    former_alive = old["status"].eq("former") & old["died"].eq("")
    dated_release = old["release_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
    pools = {"released": active, "died": active, "re_arrested": former_alive & dated_release,
             "status_changed": former_alive, "record_removed": listed, "field_corrected": listed}
    taken: set = set()
    return {k: _pick(rng, pd.Index(old.loc[plain & mask, "id"]), counts[k], taken) for k, mask in pools.items()}


def _apply_changes(rng: np.random.Generator, old: pd.DataFrame, chosen: dict[str, list],
                   old_date: pd.Timestamp, new_date: pd.Timestamp) -> pd.DataFrame:
    """The older export with the chosen records released, dead, re-classified, corrected or removed."""
    new = old.set_index("id", drop=False)
    rel = chosen["released"]
    new.loc[rel, "status"] = "former"
    new.loc[rel, "release_date"] = [d if i % UNDATED_RELEASE_EVERY else ""
                                    for i, d in enumerate(_day_between(rng, old_date, new_date, len(rel)), start=1)]
    new.loc[rel, "prison"] = np.where(new.loc[rel, "gender"].eq("female"), "освобождена", "освобождён")
    new.loc[chosen["died"], ["status", "died", "description"]] = ["former", "1", "Умер(ла) в заключении."]
    new.loc[chosen["status_changed"], "status"] = "np"
    corr = chosen["field_corrected"]
    new.loc[corr, "gender"] = np.where(new.loc[corr, "gender"].eq("male"), "female", "male")
    return new.drop(index=chosen["record_removed"]).reset_index(drop=True)


def _re_arrest_rows(rng: np.random.Generator, old: pd.DataFrame, ids: list, first_id: int,
                    old_date: pd.Timestamp, new_date: pd.Timestamp) -> pd.DataFrame:
    """A new pre-trial record for each released person in ``ids``: same person page, name and birthday."""
    earlier = old.set_index("id", drop=False).loc[ids]
    rows = pd.DataFrame("", index=range(len(earlier)), columns=old.columns, dtype=object)
    for col in ("name", "url", "gender", "birthday", "clusters"):
        rows[col] = earlier[col].to_numpy()
    rows["id"] = [str(first_id + i) for i in range(len(earlier))]
    rows["status"] = "active"
    rows["arrested"] = _day_between(rng, old_date, new_date, len(earlier))
    rows["articles"] = "ч. 1 ст. 342 УК"
    rows["prison"] = PRE_TRIAL_CELL
    return rows


def build_pair(params: syn.SynthParams | None = None, n: int | None = 3000, seed: int = 0,
               gap_days: int = GAP_DAYS, counts: dict[str, int] | None = None) -> SyntheticPair:
    """A dated pair of synthetic exports with known changes; deterministic in its arguments."""
    p = params or syn.default_params()
    counts = {**CHANGE_COUNTS, **(counts or {})}
    generated, gtruth = syn.generate(p, n=n, seed=seed)
    old_date = pd.Timestamp(p.as_of)
    new_date = old_date + pd.Timedelta(days=gap_days)
    old = _keep_future_rows_future(generated, gtruth, new_date)
    rng = np.random.default_rng(seed + PAIR_SALT)
    chosen = _choose(rng, old, gtruth, counts)
    changed = _apply_changes(rng, old, chosen, old_date, new_date)

    next_id = int(old["id"].astype(np.int64).max()) + 1
    numbers = old["url"].str.extract(r"synthetic-(\d+)", expand=False)
    width, next_person = int(numbers.str.len().max()), int(numbers.astype(np.int64).max()) + 1
    re_rows = _re_arrest_rows(rng, old, chosen["re_arrested"], next_id, old_date, new_date)
    next_id += len(re_rows)
    added = [re_rows]
    truth_rows = [(i, k) for k, ids in chosen.items() for i in ids]
    truth_rows += [(i, "re_arrested") for i in re_rows["id"]]
    for klass, status, lag in (("newly_recognised", "active", RECOGNITION_LAG_DAYS), ("newly_listed", "np", 0)):
        k = counts[klass]
        start = old_date - pd.Timedelta(days=lag)
        rows = _new_person_rows(old, k, status, next_id, next_person, width, _day_between(rng, start, new_date, k))
        next_id, next_person = next_id + k, next_person + k
        added.append(rows)
        truth_rows += [(i, klass) for i in rows["id"]]
    new = pd.concat([changed, *added], ignore_index=True)
    new = new.iloc[np.argsort(new["id"].astype(np.int64).to_numpy(), kind="stable")].reset_index(drop=True)
    new = with_marker(new)  # rows this module made or changed carry the generator's marker like the rest

    released_dated = set(new.loc[new["id"].isin(chosen["released"]) & new["release_date"].ne(""), "id"])
    truth = pd.DataFrame(truth_rows, columns=["id", "change"])
    truth["release_dated"] = truth["id"].isin(released_dated)
    truth = truth.sort_values(["change", "id"], kind="stable").reset_index(drop=True)
    return SyntheticPair(old.reset_index(drop=True), new, old_date, new_date, truth, gtruth)


def true_counts(pair: SyntheticPair) -> dict[str, int]:
    """People per changed class (re-arrest: one person, two ids)."""
    t = pair.truth
    out = t.loc[t["change"].ne("re_arrested"), "change"].value_counts().to_dict()
    out["re_arrested"] = int(t["change"].eq("re_arrested").sum() // 2)
    return {k: int(v) for k, v in sorted(out.items())}


def clean_pair(pair: SyntheticPair, folder: Path) -> list[Path]:
    """Clean both exports (public synthetic key) into ``folder/<date>/``: the layout of real cleaned snapshots.

    The exports themselves (with their made-up names) exist only in a temporary folder.
    """
    from analysis.snapshots import clean_export_to

    folder = Path(folder)
    out = []
    with tempfile.TemporaryDirectory(prefix="synthetic-pair-") as tmp:
        for export, day in ((pair.old, pair.old_date), (pair.new, pair.new_date)):
            path = Path(tmp) / f"export-{day:%Y-%m-%d}.csv"
            path.write_bytes(syn.export_bytes(export))
            target = folder / f"{day:%Y-%m-%d}"
            clean_export_to(path, [target], day, source="synthetic")
            out.append(target)
    return out


def truth_by_record(pair: SyntheticPair) -> pd.DataFrame:
    """The true class per cleaned ``record_id`` (keyed hash of the source id, as `clean` computes it)."""
    from analysis.clean.pseudonym import SYNTHETIC_KEY, keyed_hash

    t = pair.truth.copy()
    t["record_id"] = keyed_hash("id:" + t["id"], SYNTHETIC_KEY, "record|synthetic").to_numpy()
    return t[["record_id", "id", "change", "release_dated"]]
