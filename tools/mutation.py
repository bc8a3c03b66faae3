"""`make mutation`: mutation score of the statistics, claims and disclosure-control code, with mutmut.

Runs `mutmut run` over the modules listed in setup.cfg ([mutmut] only_mutate), then writes
docs/MUTATION.md: killed / total per module, the overall score (mutants with no covering test count
as survivors), and every surviving mutant with its diff — except those judged equivalent in
tests/mutation_equivalent.txt (one `mutant-name  reason` per line), which are listed apart with the reason.
mutmut keeps its state in mutants/ (git-ignored), so an interrupted run resumes where it stopped.

    python tools/mutation.py                      # every module (hours on 2 cores)
    python tools/mutation.py 'analysis.stats.waves.*' 'analysis.disclosure.*'   # only these mutants
    python tools/mutation.py --no-run 'analysis.claims.*'   # rewrite the report from the results so far

Mutants not run yet ("not checked") are counted apart and left out of the score.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "MUTATION.md"
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.txt"
GOAL = 0.85
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("patterns", nargs="*", help="mutant-name patterns (fnmatch), e.g. 'analysis.disclosure.*'")
    ap.add_argument("--no-run", action="store_true", help="only write docs/MUTATION.md from the results so far")
    ap.add_argument("--max-children", type=int, default=None, help="parallel mutant runs (default: mutmut's)")
    args = ap.parse_args(argv)
    if not args.no_run:
        extra = ["--max-children", str(args.max_children)] if args.max_children else []
        subprocess.run([sys.executable, "-m", "mutmut", "run", *extra, *args.patterns], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL)
    statuses = {}
    for line in mutmut("results", "--all", "true").splitlines():
        m = LINE.match(line)
        if m and (not args.patterns or any(fnmatch.fnmatch(m["name"], p) for p in args.patterns)):
            statuses[m["name"]] = m["status"].strip()
    if not statuses:
        sys.exit("mutmut produced no results; see mutants/ and run `mutmut run` by hand")
    equivalent = {}
    if EQUIVALENT.exists():
        for raw in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                name, _, reason = raw.strip().partition(" ")
                equivalent[name] = reason.strip()
    per_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for name, status in sorted(statuses.items()):
        if name in equivalent:
            per_module[module_of(name)]["equivalent"] += 1
            continue
        if status == "not checked":
            per_module[module_of(name)]["not run"] += 1
            continue
        per_module[module_of(name)]["total"] += 1
        if status in KILLED:
            per_module[module_of(name)]["killed"] += 1
        else:
            survivors.append((name, status))
    total = sum(c["total"] for c in per_module.values())
    killed = sum(c["killed"] for c in per_module.values())
    score = killed / total if total else 0.0
    lines = [
        "# Mutation score",
        "",
        "Written by `make mutation` (mutmut over the modules in `setup.cfg`). A mutant is killed when a test",
        "fails on it; a mutant that no test covers counts as a survivor. Equivalent mutants (they cannot change",
        "any output) are listed apart with the reason and left out of the score.",
        "",
        f"**Score: {killed} of {total} killed = {score:.1%}** (goal {GOAL:.0%}); "
        f"{sum(c['equivalent'] for c in per_module.values())} more judged equivalent.",
        "",
        *([f"Only these mutants were counted: {', '.join(f'`{p}`' for p in args.patterns)}; the other modules "
           "of setup.cfg's only_mutate were not run for this report.", ""] if args.patterns else []),
        "| module | killed | total | score | equivalent | not run |",
        "|---|---|---|---|---|---|",
    ]
    for mod, c in sorted(per_module.items()):
        share = f"{c['killed'] / c['total']:.0%}" if c["total"] else "–"
        lines.append(f"| `{mod}` | {c['killed']} | {c['total']} | {share} | {c['equivalent']} | {c['not run']} |")
    lines += ["", f"## Surviving mutants ({len(survivors)})", ""]
    for name, status in survivors:
        diff = mutmut("show", name).strip()
        lines += [f"### `{name}` ({status})", "", "```diff", diff, "```", ""]
    if equivalent:
        lines += ["## Judged equivalent", ""]
        lines += [f"- `{n}`: {r}" for n, r in sorted(equivalent.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"killed": killed, "total": total, "score": round(score, 4), "report": str(OUT.relative_to(ROOT))}))
    return 0 if score >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
