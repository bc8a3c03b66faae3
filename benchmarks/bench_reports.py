"""Time a full forced report build against the papermill floor, and a no-op rebuild against the full build.

    python benchmarks/bench_reports.py                        # all reports in notebooks/reports.yml
    python benchmarks/bench_reports.py --config tests/fixtures/notebooks/reports.yml
    python benchmarks/bench_reports.py --check                # exit 1 when a target is missed

What is measured (each in a fresh `python` process, so interpreter start and imports count):

* full build: `python -m analysis run --force --config <copy>` for all N reports of the config;
* floor: N sequential papermill runs of a one-cell notebook that only imports pandas, statsmodels and
  matplotlib (kernel start + the imports every report pays anyway), in one process;
* no-op: `python -m analysis run --config <copy>` right after the full build (everything up to date).

One unmeasured warm-up kernel runs first, so neither side pays the cold disk cache.
Targets: full build <= 2x the floor; no-op < 10% of the full build.

The benchmark never touches the project's reports/ or committed notebooks: the config's folder is copied
to a temporary directory (a default run writes executed notebooks back next to the config) and
ANALYSIS_REPORTS points into that directory. `inputs` in the config still resolve against the project
root, as in a real build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from analysis import paths  # noqa: E402
from analysis.run import load_config  # noqa: E402

FLOOR_RATIO_TARGET = 2.0
NOOP_SHARE_TARGET = 0.10
FLOOR_SOURCE = "import pandas\nimport statsmodels.api\nimport matplotlib.pyplot"


def timed(argv: list[str], env: dict[str, str], label: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        sys.exit(f"{label} failed (exit {done.returncode}):\n{tail}")
    return seconds


def floor_script(folder: Path, runs: int) -> str:
    return textwrap.dedent(f"""
        import nbformat, papermill
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell({FLOOR_SOURCE!r})],
                                      metadata={{"kernelspec": {{"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}}}})
        nbformat.write(nb, {str(folder / "floor.ipynb")!r})
        for i in range({runs}):
            papermill.execute_notebook({str(folder / "floor.ipynb")!r}, {str(folder / "floor-out.ipynb")!r},
                                       kernel_name="python3", progress_bar=False,
                                       request_save_on_cell_execute=False, cwd={str(folder)!r})
    """)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", type=Path, default=paths.CONFIG, help="reports config (default notebooks/reports.yml)")
    parser.add_argument("--repeat", type=int, default=1, help="repeat each measurement and keep the fastest (default 1)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    config = args.config.resolve()
    runs = len(load_config(config))
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(tmp)
        shutil.copytree(config.parent, work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        copy = work / "notebooks" / config.name
        env = dict(os.environ, ANALYSIS_REPORTS=str(work / "reports"), PYTHONPATH=str(ROOT / "src"))
        (work / "floor").mkdir()

        # warm-up (not measured): the first kernel to import pandas/statsmodels/matplotlib pays a cold disk cache
        timed([python, "-c", floor_script(work / "floor", 1)], env, "warm-up")
        full, floor, noop = [], [], []
        for _ in range(max(1, args.repeat)):
            floor.append(timed([python, "-c", floor_script(work / "floor", runs)], env, "floor"))
            full.append(timed([python, "-m", "analysis", "run", "--force", "--config", str(copy)], env, "full build"))
            noop.append(timed([python, "-m", "analysis", "run", "--config", str(copy)], env, "no-op build"))

    full_s, floor_s, noop_s = min(full), min(floor), min(noop)
    ratio, share = full_s / floor_s, noop_s / full_s
    ok_ratio, ok_share = ratio <= FLOOR_RATIO_TARGET, share < NOOP_SHARE_TARGET
    print(f"config:       {config} ({runs} report{'s' if runs != 1 else ''})")
    print(f"full build:   {full_s:7.2f} s   python -m analysis run --force")
    print(f"floor:        {floor_s:7.2f} s   {runs} papermill run(s) of a notebook importing pandas, statsmodels, matplotlib")
    print(f"ratio:        {ratio:7.2f} x   target <= {FLOOR_RATIO_TARGET:g} x   {'ok' if ok_ratio else 'MISSED'}")
    print(f"no-op build:  {noop_s:7.2f} s   = {share:.1%} of the full build   target < {NOOP_SHARE_TARGET:.0%}   "
          f"{'ok' if ok_share else 'MISSED'}")
    return 1 if args.check and not (ok_ratio and ok_share) else 0


if __name__ == "__main__":
    sys.exit(main())
