// Init script for a lesson page: at DOMContentLoaded, moves slider ARGS.name to ARGS.value, as a
// reader would, and records in window.__live (ms from navigation) when the first bar of output
// ARGS.figure (an index among the page's figure.ms-output) first shows a value other than the
// prerendered one. With that output beyond the precompute limit, only Python in the worker can
// change it: the widget sends the call at once and the worker answers it as soon as Python is
// ready. The slider is moved again only if the output's state changes first (a widget that was
// not listening yet), never on a timer: a busy main thread would compete with Python.
(({ name, figure, value }) => {
  window.__live = null;
  document.addEventListener("DOMContentLoaded", () => {
    const slider = document.querySelector(`input[type=range][name="${name}"]`);
    const output = document.querySelectorAll("figure.ms-output")[figure];
    const bar = () => output.querySelector(".ms-bar");
    const before = bar().dataset.value;
    let state = output.dataset.msState;
    const move = () => {
      slider.value = value;
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    };
    const check = () => {
      if (window.__live) return;
      if (bar() && bar().dataset.value !== before) window.__live = performance.now();
      else if (output.dataset.msState !== state) {
        state = output.dataset.msState;
        move();
      }
    };
    const options = { subtree: true, childList: true, attributes: true };
    new MutationObserver(check).observe(output, options);
    move();
  });
})(ARGS);
