// The Pyodide worker (a module worker, one per tab): boots Python with numpy and the site's
// Python sources, then answers {type: "call", id, fn: "module:function", kind, args} with
// {type: "result", id, value} or {type: "error", id, message}. It never throws: a failure to boot
// is reported once as {type: "failed", reason} (with a key of lesson_plugins/strings.py and its
// placeholders, for the page to say in the reader's language: "python_unreachable" and its url when
// Pyodide itself could not be loaded, "python_file_failed" and its url and why when a file it
// needs could not be fetched, e.g. one the service worker refused for a wrong sha256).

const ROOT = "/home/pyodide/microscale";
const BRIDGE = `
import importlib, json, sys
sys.path.insert(0, "${ROOT}")
from _microscale_results import to_json
import numpy, pycore  # imported now, so that "ready" means a call answers at once

def call(kind, spec, args):
    module, name = spec.split(":")
    function = getattr(importlib.import_module(module), name)
    return to_json(kind, function(**json.loads(args)))
call
`;

let ready = null; // a promise of the Python `call` function

// The files this worker could not fetch. Pyodide fetches its runtime and numpy with `fetch` too,
// and a failed one ends in its own words ("Program terminated with exit(1)"): the reader is told
// the first failed file instead.
const failedFiles = [];
const fetchFile = self.fetch.bind(self);
self.fetch = async (resource, options) => {
  const url = resource instanceof Request ? resource.url : String(resource);
  try {
    const response = await fetchFile(resource, options);
    if (!response.ok)
      failedFiles.push({ url, why: `${response.status} ${response.statusText}`.trim() });
    return response;
  } catch (error) {
    failedFiles.push({ url, why: error.message });
    throw error;
  }
};

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

async function boot({ pyodide: indexURL, sources, results }) {
  // Everything starts at once: the site's sources, the interpreter, and numpy (`packages`
  // downloads it while the interpreter boots).
  const files = Promise.all([
    fetchOk(sources).then((r) => r.arrayBuffer()),
    fetchOk(results).then((r) => r.text()),
  ]);
  files.catch(() => {}); // awaited below; never an unhandled rejection
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(`${indexURL}pyodide.mjs`));
  } catch {
    throw Object.assign(new Error(indexURL), { key: "python_unreachable", url: indexURL });
  }
  const py = await loadPyodide({ indexURL, packages: ["numpy"], stdout: () => {} });
  const [zip, resultsSource] = await files;
  py.unpackArchive(zip, "zip", { extractDir: ROOT });
  py.FS.writeFile(`${ROOT}/_microscale_results.py`, resultsSource);
  return py.runPython(BRIDGE);
}

function pythonMessage(error) {
  // A PythonError's message is the whole traceback; its last line says what went wrong.
  const lines = String(error?.message ?? error)
    .trim()
    .split("\n");
  return lines[lines.length - 1];
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    ready = boot(data);
    ready.then(
      () => self.postMessage({ type: "ready" }),
      (error) => {
        const told = error.key
          ? { key: error.key, url: error.url }
          : failedFiles[0] && { key: "python_file_failed", ...failedFiles[0] };
        self.postMessage({ type: "failed", reason: pythonMessage(error), ...told });
      },
    );
    return;
  }
  let call;
  try {
    call = await ready;
  } catch {
    return; // the page was told once, with {type: "failed"}
  }
  try {
    const value = JSON.parse(call(data.kind, data.fn, JSON.stringify(data.args)));
    self.postMessage({ type: "result", id: data.id, value });
  } catch (error) {
    self.postMessage({ type: "error", id: data.id, message: pythonMessage(error) });
  }
};
