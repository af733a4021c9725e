"""lesson_plugins/bundle.py: the page's modules joined into the one ``runtime.js`` the site serves.

The joined module is run by Node: it must evaluate the modules in the order the browser would, give
each its own scope, and export what its first entry exports, with the external modules imported
once.
"""

from __future__ import annotations

import json
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from lesson_plugins import browser
from lesson_plugins.bundle import BundleError, bundle

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs Node (CI installs it)")

MODULES = {
    # an entry with a dependency shared with the second entry, and a side-effect import
    "main.js": """// the first entry
import "./first.js";
import { twice, Shape as Form } from "./lib.js";
import * as ext from "./ext.js";
globalThis.order.push("main");
const local = 1; // the same name as in lib.js: each module has its own scope
export const doubled = twice(21);
export function shape() {
  return new Form();
}
export class Own {}
export async function later() {
  return ext.value + local;
}
""",
    "first.js": 'globalThis.order.push("first");\n',
    "lib.js": """globalThis.order.push("lib");
const local = 2;
export const twice = (x) => x * local;
export class Shape {}
""",
    "second.js": """import {
  twice,
  Shape,
} from "./lib.js";
globalThis.order.push("second");
globalThis.second = twice(2) + (new Shape() instanceof Shape ? 1 : 0);
""",
    "ext.js": 'globalThis.order.push("ext");\nexport const value = 41;\n',
}


def write(folder: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        (folder / name).write_text(text)
    return folder


def run_node(folder: Path, script: str) -> dict:
    (folder / "run.mjs").write_text(script)
    done = subprocess.run(
        [NODE, str(folder / "run.mjs")], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_node
def test_the_joined_module_runs_as_the_modules_would(tmp_path: Path) -> None:
    folder = write(tmp_path, MODULES)
    joined = bundle(folder, ["main.js", "second.js"], {"ext.js"})
    assert joined.modules == ["first.js", "lib.js", "main.js", "second.js"]
    assert joined.external == ["ext.js"]
    (folder / "bundle.mjs").write_text(joined.text)
    script = """globalThis.order = [];
const b = await import("./bundle.mjs");
const again = await import("./ext.js");
console.log(JSON.stringify({
  order: globalThis.order, second: globalThis.second, doubled: b.doubled,
  shape: b.shape().constructor.name, own: typeof b.Own, later: await b.later(),
  exports: Object.keys(b).sort(), extOnce: globalThis.order.filter((m) => m === "ext").length,
  extSame: again.value,
}));
"""
    got = run_node(folder, script)
    # What the browser does with <script type=module> main.js, then second.js: dependencies
    # first, in the order of the import lines, each module once.
    assert got["order"] == ["ext", "first", "lib", "main", "second"]
    assert got["second"] == 5 and got["doubled"] == 42 and got["later"] == 42
    assert got["shape"] == "Shape" and got["own"] == "function"
    assert got["exports"] == ["Own", "doubled", "later", "shape"]
    assert got["extOnce"] == 1 and got["extSame"] == 41


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ({"a.js": "export let n = 1;\n"}, "a.js: an export the bundle cannot take"),
        ({"a.js": "export default 1;\n"}, "a.js: an export the bundle cannot take"),
        ({"a.js": "const n = 1;\nexport { n };\n"}, "a.js: an export the bundle cannot take"),
        ({"a.js": 'import n from "./b.js";\n', "b.js": ""}, "a.js: an import the bundle"),
        ({"a.js": 'import "https://x/b.js";\n'}, "a.js: an import the bundle"),
        ({"a.js": 'import "./b.js";\n', "b.js": 'import "./a.js";\n'}, "a.js -> b.js -> a.js"),
        ({"a.js": 'import "./b.js";\n'}, "a.js: imports b.js, which is not in"),
        ({"a.js": "const s = `one\ntwo`;\n"}, "a.js: a multi-line template literal"),
    ],
)
def test_a_form_it_cannot_take_is_named(tmp_path: Path, modules: dict, message: str) -> None:
    with pytest.raises(BundleError, match=message.replace("(", r"\(")):
        bundle(write(tmp_path, modules), ["a.js"])


