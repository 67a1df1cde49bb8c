"""The package's shape: no import cycles, and no module reaching into another's private names.

The import graph is built statically with `ast` from every module of `generator`, counting the
imports at module level and inside functions alike (a lazy import still ties the two modules
together; it only hides the cycle until run time). Imports under `if TYPE_CHECKING:` are left
out: they never run and exist only for annotations. The rule registry loads its modules by name
(`importlib`, from the `_MODULES` table): those count as imports of `generator.rules` too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "generator"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = ROOT / PACKAGE) -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(root.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: module level and in functions, not TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an `ImportFrom` names (`from . import x` in generator.render → …)."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """`generator.render.pages.foo` → `generator.render.pages`: the longest module prefix."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _private(name: str) -> bool:
    """`_x` is private; `__version__` and other dunders are not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _registry_modules(tree: ast.Module, package: str) -> set[str]:
    """The modules a registry loads by name: the strings of its `_MODULES = (...)` table."""
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == "_MODULES" and value is not None:
            return {
                f"{package}.{e.value}"
                for e in ast.walk(value)
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
    return set()


def import_graph(
    modules: dict[str, Path],
) -> tuple[dict[str, set[str]], list[tuple[str, int, str, str]]]:
    """The graph (module → modules it imports) and every private name imported across modules.

    An import of `a.b.c` also runs `a` and `a.b`, but a package's `__init__` importing its own
    children is the ordinary shape of a package, so only the named module itself is an edge.
    A private module (`readers/_text.py`) is its package's own: its siblings may import it, no
    module outside the package may.
    """
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private: list[tuple[str, int, str, str]] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        if is_package:
            graph[module].update(m for m in _registry_modules(tree, module) if m in modules)
        home = module if is_package else module.rpartition(".")[0]

        def outside(target: str, home: str = home) -> bool:
            """`target` is a private module of a package `module` is not part of."""
            package, _, name = target.rpartition(".")
            return _private(name) and not (home + ".").startswith(package + ".")

        for node in _imports(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _resolve(alias.name, modules)
                    if target is not None and target != module:
                        graph[module].add(target)
                        if outside(target):
                            private.append((module, node.lineno, *target.rsplit(".", 1)))
                continue
            source = _absolute(module, is_package, node)
            if not (source == PACKAGE or source.startswith(PACKAGE + ".")):
                continue
            for alias in node.names:
                child = f"{source}.{alias.name}"
                target = child if child in modules else _resolve(source, modules)
                if target is not None and target != module:
                    graph[module].add(target)
                    if outside(target):
                        private.append((module, node.lineno, *target.rsplit(".", 1)))
                        continue
                if child not in modules and _private(alias.name) and target != module:
                    private.append((module, node.lineno, source, alias.name))
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _path_in(component: list[str], graph: dict[str, set[str]]) -> str:
    """The shortest cycle through the component's first module, `a → b → a`, for the message."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    trail = [node]
                    while trail[-1] != start:
                        trail.append(previous[trail[-1]])
                    return " → ".join([*reversed(trail), start])
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return " ↔ ".join(component)


@pytest.fixture(scope="module")
def graph_and_private() -> tuple[dict[str, set[str]], list[tuple[str, int, str, str]]]:
    return import_graph(_modules())


def test_no_import_cycles(
    graph_and_private: tuple[dict[str, set[str]], list[tuple[str, int, str, str]]],
) -> None:
    graph, _ = graph_and_private
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_path_in(c, graph) for c in found)


def test_no_private_imports_across_modules(
    graph_and_private: tuple[dict[str, set[str]], list[tuple[str, int, str, str]]],
) -> None:
    _, private = graph_and_private
    shown = [f"{m}:{line} imports {name} from {src}" for m, line, src, name in private]
    assert not shown, "private names imported across modules:\n" + "\n".join(shown)


def test_the_checks_see_what_they_must(tmp_path: Path) -> None:
    """The graph builder finds a lazy cycle and a private import, and skips TYPE_CHECKING."""
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text('_MODULES: tuple[str, ...] = ("h",)\n')
    (pkg / "a.py").write_text("from generator.b import thing\n")
    (pkg / "b.py").write_text(
        "def f():\n    from generator.sub import c\n    return c\nthing = 1\n"
    )
    (pkg / "sub" / "c.py").write_text("from ..a import _hidden\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator.e import E\n"
    )
    (pkg / "e.py").write_text("import generator.d\nfrom generator.sub._f import g\n")
    (pkg / "sub" / "_f.py").write_text("g = 1\n")
    (pkg / "sub" / "h.py").write_text("from generator.sub import _f\nfrom . import _f as f\n")
    modules = {
        ".".join(p.relative_to(tmp_path).with_suffix("").parts).removesuffix(".__init__"): p
        for p in sorted(pkg.rglob("*.py"))
    }
    graph, private = import_graph(modules)
    assert cycles(graph) == [["generator.a", "generator.b", "generator.sub.c"]]
    assert sorted(private) == [
        ("generator.e", 2, "generator.sub", "_f"),
        ("generator.sub.c", 1, "generator.a", "_hidden"),
    ]
    assert graph["generator.d"] == set()
    assert graph["generator.e"] == {"generator.d", "generator.sub._f"}
    assert graph["generator.sub.h"] == {"generator.sub._f"}
    assert graph["generator.sub"] == {"generator.sub.h"}  # loaded by name from `_MODULES`


def test_a_broken_rule_table_is_a_clear_error() -> None:
    """The registry says which modules clash, instead of an `assert` that `-O` would skip."""
    from generator import rules

    with pytest.raises(rules.RegistryError, match=r"stale-claim.*stale_claim.*unique"):
        rules._load(("stale_claim", "stale_claim"))
    with pytest.raises(rules.RegistryError, match=r"generator\.rules\.base defines no `RULE"):
        rules._load(("base",))
    assert [r.name for r in rules._load(("stale_claim", "scope_overlap"))] == [
        "stale-claim",
        "scope-overlap",
    ]
