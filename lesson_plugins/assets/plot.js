// Redraws a plot figure (lesson_plugins/blocks/plot.py draws the same markup at build time, with
// the axes of chart.js / blocks/chart.py). A result with "frames" is animated frame by frame,
// ending on "series", unless the reader prefers reduced motion; a replay button shows it again.
import { axis, frame, svgEl, xAt, yAt } from "./chart.js";
import { t } from "./runtime.js";
import { valuesTable } from "./table.js";
import { el } from "./util.js";

const FRAME_MS = 40;
const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

function points(xa, ya, xs, ys, step) {
  const out = [];
  xs.forEach((x, j) => {
    if (step && out.length) out.push([xAt(xa, x), out[out.length - 1][1]]);
    out.push([xAt(xa, x), yAt(ya, ys[j])]);
  });
  return out.map(([x, y]) => `${x},${y}`).join(" ");
}

function draw(figure, result, series, xa, ya, options) {
  const svg = frame(figure, xa, ya, result, Object.keys(series), options.legend);
  Object.values(series).forEach((ys, i) => {
    const c = `ms-c${i % 6}`;
    svg.append(
      svgEl("polyline", {
        class: `ms-line ${c}`,
        points: points(xa, ya, result.x, ys, options.step),
      }),
    );
    if (options.markers) {
      const d = result.x.map((x, j) => `M${xAt(xa, x)} ${yAt(ya, ys[j])}h0`).join("");
      svg.append(svgEl("path", { class: `ms-dots ${c}`, d }));
    }
  });
}

const ysOf = (result) =>
  [result.series, ...(result.frames || [])].flatMap((s) => Object.values(s).flat());

function check(values, spec, name) {
  if (spec.log && values.some((v) => v <= 0))
    throw new Error(`${name}scale: log needs values > 0, got ${values.find((v) => v <= 0)}`);
}

function play(figure, result, options) {
  check(result.x, options.x, "x");
  check(ysOf(result), options.y, "y");
  const xa = axis(result.x, options.x);
  const ya = axis(ysOf(result), options.y);
  const frames = reduced.matches ? [] : result.frames || [];
  const token = (figure.msAnimation = {});
  const step = (i) => {
    if (figure.msAnimation !== token) return; // a newer result took over
    draw(figure, result, i < frames.length ? frames[i] : result.series, xa, ya, options);
    if (i < frames.length) setTimeout(() => requestAnimationFrame(() => step(i + 1)), FRAME_MS);
  };
  step(0);
}

// A plot whose result has frames gets a replay button, which redraws the current state.
export function attach(figure, redraw) {
  const chart = figure.querySelector(".ms-chart[data-ms-frames]");
  if (!chart || figure.querySelector(".ms-replay")) return;
  const button = el("button", { type: "button", class: "ms-replay" }, t("plot_replay"));
  button.addEventListener("click", redraw);
  chart.after(button);
}

export function render(figure, result, options) {
  play(figure, result, options);
  const names = Object.keys(result.series);
  const rows = result.x.map((x, j) => [x, ...names.map((n) => result.series[n][j])]);
  valuesTable(figure, [result.xlabel || "x", ...names], rows, options.format);
}

export function summary(result) {
  return Object.keys(result.series).join(", ");
}