def test_the_site_serves_the_bundle_as_runtime_js() -> None:
    served = browser.served("runtime.js").decode()
    assert served == browser.BUNDLE.text + "//# sourceMappingURL=runtime.js.map\n"
    assert json.loads(browser.served("runtime.js.map"))["file"] == "runtime.js"
    modules = browser.BUNDLE.modules
    assert [m for m in modules if m in browser.ENTRIES] == browser.ENTRIES
    assert modules.index("boot.js") < modules.index("runtime.js")  # runtime.js imports it first
    assert browser.BUNDLE.external == ["progress.js"]
    with pytest.raises(ValueError, match=r"served inside runtime\.js"):
        browser.served("widgets.js")


def test_the_site_serves_the_style_sheets_as_one() -> None:
    joined = browser.served("widgets.css").decode()
    parts = [(browser.ASSETS / name).read_text() for name in browser.STYLES]
    assert joined == "\n".join(parts) and joined.index(parts[0]) < joined.index(parts[1])
    with pytest.raises(ValueError, match=r"quiz\.css is served inside widgets\.css"):
        browser.served("quiz.css")


@needs_node
def test_the_served_bundle_is_valid_javascript(tmp_path: Path) -> None:
    (tmp_path / "runtime.mjs").write_bytes(browser.served("runtime.js"))
    done = subprocess.run(
        [NODE, "--check", str(tmp_path / "runtime.mjs")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def decode(mappings: str) -> list[tuple[int, int, int] | None]:
    """Each generated line's (source, line, column), from a source map's ``mappings``."""
    digits = {c: i for i, c in enumerate(string.ascii_uppercase + string.ascii_lowercase)}
    digits.update({c: 52 + i for i, c in enumerate(string.digits + "+/")})
    where, lines = [0, 0, 0], []
    for line in mappings.split(";"):
        if not line:
            lines.append(None)
            continue
        values, value, shift = [], 0, 0
        for c in line:
            digit = digits[c]
            value += (digit & 31) << shift
            shift += 5
            if not digit & 32:
                values.append(-(value >> 1) if value & 1 else value >> 1)
                value, shift = 0, 0
        for i, delta in enumerate(values[1:4]):
            where[i] += delta
        lines.append(tuple(where))
    return lines


def test_the_source_map_points_every_line_at_the_one_it_came_from() -> None:
    source_map = json.loads(browser.served("runtime.js.map"))
    assert source_map["sources"] == browser.BUNDLE.modules
    sources = [text.splitlines() for text in source_map["sourcesContent"]]
    generated = browser.BUNDLE.text.splitlines()
    origins = decode(source_map["mappings"])
    assert len(origins) == len(generated)
    same = imports = 0
    for line, origin in zip(generated, origins, strict=True):
        if origin is None:
            continue
        source, number, column = origin
        original = sources[source][number]
        if original[column:] == line:
            same += 1  # the line as written, an `export ` taken off
        else:
            assert original.startswith("import") and line.startswith("const "), (line, original)
            imports += 1
    assert same > 600 and imports > 10  # every code line of the modules, every import


@needs_node
def test_node_reports_an_error_at_its_module_line(tmp_path: Path) -> None:
    folder = write(tmp_path, {**MODULES, "fails.js": FAILS})
    joined = bundle(folder, ["fails.js"])
    (folder / "bundle.mjs").write_text(joined.text + "//# sourceMappingURL=bundle.mjs.map\n")
    (folder / "bundle.mjs.map").write_text(joined.source_map("bundle.mjs"))
    (folder / "run.mjs").write_text('globalThis.order = [];\nawait import("./bundle.mjs");\n')
    done = subprocess.run(
        [NODE, "--enable-source-maps", str(folder / "run.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "fails.js:6" in done.stderr, done.stderr  # the throw, in the module's own lines


FAILS = """// comment lines go from the joined file, so its line numbers are not the module's
import { twice } from "./lib.js";


export function fail() {
  throw new Error(`failed at ${twice(2)}`);
}
fail();
"""
