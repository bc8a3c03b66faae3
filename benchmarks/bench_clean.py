"""Time the `clean` command end to end, and `read_export + clean_export`, against a bare `pandas.read_csv`.

    python benchmarks/bench_clean.py                          # 10k, 100k, 1M rows
    python benchmarks/bench_clean.py --sizes 10000,50000      # quicker
    python benchmarks/bench_clean.py --check                  # exit 1 when the target is missed

For each size a synthetic export in the machine layout is written to a temporary directory
(``analysis.sources.synthetic.generate``; SYNTHETIC DATA, not real people; if that module is missing,
rows of tests/fixtures/viasna/machine_export.csv are replicated with fresh ids). Then, each in its own
fresh process so that peak memory is clean:

* read:  ``pandas.read_csv(path, dtype=str, keep_default_na=False)`` — the floor;
* clean: ``read_export(path)`` + ``clean_export(...)`` — the library calls; the time to render and write
  the outputs is reported separately (``write s``);
* command: ``python -m analysis clean --source synthetic --input PATH --out DIR`` in a fresh interpreter, as a
  user runs it — start-up, imports, read, marker check, clean, hash, validate, write — timed from outside.

Reported: seconds, rows/s, ratios clean/read and **command/read** (target <= 5x at the largest size >= 1M
rows), growth (time ratio divided by size ratio versus the previous size: 1.0 = linear), and peak resident
memory (``ru_maxrss``, imports included; for the command, of the child process: target <= 2 GB). Imports
happen before the clock starts, except for the command.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
RATIO_TARGET = 5.0
MEMORY_TARGET_MB = 2048
TARGET_SIZE = 1_000_000
TODAY = "2026-12-31"
SEED = 0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _fallback_rows(n: int):
    """Replicate the hand-made fixture with fresh ids/urls/names (used only without the synthetic module)."""
    import numpy as np
    import pandas as pd

    base = pd.read_csv(ROOT / "tests" / "fixtures" / "viasna" / "machine_export.csv", dtype=str, keep_default_na=False)
    df = base.iloc[np.arange(n) % len(base)].reset_index(drop=True)
    k = pd.Series(np.arange(n)).astype(str)
    df["id"] = k
    df["url"] = "https://example.invalid/ru/person/bench-" + k
    df["name"] = "Бенчмарк Пример " + k
    return df


def worker_generate(n: int, path: Path) -> dict:
    try:
        from analysis.sources import synthetic
    except ImportError:
        _fallback_rows(n).to_csv(path, index=False, lineterminator="\n")
        how = "fixture replicated"
    else:
        df, _ = synthetic.generate(synthetic.default_params(), n=n, seed=SEED)
        path.write_bytes(synthetic.export_bytes(df, "csv"))
        how = "analysis.sources.synthetic"
    return {"bytes": path.stat().st_size, "generator": how}


def worker_read(path: Path) -> dict:
    import pandas as pd

    start_mb = _peak_mb()
    t, cpu = time.perf_counter(), time.process_time()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "cpu_seconds": time.process_time() - cpu, "rows": len(df), "peak_mb": _peak_mb(),
            "import_mb": start_mb}


def worker_clean(path: Path, out: Path) -> dict:
    import pandas as pd

    from analysis.clean import cli
    from analysis.clean.outputs import write_atomically
    from analysis.clean.people import clean_export
    from analysis.clean.pseudonym import SYNTHETIC_KEY
    from analysis.sources.viasna import read_export
    import scipy.sparse.csgraph  # noqa: F401 - imported lazily by clean_export; not part of the timing

    start_mb = _peak_mb()
    t = time.perf_counter()
    raw = read_export(path)
    t_read = time.perf_counter() - t
    result = clean_export(raw, "synthetic", SYNTHETIC_KEY, pd.Timestamp(TODAY))
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    write_atomically(cli.render(result, "synthetic", pd.Timestamp(TODAY)), out)
    write_seconds = time.perf_counter() - t
    return {"seconds": seconds, "read_export_seconds": t_read, "write_seconds": write_seconds,
            "rows": len(raw), "peak_mb": _peak_mb(), "import_mb": start_mb, "counts": result.counts}


def worker_command(path: Path, out: Path) -> dict:
    """The command as a user runs it, in a child process; wall time and the child's peak memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analysis", "clean", "--source", "synthetic", "--input", str(path),
                           "--out", str(out), "--today", TODAY], capture_output=True, text=True, cwd=ROOT, env=env)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"clean command failed (exit {done.returncode}): {done.stderr.strip()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def run_worker(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        sys.exit(f"worker {args[0]} failed (exit {done.returncode}):\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    head = ("| rows | file MB | read_csv s | clean s | (read_export s) | write s | command s | clean rows/s "
            "| ratio clean/read | ratio command/read | growth | peak MB read | peak MB clean | peak MB command |")
    lines = [head, "|" + "|".join("---" for _ in range(14)) + "|"]
    for r in rows:
        growth = "" if r["growth"] is None else f"{r['growth']:.2f}"
        lines.append(
            f"| {r['n']:,} | {r['bytes'] / 1e6:.1f} | {r['read']['seconds']:.2f} | {r['clean']['seconds']:.2f} "
            f"| {r['clean']['read_export_seconds']:.2f} | {r['clean']['write_seconds']:.2f} "
            f"| {r['command']['seconds']:.2f} | {r['n'] / r['clean']['seconds']:,.0f} | {r['ratio']:.2f} "
            f"| {r['command_ratio']:.2f} | {growth} | {r['read']['peak_mb']:.0f} | {r['clean']['peak_mb']:.0f} "
            f"| {r['command']['peak_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark read_export + clean_export against pandas.read_csv (synthetic data).",
        epilog=f"target: clean/read ratio <= {RATIO_TARGET:g}x at >= {TARGET_SIZE:,} rows",
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated row counts (default %(default)s)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the ratio target is missed")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "generate":
            result = worker_generate(int(rest[0]), Path(rest[1]))
        elif kind == "read":
            result = worker_read(Path(rest[0]))
        elif kind == "command":
            result = worker_command(Path(rest[0]), Path(rest[1]))
        else:
            result = worker_clean(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return 0

    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"export-{n}.csv"
            gen = run_worker("generate", str(n), str(path))
            read = run_worker("read", str(path))
            clean = run_worker("clean", str(path), str(Path(tmp) / f"out-{n}"))
            command = run_worker("command", str(path), str(Path(tmp) / f"command-{n}"))
            path.unlink()
            prev = rows[-1] if rows else None
            growth = None
            if prev:
                growth = (clean["seconds"] / prev["clean"]["seconds"]) / (n / prev["n"])
            rows.append({"n": n, "bytes": gen["bytes"], "read": read, "clean": clean, "command": command,
                         "ratio": clean["seconds"] / read["seconds"],
                         "command_ratio": command["seconds"] / read["seconds"], "growth": growth})
            print(f"{n:>9,} rows: CPU read_csv {read['cpu_seconds']:.2f}s, command {command['cpu_seconds']:.2f}s "
                  f"({command['cpu_seconds'] / read['cpu_seconds']:.2f}x); wall read_csv {read['seconds']:.2f}s, "
                  f"clean {clean['seconds']:.2f}s "
                  f"({clean['seconds'] / read['seconds']:.2f}x), command {command['seconds']:.2f}s "
                  f"({command['seconds'] / read['seconds']:.2f}x), peak {command['peak_mb']:.0f} MB  "
                  f"[{gen['generator']}]", file=sys.stderr)
    print(table(rows))
    print("\nCPU seconds (user + system; less sensitive to other load on the machine): "
          + "; ".join(f"{r['n']:,} rows: read_csv {r['read']['cpu_seconds']:.2f}, command "
                      f"{r['command']['cpu_seconds']:.2f} ({r['command']['cpu_seconds'] / r['read']['cpu_seconds']:.2f}x)"
                      for r in rows))
    largest = rows[-1]
    met = largest["command_ratio"] <= RATIO_TARGET and largest["command"]["peak_mb"] <= MEMORY_TARGET_MB
    verdict = "met" if met else "MISSED"
    print(f"\ntarget command/read <= {RATIO_TARGET:g}x and peak <= {MEMORY_TARGET_MB} MB at {largest['n']:,} rows: "
          f"{largest['command_ratio']:.2f}x, {largest['command']['peak_mb']:.0f} MB ({verdict})"
          + ("" if largest["n"] >= TARGET_SIZE else f" — note: the target is defined at >= {TARGET_SIZE:,} rows"))
    return 1 if args.check and verdict != "met" else 0


if __name__ == "__main__":
    sys.exit(main())
