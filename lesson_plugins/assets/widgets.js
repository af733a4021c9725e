// Sliders and choices drive the page's outputs (bars, readouts, plots, scatters, hists, heatmaps).
//
// Each output's data (<template class="ms-data">, written by lesson_plugins/widgets.py) names its
// compute function, the controls it depends on, and, when precomputed, where its result at every
// combination of their states is: in the page's data file (lesson_plugins/pagedata.py). A
// control's `input` redraws its outputs: from the precomputed table when there is one (exact,
// instant once the file is here), else through the Pyodide worker, one request per output in
// flight and only the latest value queued behind it (a fast drag coalesces). An output whose
// table cannot be fetched is computed by Python instead.
import * as bars from "./bars.js";
import * as heatmap from "./heatmap.js";
import * as hist from "./hist.js";
import * as plot from "./plot.js";
import * as readout from "./readout.js";
import {
  PythonUnavailable,
  announce,
  compute,
  onPage,
  onPython,
  pageData,
  startPython,
  t,
} from "./runtime.js";
import * as scatter from "./scatter.js";
import { el, formatNumber, gridCount, gridPosition, precomputed } from "./util.js";

const KINDS = { bars, readout, plot, scatter, hist, heatmap };
let live = []; // the live-Python outputs of the page shown
let python = { state: "idle" };

function control(element) {
  const range = element.querySelector("input[type=range]");
  if (range) {
    const [min, max, step] = [range.min, range.max, range.step].map(Number);
    const shown = element.querySelector("output");
    return {
      count: gridCount(min, max, step),
      moved: () => Number(range.value) !== Number(range.defaultValue),
      value: () => Number(range.value),
      position: () => gridPosition(Number(range.value), min, step),
      sync() {
        const text = formatNumber(Number(range.value), element.dataset.msFormat);
        shown.textContent = text;
        range.setAttribute("aria-valuetext", text);
      },
    };
  }
  const select = element.querySelector("select");
  const radios = [...element.querySelectorAll("input[type=radio]")];
  const options = select ? [...select.options].map((o) => o.value) : radios.map((r) => r.value);
  const value = () => (select ? select.value : radios.find((r) => r.checked)?.value);
  const inputs = select ? [...select.options] : radios;
  const moved = () =>
    inputs.some((i) =>
      select ? i.selected !== i.defaultSelected : i.checked !== i.defaultChecked,
    );
  return {
    count: options.length,
    moved,
    value,
    position: () => options.indexOf(value()),
    sync() {},
  };
}

class Output {
  constructor(figure, controls) {
    this.figure = figure;
    const template = figure.querySelector("template.ms-data");
    this.data = JSON.parse(template.content.textContent);
    this.file = template.dataset.msFile; // where the precomputed states are
    this.controls = this.data.params.map((name) => controls.get(name));
    this.status = figure.querySelector(".ms-status"); // made when a precomputed one needs it
    this.kind = KINDS[this.data.kind];
    this.busy = false;
    this.queued = false;
    this.show(this.data.states ? "precomputed" : "loading");
    this.kind.attach?.(figure, () => this.update());
  }

  show(state, text = "") {
    this.figure.dataset.msState = state;
    text ||= { loading: t("python_loading"), ready: t("python_ready") }[state] || "";
    if (text) this.status ??= this.figure.appendChild(el("p", { class: "ms-status" }));
    if (this.status) this.status.textContent = text;
  }

  async update() {
    if (!this.data.states) return this.request();
    let states;
    try {
      states = (await pageData(this.file)).states[this.data.states.at];
    } catch (error) {
      const caption = this.figure.querySelector("figcaption").textContent;
      console.error(`microscale: no precomputed states for "${caption}"; asking Python`, error);
      this.data.states = null; // from now on a live output (compute() starts Python)
      return this.request();
    }
    const positions = this.controls.map((c) => c.position());
    this.draw(precomputed(states, positions, this.controls.map((c) => c.count)));
  }

  draw(result) {
    this.kind.render(this.figure, result, this.data.options);
    const caption = this.figure.querySelector("figcaption").textContent;
    announce(`${caption}: ${this.kind.summary(result, this.data.options)}`, this.figure);
  }

  async request() {
    if (this.busy) {
      this.queued = true; // computed when the request in flight returns: the latest value only
      return;
    }
    this.busy = true;
    this.figure.setAttribute("aria-busy", "true");
    const args = Object.fromEntries(
      this.data.params.map((name, i) => [name, this.controls[i].value()]),
    );
    this.figure.classList.add("ms-stale");
    try {
      this.draw(await compute(this.data.fn, this.data.kind, args));
      this.figure.classList.remove("ms-stale");
      this.show("ready");
    } catch (error) {
      if (error instanceof PythonUnavailable)
        this.show("failed", t("python_failed", { reason: error.message }));
      else this.show("error", t("python_error", { message: error.message }));
    } finally {
      this.busy = false;
      this.figure.removeAttribute("aria-busy");
      if (this.queued) {
        this.queued = false;
        this.request();
      }
    }
  }

  python({ state, reason }) {
    if (this.busy || this.figure.dataset.msState === "error") return;
    if (state === "failed") this.show("failed", t("python_failed", { reason }));
    else this.show(state === "ready" ? "ready" : "loading");
  }
}

onPython((state) => {
  python = state;
  live.forEach((output) => output.python(python));
});

onPage((root) => {
  const controls = new Map();
  for (const element of root.querySelectorAll("[data-ms-param]")) {
    controls.set(element.dataset.msParam, { element, ...control(element) });
  }
  const outputs = [...root.querySelectorAll("figure.ms-output")].map(
    (f) => new Output(f, controls),
  );
  live = outputs.filter((output) => !output.data.states);
  if (live.length) {
    live.forEach((output) => output.python(python));
    startPython();
  }
  for (const [name, c] of controls) {
    const changed = () => {
      c.sync();
      outputs.filter((o) => o.data.params.includes(name)).forEach((o) => o.update());
    };
    c.element.addEventListener("input", changed);
    if (c.moved()) changed(); // the browser restored a control's state (reload, history)
  }
});
