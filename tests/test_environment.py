"""environment.yml (conda route) and pyproject.toml (pip route) must pin the same packages."""

import re
import tomllib

import yaml

from analysis import paths


def _pyproject() -> dict[str, str]:
    deps = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return dict(d.lower().split("==") for d in deps)


def _conda() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins = [d for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",) and not d.startswith("python=")]
    return dict(re.split(r"=+", d.lower(), maxsplit=1) for d in pins)


def test_same_packages_and_versions():
    assert _pyproject() == _conda()


def test_python_311_everywhere():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    assert "3.11" in tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["requires-python"]


def test_every_pin_is_exact():
    assert all(re.fullmatch(r"[a-z0-9_.-]+==[0-9][0-9a-z.]*", d) for d in
               (f"{k}=={v}" for k, v in _pyproject().items()))
