"""The layers of tracker/ point down, never up, and no two parts import each other.

Every import is read, those inside functions too (a local import hides a cycle, it does not
break it). The table below is the one in docs/developers/layers.md: a part may import the parts
of its own layer and of the layers below it, never above, and never in a cycle.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parent.parent / "tracker"

# From the ground up (docs/developers/layers.md, "Layer order").
LAYERS = [
    ("rules",),
    ("models",),
    (
        "visibility", "summaries", "choice_cache", "filters", "presentation", "ingest", "exports", "linking",
        "backups", "jsonlines", "roles", "demo", "replicas",
    ),
    ("web", "admin", "api", "templatetags"),
    ("urls", "management", "apps", "settings", "wsgi", "perf"),
]  # fmt: skip
LAYER_OF = {part: level for level, parts in enumerate(LAYERS) for part in parts}
# Who may import the web package and the developer tools.
WEB_IMPORTERS = {"web", "urls", "apps"}
PERF_IMPORTERS = {"perf"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TRACKER.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in TRACKER.rglob("*.py") if "migrations" not in path.parts}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the tracker modules this module imports, wherever in it the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {target for target in targets if target in known and target != name}
    return found


def part_of(name: str) -> str:
    """The part of tracker/ a module belongs to: `tracker.models.claims` is in `models`."""
    bits = name.split(".")
    return bits[1] if len(bits) > 1 else ""


def module_imports() -> dict[str, set[str]]:
    found = modules()
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def part_imports() -> dict[tuple[str, str], list[str]]:
    """Return, per pair of parts (importer, imported), the module imports that join them."""
    joins = defaultdict(list)
    for name, targets in module_imports().items():
        for target in targets:
            if part_of(name) and part_of(target) and part_of(name) != part_of(target):
                joins[(part_of(name), part_of(target))].append(f"{name} imports {target}")
    return joins


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one node (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []


def test_the_import_reader_reads_imports_inside_functions(tmp_path):
    source = tmp_path / "tracker" / "models" / "claims.py"
    source.parent.mkdir(parents=True)
    source.write_text("def later():\n    from tracker.summaries import refresh\n    from ..web import views\n")
    known = {"tracker.summaries", "tracker.web", "tracker.web.views"}
    assert imported("tracker.models.claims", source, known) == {"tracker.summaries", "tracker.web", "tracker.web.views"}


def test_no_two_parts_import_each_other():
    edges = defaultdict(set)
    for importer, target in part_imports():
        edges[importer].add(target)
    assert cycles(edges) == []


def test_no_two_modules_import_each_other():
    assert cycles(module_imports()) == []


def test_every_part_has_a_layer():
    parts = {part_of(name) for name in modules()} - {""}
    assert parts - set(LAYER_OF) == set(), "add the new part to LAYERS and to docs/developers/layers.md"


def test_layers_point_down():
    upward = [
        join
        for (importer, target), joins in part_imports().items()
        if LAYER_OF.get(target, 0) > LAYER_OF.get(importer, 0)
        for join in joins
    ]
    assert upward == []


@pytest.mark.parametrize(
    ("package", "importers"), [("web", WEB_IMPORTERS), ("perf", PERF_IMPORTERS)], ids=["web", "perf"]
)
def test_only_the_entry_points_import(package, importers):
    intruders = [
        join
        for (importer, target), joins in part_imports().items()
        if target == package and importer not in importers
        for join in joins
    ]
    assert intruders == []


def test_the_rules_import_no_django_and_nothing_of_the_tracker_but_the_rules():
    for name, path in modules().items():
        if part_of(name) != "rules":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for imported_name in names:
                    assert not imported_name.startswith("django"), f"{name} imports {imported_name}"
                    if imported_name.startswith("tracker"):
                        assert imported_name.startswith("tracker.rules"), f"{name} imports {imported_name}"


def test_the_layer_table_is_the_one_the_docs_give():
    page = (TRACKER.parent / "docs" / "developers" / "layers.md").read_text()
    for level, parts in enumerate(LAYERS):
        for part in parts:
            assert f"`{part}`" in page, f"layer {level}: {part} is not in the docs' table"
