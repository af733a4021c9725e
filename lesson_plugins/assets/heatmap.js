// Redraws a heatmap figure (lesson_plugins/blocks/heatmap.py draws the same at build time): each
// cell gets one of `steps` colour classes of the range (fixed, or the matrix's own).
import { valuesTable } from "./table.js";
import { el, formatNumber } from "./util.js";

export function render(figure, result, { format, values, range, steps }) {
  const flat = result.z.flat();
  let [lo, hi] = range || [Math.min(...flat), Math.max(...flat)];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const step = (v) => Math.min(steps - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * steps)));
  const cells = [el("span"), ...result.cols.map((c) => el("span", { class: "ms-col" }, c))];
  result.z.forEach((row, i) => {
    cells.push(el("span", { class: "ms-row" }, result.rows[i]));
    for (const v of row)
      cells.push(el("span", { class: `ms-h${step(v)}` }, values ? formatNumber(v, format) : ""));
  });
  const parts = [];
  if (result.ylabel) parts.push(el("p", { class: "ms-ylabel" }, result.ylabel));
  parts.push(el("div", { class: "ms-heat", style: `--cols:${result.cols.length}` }, ...cells));
  if (result.xlabel) parts.push(el("p", { class: "ms-xlabel" }, result.xlabel));
  const legend = [];
  for (let k = 0; k < steps; k++) {
    const text = k
      ? `≥ ${formatNumber(lo + ((hi - lo) * k) / steps, format)}`
      : `< ${formatNumber(lo + (hi - lo) / steps, format)}`;
    legend.push(el("li", { class: `ms-h${k}` }, text));
  }
  parts.push(el("ul", { class: "ms-scale" }, ...legend));
  figure.querySelector(".ms-chart").replaceChildren(...parts);
  const rows = result.z.map((row, i) => [result.rows[i], ...row]);
  valuesTable(figure, [result.ylabel || "row", ...result.cols], rows, format);
}

export function summary(result) {
  return `${result.rows.length} × ${result.cols.length}`;
}
