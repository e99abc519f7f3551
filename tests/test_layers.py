"""The package's folders are its architecture: imports only go down the layers, and nothing imports
in a cycle. Every import counts, a function's too; only `if TYPE_CHECKING:` imports (never run) are
exempt. A function-level import is allowed only to keep start-up light, and says so in a comment."""

from __future__ import annotations

import ast
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "analyzer"

#: Lowest first. A module may import from its own layer or any layer below.
LAYERS = (
    ("analyzer", "analyzer.types", "analyzer.errors"),
    ("analyzer.support",),
    ("analyzer.platform",),
    ("analyzer.readers",),
    ("analyzer.model",),
    ("analyzer.rules",),
    ("analyzer.engine",),
    ("analyzer.output",),
    ("analyzer.cli", "analyzer.__main__"),
)
#: Third-party modules that are slow to import: off the replay path, they may be imported late.
HEAVY = ("libcst", "yaml", "jsonschema", "packaging", "requirements", "fissix", "pygls", "lsprotocol", "importlib")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "analyzer" and module.startswith(prefix + ".")):
                best = rank
    assert best is not None, f"{module} is in no layer: add its folder to LAYERS"
    return best


class _Imports(ast.NodeVisitor):
    """(imported module, line, in a function?) for every import outside `if TYPE_CHECKING:`."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.found: list[tuple[str, int, bool]] = []
        self.depth = 0

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self.generic_visit(node)

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[: len(base) - node.level + 1]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        for alias in node.names:
            # `from analyzer.output import sarif` imports the submodule when there is one.
            sub = f"{mod}.{alias.name}"
            target = sub if _exists(sub) else mod
            self.found.append((target, node.lineno, self.depth > 0))


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (ROOT / rel).with_suffix(".py").is_file() or (ROOT / rel / "__init__.py").is_file()


def _modules() -> dict[str, tuple[Path, list[tuple[str, int, bool]]]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        visitor = _Imports(name, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        out[name] = (path, visitor.found)
    return out


MODULES = _modules()


def _internal(target: str) -> str | None:
    """The analyzer module an import names (its nearest existing module), or None if external."""
    if target != "analyzer" and not target.startswith("analyzer."):
        return None
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def test_every_import_goes_down_the_layers():
    upward = []
    for name, (path, imports) in MODULES.items():
        for target, line, _ in imports:
            dep = _internal(target)
            if dep is None or dep == name:
                continue
            if layer_of(dep) > layer_of(name):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {dep} (a higher layer)")
    assert upward == []


def test_no_import_cycle_inside_the_package():
    graph = {
        name: {d for t, _, _ in imports if (d := _internal(t)) and d != name and not _is_parent(d, name)}
        for name, (_, imports) in MODULES.items()
    }
    # Tarjan's strongly connected components: any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []


def _is_parent(package: str, module: str) -> bool:
    """Importing `analyzer.x.y` runs `analyzer.x`'s __init__: not a dependency worth a cycle."""
    return module.startswith(package + ".")


def test_function_level_imports_only_keep_start_up_light():
    unexplained = []
    for name, (path, imports) in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for target, line, in_function in imports:
            if not in_function:
                continue
            heavy = target.split(".")[0] in HEAVY
            dep = _internal(target)
            said = _says_start_up(lines, line)
            if not said or (dep is None and not heavy):
                unexplained.append(f"{path.relative_to(ROOT)}:{line} imports {target} inside a function")
    assert unexplained == []


def _says_start_up(lines: list[str], line: int) -> bool:
    """A comment saying "start-up" on the import's line, or above it over a run of imports."""
    i = line - 1
    while i >= 0:
        text = lines[i].strip()
        if "start-up" in text:
            return True
        if i < line - 1 and not (text.startswith(("import ", "from ", "#")) or text.endswith((",", "(")) or text == ")"):
            return False
        i -= 1
    return False


def test_pyproject_lists_every_package():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    on_disk = sorted(module_name(p) for p in PACKAGE.rglob("__init__.py")) + ["analyzer.schemas"]
    assert sorted(listed) == sorted(on_disk)


def test_each_rule_lives_in_a_module_named_by_its_code_and_name():
    from analyzer.engine.registry import all_rules

    for rule in all_rules():
        module = rule.__module__.rpartition(".")[2]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", rule
        assert rule.__name__ == "".join(p.capitalize() for p in rule.name.split("-")), rule
        assert rule.__module__.count(".") == 3, f"{rule.__module__}: want analyzer.rules.<family>.<module>"


def test_outputs_are_fed_only_the_report():
    """An output format imports no rule, model or reader: everything it prints comes from the frozen
    Report (types.py), with support/ helpers for the text itself."""
    allowed = ("analyzer", "analyzer.types", "analyzer.errors", "analyzer.support", "analyzer.output")
    wrong = []
    for name, (path, imports) in MODULES.items():
        if not name.startswith("analyzer.output"):
            continue
        for target, line, _ in imports:
            dep = _internal(target)
            if dep is not None and not any(dep == a or dep.startswith(a + ".") for a in allowed[1:]) and dep != "analyzer":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {dep}")
    assert wrong == []
