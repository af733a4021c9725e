// page.evaluate: a drag of slider `name`, one `input` event per animation frame, through `steps`.
// The latency of an event is the time from dispatching it until output `figure` shows its values
// (or those of a later event, when a busy worker coalesced it away), bar `label` being recognized
// by its `expect`ed value, including a forced style and layout of the redrawn bar. The wait for
// the next vsync is not counted: it is up to one frame whatever the widget does. Gives up on
// events not drawn after `patience` ms.
async ({ name, figure, label, steps, expect, patience }) => {
  const slider = document.querySelector(`input[type=range][name="${name}"]`);
  const output = document.querySelectorAll("figure.ms-output")[figure];
  const bar = () => output.querySelector(`.ms-bar[data-label="${label}"]`);
  const latencies = [];
  const pending = [];
  const observer = new MutationObserver(() => {
    const shown = bar() && parseFloat(bar().dataset.value);
    for (let i = pending.length - 1; i >= 0; i--) {
      if (Math.abs(expect[pending[i].step] - shown) < 1e-9) {
        bar().querySelector(".ms-value").getBoundingClientRect(); // it holds the bar
        const now = performance.now();
        for (const p of pending.splice(0, i + 1)) latencies.push(now - p.start);
        break;
      }
    }
  });
  const options = { subtree: true, childList: true, attributes: true, characterData: true };
  observer.observe(output, options);
  for (let step = 0; step < steps.length; step++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    slider.value = steps[step];
    pending.push({ step, start: performance.now() });
    slider.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const deadline = performance.now() + patience;
  while (pending.length && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  observer.disconnect();
  return { latencies, lost: pending.length };
};
