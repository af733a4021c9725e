// Redraws a scatter figure (lesson_plugins/blocks/scatter.py draws the same at build time).
import { axis, frame, svgEl, xAt, yAt } from "./chart.js";
import { valuesTable } from "./table.js";

function check(values, spec, name) {
  if (spec.log && values.some((v) => v <= 0))
    throw new Error(`${name}scale: log needs values > 0, got ${values.find((v) => v <= 0)}`);
}

export function render(figure, result, options) {
  const series = Object.entries(result.series);
  const all = (k) => series.flatMap(([, p]) => p[k]);
  check(all("x"), options.x, "x");
  check(all("y"), options.y, "y");
  const xa = axis(all("x"), options.x);
  const ya = axis(all("y"), options.y);
  const svg = frame(figure, xa, ya, result, Object.keys(result.series), options.legend);
  series.forEach(([, p], i) => {
    const d = p.x.map((x, j) => `M${xAt(xa, x)} ${yAt(ya, p.y[j])}h0`).join("");
    svg.append(svgEl("path", { class: `ms-dots ms-c${i % 6}`, d }));
  });
  const many = series.length > 1;
  const axes = [result.xlabel || "x", result.ylabel || "y"];
  const rows = series.flatMap(([name, p]) =>
    p.x.map((x, j) => [...(many ? [name] : []), x, p.y[j]]),
  );
  valuesTable(figure, many ? ["series", ...axes] : axes, rows, options.format);
}

export function summary(result) {
  return Object.keys(result.series).join(", ");
}
