"""Every public function, and every public method of a public class, in src/kg has type hints on its parameters
and its return, and a docstring (issue 12). Each module is read with `ast`; the check runs once per layer
(ARCHITECTURE.md), so that a failure names the layer and lists each function with what it lacks.

Public: a name that does not start with `_`; dunder methods (`__init__`, `__str__` …) are left out, as are
`@overload` stubs (the implementation carries the docstring) and property setters and deleters (the getter
carries it). `self` and `cls`, the first parameter of a method that is not a staticmethod, need no annotation.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kg"

# The layers of ARCHITECTURE.md (as tests/test_layers.py reads them): a package under src/kg is its own layer,
# the command line is cli.py, console.py, __main__.py and commands/, and every other top-level module is base.
LAYERS = ["base", "sparql", "store", "query", "build", "link", "ingest", "server", "cli"]
CLI = {"cli", "console", "__main__", "commands"}

Function = ast.FunctionDef | ast.AsyncFunctionDef


def layer_of(path: Path) -> str:
    """The layer of a module file under src/kg."""
    first = path.relative_to(SRC).parts[0].removesuffix(".py")
    if first in CLI:
        return "cli"
    return first if (SRC / first).is_dir() else "base"


def _files(layer: str) -> list[Path]:
    return [path for path in sorted(SRC.rglob("*.py")) if layer_of(path) == layer]


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module or class body, looking into if/try/with blocks (a definition made there is
    still made at that level)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _statements(node.body)
            yield from _statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _statements(block)
        elif isinstance(node, ast.With):
            yield from _statements(node.body)
        else:
            yield node


def _decorators(fn: Function) -> set[str]:
    """The decorators' names: `overload`, `staticmethod`, `x.setter` -> `setter` …"""
    names = set()
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _public(fn: Function, method: bool) -> bool:
    name = fn.name
    if name.startswith("_"):                 # private, or a dunder
        return False
    decorators = _decorators(fn)
    return "overload" not in decorators and not (method and decorators & {"setter", "deleter"})


def _lacks(fn: Function, method: bool) -> list[str]:
    """What the function lacks: 'docstring', 'return annotation', 'annotation of x' …"""
    missing = []
    if not ast.get_docstring(fn):
        missing.append("docstring")
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    if method and "staticmethod" not in _decorators(fn) and positional:
        positional = positional[1:]          # self or cls
    every = [*positional, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a is not None)]
    missing += [f"annotation of {a.arg}" for a in every if a.annotation is None]
    if fn.returns is None:
        missing.append("return annotation")
    return missing


def gaps(path: Path, root: Path = SRC.parent) -> list[str]:
    """'file:line name: what it lacks' for each public function or method of a public class in the file (the
    file named relative to root)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(root)
    found = []

    def check(fn: Function, owner: str | None) -> None:
        if _public(fn, method=owner is not None):
            missing = _lacks(fn, method=owner is not None)
            if missing:
                name = f"{owner}.{fn.name}" if owner else fn.name
                found.append(f"{rel}:{fn.lineno} {name}: no {', no '.join(missing)}")

    def visit_class(cls: ast.ClassDef, prefix: str) -> None:
        for item in _statements(cls.body):
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                check(item, prefix + cls.name)
            elif isinstance(item, ast.ClassDef) and not item.name.startswith("_"):
                visit_class(item, prefix + cls.name + ".")

    for node in _statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check(node, None)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            visit_class(node, "")
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_public_functions_have_hints_and_docstrings(layer: str) -> None:
    """Each public function and method of the layer has annotated parameters and return, and a docstring."""
    found = [gap for path in _files(layer) for gap in gaps(path)]
    assert not found, f"{len(found)} public functions without hints or docstring:\n" + "\n".join(found)


def test_every_module_is_in_a_layer() -> None:
    """No module escapes the check by lying in a layer that is not checked."""
    stray = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if layer_of(p) not in LAYERS)
    assert not stray, f"modules in no layer of tests/test_docstrings.py: {stray}"


def test_the_check_sees_a_gap(tmp_path: Path) -> None:
    """The checker itself: it reports a missing docstring, parameter hint and return hint, and ignores the
    private, the dunder, `self` and overload stubs."""
    source = '''
from typing import overload

def bare(x, *args, y: int, **kw):
    pass

def fine(x: int) -> int:
    """Fine."""
    return x

def _private(x):
    pass

class Public:
    def __init__(self, x):
        pass

    def method(self, x: int):
        """No return hint."""

    @staticmethod
    def static(x) -> None:
        """x is no self."""

    @overload
    def over(self, x: int) -> int: ...

class _Private:
    def method(self, x):
        pass
'''
    path = tmp_path / "kg" / "probe.py"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    found = [g.split(" ", 1)[1] for g in gaps(path, root=tmp_path)]
    assert found == ["bare: no docstring, no annotation of x, no annotation of args, no annotation of kw, "
                     "no return annotation",
                     "Public.method: no return annotation",
                     "Public.static: no annotation of x"], found

