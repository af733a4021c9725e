// Run the site's Python worker (lesson_plugins/assets/worker.js, unchanged) under Node 20, on
// real Pyodide, and print its answers to the calls given.
//
//   node worker_run.mjs PYODIDE_DIST FOLDER CALLS_JSON
//
// FOLDER holds what a site serves next to worker.js: results.py and sources.zip (the compute
// modules). CALLS_JSON is a list of {fn, kind, args}, sent as the page sends them
// (assets/runtime.js compute). Prints one JSON list of the worker's replies, in order.
// Node lacks what a browser worker has, so this file provides it: `self` (the worker's global),
// its `name` (the boot data assets/boot.js writes), `postMessage`, `addEventListener` (the
// worker's watch for uncaught errors: Node reports those itself) and `fetch` for file: URLs.
// Pyodide under Node takes its indexURL as a file path, not the URL a browser gets: a module
// hook hands worker.js a loadPyodide that turns the one into the other.
import { readFile } from "node:fs/promises";
import { register } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const HOOKS = `
export async function load(url, context, nextLoad) {
  if (!url.endsWith("/pyodide.mjs")) return nextLoad(url, context);
  const source = \`import { loadPyodide as load } from \${JSON.stringify(url + "?node")};
import { fileURLToPath } from "node:url";
export const loadPyodide = (o) => load({ ...o, indexURL: fileURLToPath(o.indexURL) });\`;
  return { format: "module", source, shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);

const [dist, folder, calls] = process.argv.slice(2);
const base = pathToFileURL(resolve(folder) + "/").href;
globalThis.self = globalThis;
globalThis.addEventListener ??= () => {};
globalThis.name = JSON.stringify({
  pyodide: pathToFileURL(resolve(dist) + "/").href,
  sources: "sources.zip",
  sums: null,
  base: new URL("worker.js", base).href,
});
const networkFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = resource instanceof Request ? resource.url : String(resource);
  if (!url.startsWith("file:")) return networkFetch(resource, options);
  try {
    return new Response(await readFile(new URL(url)));
  } catch {
    return new Response("", { status: 404, statusText: "Not Found" });
  }
};
const replies = [];
let heard = () => {};
globalThis.postMessage = (message) => {
  replies.push(message);
  heard();
};
const next = () => new Promise((done) => (heard = done));

const worker = new URL("../../lesson_plugins/assets/worker.js", import.meta.url);
await import(worker.href);
await next(); // "ready" or "failed"
if (replies[0].type === "ready") {
  for (const [i, call] of JSON.parse(calls).entries()) {
    const answered = next();
    self.onmessage({ data: { type: "call", id: i + 1, ...call } });
    await answered;
  }
}
console.log(JSON.stringify(replies));
