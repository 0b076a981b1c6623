"""A scan for memos kept in a module: caching decorators, module-level containers that a
function writes to, and `global` rebinding. The engine and the text layer keep none."""

from __future__ import annotations

import ast

CACHING_DECORATORS = frozenset({"cache", "lru_cache", "cached_property"})
MUTATING_METHODS = {"setdefault", "update", "clear", "pop", "popitem", "append", "add", "extend"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_mutable_container(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp):
        return True
    return isinstance(node, ast.Call) and _decorator_name(node) in {
        "dict",
        "list",
        "set",
        "defaultdict",
        "OrderedDict",
        "WeakKeyDictionary",
        "WeakValueDictionary",
    }


def cache_problems(
    source: str, file: str, decorators: frozenset[str] = CACHING_DECORATORS
) -> list[str]:
    """Caching `decorators` anywhere in the module, and module-level containers that any
    function writes to (a memo), or `global` rebinding."""
    tree = ast.parse(source)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                name = _decorator_name(decorator)
                if name in decorators:
                    problems.append(f"{file}: {node.name} is decorated with {name}")
        if isinstance(node, ast.Global):
            problems.append(f"{file}: line {node.lineno} rebinds module state {node.names}")
    containers = set()
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign) and _is_mutable_container(statement.value):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and _is_mutable_container(statement.value):
            targets = [statement.target]
        containers |= {target.id for target in targets if isinstance(target, ast.Name)}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            written = None
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
                written = node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATING_METHODS
            ):
                written = node.func.value
            if isinstance(written, ast.Name) and written.id in containers:
                problems.append(f"{file}: {function.name} writes module-level {written.id}")
    return problems
