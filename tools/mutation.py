"""`make mutation`: mutation score of the statistics, claims and disclosure-control code, with mutmut.

Runs `mutmut run` over the modules listed in setup.cfg ([mutmut] only_mutate), then writes
docs/MUTATION.md: killed / total per module, the overall score (mutants with no covering test count
as survivors), and every surviving mutant with its diff — except those judged equivalent in
tests/mutation_equivalent.txt (one `mutant-name  reason` per line), which are listed apart with the reason.
mutmut keeps its state in mutants/ (git-ignored), so an interrupted run resumes where it stopped.

    python tools/mutation.py                      # every module (hours on 2 cores)
    python tools/mutation.py 'analysis.stats.waves.*' 'analysis.disclosure.*'   # only these mutants
    python tools/mutation.py --no-run 'analysis.claims.*'   # rewrite the report from the results so far
    python tools/mutation.py --sample 0.1         # a seeded 10% random sample: an estimate with a 95% interval

Mutants not run yet ("not checked") are counted apart and left out of the score.

`--sample SHARE` draws about that share of the mutants of every module (seeded, at least MIN_PER_MODULE
expected per module), runs those not killed yet (new ones, and survivors a newer test may kill) and
estimates the score of the whole scope with the stratified estimator and its 95% interval (finite-population
corrected), per module with Wilson intervals. Which mutants are drawn depends only on the seed and the
mutant's name, not on what ran before, so results of earlier runs are used without bias. With every mutant
run, the interval has width 0. Tests written to kill the survivors of one sample make that sample
optimistic: measure the result with a new seed.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "MUTATION.md"
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.txt"
GOAL = 0.85
MIN_PER_MODULE = 20
Z95 = 1.959963984540054
KILLED = {"killed", "timeout"}
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+)$")


def mutmut(*args: str) -> str:
    """Run the mutmut of this interpreter's environment and return its output."""
    res = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=ROOT, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"mutmut {' '.join(args)} failed: {res.stderr.strip()[-2000:]}")
    return res.stdout


def module_of(mutant: str) -> str:
    """analysis.stats.custody.x_f__mutmut_3 -> analysis.stats.custody."""
    return mutant.rsplit(".", 1)[0]


def draw_sample(names: list[str], share: float, seed: int) -> set[str]:
    """A seeded stratified random sample of about ``share`` of the mutant names (>= MIN_PER_MODULE per module).

    Each mutant is in the sample when a hash of (seed, its name) falls below its module's sampling rate: the
    draw of one mutant does not depend on any other, so editing one module (its mutants are regenerated) leaves
    the sample of every other module as it was. Given a module's sample size, its sample is a simple random one.
    """
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_module[module_of(name)].append(name)
    chosen: set[str] = set()
    for module, members in by_module.items():
        module_rate = min(1.0, max(share, MIN_PER_MODULE / len(members)))
        chosen.update(n for n in members if _uniform(seed, n) < module_rate)
    return chosen


def _uniform(seed: int, name: str) -> float:
    """A number in [0, 1) fixed by the seed and the mutant's name."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def wilson(killed: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (sensible at 0 or n)."""
    if n == 0:
        return (0.0, 1.0)
    p, z2 = killed / n, Z95 ** 2
    centre, half = (p + z2 / (2 * n)) / (1 + z2 / n), Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def stratified(strata: dict[str, tuple[int, int, int]]) -> tuple[float, float, float]:
    """Score of the population from per-module (population size, sample size, killed in sample): estimate, 95% CI.

    Stratified estimator sum(W_h p_h), variance sum(W_h^2 (1 - n_h/N_h) q_h (1 - q_h) / n_h) with the
    Agresti-Caffo q_h = (k_h + 2) / (n_h + 4); a fully run module adds no variance.
    """
    total = sum(N for N, n, _ in strata.values() if n)
    est = var = 0.0
    for N, n, k in strata.values():
        if not n:
            continue
        w, p = N / total, k / n
        est += w * p
        if n < N:
            q = (k + 2) / (n + 4)  # Agresti-Caffo: a sample with every mutant killed still has variance
            var += w * w * (1 - n / N) * q * (1 - q) / n
    half = Z95 * math.sqrt(var)
    return est, max(0.0, est - half), min(1.0, est + half)


def results(patterns: list[str]) -> dict[str, str]:
    """Status of every generated mutant matching ``patterns`` (all when empty); "not checked" = not run yet."""
    statuses = {}
    for line in mutmut("results", "--all", "true").splitlines():
        m = LINE.match(line)
        if m and (not patterns or any(fnmatch.fnmatch(m["name"], p) for p in patterns)):
            statuses[m["name"]] = m["status"].strip()
    return statuses


def run_mutants(names: list[str], max_children: int | None) -> None:
    """`mutmut run` over ``names`` (patterns or mutant names); resumable, output to the terminal's progress only."""
    extra = ["--max-children", str(max_children)] if max_children else []
    subprocess.run([sys.executable, "-m", "mutmut", "run", *extra, *names], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL)


# mutmut has no "generate only" command; these are the first steps of its `run` (mutmut is pinned to 3.8.1).
GENERATE = """
import os
from mutmut import __main__ as mm
mm.set_mutant_under_test("mutant_generation")
os.makedirs("mutants", exist_ok=True)
mm.copy_src_dir(); mm.copy_also_copy_files(); mm.setup_source_paths(); mm.store_lines_covered_by_tests()
mm.create_mutants(os.cpu_count() or 2)
"""


