"""Copy the default build's results.json and key tables into tests/golden/ for review.

Run after `make reports-force`, read the diff (`git diff tests/golden`), and commit it with a reason for
every value that moved: the golden files are what the suite holds the published numbers to.

    .venv/bin/python tools/update_golden.py            # every report
    .venv/bin/python tools/update_golden.py 01 04      # some
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from golden import GOLDEN, MAX_TABLE_ROWS, report_dirs  # noqa: E402


def main(argv: list[str]) -> int:
    for rdir in report_dirs(ROOT / "reports", argv):
        dest = GOLDEN / rdir.name
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "tables").mkdir(parents=True)
        shutil.copyfile(rdir / "results.json", dest / "results.json")
        for csv in sorted((rdir / "tables").glob("*.csv")):
            if sum(1 for _ in csv.open(encoding="utf-8")) - 1 <= MAX_TABLE_ROWS:
                shutil.copyfile(csv, dest / "tables" / csv.name)
        print(f"{rdir.name}: results.json + {len(list((dest / 'tables').iterdir()))} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
