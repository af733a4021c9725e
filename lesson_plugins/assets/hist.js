// Redraws a hist figure (lesson_plugins/blocks/hist.py draws the same at build time; the values
// are binned in Python, lesson_plugins/results.py).
import { SIZE, axis, coord, frame, position, svgEl } from "./chart.js";
import { valuesTable } from "./table.js";
import { formatNumber } from "./util.js";

export function render(figure, result, options) {
  const { edges, counts } = result;
  const names = Object.keys(counts);
  const all = [0, ...Object.values(counts).flat()];
  if (options.x.log && edges[0] <= 0)
    throw new Error(`xscale: log needs values > 0, got ${edges[0]}`);
  const xa = axis(edges, options.x);
  const ya = axis(all, options.y);
  const svg = frame(figure, xa, ya, result, names, options.legend);
  names.forEach((name, i) => {
    counts[name].forEach((count, j) => {
      const [a, b] = [position(xa, edges[j]), position(xa, edges[j + 1])];
      const width = (b - a) / names.length;
      const top = 1 - position(ya, count);
      svg.append(
        svgEl("rect", {
          class: `ms-c${i % 6}`,
          x: coord((a + width * i) * SIZE),
          y: coord(top * SIZE),
          width: coord(width * SIZE),
          height: coord((1 - top) * SIZE),
        }),
      );
    });
  });
  const bin = (j) => `${formatNumber(edges[j], ".4g")} – ${formatNumber(edges[j + 1], ".4g")}`;
  const rows = edges.slice(1).map((_, j) => [bin(j), ...names.map((n) => counts[n][j])]);
  valuesTable(figure, [result.xlabel || "bin", ...names], rows, options.format);
}

export function summary(result) {
  return Object.keys(result.counts).join(", ");
}