def generate_mutants() -> None:
    """Write every mutant into mutants/ without running any, so that a sample can be drawn from all of them."""
    subprocess.run([sys.executable, "-c", GENERATE], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def read_equivalent() -> dict[str, str]:
    equivalent = {}
    if EQUIVALENT.exists():
        for raw in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                name, _, reason = raw.strip().partition(" ")
                equivalent[name] = reason.strip()
    return equivalent


def pct(x: float) -> str:
    return f"{x:.1%}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("patterns", nargs="*", help="mutant-name patterns (fnmatch), e.g. 'analysis.disclosure.*'")
    ap.add_argument("--no-run", action="store_true", help="only write docs/MUTATION.md from the results so far")
    ap.add_argument("--max-children", type=int, default=None, help="parallel mutant runs (default: mutmut's)")
    ap.add_argument("--sample", type=float, default=None, metavar="SHARE",
                    help="estimate the score from a seeded random sample of this share of each module's mutants")
    ap.add_argument("--seed", type=int, default=20261202, help="seed of the sample (default: %(default)s)")
    args = ap.parse_args(argv)
    if args.sample is not None and not 0 < args.sample <= 1:
        ap.error("--sample must be a share in (0, 1], e.g. 0.1")
    sample = None
    if args.sample is not None:
        if not results(args.patterns):
            generate_mutants()
        everything = results(args.patterns)
        sample = draw_sample(list(everything), args.sample, args.seed)
        # a survivor may be killed by a test written since; a killed mutant stays killed (mutmut regenerates the
        # mutants of a source file that changed, and their results with them)
        todo = sorted(n for n in sample if everything[n] not in KILLED)
        if todo and not args.no_run:
            run_mutants(todo, args.max_children)
    elif not args.no_run:
        run_mutants(args.patterns, args.max_children)
    statuses = results(args.patterns)
    if not statuses:
        sys.exit("mutmut produced no results; see mutants/ and run `mutmut run` by hand")
    equivalent = read_equivalent()
    per_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for name, status in sorted(statuses.items()):
        c = per_module[module_of(name)]
        if name in equivalent:
            c["equivalent"] += 1
            continue
        c["population"] += 1
        if sample is not None and name not in sample:
            continue
        if status == "not checked":
            c["not run"] += 1
            continue
        c["total"] += 1
        if status in KILLED:
            c["killed"] += 1
        else:
            survivors.append((name, status))
    total = sum(c["total"] for c in per_module.values())
    killed = sum(c["killed"] for c in per_module.values())
    if not total:
        sys.exit("no mutant in scope has a result yet: run without --no-run (see `make mutation`)")
    if sample is not None:
        score, low, high = stratified({m: (c["population"], c["total"], c["killed"]) for m, c in per_module.items()})
        headline = (f"**Estimated score: {pct(score)}** (95% interval {pct(low)} to {pct(high)}; goal {GOAL:.0%}), "
                    f"from a seeded stratified random sample of {total} of "
                    f"{sum(c['population'] for c in per_module.values())} mutants (seed {args.seed}; "
                    f"{killed} of the {total} sampled killed). ")
        passed = low >= GOAL
    else:
        score = killed / total if total else 0.0
        headline = f"**Score: {killed} of {total} killed = {pct(score)}** (goal {GOAL:.0%}). "
        passed = score >= GOAL
    lines = [
        "# Mutation score",
        "",
        "Written by `make mutation` (mutmut over the modules in `setup.cfg`, `tools/mutation.py`). A mutant is killed",
        "when a test fails on it; a mutant that no test covers counts as a survivor. Equivalent mutants (they cannot",
        "change any output) are listed apart with the reason and left out of the score.",
        "",
        headline + f"{sum(c['equivalent'] for c in per_module.values())} more judged equivalent.",
        "",
        *([f"Only these mutants were counted: {', '.join(f'`{p}`' for p in args.patterns)}.", ""]
          if args.patterns else []),
        *(["Per module: the share killed among its sampled mutants with a 95% Wilson interval; the overall",
           "estimate weights each module by its number of mutants (stratified estimator, finite-population",
           "corrected). Rerun with `python tools/mutation.py --sample SHARE --seed S`; the same seed draws the same",
           "mutants.", ""] if sample is not None else []),
        "| module | mutants | run | killed | score | 95% interval | equivalent | not run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mod, c in sorted(per_module.items()):
        share, (lo, hi) = (c["killed"] / c["total"], wilson(c["killed"], c["total"])) if c["total"] else (None, (0, 1))
        interval = "exact" if c["total"] == c["population"] else f"{lo:.0%}–{hi:.0%}"
        lines.append(f"| `{mod}` | {c['population']} | {c['total']} | {c['killed']} | "
                     f"{'–' if share is None else f'{share:.0%}'} | {interval if c['total'] else '–'} | "
                     f"{c['equivalent']} | {c['not run']} |")
    lines += ["", f"## Surviving mutants ({len(survivors)})", ""]
    for name, status in survivors:
        diff = mutmut("show", name).strip()
        lines += [f"### `{name}` ({status})", "", "```diff", diff, "```", ""]
    if equivalent:
        lines += ["## Judged equivalent", ""]
        lines += [f"- `{n}`: {r}" for n, r in sorted(equivalent.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"killed": killed, "run": total, "score": round(score, 4), "sampled": sample is not None,
                      "report": str(OUT.relative_to(ROOT))}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
