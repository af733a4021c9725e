// Init script for a lesson page: from DOMContentLoaded on, moves slider ARGS.name to ARGS.value
// (again every 20 ms, in case the widget attaches later) until the first bar of output ARGS.figure
// (an index among the page's figure.ms-output) shows a value other than the prerendered one, and
// records that moment in window.__live (ms from navigation). With that output beyond the precompute
// limit, only Python in the worker can change it.
(({ name, figure, value }) => {
  window.__live = null;
  document.addEventListener("DOMContentLoaded", () => {
    const slider = document.querySelector(`input[type=range][name="${name}"]`);
    const output = document.querySelectorAll("figure.ms-output")[figure];
    const bar = () => output.querySelector("tr.ms-bar");
    const before = bar().dataset.value;
    const check = () => {
      if (!window.__live && bar() && bar().dataset.value !== before) {
        window.__live = performance.now();
      }
    };
    const options = { subtree: true, childList: true, attributes: true };
    new MutationObserver(check).observe(output, options);
    let timer = null;
    const poke = () => {
      if (window.__live) return clearInterval(timer);
      slider.value = value;
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    };
    timer = setInterval(poke, 20);
    poke();
  });
})(ARGS);
