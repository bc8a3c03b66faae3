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


# ------------------------------------------------------------------------------ requirements.lock (hashes)

LOCK = paths.ROOT / "requirements.lock"


def _lock() -> dict[str, tuple[str, int]]:
    """package -> (version, number of hashes) for every entry that applies to Linux / Python 3.11."""
    entries, current = {}, None
    for line in LOCK.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)\s*(;[^\\]*)?", line)
        if match:
            marker = (match.group(3) or "").lstrip("; ").strip()
            applies = not marker or _marker_applies(marker)
            current = match.group(1).lower().replace("_", "-") if applies else None
            if current:
                entries[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, count = entries[current]
            entries[current] = (version, count + 1)
    return entries


def _marker_applies(marker: str) -> bool:
    from packaging.markers import Marker

    return Marker(marker).evaluate({"python_version": "3.11", "python_full_version": "3.11.9", "sys_platform": "linux",
                                    "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64",
                                    "implementation_name": "cpython", "platform_python_implementation": "CPython"})


def test_lock_pins_every_direct_dependency_at_the_same_version():
    locked = _lock()
    for name, version in _pyproject().items():
        key = name.replace("_", "-")
        assert key in locked, f"{name} missing from requirements.lock: run `make lock`"
        assert locked[key][0] == version, f"{name}: pyproject {version}, lock {locked[key][0]}: run `make lock`"


def test_every_locked_package_has_hashes():
    locked = _lock()
    assert len(locked) > 50  # the whole tree, not only the direct pins
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []
    assert "setuptools" in locked  # the build backend, so `pip install --no-build-isolation -e .` needs no download


def test_make_installs_from_the_lock_with_hashes():
    makefile = (paths.ROOT / "Makefile").read_text()
    assert "--require-hashes -r $(LOCK)" in makefile and "--no-deps --no-build-isolation -e ." in makefile
    backend = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    minimum = re.fullmatch(r"setuptools>=([0-9.]+)", backend[0]).group(1)
    assert tuple(map(int, _lock()["setuptools"][0].split("."))) >= tuple(map(int, minimum.split(".")))
