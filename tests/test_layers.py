"""The house rules, checked on the code itself (README, "How it fits together").

Imports go one way only:

    cli, app, screens, widgets, commands, messages, rich_text   (the edges)
        -> services (and the demo, which is a use case)
            -> store, archive, policy, portal, mail
                -> text, clock, errors, labels, plural, config, refs

Every import counts, including imports inside functions. Rich and Textual are used
only at the edges; the edges read the store's frozen dataclasses but call services; no
SQL is written outside ``moderator/store/``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "moderator"

BASE = {"text", "clock", "errors", "labels", "plural", "config", "refs", "passwords"}
LOWER = {"store", "archive", "policy", "portal", "mail"}
SERVICES = {"services", "demo", "demo_data", "benchdata"}
EDGES = {"cli", "app", "screens", "widgets", "commands", "messages", "rich_text",
         "__main__", "__init__"}

# What each part may import (besides the standard library and ordinary packages).
ALLOWED: dict[str, set[str]] = {
    **{part: set(BASE) for part in BASE},
    "policy": BASE | {"policy"},
    "store": BASE | {"store", "policy"},
    "archive": BASE | {"archive", "policy", "store"},
    "portal": BASE | {"portal", "policy"},
    "mail": BASE | {"mail", "policy"},
    **{part: BASE | LOWER | SERVICES for part in SERVICES},
    **{part: BASE | LOWER | SERVICES | EDGES for part in EDGES},
}
UI_LIBRARIES = {"textual", "rich"}

SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|"
                 r"DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|VIRTUAL)|PRAGMA\s+\w+)\b",
                 re.IGNORECASE | re.DOTALL)


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _part(module: str) -> str:
    """The layer name of a module: 'store' for moderator.store.items, 'text' for
    moderator.text, '__init__' for the package itself."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _imports(module: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every import anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, target] if target else base)
            names = [alias.name for alias in node.names]
            if target == "moderator":
                # `from moderator import clock, text` imports modules of the package.
                out.extend((node.lineno, f"moderator.{name}", []) for name in names)
            else:
                out.append((node.lineno, target, names))
    return out


MODULES = _modules()


def test_the_walk_sees_the_package():
    names = {name for name, _ in MODULES}
    assert {"moderator.store.db", "moderator.services.deletion", "moderator.cli",
            "moderator.screens.queue", "moderator.text"} <= names


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_go_one_way(module: str, path: Path):
    part = _part(module)
    allowed = ALLOWED.get(part)
    assert allowed is not None, f"{module}: not in any layer; add it to the house rules"
    wrong = []
    for line, target, _names in _imports(module, path):
        top = target.split(".")[0]
        if top in UI_LIBRARIES and part not in EDGES:
            wrong.append(f"{path.name}:{line} imports {target} (Rich/Textual only at the edges)")
        if top != "moderator" or target == "moderator":
            continue
        if _part(target) not in allowed:
            wrong.append(f"{path.name}:{line} imports {target}")
    assert not wrong, f"{module} ({part}) breaks the layering:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("module", "path"),
                         [(m, p) for m, p in MODULES if _part(m) in EDGES],
                         ids=[m for m, _ in MODULES if _part(m) in EDGES])
def test_edges_read_store_dataclasses_but_call_services(module: str, path: Path):
    """The CLI and the screens may name the store's frozen dataclasses, the Store they
    hand to services and its constant tables of codes, never a store function or module."""
    wrong = []
    for line, target, names in _imports(module, path):
        if not target.startswith("moderator.store"):
            continue
        if not names:
            wrong.append(f"{path.name}:{line} imports the store module {target}")
            continue
        source = importlib.import_module(target)
        for name in names:
            value = getattr(source, name, None)
            if value is None and importlib.util.find_spec(f"{target}.{name}") is not None:
                wrong.append(f"{path.name}:{line} imports the store module {target}.{name}")
            elif not inspect.isclass(value) and not (name.isupper() and not callable(value)):
                wrong.append(f"{path.name}:{line} imports {target}.{name}, a function")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("module", "path"),
                         [(m, p) for m, p in MODULES if _part(m) != "store"],
                         ids=[m for m, _ in MODULES if _part(m) != "store"])
def test_no_sql_outside_the_store(module: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.name}:{node.lineno}: {node.value[:60]!r}"
             for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and SQL.search(node.value)]
    assert not found, f"{module} writes SQL:\n" + "\n".join(found)


def test_the_rules_catch_an_upward_import(tmp_path):
    """The check itself fails on a store module that imports a service or Textual."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from moderator.services import deletion\n"
                   "    import textual\n", encoding="utf-8")
    imports = _imports("moderator.store.bad", bad)
    assert [target for _, target, _ in imports] == ["moderator.services", "textual"]
    assert _part("moderator.services") not in ALLOWED["store"]
    assert SQL.search("SELECT id FROM posts WHERE x = ?")
    assert not SQL.search("Selecteer een reden uit de lijst")


PROBE = r"""
import sys, tempfile, pathlib, json
from moderator.store.db import Store
from moderator.services import importing, deletion, dossier, verify
from moderator.policy.access import SYSTEM, Actor
folder = pathlib.Path(tempfile.mkdtemp())
export = folder / "export.jsonl"
records = [
    {"type": "school", "id": "s1", "name": "School"},
    {"type": "group", "id": "g1", "school": "s1", "name": "Groep 1", "kind": "class"},
    {"type": "person", "id": "p1", "school": "s1", "name": "Ouder", "role": "parent"},
    {"type": "post", "id": "a1", "group": "g1", "author": "p1",
     "created_at": "2026-11-20T10:00:00+01:00", "body": "Ik maak je af"},
]
export.write_text("\n".join(json.dumps(r) for r in records) + "\n")
store = Store(folder / "m.db", folder / "archives")
importing.import_file(store, export, actor=SYSTEM)
director = Actor("d", "director", None, "s1", "Directeur")
deletion.delete_item(store, "post:a1", "threat", director)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(json.dumps(loaded))
"""


@pytest.mark.slow
def test_store_and_services_run_without_rich_or_textual():
    """Import, scan and delete with a hard copy in a fresh interpreter: neither Rich nor
    Textual is loaded on the way."""
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
