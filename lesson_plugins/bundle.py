"""One ES module for every page instead of fourteen: ``runtime.js`` as the site serves it.

The browser files in ``assets/`` are ES modules that import one another (``widgets.js`` imports
``bars.js``, which imports ``util.js`` ...). Loaded as they are, a page asks for 14 files; a phone
on a slow link pays a request for each, and Lighthouse's simulation counts each one that starts
before the largest paint (``docs/benchmarks/site.md``, "one module file"). Gzip also compresses
one file better than fourteen: the names they share are written once.

:func:`bundle` joins the modules the page's scripts import into one module, without a bundler
from npm: each module's code goes into a function of its own (so that their top-level names
cannot clash), run in the order in which the browser evaluates them (dependencies first, depth
first, in the order of the ``import`` lines), and its exports are that function's return value.
Its imports become constants read from those values. The bundle exports what its first entry
(``runtime.js``) exports, so that a module left out of it (``exercise/exercise.js``, loaded only
where there is an exercise) imports the same, single ``runtime.js``. A module named in
``external`` stays a file of its own, imported by the bundle, so that it too has one instance
(``progress.js``, which ``exercise.js`` imports as well).

It accepts only the forms of ``import`` and ``export`` the assets use, and says so otherwise:
``import "./x.js"``, ``import * as x from "./x.js"``, ``import { a, b as c } from "./x.js"``,
``export function|async function|class|const NAME``. Not ``export let`` (a binding another
module would see change) nor ``export default``. Whole-line ``//`` comments go (the comments are
for the repository's readers); so a module must not hold a multi-line template literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_IMPORT = re.compile(
    r"^import\s+(?:\*\s+as\s+(?P<star>\w+)\s+from\s+|\{(?P<names>[^}]*)\}\s*from\s+|)"
    r'"\./(?P<path>[\w.-]+\.js)";?[ \t]*$',
    re.MULTILINE,
)
_ANY_IMPORT = re.compile(r"^import\b", re.MULTILINE)
_EXPORT = re.compile(r"^export\s+(?:(?:async\s+)?function\*?|class|const)\s+(\w+)", re.MULTILINE)
_ANY_EXPORT = re.compile(r"^export\b", re.MULTILINE)


class BundleError(ValueError):
    """A module the bundle cannot take as it is written."""


def uncommented(text: str) -> str:
    """``text`` without its blank and whole-line ``//`` comment lines."""
    return "\n".join(
        line for line in text.splitlines() if line.strip() and not line.strip().startswith("//")
    )


@dataclass
class Bundle:
    """The joined module's ``text``, the ``modules`` in it (in their order) and the ``external``
    modules it imports."""

    text: str
    modules: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def _variable(name: str) -> str:
    return "__ms_" + re.sub(r"\W", "_", name.removesuffix(".js"))


def _bindings(names: str, namespace: str, module: str) -> str:
    """``const { a, b: c } = namespace;`` for the import list ``a, b as c``."""
    parts = []
    for item in (n.strip() for n in names.split(",")):
        if not item:
            continue
        match = re.fullmatch(r"(\w+)(?:\s+as\s+(\w+))?", item)
        if not match:
            raise BundleError(f"{module}: cannot read the imported name {item!r}")
        parts.append(match[1] if not match[2] else f"{match[1]}: {match[2]}")
    return f"const {{ {', '.join(parts)} }} = {namespace};"


def bundle(folder: Path, entries: list[str], external: set[str] = frozenset()) -> Bundle:
    """The modules of ``folder`` that the ``entries`` import, joined into one module (see the
    module docstring); ``external`` modules are imported, not joined. BundleError says which
    module has a form the bundle cannot take, or which ones import each other."""
    result = Bundle("")
    parts: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in result.modules or name in result.external:
            return
        if name in visiting:
            raise BundleError(f"{' -> '.join([*visiting, name])}: modules that import each other")
        if name in external:
            result.external.append(name)
            return
        path = folder / name
        if not path.is_file():
            raise BundleError(f"{visiting[-1]}: imports {name}, which is not in {folder}")
        text = path.read_text(encoding="utf-8")
        if any(line.count("`") % 2 for line in text.splitlines()):
            raise BundleError(f"{name}: a multi-line template literal (its comment lines go)")
        visiting.append(name)
        body = []
        imports = list(_IMPORT.finditer(text))
        if len(imports) != len(_ANY_IMPORT.findall(text)):
            raise BundleError(f"{name}: an import the bundle cannot read (see its docstring)")
        for found in imports:
            visit(found["path"])
            namespace = _variable(found["path"])
            if found["star"]:
                body.append(f"const {found['star']} = {namespace};")
            elif found["names"] is not None:
                body.append(_bindings(found["names"], namespace, name))
        visiting.pop()
        code = _IMPORT.sub("", text)
        exports = _EXPORT.findall(code)
        if len(exports) != len(_ANY_EXPORT.findall(code)):
            raise BundleError(f"{name}: an export the bundle cannot take (let, default, {{}})")
        code = _EXPORT.sub(lambda m: m[0].removeprefix("export").lstrip(), code)
        body.append(uncommented(code))
        body.append(f"return {{ {', '.join(exports)} }};")
        parts.append(f"const {_variable(name)} = (() => {{\n" + "\n".join(body) + "\n})();")
        result.modules.append(name)

    for entry in entries:
        visit(entry)
    head = [f'import * as {_variable(n)} from "./{n}";' for n in result.external]
    first = _variable(entries[0])
    names = _EXPORT.findall((folder / entries[0]).read_text(encoding="utf-8"))
    tail = f"export const {{ {', '.join(names)} }} = {first};" if names else ""
    result.text = "\n".join([*head, *parts, tail]) + "\n"
    return result
