// Redraws a plot figure (lesson_plugins/blocks/plot.py draws the same SVG at build time, with the
// geometry and number formats it sends in the page's ms-config). A result with "frames" is
// animated frame by frame, ending on "series", unless the reader prefers reduced motion; a replay
// button shows it again.
import { config, t } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

const { width: WIDTH, height: HEIGHT, left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM } =
  config.plot;
const tick = (value) => formatNumber(value, config.plot.tick);
const at = (value) => formatNumber(value, config.plot.point); // a coordinate of a line's point
const SVG = "http://www.w3.org/2000/svg";
const FRAME_MS = 40;
const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

function extent(values) {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low > 0 && low < high / 2) low = 0;
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 0.5;
    [low, high] = [low - pad, high + pad];
  }
  return [low, high];
}

function svgEl(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function draw(svg, result, series, xr, yr) {
  const sx = (WIDTH - LEFT - RIGHT) / (xr[1] - xr[0]);
  const sy = (HEIGHT - TOP - BOTTOM) / (yr[1] - yr[0]);
  const [bottom, right] = [HEIGHT - BOTTOM, WIDTH - RIGHT];
  const parts = [svgEl("path", { class: "ms-axis", d: `M${LEFT} ${TOP}V${bottom}H${right}` })];
  const ticks = [
    [LEFT, bottom + 16, "start", xr[0]],
    [right, bottom + 16, "end", xr[1]],
    [LEFT - 6, bottom, "end", yr[0]],
    [LEFT - 6, TOP + 10, "end", yr[1]],
  ];
  for (const [x, y, anchor, value] of ticks) {
    parts.push(svgEl("text", { x, y, "text-anchor": anchor }, tick(value)));
  }
  if (result.xlabel) {
    const x = Math.floor((LEFT + right) / 2);
    parts.push(svgEl("text", { x, y: HEIGHT - 4, "text-anchor": "middle" }, result.xlabel));
  }
  if (result.ylabel) parts.push(svgEl("text", { x: LEFT + 6, y: TOP + 10 }, result.ylabel));
  Object.values(series).forEach((ys, i) => {
    const points = ys.map(
      (y, j) => `${at(LEFT + (result.x[j] - xr[0]) * sx)},${at(bottom - (y - yr[0]) * sy)}`,
    );
    parts.push(svgEl("polyline", { class: `ms-line ms-c${i % 6}`, points: points.join(" ") }));
  });
  svg.replaceChildren(...parts);
}

function table(figure, result, format) {
  const names = Object.keys(result.series);
  const head = figure.querySelector(".ms-values thead tr");
  head.replaceChildren(
    ...[result.xlabel || "x", ...names].map((n) => el("th", { scope: "col" }, n)),
  );
  const columns = [result.x, ...Object.values(result.series)];
  figure
    .querySelector(".ms-values tbody")
    .replaceChildren(
      ...result.x.map((_, j) =>
        el(
          "tr",
          {},
          ...columns.map((c) =>
            el("td", { "data-value": pyRepr(c[j]) }, formatNumber(c[j], format)),
          ),
        ),
      ),
    );
}

function legend(figure, result) {
  figure
    .querySelector(".ms-legend")
    .replaceChildren(
      ...Object.keys(result.series).map((name, i) =>
        el("li", {}, el("span", { class: `ms-swatch ms-c${i % 6}` }), el("span", {}, name)),
      ),
    );
}

function play(figure, result) {
  const svg = figure.querySelector("svg");
  const xr = extent(result.x);
  const all = [result.series, ...(result.frames || [])].flatMap((s) => Object.values(s).flat());
  const yr = extent(all);
  const frames = reduced.matches ? [] : result.frames || [];
  const token = (figure.msAnimation = {});
  const step = (i) => {
    if (figure.msAnimation !== token) return; // a newer result took over
    draw(svg, result, i < frames.length ? frames[i] : result.series, xr, yr);
    if (i < frames.length) setTimeout(() => requestAnimationFrame(() => step(i + 1)), FRAME_MS);
  };
  step(0);
}

// A plot whose result has frames gets a replay button, which redraws the current state.
export function attach(figure, redraw) {
  if (!figure.querySelector("svg[data-ms-frames]") || figure.querySelector(".ms-replay")) return;
  const button = el("button", { type: "button", class: "ms-replay" }, t("plot_replay"));
  button.addEventListener("click", redraw);
  figure.querySelector("svg").after(button);
}

export function render(figure, result, { format }) {
  play(figure, result);
  legend(figure, result);
  table(figure, result, format);
}

export function summary(result) {
  return Object.keys(result.series).join(", ");
}
