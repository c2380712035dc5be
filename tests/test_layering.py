"""Imports inside the package run one way: report → analysis → corpus → extract → ingest → rules (and settings, schema).

Read from the source with ``ast`` (no import needed): every ``import urbanpolicy.x`` /
``from urbanpolicy.x import …`` / relative import in a module must name a module of the same
or a lower layer.  The package's ``__init__`` re-exports lazily and is exempt.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "urbanpolicy"

# layer of each top-level part of the package; higher may import lower, never the reverse
LAYERS = {"rules": 0, "settings": 0, "schema": 0, "ingest": 1, "extract": 2, "corpus": 3, "cache": 3,
          "analysis": 4, "report": 5}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every urbanpolicy module ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "urbanpolicy"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "urbanpolicy":
                continue
            if module == "urbanpolicy" or module.count(".") == 1 and module.split(".")[1] in LAYERS \
                    and (PACKAGE / module.split(".")[1]).is_dir():
                # "from urbanpolicy import x" / "from urbanpolicy.report import plots": x is the module
                found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_part_of_the_package_has_a_layer():
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _sources()}
    assert tops <= set(LAYERS), f"give these a layer in LAYERS: {sorted(tops - set(LAYERS))}"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path: Path):
    own = _layer(_module_name(path))
    upward = [f"line {line}: {module}" for line, module in _imports(path)
              if (layer := _layer(module)) is not None and layer > own]
    assert not upward, f"{_module_name(path)} (layer {own}) imports a higher layer: {upward}"


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule itself: an extract module importing analysis is caught, a downward one is not."""
    fake = tmp_path / "urbanpolicy"
    (fake / "extract").mkdir(parents=True)
    (fake / "analysis").mkdir()
    bad = fake / "extract" / "x.py"
    bad.write_text("from ..analysis.timeline import horizons\nfrom urbanpolicy.ingest import reading\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    (fake / "ingest").mkdir()
    assert _imports(bad) == [(1, "urbanpolicy.analysis.timeline"), (2, "urbanpolicy.ingest.reading")]
    assert [_layer(m) for _, m in _imports(bad)] == [4, 1]


def test_import_urbanpolicy_loads_no_stage_and_no_heavy_library():
    import subprocess

    code = ("import sys, urbanpolicy as up; print(sorted(m for m in sys.modules if m.startswith("
            "('urbanpolicy.', 'plotly', 'scipy', 'sklearn', 'pandas'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_names_resolve_lazily():
    import urbanpolicy as up

    assert sorted(up.__all__) == sorted([*up._EXPORTS, "__version__"])
    for name in up._EXPORTS:
        assert callable(getattr(up, name)), name
    with pytest.raises(AttributeError):
        up.no_such_name  # noqa: B018
