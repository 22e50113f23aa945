"""The layers of src/kg import only downwards (ARCHITECTURE.md): every import statement of every module is read
with `ast`, wherever it stands (top of the module or inside a function)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kg"

# The rank of each layer; a module may import a layer of lower or equal rank, and within rank 4 only what
# ALLOWED_SIDEWAYS lists. Base modules (rank 0) are kg's top-level modules other than the CLI's.
RANK = {"base": 0, "sparql": 1, "store": 2, "query": 3, "build": 4, "link": 4, "ingest": 4, "server": 5, "cli": 6}
ALLOWED_SIDEWAYS = {("link", "build"), ("ingest", "build")}
CLI = {"cli", "console", "__main__", "commands"}   # kg.commands: the subcommands, part of the CLI
# Libraries a layer must not use, whatever it imports from kg.
FORBIDDEN_LIBRARIES = {"store": {"pyshacl", "flask", "werkzeug", "owlready2"},
                       "query": {"pyshacl", "flask", "owlready2"},
                       "build": {"flask", "werkzeug"}, "link": {"flask"}}


def layer_of(module: str) -> str:
    """The layer of a dotted module name under kg (kg.store.remote -> store, kg.vocab -> base)."""
    parts = module.split(".")
    assert parts[0] == "kg", module
    if len(parts) == 1:
        return "base"
    if parts[1] in RANK:
        return parts[1]
    return "cli" if parts[1] in CLI else "base"


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(rel.parts)
        out.append((name.removesuffix(".__init__"), path))
    return out


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file; `from kg import x` counts as kg.x."""
    found = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base == "kg":
                found += [(f"kg.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((base, node.lineno))
    return found


MODULES = _modules()


def test_every_module_is_in_a_known_layer():
    assert len(MODULES) > 40
    assert {layer_of(name) for name, _ in MODULES} == set(RANK)


@pytest.mark.parametrize("module, path", MODULES, ids=[m for m, _ in MODULES])
def test_no_import_runs_up_a_layer(module, path):
    mine = layer_of(module)
    upward = []
    for imported, line in _imports(path, module):
        top = imported.split(".")[0]
        if top in FORBIDDEN_LIBRARIES.get(mine, ()):
            upward.append(f"line {line}: {imported} (a library the {mine} layer must not use)")
        if top != "kg" or imported == "kg":
            continue
        theirs = layer_of(imported)
        if theirs == mine or RANK[theirs] < RANK[mine]:
            continue
        if RANK[theirs] == RANK[mine] and (mine, theirs) in ALLOWED_SIDEWAYS:
            continue
        upward.append(f"line {line}: {imported} ({theirs} layer, above or beside {mine})")
    assert upward == []


def test_the_walk_sees_an_upward_import(tmp_path):
    """The test can fail: a store module importing the gate is caught."""
    bad = tmp_path / "embedded.py"
    bad.write_text("from kg.build.gate import ShapeGate\nimport flask\n", encoding="utf-8")
    imported = _imports(bad, "kg.store.embedded")
    assert ("kg.build.gate", 1) in imported and ("flask", 2) in imported
    assert layer_of("kg.build.gate") == "build" and RANK["build"] > RANK["store"]


def test_loading_the_stores_loads_neither_pyshacl_nor_flask():
    """Transitively too: a fresh interpreter that imports both stores has no SHACL engine and no web framework."""
    import subprocess
    import sys
    script = ("import sys, kg.store.embedded, kg.store.remote, kg.store.virtuoso; "
              "print(sorted(m for m in ('pyshacl', 'flask', 'werkzeug', 'owlready2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
