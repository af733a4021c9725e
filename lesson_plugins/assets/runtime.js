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
//   announce(text, key)  says text politely to screen readers (one live region per tab); texts
//                      announced within 0.4 s are said together, the latest one per key.
//
// Every URL is resolved against this module's own URL, so a site works under any sub-path.
// One worker per tab: this module is evaluated once, and instant navigation keeps it.

const config = JSON.parse(document.getElementById("ms-config")?.textContent || "{}");
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
}

export function onPage(callback) {
  pageCallbacks.push(callback);
  if (root) run(callback);
}

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
// for the next visit, also offline. Python starts once it is active (waiting at most 5 s), so that
// the Pyodide worker's downloads pass through it from the very first visit.
function offlineCache() {
  if (!config.sw || !("serviceWorker" in navigator) || !window.isSecureContext)
    return Promise.resolve();
  const registered = navigator.serviceWorker
    .register(new URL(config.sw, import.meta.url))
    .then(() => navigator.serviceWorker.ready);
  const enough = new Promise((resolve) => setTimeout(resolve, 5000));
  return Promise.race([registered, enough]).catch(() => {}); // without it, Python still starts
}

export function startPython() {
  if (worker || python.state === "failed") return;
  setPython("loading");
  worker = offlineCache().then(spawnWorker); // a promise of the Worker (null if it failed)
}

function spawnWorker() {
  const here = import.meta.url;
  let spawned;
  try {
    spawned = new Worker(new URL("worker.js", here), { type: "module" });
  } catch (error) {
    setPython("failed", error.message);
    return null;
  }
  stats.workers += 1;
  spawned.onmessage = ({ data }) => {
    if (data.type === "ready") return setPython("ready");
    if (data.type === "failed")
      return setPython("failed", data.key ? t(data.key, data) : data.reason);
    const request = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.type === "result") request?.resolve(data.value);
    else request?.reject(new Error(data.message));
  };
  spawned.onerror = (event) => {
    event.preventDefault();
    setPython("failed", event.message || "the Python worker did not start");
  };
  spawned.postMessage({
    type: "init",
    pyodide: new URL(config.pyodide, here).href,
    sources: new URL(config.sources, here).href,
    results: new URL("results.py", here).href,
  });
  return spawned;
}

export function compute(fn, kind, args) {
  startPython();
  if (python.state === "failed") return Promise.reject(new PythonUnavailable(python.reason));
  const id = nextId++;
  stats.calls += 1;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.then((started) => started?.postMessage({ type: "call", id, fn, kind, args }));
  });
}
