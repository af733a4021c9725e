// Axes for plot, scatter and hist: the browser's side of lesson_plugins/blocks/chart.py, which
// documents the markup. Same arithmetic, step by step (the browser tests compare the markup).
import { el, formatNumber } from "./util.js";

export const SIZE = 1000;
const TICKS = 5;
const SVG = "http://www.w3.org/2000/svg";

const exponent = (x) => Number(Math.abs(x).toExponential(16).split("e")[1]);
const power = (e) => Number(`1e${e}`);
export const coord = (x) => String(Math.floor(x * 10 + 0.5) / 10);

function extent(values, log, fromZero) {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (log) return low === high ? [low / 2, high * 2] : [low, high];
  if (fromZero && low > 0 && low < high / 2) low = 0;
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 0.5;
    return [low - pad, high + pad];
  }
  return [low, high];
}

// {lo, hi, log, ticks, format} over `values`, or over spec.fixed (chart.axis_options).
export function axis(values, { fixed, log, extend }) {
  let [lo, hi] = fixed || extent(values, log, extend);
  extend = extend && !fixed;
  const ticks = [];
  if (log) {
    const e0 = exponent(lo);
    let e1 = exponent(hi);
    if (power(e1) < hi) e1 += 1;
    if (extend) [lo, hi] = [power(e0), power(e1)];
    const every = Math.max(1, Math.ceil((e1 - e0) / TICKS));
    for (let e = e0; e <= e1; e += every) ticks.push(power(e));
    const multiples = e1 - e0 <= 1 ? [2, 3, 5] : e1 - e0 === 2 ? [2, 5] : [];
    for (let e = e0; e < e1; e++) for (const m of multiples) ticks.push(m * power(e));
    const kept = ticks.filter((t) => lo * (1 - 1e-9) <= t && t <= hi * (1 + 1e-9));
    if (kept.length < 2) return { ...axis(values, { fixed: [lo, hi], log: false }), log: true };
    return { lo, hi, log, ticks: kept.sort((a, b) => a - b), format: "g" };
  }
  const raw = (hi - lo) / TICKS;
  const base = power(exponent(raw));
  const step = [1, 2, 5, 10].map((m) => m * base).find((s) => s >= raw);
  if (extend) [lo, hi] = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  const last = Math.floor(hi / step + 1e-9);
  // + 0: Math.ceil(-0.2) is -0 where Python's math.ceil gives 0 (and "-0" would be its label).
  for (let k = Math.ceil(lo / step - 1e-9); k <= last; k++) ticks.push(k * step + 0);
  const places = Math.max(0, -exponent(step));
  const small = places <= 6 && Math.max(Math.abs(lo), Math.abs(hi)) < 1e6;
  return { lo, hi, log, ticks, format: small ? `.${places}f` : ".3g" };
}

export function position(a, value) {
  if (a.log) return Math.log(value / a.lo) / Math.log(a.hi / a.lo);
  return (value - a.lo) / (a.hi - a.lo);
}
export const xAt = (a, v) => coord(position(a, v) * SIZE);
export const yAt = (a, v) => coord((1 - position(a, v)) * SIZE);

export function svgEl(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

// Redraws figure's .ms-chart (chart.frame); returns its SVG, for the marks.
export function frame(figure, xa, ya, result, names, legend) {
  const chart = figure.querySelector(".ms-chart");
  const parts = [];
  if (legend !== "none")
    parts.push(
      el(
        "ul",
        { class: "ms-legend" },
        ...names.map((name, i) => el("li", { class: `ms-c${i % 6}` }, name)),
      ),
    );
  if (result.ylabel) parts.push(el("p", { class: "ms-ylabel" }, result.ylabel));
  const labels = ya.ticks.map((t) => formatNumber(t, ya.format));
  const width = Math.max(1, ...labels.map((l) => l.length));
  const svg = svgEl("svg", {
    viewBox: `0 0 ${SIZE} ${SIZE}`,
    preserveAspectRatio: "none",
    class: "ms-svg",
  });
  const grid = ya.ticks.map((t) => `M0 ${yAt(ya, t)}H${SIZE}`).join("");
  svg.append(svgEl("path", { class: "ms-grid", d: grid || "M0 0" }));
  const tick = (a, t, label, c) => el("span", { class: c, style: `--p:${xAt(a, t)}` }, label);
  parts.push(
    el(
      "div",
      { class: "ms-frame", style: `--ch:${width}` },
      el("div", { class: "ms-area" }, svg),
      ...ya.ticks.map((t, i) => tick(ya, t, labels[i], "ms-ytick")),
      ...xa.ticks.map((t) => tick(xa, t, formatNumber(t, xa.format), "ms-xtick")),
    ),
  );
  if (result.xlabel) parts.push(el("p", { class: "ms-xlabel" }, result.xlabel));
  chart.replaceChildren(...parts);
  return svg;
}
