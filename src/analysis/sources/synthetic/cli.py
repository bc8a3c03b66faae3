"""CLI `python -m analysis synth`: write a synthetic export and its truth."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import SYNTHETIC_STAMP
from analysis.errors import UsageError
from analysis.sources.synthetic.calibration import default_params
from analysis.sources.synthetic.generate import generate
from analysis.sources.synthetic.layout import write_export
from analysis.sources.synthetic.params import FORMATS, LAYOUTS

# ------------------------------------------------------------------------------------------ CLI
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis synth", add_help=False,
        description="Write a synthetic person-level export shaped like Viasna's list export, plus "
                    "PATH.truth.json with the true parameters and realised truths.")
    ap.add_argument("--n", type=int, default=None, help="rows (default: calibrated size)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    ap.add_argument("--layout", choices=LAYOUTS, default="machine", help="header layout (default machine)")
    ap.add_argument("--format", choices=FORMATS, default=None, help="csv or xlsx (default: from --out suffix)")
    ap.add_argument("-h", "--help", action="store_true", help="show this help")
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = _parser()
    if "-h" in argv or "--help" in argv:
        print(SYNTHETIC_STAMP)
        ap.print_help()
        return 0
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the problem
        raise UsageError("invalid arguments to synth (see --help)") from exc
    if args.n is not None and args.n < 1:
        raise UsageError("--n must be a positive number of rows")
    fmt = args.format or ("xlsx" if Path(args.out).suffix.lower() == ".xlsx" else "csv")
    params = default_params()
    df, truth = generate(params, n=args.n, seed=args.seed)
    out, truth_path = write_export(df, truth, args.out, layout=args.layout, fmt=fmt)
    print(f"{SYNTHETIC_STAMP}: wrote {len(df)} rows ({args.layout}, {fmt}) to {out} and truth to {truth_path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())