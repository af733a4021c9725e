// The Pyodide worker (a module worker, one per tab): boots Python with numpy and the site's
// Python sources, then answers {type: "call", id, fn: "module:function", kind, args} (kind
// "exercise": fn is _microscale_grader:grade, lesson_plugins/grader.py in the sources) with
// {type: "result", id, value} or {type: "error", id, fn, message, traceback} (message: the
// exception's first line, for the widget; traceback: all of it, for the console). It never throws:
// a failure to boot is reported once as {type: "failed", reason} (with a key of
// lesson_plugins/strings.py and its placeholders, for the page to say in the reader's language:
// "python_unreachable" and its url when Pyodide itself could not be loaded, "python_file_failed"
// and its url and why when a file it needs could not be fetched, e.g. one refused for a wrong
// sha256, by the service worker or here; "python_no_wasm" when the page's Content-Security-Policy
// forbids WebAssembly; "python_stalled" when booting stopped making progress). Every failure to
// boot ends in that message: a refused file ends the boot at once, whatever Pyodide does with it.
//
// Only compute functions run: a function of the site's own Python (the top-level modules of the
// sources archive), with a public name, defined there, not anything importable (a page script
// that posts {fn: "pyodide.code:eval_code"} is answered with an error).

const ROOT = "/home/pyodide/microscale";
const BRIDGE = `
import importlib, json, os, sys
sys.path.insert(0, "${ROOT}")
from _microscale_results import arguments, to_json
import numpy, pycore  # imported now, so that "ready" means a call answers at once

SHIPPED = {n.removesuffix(".py") for n in os.listdir("${ROOT}") if not n.startswith("_")}

def compute_function(spec):
    module, _, name = spec.partition(":")
    refused = ValueError(f"{spec!r} is not a compute function of this site")
    if module.split(".")[0] not in SHIPPED or not name.isidentifier() or name.startswith("_"):
        raise refused
    function = getattr(importlib.import_module(module), name, None)
    where = getattr(function, "__module__", None) or ""
    if not callable(function) or isinstance(function, type) or where.split(".")[0] not in SHIPPED:
        raise refused
    return function

def call(kind, spec, args):
    if kind == "exercise":  # a reader's code, run by the exercises' grader (grader.py), by design
        if spec != "_microscale_grader:grade":
            raise ValueError(f"{spec!r} is not the exercises' grader")
        from _microscale_grader import grade
        return grade(**arguments(json.loads(args)))  # grader.py's own JSON
    return to_json(kind, compute_function(spec)(**arguments(json.loads(args))))
call
`;
// How long booting may go without a file arriving or a step ending before it counts as failed:
// generous, as compiling Pyodide's 10 MB of WebAssembly takes a slow or busy machine a while.
const STALL_MS = 60_000;

// The files this worker could not fetch. Pyodide fetches its runtime and numpy with `fetch` too,
// and a failed one ends in its own words ("Program terminated with exit(1)"): the reader is told
// the first failed file instead.
const failedFiles = [];
// The sha256 of the files this worker checks itself ({url: sha256}): a CDN's Pyodide, also on a
// visit the service worker serves (its cache is shared with every page of the origin).
let sums = {};
let pyodideFolder = null; // the Pyodide folder's URL, once known
// Rejected with the first reason booting cannot succeed: a refused file, an error nothing caught
// (Pyodide ends some failures that way, its own promise never settling), or no progress for
// STALL_MS. Booting races it.
let fail;
const failure = new Promise((_, reject) => (fail = reject));
let pending = 0; // fetches in flight
let lastProgress = Date.now();
const fetchFile = self.fetch.bind(self);
self.fetch = async (resource, options) => {
  const url = resource instanceof Request ? resource.url : String(resource);
  pending += 1;
  try {
    let response = await fetchFile(resource, options);
    if (response.ok && sums[url]) response = await checked(response, url, sums[url]);
    if (!response.ok) refuse({ url, why: status(response) });
    return response;
  } catch (error) {
    // Pyodide's first file unreachable: Pyodide is (a CDN blocked, the reader offline).
    if (url === `${pyodideFolder}pyodide.mjs`)
      fail(Object.assign(new Error(url), { key: "python_unreachable", url: pyodideFolder }));
    refuse({ url, why: error.message });
    throw error;
  } finally {
    pending -= 1;
    lastProgress = Date.now();
  }
};

function refuse(file) {
  failedFiles.push(file);
  fail(Object.assign(new Error(file.url), { key: "python_file_failed", ...file }));
}
let booting = true;
// While booting, an uncaught error is the boot's failure, reported once as {type: "failed"}.
function uncaught(event, error) {
  if (!booting) return;
  event.preventDefault();
  fail(error instanceof Error ? error : new Error(String(error)));
}
self.addEventListener("error", (event) => uncaught(event, event.error ?? event.message));
self.addEventListener("unhandledrejection", (event) => uncaught(event, event.reason));
const watchdog = setInterval(() => {
  if (pending === 0 && Date.now() - lastProgress > STALL_MS)
    fail(Object.assign(new Error("stalled"), { key: "python_stalled", seconds: STALL_MS / 1000 }));
}, 1000);

// Whether this worker may compile WebAssembly: a Content-Security-Policy without
// 'wasm-unsafe-eval' forbids it, and Pyodide would then never settle.
function wasmAllowed() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch {
    return false;
  }
}

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
  if (!wasmAllowed()) throw Object.assign(new Error("no WebAssembly"), { key: "python_no_wasm" });
  const init = JSON.parse(name);
  const [indexURL, sources, results] = [init.pyodide, init.sources, "results.py"].map(
    (url) => new URL(url, init.base).href,
  );
  pyodideFolder = indexURL;
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
  lastProgress = Date.now();
  const py = await loadPyodide({ indexURL, packages: ["numpy"], stdout: () => {} });
  lastProgress = Date.now();
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
const ready = Promise.race([boot(self.name), failure]);
ready
  .finally(() => {
    booting = false;
    clearInterval(watchdog);
  })
  .catch(() => {});
ready.then(
  () => self.postMessage({ type: "ready" }),
  (error) => {
    const told = error.key
      ? { key: error.key, url: error.url, why: error.why, seconds: error.seconds }
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
