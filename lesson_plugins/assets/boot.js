// Starts the Python worker (worker.js) from the page's <head>, before the stylesheets: a classic
// script, inlined by lesson_plugins/browser.py into every page, with its last line only on a page
// the build marked as having an output only Python can update. runtime.js adopts the worker,
// with the messages it sent meanwhile, or calls microscaleStart itself (after instant
// navigation to such a page). `url` is worker.js's absolute URL; `config` is the page's ms-config,
// whose URLs are relative to worker.js.
// `source`, when given, is worker.js itself, inlined in the page: the worker starts from a blob:
// URL, with no request for its script. Chromium holds a worker's script request (low priority)
// back while the page's stylesheets and scripts load, 50 to 300 ms on a lesson page
// (docs/benchmarks/site.md). Where a Content-Security-Policy forbids blob: workers, the worker
// starts from `url` instead. `own`: a worker of its own (the code exercises'), not the page's.
window.microscaleStart = function (url, config, source, own) {
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
    // What the URLs above are relative to: worker.js's absolute URL (a blob: URL is no base).
    base: String(url),
  };
  var options = { type: "module", name: JSON.stringify(init) };
  // runtime.js takes the messages through `receive`; those that came before it are in `messages`.
  // It sends through `post`, which keeps what it sent until the worker first answers.
  var started = { worker: null, messages: [], receive: null, sent: [] };
  started.post = function (message) {
    if (started.sent) started.sent.push(message);
    started.worker.postMessage(message);
  };
  function hear(data) {
    started.sent = null;
    if (started.receive) started.receive(data);
    else started.messages.push(data);
  }
  function spawn(from) {
    started.worker = new Worker(from, options);
    started.worker.onmessage = function (event) {
      hear(event.data);
    };
    started.worker.onerror = function (event) {
      event.preventDefault();
      hear({ type: "failed", reason: event.message });
    };
  }
  var blob = source && URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  if (!blob) spawn(url);
  else {
    // Chromium reports a blocked blob: worker only as this event: the worker just never runs.
    document.addEventListener("securitypolicyviolation", function (event) {
      if (!started.sent || event.effectiveDirective !== "worker-src") return;
      if (event.blockedURI !== blob && event.blockedURI !== "blob") return;
      started.worker.terminate();
      spawn(url);
      started.sent.forEach(function (message) {
        started.worker.postMessage(message);
      });
    });
    try {
      spawn(blob);
    } catch (error) {
      spawn(url); // a browser that refuses it at once
    }
  }
  if (!own) window.microscaleWorker = started;
  return started;
};
microscaleStart(new URL(WORKER, document.baseURI), JSON.parse(document.getElementById("ms-config").textContent), document.getElementById("ms-worker").textContent);
