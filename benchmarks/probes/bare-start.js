// Put at the top of the <head> of a page built without the plugin: starts the bare page's worker
// (bare-worker.js: Pyodide 0.27.7 + numpy, one softmax) the way assets/boot.js starts the
// lesson's, as a classic inline script, so the page is "this Material page + Pyodide + numpy"
// with none of the plugin's work. WORKER_URL is replaced with the worker's URL.
var benchWorker = new Worker("WORKER_URL", { type: "module" });
benchWorker.onmessage = function (event) {
  window.benchResult = { value: event.data, at: performance.now() };
};
