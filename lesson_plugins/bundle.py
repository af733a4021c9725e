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

:meth:`Bundle.source_map` says where each line of the joined file comes from, so that a
browser's developer tools (and ``node --enable-source-maps``) show an error at its line in the
module it was written in; the site serves it beside the joined file (``runtime.js.map``), and
only developer tools fetch it.

It accepts only the forms of ``import`` and ``export`` the assets use, and says so otherwise:
``import "./x.js"``, ``import * as x from "./x.js"``, ``import { a, b as c } from "./x.js"``,
``export function|async function|class|const NAME``. Not ``export let`` (a binding another
module would see change) nor ``export default``. Whole-line ``//`` comments go (the comments are
for the repository's readers); so a module must not hold a multi-line template literal.
"""

from __future__ import annotations

import json
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
    """The joined module's ``text``, the ``modules`` in it (in their order), the ``external``
    modules it imports, and where each of its lines comes from (``origins``: a module and a line
    and column in it, or None), for :meth:`source_map`."""

    text: str
    modules: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    origins: list[tuple[str, int, int] | None] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def source_map(self, name: str) -> str:
        """A source map (version 3) of the joined file ``name``: a browser's developer tools show
        an error's line in the module it was written in, comments and all."""
        index = {module: i for i, module in enumerate(self.sources)}
        lines, last = [], (0, 0, 0)
        for origin in self.origins:
            if origin is None:
                lines.append("")
                continue
            here = (index[origin[0]], origin[1], origin[2])
            lines.append(_vlq(0) + "".join(_vlq(a - b) for a, b in zip(here, last, strict=True)))
            last = here
        return json.dumps(
            {
                "version": 3,
                "file": name,
                "sources": list(self.sources),
                "sourcesContent": list(self.sources.values()),
                "names": [],
                "mappings": ";".join(lines),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _vlq(value: int) -> str:
    """``value`` as a source map's base-64 variable-length quantity."""
    value = (-value << 1) | 1 if value < 0 else value << 1
    digits = ""
    while True:
        digit, value = value & 31, value >> 5
        digits += _BASE64[digit | (32 if value else 0)]
        if not value:
            return digits


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
    lines: list[tuple[str, tuple[str, int, int] | None]] = []  # the joined file, line by line
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
        body: list[tuple[str, tuple[str, int, int] | None]] = []
        imports = list(_IMPORT.finditer(text))
        if len(imports) != len(_ANY_IMPORT.findall(text)):
            raise BundleError(f"{name}: an import the bundle cannot read (see its docstring)")
        skipped: set[int] = set()  # the lines of the import statements
        for found in imports:
            visit(found["path"])
            first, last = text.count("\n", 0, found.start()), text.count("\n", 0, found.end())
            skipped.update(range(first, last + 1))
            namespace = _variable(found["path"])
            if found["star"]:
                body.append((f"const {found['star']} = {namespace};", (name, first, 0)))
            elif found["names"] is not None:
                body.append((_bindings(found["names"], namespace, name), (name, first, 0)))
        visiting.pop()
        exports = _EXPORT.findall(text)
        if len(exports) != len(_ANY_EXPORT.findall(text)):
            raise BundleError(f"{name}: an export the bundle cannot take (let, default, {{}})")
        for number, line in enumerate(text.splitlines()):
            if number in skipped or not line.strip() or line.strip().startswith("//"):
                continue
            code = _EXPORT.sub(lambda m: m[0].removeprefix("export").lstrip(), line)
            body.append((code, (name, number, len(line) - len(code))))
        lines.append((f"const {_variable(name)} = (() => {{", None))
        lines.extend(body)
        lines.append((f"return {{ {', '.join(exports)} }};", None))
        lines.append(("})();", None))
        result.modules.append(name)
        result.sources[name] = text

    for entry in entries:
        visit(entry)
    head = [(f'import * as {_variable(n)} from "./{n}";', None) for n in result.external]
    first = _variable(entries[0])
    names = _EXPORT.findall((folder / entries[0]).read_text(encoding="utf-8"))
    if names:
        lines.append((f"export const {{ {', '.join(names)} }} = {first};", None))
    lines = head + lines
    result.text = "\n".join(line for line, _ in lines) + "\n"
    result.origins = [origin for _, origin in lines]
    return result
