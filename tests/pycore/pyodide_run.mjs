// Run a Python script inside real Pyodide (Node 20), with this checkout's pycore importable.
//
//   PYODIDE_DIST=/path/to/pyodide/0.27.7 node tests/pycore/pyodide_run.mjs SCRIPT.py [MODULE.py ...]
//
// Loads Pyodide and its numpy from the local distribution only (no network), copies pycore/*.py
// into Pyodide's file system, copies SCRIPT.py and any extra modules next to it, then runs
// SCRIPT.py as __main__. Whatever the script prints comes out on stdout; errors exit non-zero.
import { readFileSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = process.env.PYODIDE_DIST;
if (!dist) {
  console.error("PYODIDE_DIST is not set: point it at a local Pyodide 0.27.7 distribution");
  process.exit(2);
}
const [script, ...modules] = process.argv.slice(2);
if (!script) {
  console.error("usage: node pyodide_run.mjs SCRIPT.py [MODULE.py ...]");
  process.exit(2);
}

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const indexURL = resolve(dist) + "/";
const { loadPyodide } = await import(pathToFileURL(join(indexURL, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
await py.loadPackage("numpy", { messageCallback: () => {}, errorCallback: (m) => console.error(m) });

const home = "/home/pyodide";
py.FS.mkdirTree(`${home}/pycore`);
for (const name of readdirSync(join(root, "pycore"))) {
  if (name.endsWith(".py")) {
    py.FS.writeFile(`${home}/pycore/${name}`, readFileSync(join(root, "pycore", name), "utf8"));
  }
}
for (const file of [script, ...modules]) {
  py.FS.writeFile(`${home}/${basename(file)}`, readFileSync(file, "utf8"));
}

py.setStdout({ batched: (line) => process.stdout.write(line + "\n") });
py.setStderr({ batched: (line) => process.stderr.write(line + "\n") });
try {
  py.runPython(`
import runpy, sys
sys.path.insert(0, "${home}")
runpy.run_path("${home}/${basename(script)}", run_name="__main__")
`);
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
