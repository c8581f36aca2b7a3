"""The core's imports run one way, and nn/optim are built on autograd's public API only."""
import ast
import pathlib

import pytest

import autograd

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, modules):
    """The modules of `modules` that the file at `path` imports (lazily or not)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def _core_import_graph():
    paths = {_module_name(p): p for p in (ROOT / "autograd").rglob("*.py")}
    return {name: _imports(path, paths) - {"autograd"} for name, path in paths.items()}


def _cycle(graph):
    """One import cycle as a list of modules, or None (iterative depth-first search)."""
    state = {}
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                stack.pop()
            elif state.get(child) == "open":
                path = [n for n, _ in stack]
                return path[path.index(child):] + [child]
            elif child not in state:
                state[child] = "open"
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_the_core_has_no_import_cycle():
    assert _cycle(_core_import_graph()) is None


def test_the_graph_imports_neither_the_session_nor_the_drawing():
    graph = _core_import_graph()
    assert not {"autograd.session", "autograd.plan"} & graph["autograd.graph"]
    assert "autograd.graph" not in graph["autograd.graph_def"]


def test_the_ops_modules_are_layered():
    graph = _core_import_graph()
    ops = {name: {d for d in deps if d.startswith("autograd.ops.")}
           for name, deps in graph.items() if name.startswith("autograd.ops.")}
    assert _cycle(ops) is None
    assert not any(dep.startswith("autograd.ops.") for dep in graph["autograd.ops.shaping"])


@pytest.mark.parametrize("package", ["nn", "optim", "autograd/tf1"])
def test_packages_on_top_use_only_names_autograd_exports(package):
    public = set(autograd.__all__)
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text())
        aliases = {alias.asname or alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.Import) for alias in node.names
                   if alias.name == "autograd"}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd"):
                assert node.module == "autograd", f"{path}: imports {node.module}"
                assert {a.name for a in node.names} <= public | {"*"}, path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases:
                assert node.attr in public, f"{path}:{node.lineno} uses autograd.{node.attr}"


# The core's layers, bottom up: a module or folder may import only from its own layer or
# the layers below. Each entry is a module of autograd/ or a whole folder (ops, drawing,
# export, summary, tf1), so a new module in a folder is checked without being listed.
LAYERS = [
    {"dtypes", "errors", "shapes", "sites", "nest", "interrupts", "memory", "workers", "devices",
     "checkpoints", "default_session", "graph_def", "config", "lowerings", "waiting",
     "records", "compiled", "targets", "fusions"},
    {"graph"},
    {"registry"},
    {"ops", "gradients", "function_graph"},          # building graphs: ops and bodies
    {"variables", "overloads", "data", "sparse", "queues", "readers",
     "parsing"},     # built on the ops
    {"costs", "observers", "plan", "executor", "tracing", "transactions", "session",
     "queue_runners"},                                                  # running graphs
    {"drawing", "export", "summary", "tf1", "testing", "input_producers",
     "monitored", "saver", "tools", "saved_model", "distributed"},
    # tools on top (a Saver writes the meta graph export makes)
]


def _unit(module):
    """The layer unit of a core module: its folder below autograd/, or itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_core_module_and_folder_has_a_layer():
    units = {_unit(m) for m in _core_import_graph()} - {None}
    assert units == set().union(*LAYERS)


def _upward_imports(graph):
    """'module imports dep' for each import of `graph` that runs to a higher layer."""
    rank = {unit: level for level, units in enumerate(LAYERS) for unit in units}
    return [f"{module} imports {dep}" for module, deps in graph.items()
            if _unit(module) is not None  # the package's __init__ re-exports everything
            for dep in deps if rank[_unit(dep)] > rank[_unit(module)]]


def test_no_module_or_folder_imports_from_a_layer_above_it():
    upward = _upward_imports(_core_import_graph())
    assert not upward, "imports that run upward:\n" + "\n".join(upward)


def test_the_layering_check_catches_an_upward_import():
    graph = _core_import_graph()
    graph["autograd.ops.math"] = graph["autograd.ops.math"] | {"autograd.session"}
    assert _upward_imports(graph) == ["autograd.ops.math imports autograd.session"]


def test_lists_of_tensors_are_packed_by_a_plain_op_not_an_installed_hook():
    import autograd.registry as registry
    assert not any(name.startswith("_packer") or name == "install_packer"
                   for name in vars(registry))
