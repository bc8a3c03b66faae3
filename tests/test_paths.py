"""analysis.paths: a notebook run by hand (a kernel the runner did not start) never writes the committed reports/."""

import os
import subprocess
import sys

from analysis import paths

PROBE = "import sys\n{pre}\nfrom analysis import paths\nprint(paths.REPORTS)"


def _reports(pre: str = "", **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "ANALYSIS_REPORTS"} | env
    proc = subprocess.run([sys.executable, "-c", PROBE.format(pre=pre)], env=environ, capture_output=True, text=True,
                          check=True)
    return proc.stdout.strip()


def test_a_kernel_without_the_runner_writes_to_scratch():
    assert _reports("import ipykernel") == str(paths.ROOT / ".scratch" / "reports")


def test_the_runner_and_scripts_use_reports_and_the_variable_wins(tmp_path):
    assert _reports() == str(paths.ROOT / "reports")
    assert _reports("import ipykernel", ANALYSIS_REPORTS=str(tmp_path)) == str(tmp_path)


def test_scratch_is_git_ignored():
    ignored = subprocess.run(["git", "check-ignore", "-q", str(paths.SCRATCH / "reports" / "x.png")], cwd=paths.ROOT)
    assert ignored.returncode == 0
