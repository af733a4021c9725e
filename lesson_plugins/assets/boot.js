// Starts the Python worker (worker.js) from the page's <head>, before the stylesheets: a classic
// script, inlined by lesson_plugins/browser.py into every page, with its last line only on a page
// the build marked as having an output only Python can update. runtime.js adopts the worker,
// with the messages it sent meanwhile, or calls microscaleStart itself (after instant
// navigation to such a page). `config` is the page's ms-config; URLs are relative to worker.js.
window.microscaleStart = function (url, config) {
  var messages = [];
  var sw = navigator.serviceWorker;
  // The worker's name carries what it needs to boot, so that it starts at once: a message posted
  // now would wait for a free moment of this page's main thread (about DOMContentLoaded) to be
  // handed over, the worker idle meanwhile.
  var init = {
    pyodide: config.pyodide,
    sources: config.sources,
    // A CDN's files: the worker checks their sha256 itself, unless the service worker serves
    // this page (it checks them before it keeps them, and before it hands over one it lacks).
    // On plain http (not localhost) there is no crypto.subtle to check with, and nothing to
    // protect: whoever could swap a CDN file could swap the page itself.
    sums: (sw && sw.controller) || !window.isSecureContext ? null : config.sums || null,
  };
  var worker = new Worker(url, { type: "module", name: JSON.stringify(init) });
  worker.onmessage = function (event) {
    messages.push(event.data);
  };
  worker.onerror = function (event) {
    event.preventDefault();
    messages.push({ type: "failed", reason: event.message });
  };
  return (window.microscaleWorker = { worker: worker, messages: messages });
};
microscaleStart(WORKER, JSON.parse(document.getElementById("ms-config").textContent));
