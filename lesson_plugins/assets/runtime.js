// Microscale's browser runtime: the one entry point every widget module imports.
//
//   onPage(callback)   callback(contentRoot) on the first load and after every page swap of
//                      Material's navigation.instant (its `document$`), so widgets re-attach.
//   t(key, params)     a user-facing string (lesson_plugins/strings.py, overridable in mkdocs.yml)
//                      with its {placeholders} filled.
//   compute(fn, kind, args)  calls the compute function "module:function" in the Pyodide worker;
//                      resolves with the normalized result (lesson_plugins/results.py).
//   startPython(), onPython(listener)  start the worker; follow its state
//                      ({state: "idle" | "loading" | "ready" | "failed", reason}).
//   ownWorker(receive)  another worker.js, messages to receive(data) (the code exercises').
//   pageData(file)     the page's data file (lesson_plugins/pagedata.py: precomputed states and
//                      rows of tables), fetched once; every page fetches its own after `load`.
//   announce(text, key)  says text politely to screen readers (one live region per tab); texts
//                      announced within 0.4 s are said together, the latest one per key.
//
// Every URL is resolved against this module's own URL, so a site works under any sub-path.
// One worker per tab: this module is evaluated once, and instant navigation keeps it.
// On a page the build marked as having an output only Python can update, the page's <head>
// starts the Python worker before anything else (assets/boot.js); this module adopts it.
// boot.js is imported here as well: where a Content-Security-Policy refuses the inline copy,
// this module starts the worker with it.
import "./boot.js";

// The page's ms-config (lesson_plugins/browser.py): URLs, strings, and what the widget modules
// share with Python (lesson_plugins/contract.py, e.g. the plot's geometry).
export const config = JSON.parse(document.getElementById("ms-config")?.textContent || "{}");
const strings = config.strings || {};

export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

// Pages ---------------------------------------------------------------------------------------

const pageCallbacks = [];
let root = null;

function run(callback) {
  try {
    callback(root);
  } catch (error) {
    console.error("microscale: a widget failed to attach", error);
  }
}

function pageShown() {
  root = document.querySelector("article") || document.body;
  pageCallbacks.forEach(run);
  prefetch(root);
}

export function onPage(callback) {
  pageCallbacks.push(callback);
  if (root) run(callback);
}

// The numbers a page needs once its reader acts (lesson_plugins/pagedata.py), in a file beside
// the page: fetched when the page has loaded, so that a control or a table answers at once, and
// still does offline (the browser keeps it with the page). `file` is relative to the page shown.
const pageFiles = new Map(); // URL -> promise of the JSON

export function pageData(file) {
  const url = new URL(file, location.href).href;
  if (!pageFiles.has(url)) {
    const loading = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${url}`);
      return response.json();
    });
    loading.catch(() => pageFiles.delete(url)); // asked again, it is fetched again
    pageFiles.set(url, loading);
  }
  return pageFiles.get(url);
}

function prefetch(root) {
  const named = root.querySelector("[data-ms-file]");
  if (!named) return;
  const file = named.dataset.msFile;
  const start = () => pageData(file).catch(() => {}); // a widget that needs it says why it failed
  if (document.readyState === "complete") setTimeout(start);
  else window.addEventListener("load", start, { once: true });
}

// Material's search overlay (partials/search.html) is a <div role="dialog"> with no accessible
// name, which axe-core's rule aria-dialog-name reports on every page: name it as its search field
// is named (Material's translated "Search"). Instant navigation keeps the overlay, so once is enough.
const search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
const searchField = search?.querySelector("input[aria-label]");
if (searchField) search.setAttribute("aria-label", searchField.getAttribute("aria-label"));

if (window.document$?.subscribe) window.document$.subscribe(pageShown);
else if (document.readyState === "loading")
  document.addEventListener("DOMContentLoaded", pageShown);
else pageShown();

// Screen readers -------------------------------------------------------------------------------

let region = null;
let announceTimer = 0;
const news = new Map(); // key -> latest text, said together once the page rests

export function announce(text, key = text) {
  if (!region?.isConnected) {
    region = document.createElement("div");
    region.className = "ms-sr";
    region.setAttribute("aria-live", "polite");
    document.body.append(region);
  }
  news.set(key, text);
  clearTimeout(announceTimer); // a drag announces once, when it rests
  announceTimer = setTimeout(() => {
    region.textContent = [...news.values()].join(". ");
    news.clear();
  }, 400);
}

// Python ---------------------------------------------------------------------------------------

export const stats = { workers: 0, calls: 0 }; // tests: navigation keeps the one worker; drags coalesce
let worker = null;
let python = { state: "idle", reason: "" };
const listeners = new Set();
const waiting = new Map(); // request id -> {resolve, reject}
let nextId = 1;

export class PythonUnavailable extends Error {}

function setPython(state, reason = "") {
  python = { state, reason };
  if (state === "failed") {
    for (const { reject } of waiting.values()) reject(new PythonUnavailable(reason));
    waiting.clear();
  }
  listeners.forEach((listener) => listener(python));
}

export function onPython(listener) {
  listeners.add(listener);
  listener(python);
  return () => listeners.delete(listener);
}

// The service worker at the site root (lesson_plugins/publish.py) keeps Pyodide and the sources
// for the next visit, also offline. It is registered once Python has started (or failed to), so
// that a first visit downloads Python straight from the network, not through it; it then fills
// its cache in its `install` step, mostly from the HTTP cache. A visit it controls gets Python
// from its cache.
let registered = false;
function keepForNextVisit({ state }) {
  if (registered || state === "idle" || state === "loading") return;
  registered = true;
  if (config.sw && "serviceWorker" in navigator && window.isSecureContext)
    navigator.serviceWorker.register(new URL(config.sw, import.meta.url)).catch(() => {});
}
listeners.add(keepForNextVisit);

export function startPython() {
  if (worker || python.state === "failed") return;
  setPython("loading");
  worker = spawnWorker();
}

// The worker the page's <head> started (assets/boot.js), or a new one; null if none starts.
function spawnWorker() {
  const url = new URL("worker.js", import.meta.url);
  let started;
  try {
    started = window.microscaleWorker || window.microscaleStart(url, config);
  } catch (error) {
    setPython("failed", error.message);
    return null;
  }
  stats.workers += 1;
  started.receive = receive;
  started.messages.splice(0).forEach(receive); // what it said before this module ran
  return started;
}

export function ownWorker(receive) {
  const started = window.microscaleStart(new URL("worker.js", import.meta.url), config, null, true);
  started.receive = receive;
  started.messages.splice(0).forEach(receive);
  return started;
}

function receive(data) {
  if (data.type === "ready") return setPython("ready");
  if (data.type === "failed")
    return setPython(
      "failed",
      data.key ? t(data.key, data) : data.reason || "the Python worker did not start",
    );
  const request = waiting.get(data.id);
  waiting.delete(data.id);
  if (data.type === "result") return request?.resolve(data.value);
  if (data.traceback) console.error(`microscale: ${data.fn} raised in Python\n${data.traceback}`);
  request?.reject(new Error(data.message));
}

export function compute(fn, kind, args) {
  startPython();
  if (python.state === "failed") return Promise.reject(new PythonUnavailable(python.reason));
  const id = nextId++;
  stats.calls += 1;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker?.post({ type: "call", id, fn, kind, args });
  });
}

if (window.microscaleWorker) startPython();
