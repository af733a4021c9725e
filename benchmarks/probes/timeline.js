// Init script: records in window.__timeline, in ms from navigation, DOMContentLoaded (`dcl`),
// when the page creates its Python worker (`worker`) and when each type of message first comes
// back from it (`ready`, `result`; a bare value counts as a result): where the time to live Python
// goes. Material's search worker (assets/javascripts/workers/) is not ours and is left alone.
window.__timeline = {};
document.addEventListener("DOMContentLoaded", () => {
  window.__timeline.dcl = performance.now();
});
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    if (String(args[0]).includes("/javascripts/workers/")) return;
    window.__timeline.worker ??= performance.now();
    this.addEventListener("message", ({ data }) => {
      window.__timeline[data?.type ?? "result"] ??= performance.now();
    });
  }
};
