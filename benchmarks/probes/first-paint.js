// Init script for a lesson page: records in window.__paint the milliseconds from navigation to
// the first animation frame in which a prerendered bar is laid out with a real number (the frame it
// is painted in: `bars`), to DOMContentLoaded (`dcl`) and to the first contentful paint (`fcp`).
window.__paint = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name === "first-contentful-paint") window.__paint.fcp = entry.startTime;
  }
}).observe({ type: "paint", buffered: true });
document.addEventListener("DOMContentLoaded", () => {
  window.__paint.dcl = performance.now();
});
(function frame() {
  const bar = document.querySelector(".ms-bar");
  const value = bar && parseFloat(bar.dataset.value);
  // the bar is its value's ::before: its used width, once laid out
  const width = () => parseFloat(getComputedStyle(bar.lastChild, "::before").width);
  if (bar && Number.isFinite(value) && value > 0 && width() > 0) {
    window.__paint.bars = performance.now();
  } else {
    requestAnimationFrame(frame);
  }
})();
