"""Command line: `python -m analysis {run,clean,synth,checksum,fetch,diff} ...`; each subcommand lives in its own module."""

from __future__ import annotations

import importlib
import sys

from analysis.errors import DataError, UsageError

# subcommand -> (module with main(argv) -> int, one-line help)
COMMANDS = {
    "run": ("analysis.run", "execute report notebooks through papermill into reports/"),
    "clean": ("analysis.clean.cli", "clean a person-level export into pseudonymous tables in data/processed/"),
    "synth": ("analysis.sources.synthetic", "write a synthetic person-level export (SYNTHETIC DATA, not real people)"),
    "checksum": ("analysis.provenance", "verify raw files against their provenance sidecars, or --update the sha256"),
    "fetch": ("analysis.sources.fetch", "download Viasna's public export into a dated snapshot outside the repository"),
    "diff": ("analysis.snapshots", "what changed between two cleaned snapshots, one class per person"),
}

INTERRUPTED = 130  # the shell's code for Ctrl-C
USAGE = "usage: python -m analysis COMMAND [options]   (COMMAND --help for details)\n\ncommands:\n" + "\n".join(
    f"  {name:<9} {help_}" for name, (_, help_) in COMMANDS.items()
)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a subcommand and turn expected errors into one-line messages with exit code 2."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"error: unknown command '{name}'\n{USAGE}", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(COMMANDS[name][0])
        return int(module.main(rest) or 0)
    except (DataError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # whole: the advice is often at the end
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
