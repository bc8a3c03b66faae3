"""Dated snapshots of the person-level list, kept outside the repository; CLI `diff OLD NEW`.

Layout of the user data folder (``$ANALYSIS_DATA_HOME``, else ``$XDG_DATA_HOME/belarus-analysis``, else
``~/.local/share/belarus-analysis``; folders 0700, files 0600):

    viasna/raw/viasna-<lang>-<YYYY-MM-DD>.csv (+ .meta.json)   downloaded exports, with names: never in the repo
    viasna/clean/<YYYY-MM-DD>/people.csv, quarantine.csv, counts.json   cleaned, pseudonymous snapshots

Pseudonymous ids are stable across snapshots cleaned with the same key (``analysis.clean.pseudonym``), so two
cleaned snapshots can be compared person by person (``analysis.stats.changes``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError, UsageError

DATA_HOME_ENV = "ANALYSIS_DATA_HOME"
SNAPSHOTS_ENV = "ANALYSIS_SNAPSHOTS"  # a folder of cleaned dated snapshots (report 05 reads it)
APP_DIR = "belarus-analysis"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def data_home() -> Path:
    """The user data folder where exports with names and their cleaned snapshots live."""
    if os.environ.get(DATA_HOME_ENV):
        return Path(os.environ[DATA_HOME_ENV]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path("~/.local/share").expanduser()
    return base / APP_DIR


def raw_dir(source: str = "viasna") -> Path:
    return data_home() / source / "raw"


def clean_dir(source: str = "viasna") -> Path:
    return data_home() / source / "clean"


def inside_repository(path: Path, root: Path | None = None) -> bool:
    """True when ``path`` (resolved, symlinks followed) lies inside the project folder."""
    try:
        Path(path).resolve().relative_to(Path(root or paths.ROOT).resolve())
    except ValueError:
        return False
    return True


def private_dir(path: Path, what: str) -> Path:
    """Create ``path`` (mode 0700) after refusing a place inside the repository; return it resolved."""
    path = Path(path).expanduser()
    if inside_repository(path):
        raise UsageError(f"{what} {path} is inside the repository; files with names must stay outside it")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {path} exists and is not a folder")
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):  # every folder we create is private, not only the last one
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path.resolve()


def clean_export_to(raw_path: Path, targets: list[Path], today: pd.Timestamp, source: str = "viasna"):
    """Clean one export (the `clean` pipeline, analysis.clean.cli.clean_file) into each target folder: private
    files in private folders, each folder new, empty or made by `clean` before."""
    from analysis.clean.cli import clean_file
    from analysis.clean.outputs import check_out

    outs = [check_out(Path(t)) for t in targets]
    result, _ = clean_file(Path(raw_path), source, outs, pd.Timestamp(today).normalize())
    return result


def snapshot_date(path: Path) -> pd.Timestamp | None:
    """The date a snapshot folder (or its people.csv) is named by (``YYYY-MM-DD``), if it is."""
    path = Path(path)
    name = path.parent.name if path.name == "people.csv" else path.name
    if not DATE_RE.match(name):
        return None
    try:
        return pd.Timestamp(name)
    except ValueError:  # 2026-02-30: not a date, so not a snapshot
        return None


def list_snapshots(folder: Path) -> pd.DataFrame:
    """Cleaned snapshots in ``folder``: sub-folders named by date that hold a people.csv, oldest first."""
    folder = Path(folder)
    rows = [{"date": snapshot_date(p), "path": p} for p in sorted(folder.iterdir())
            if p.is_dir() and snapshot_date(p) is not None and (p / "people.csv").is_file()] if folder.is_dir() else []
    return pd.DataFrame(rows, columns=["date", "path"])


def read_snapshot(path: Path) -> pd.DataFrame:
    """people.csv of a snapshot (folder or the file itself) with typed columns; DataError when it is not one."""
    from analysis.people import _read_people

    path = Path(path)
    folder = path.parent if path.name == "people.csv" else path
    if not (folder / "people.csv").is_file():
        raise DataError(path, "not a cleaned snapshot: no people.csv (clean an export first: "
                              "`python -m analysis fetch viasna --clean` or `python -m analysis clean`)")
    try:
        table = _read_people(folder)
    except (KeyError, ValueError) as exc:
        raise DataError(folder / "people.csv", f"not a people table of `clean`: {exc}") from None
    missing = {"record_id", "person_id", "status", "died", "exit_type"} - set(table.columns)
    if missing:
        raise DataError(folder / "people.csv", f"column(s) {', '.join(sorted(missing))} missing")
    return table


# ------------------------------------------------------------------------------------------ CLI: diff
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis diff",
        description="What changed between two cleaned snapshots: every person of either in exactly one class "
                    "(newly listed, newly recognised, re-arrested, released by route, died, status changed, "
                    "record removed, field corrected, unchanged), with counts per month where dates allow.",
        epilog="OLD and NEW are cleaned snapshot folders (with people.csv), e.g. "
               "~/.local/share/belarus-analysis/viasna/clean/2026-04-01; both must be cleaned with the same "
               "pseudonym key. Output is printed; --out also writes the per-person classes (pseudonymous ids).")
    ap.add_argument("old", type=Path, metavar="OLD")
    ap.add_argument("new", type=Path, metavar="NEW")
    ap.add_argument("--out", type=Path, metavar="DIR", help="also write changes.csv, summary.csv, by_month.csv here")
    return ap


def main(argv: list[str]) -> int:
    from analysis.stats import changes as ch

    args = _parser().parse_args(argv)
    old, new = read_snapshot(args.old), read_snapshot(args.new)
    result = ch.classify(old, new)
    acc = ch.check_accounting(result, old, new)
    summary = ch.summary(result)
    routes = ch.release_routes(result)
    months = ch.by_month(result)
    pd.set_option("display.width", 160)
    print(f"{args.old} -> {args.new}")
    print(f"people: {acc['persons_old']} before, {acc['persons_new']} after, {acc['units']} in either; "
          f"each in exactly one class (sum {int(summary['people'].sum())})")
    print(summary.to_string(index=False))
    print("\nreleased, by route:")
    print(routes.to_string(index=False))
    if len(months):
        print("\nper month of the event (detention for newcomers and re-arrests, release for releases and deaths):")
        shown = months.assign(month=months["month"].dt.strftime("%Y-%m").fillna("date unknown"))
        print(shown.to_string(index=False))
    old_date, new_date = snapshot_date(args.old), snapshot_date(args.new)
    if old_date is not None and new_date is not None and new_date > old_date:
        f = ch.snapshot_flows(result, old_date, new_date)
        print(f"\nheld: {f['held_old']} -> {f['held_new']} = {f['held_old']} + inflow {f['inflow']} - outflow "
              f"{f['outflow']} + other {f['other']}; per month: inflow {f['inflow_per_month']:.1f}, "
              f"outflow {f['outflow_per_month']:.1f}")
    if args.out:
        out = private_dir(args.out, "--out")
        for name, table in (("changes", result), ("summary", summary), ("by_month", months)):
            target = out / f"{name}.csv"
            table.to_csv(target, index=False, lineterminator="\n", date_format="%Y-%m-%d")
            os.chmod(target, PRIVATE_FILE)
        print(f"wrote {out}/{{changes,summary,by_month}}.csv")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))


# ------------------------------------------------------------------------------------------ for report 05
SNAPSHOT_SOURCES = ("auto", "synthetic")
# The synthetic pair of report 05: the calibrated population (None: the real list's scale, so its flows can be set
# beside the aggregate series) over half a year whose months that series observes (inflow and implied outflow).
# Every class then has >= 5 people except deaths in custody, which are rare (none in this half year).
SYNTHETIC_N: int | None = None
SYNTHETIC_DATES = ("2024-06-30", "2024-12-31")


class Snapshots:
    """Dated cleaned snapshots for a report: real ones from a folder, or the synthetic pair with its truth."""

    def __init__(self, items: list[tuple[pd.Timestamp, pd.DataFrame]], synthetic: bool, label: str,
                 truth: pd.DataFrame | None = None):
        self.items, self.synthetic, self.label = items, synthetic, label
        self.truth = truth

    @property
    def dates(self) -> list[pd.Timestamp]:
        return [d for d, _ in self.items]


def default_folder() -> Path:
    """Where report 05 looks for real snapshots: $ANALYSIS_SNAPSHOTS, else the cleaned Viasna snapshots."""
    env = os.environ.get(SNAPSHOTS_ENV)
    return Path(env).expanduser() if env else clean_dir("viasna")


def load_snapshots(source: str = "auto", n: int | None = SYNTHETIC_N, seed: int = 0,
                   dates: tuple[str, str] = SYNTHETIC_DATES) -> Snapshots:
    """`auto`: real snapshots when the default folder holds two or more, else synthetic; `synthetic`; or a folder.

    The synthetic pair is the generator's (``analysis.sources.synthetic.synthetic_pair(seed, n, *dates)``), cleaned
    with the public synthetic key; its truth is given in the diff's classes
    (``analysis.sources.synthetic.pair_snapshots``).
    """
    import tempfile

    from analysis import SYNTHETIC_STAMP

    if source == "auto":
        found = list_snapshots(default_folder())
        source = str(default_folder()) if len(found) >= 2 else "synthetic"
    if source != "synthetic":
        folder = Path(source).expanduser()
        found = list_snapshots(folder)
        if len(found) < 2:
            raise DataError(folder, f"needs at least two cleaned snapshots (folders named YYYY-MM-DD with a "
                                    f"people.csv); found {len(found)}")
        items = [(d, read_snapshot(p)) for d, p in zip(found["date"], found["path"])]
        return Snapshots(items, False, f"Viasna list exports, cleaned by analysis.clean; {len(items)} snapshots "
                                       f"{found['date'].min():%Y-%m-%d} to {found['date'].max():%Y-%m-%d}")
    from analysis.sources.synthetic import pair_snapshots, synthetic_pair

    old, new, truth = synthetic_pair(seed, n, *dates)
    with tempfile.TemporaryDirectory(prefix="synthetic-snapshots-") as tmp:
        dirs = pair_snapshots.clean_pair(old, new, truth, Path(tmp))
        items = [(snapshot_date(p), read_snapshot(p)) for p in dirs]
    label = (f"{SYNTHETIC_STAMP}: two synthetic exports of one simulated history with known changes "
             f"(analysis.sources.synthetic.synthetic_pair, {'calibrated size' if n is None else f'n {n}'}, "
             f"seed {seed})")
    return Snapshots(items, True, label, pair_snapshots.diff_truth(old, new, truth))
