// Starts the Python worker (worker.js) from the page's <head>, before the stylesheets (on a phone
// or a slow connection: once the page has loaded, see the end of microscaleStart): a classic
// script, inlined by lesson_plugins/browser.py into every page, followed by the line that calls it
// (browser.START) only on a page the build marked as having an output only Python can update.
// runtime.js adopts the worker, with the messages it sent meanwhile, or calls microscaleStart
// itself (after instant navigation to such a page). runtime.js also imports this file as a module,
// so that Python starts where a Content-Security-Policy refuses inline scripts.
// `url` is worker.js's absolute URL; `config` is the page's ms-config, whose URLs are relative to
// worker.js.
// `source`, when given, is worker.js itself, inlined in the page: the worker starts from a blob:
// URL, with no request for its script. Chromium holds a worker's script request (low priority)
// back while the page's stylesheets and scripts load, 50 to 300 ms on a lesson page
// (docs/benchmarks/site.md). Where a Content-Security-Policy forbids blob: workers, the worker
// starts from `url` instead. `own`: a worker of its own (the code exercises'), not the page's.
window.microscaleStart = function (url, config, source, own) {
  // The worker's name carries what it needs to boot, so that it starts at once: a message posted
  // now would wait for a free moment of this page's main thread (about DOMContentLoaded) to be
  // handed over, the worker idle meanwhile.
  var init = {
    pyodide: config.pyodide,
    sources: config.sources,
    // A CDN's files: the worker checks their sha256 itself, also when the service worker serves
    // this page (it checks them too, but its cache is shared with every page of the origin).
    // On plain http (not localhost) there is no crypto.subtle to check with, and nothing to
    // protect: whoever could swap a CDN file could swap the page itself.
    sums: window.isSecureContext ? config.sums || null : null,
    // What the URLs above are relative to: worker.js's absolute URL (a blob: URL is no base).
    base: String(url),
  };
  var options = { type: "module", name: JSON.stringify(init) };
  // runtime.js takes the messages through `receive`; those that came before it are in `messages`.
  // It sends through `post`, which keeps what it sent until the worker first answers.
  var started = { worker: null, messages: [], receive: null, sent: [] };
  started.post = function (message) {
    if (started.sent) started.sent.push(message);
    if (!started.worker) begin(); // a call before the deferred start: start now
    started.worker.postMessage(message);
  };
  function hear(data) {
    started.sent = null;
    if (started.receive) started.receive(data);
    else started.messages.push(data);
  }
  // Only the current worker is heard: a refused blob: worker's late error, after the worker from
  // `url` replaced it, says nothing about Python.
  function spawn(from) {
    var worker = (started.worker = new Worker(from, options));
    worker.onmessage = function (event) {
      if (worker === started.worker) hear(event.data);
    };
    worker.onerror = function (event) {
      event.preventDefault();
      if (worker === started.worker) hear({ type: "failed", reason: event.message });
    };
  }
  function begin() {
    if (started.worker) return;
    var blob = source && URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    if (!blob) return spawn(url);
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
  // On a phone, or on a slow or save-data connection, the worker's downloads (8 MB gzip) and
  // its WebAssembly compile would compete with the page's first paint and scripts for the link
  // and the cores: there it starts once the page has loaded, or at the first call if that comes
  // first. Elsewhere at once (docs/benchmarks/site.md, "Lighthouse").
  var c = navigator.connection || {};
  var later = (navigator.userAgentData || {}).mobile || matchMedia("(pointer: coarse)").matches;
  if ((later || c.saveData || /2g|3g/.test(c.effectiveType)) && document.readyState != "complete")
    addEventListener("load", begin);
  else begin();
  if (!own) window.microscaleWorker = started;
  return started;
};
