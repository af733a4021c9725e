// Init script: records in window.__timeline when the page creates its (first) Worker and when
// each type of message first comes back from it ("ready", "result"; a bare value counts as a
// result), in ms from navigation. It tells where the time to live Python goes.
window.__timeline = {};
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    window.__timeline.worker ??= performance.now();
    this.addEventListener("message", ({ data }) => {
      window.__timeline[data?.type ?? "result"] ??= performance.now();
    });
  }
};
