// The Pyodide worker (a module worker, one per tab): boots Python with numpy and the site's
// Python sources, then answers {type: "call", id, fn: "module:function", kind, args} (kind
// "exercise": fn is _microscale_grader:grade, lesson_plugins/grader.py in the sources) with
// {type: "result", id, value} or {type: "error", id, fn, message, traceback} (message: the
// exception's first line, for the widget; traceback: all of it, for the console). It never throws:
// a failure to boot is reported once as {type: "failed", reason} (with a key of
// lesson_plugins/strings.py and its placeholders, for the page to say in the reader's language:
// "python_unreachable" and its url when Pyodide itself could not be loaded, "python_file_failed"
// and its url and why when a file it needs could not be fetched, e.g. one refused for a wrong
// sha256, by the service worker or here).

const ROOT = "/home/pyodide/microscale";
const BRIDGE = `
import importlib, json, sys
sys.path.insert(0, "${ROOT}")
from _microscale_results import arguments, to_json
import numpy, pycore  # imported now, so that "ready" means a call answers at once

def call(kind, spec, args):
    module, name = spec.split(":")
    function = getattr(importlib.import_module(module), name)
    result = function(**arguments(json.loads(args)))
    return result if kind == "exercise" else to_json(kind, result)  # grader.py's own JSON
call
`;

// The files this worker could not fetch. Pyodide fetches its runtime and numpy with `fetch` too,
// and a failed one ends in its own words ("Program terminated with exit(1)"): the reader is told
// the first failed file instead.
const failedFiles = [];
// The sha256 of the files this worker checks itself ({url: sha256}): a CDN's Pyodide, on a visit
// the service worker does not serve (a first visit, or a browser without service workers).
let sums = {};
const fetchFile = self.fetch.bind(self);
self.fetch = async (resource, options) => {
  const url = resource instanceof Request ? resource.url : String(resource);
  try {
    let response = await fetchFile(resource, options);
    if (response.ok && sums[url]) response = await checked(response, url, sums[url]);
    if (!response.ok) failedFiles.push({ url, why: status(response) });
    return response;
  } catch (error) {
    failedFiles.push({ url, why: error.message });
    throw error;
  }
};

// `response` when its bytes have the pinned sha256, else a 502 saying so (as sw.js answers).
async function checked(response, url, sha256) {
  const body = await response.arrayBuffer();
  if ((await hex(body)) === sha256) return new Response(body, response);
  const reason = `Microscale: ${url} does not have the expected sha256, refused`;
  console.error(reason);
  return new Response(reason, { status: 502, statusText: "Integrity check failed" });
}

const status = (response) => `${response.status} ${response.statusText}`.trim();

async function hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// import(url), or, for a file to check (import() takes no integrity), the checked bytes.
async function importChecked(url) {
  if (!sums[url]) return import(url);
  const response = await fetch(url);
  if (!response.ok)
    throw Object.assign(new Error(url), { key: "python_file_failed", url, why: status(response) });
  const code = new Blob([await response.arrayBuffer()], { type: "text/javascript" });
  const blob = URL.createObjectURL(code);
  try {
    return await import(blob);
  } finally {
    URL.revokeObjectURL(blob);
  }
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

// `name`, JSON from assets/boot.js: the Pyodide folder and the sources archive, relative to
// `base` (this file's URL, also when it runs from a blob: URL) unless absolute, and the sums of
// the files to check here, by name in the Pyodide folder.
async function boot(name) {
  const init = JSON.parse(name);
  const [indexURL, sources, results] = [init.pyodide, init.sources, "results.py"].map(
    (url) => new URL(url, init.base).href,
  );
  const pinned = init.sums;
  for (const [name, sha256] of Object.entries(pinned || {})) sums[indexURL + name] = sha256;
  // Everything starts at once: the site's sources, the interpreter, and numpy (`packages`
  // downloads it while the interpreter boots).
  const files = Promise.all([
    fetchOk(sources).then((r) => r.arrayBuffer()),
    fetchOk(results).then((r) => r.text()),
  ]);
  files.catch(() => {}); // awaited below; never an unhandled rejection
  let loadPyodide;
  try {
    const scripts = [importChecked(`${indexURL}pyodide.mjs`)];
    // Pyodide imports its pyodide.asm.js itself unless it has run already: run the checked one.
    if (pinned) scripts.push(importChecked(`${indexURL}pyodide.asm.js`));
    ({ loadPyodide } = (await Promise.all(scripts))[0]);
  } catch (error) {
    if (error.key) throw error;
    throw Object.assign(new Error(indexURL), { key: "python_unreachable", url: indexURL });
  }
  const py = await loadPyodide({ indexURL, packages: ["numpy"], stdout: () => {} });
  const [zip, resultsSource] = await files;
  py.unpackArchive(zip, "zip", { extractDir: ROOT });
  py.FS.writeFile(`${ROOT}/_microscale_results.py`, resultsSource);
  return py.runPython(BRIDGE);
}

// A PythonError's message is the whole traceback, then the exception, whose own message may go on
// for lines (Pyodide's "No module named 'scipy'" adds how to install it and a link to its docs).
// The reader is told the exception's first line ("ModuleNotFoundError: No module named 'scipy'");
// the whole traceback goes to the console (assets/runtime.js).
function pythonMessage(error) {
  const lines = String(error?.message ?? error)
    .trim()
    .split("\n");
  const type = /^\w+$/.test(error?.type ?? "") && new RegExp(`^([\\w.]+\\.)?${error.type}(:|$)`);
  const at = type ? lines.findLastIndex((line) => type.test(line)) : -1;
  return lines[at >= 0 ? at : lines.length - 1];
}

// A promise of the Python `call` function. Python boots as soon as this module runs, from what
// assets/boot.js put in the worker's name.
const ready = boot(self.name);
ready.then(
  () => self.postMessage({ type: "ready" }),
  (error) => {
    const told = error.key
      ? { key: error.key, url: error.url, why: error.why }
      : failedFiles[0] && { key: "python_file_failed", ...failedFiles[0] };
    self.postMessage({ type: "failed", reason: pythonMessage(error), ...told });
  },
);

self.onmessage = async ({ data }) => {
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
    const [message, traceback] = [pythonMessage(error), String(error?.message ?? error)];
    self.postMessage({ type: "error", id: data.id, fn: data.fn, message, traceback });
  }
};
