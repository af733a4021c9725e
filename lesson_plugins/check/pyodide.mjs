// Run `microscale check`'s calls.py in real Pyodide under Node, set up as the site's worker is.
//
//   node pyodide.mjs PYODIDE_DIR SOURCES.zip RESULTS.py CALLS.py CALLS.json ROOT
//
// Loads Pyodide and numpy from PYODIDE_DIR only (no network), unpacks the site's sources zip
// into ROOT (where lesson_plugins/assets/worker.js does: /home/pyodide/microscale/), writes the site's results.py beside it as
// _microscale_results.py, then runs CALLS.py CALLS.json as __main__. What Python prints comes out
// on stdout; a failure of Pyodide itself exits with status 1.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, zip, results, calls, input, root] = process.argv.slice(2);
if (!root) {
  console.error("usage: node pyodide.mjs PYODIDE_DIR SOURCES.zip RESULTS.py CALLS.py CALLS.json ROOT");
  process.exit(2);
}
const ROOT = root.replace(/\/$/, "");
const indexURL = resolve(dist) + "/";
try {
  const { loadPyodide } = await import(pathToFileURL(join(indexURL, "pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  await py.loadPackage("numpy", { messageCallback: () => {}, errorCallback: console.error });
  py.unpackArchive(new Uint8Array(readFileSync(zip)), "zip", { extractDir: ROOT });
  py.FS.writeFile(`${ROOT}/_microscale_results.py`, readFileSync(results, "utf8"));
  py.FS.writeFile(`${ROOT}/_microscale_calls.py`, readFileSync(calls, "utf8"));
  py.FS.writeFile(`${ROOT}/_microscale_calls.json`, readFileSync(input, "utf8"));
  py.setStdout({ batched: (line) => process.stdout.write(line + "\n") });
  py.setStderr({ batched: (line) => process.stderr.write(line + "\n") });
  py.runPython(`
import runpy, sys
sys.argv = ["calls.py", "${ROOT}/_microscale_calls.json"]
runpy.run_path("${ROOT}/_microscale_calls.py", run_name="__main__")
`);
} catch (error) {
  console.error(String(error?.stack ?? error));
  process.exit(1);
}
