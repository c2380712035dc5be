"""The project's promises about its own files: dependencies, clean notebooks, README commands."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from .conftest import ROOT


def _name_and_bound(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(>=\s*[\w.]+)?", spec)
    return m.group(1).lower().replace("_", "-"), (m.group(2) or "").replace(" ", "")


def test_pyproject_and_environment_name_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = dict(_name_and_bound(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # a package conda-forge may lack is installed by pip inside the environment, before the project
    conda += [d for d in pip_section if d != "-e ."]
    conda_side = dict(_name_and_bound(s) for s in conda if _name_and_bound(s)[0] not in ("python", "pip"))
    assert pip_side == conda_side
    assert "conda-forge" in env["channels"]
    assert pip_section[-1] == "-e ."
    for required in ("jupyterlab", "pandas", "opencc", "jieba", "plotly", "papermill", "pytest"):
        assert required in pip_side


def test_notebooks_are_stored_without_outputs_and_with_parameters():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), path.name
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_readme_quickstart_and_ci_agree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in ci


def test_seeds_are_the_five_documents():
    assert len(list((ROOT / "seeds").glob("*.txt"))) == 5


def test_code_is_ruff_clean():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "notebooks", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_pyproject_lists_every_package():
    """pyproject.toml lists the packages (to map notebooks/ to urbanpolicy.notebooks): none may be missing."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | {"urbanpolicy.notebooks"}
    assert setuptools["package-dir"]["urbanpolicy.notebooks"] == "notebooks"
