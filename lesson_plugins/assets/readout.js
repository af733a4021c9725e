// Redraws a readout figure (lesson_plugins/blocks/readout.py renders it at build time).
import { el, formatNumber, pyRepr } from "./util.js";

export function render(figure, { labels, values }, { format }) {
  const list = figure.querySelector("dl");
  list.replaceChildren(
    ...labels.flatMap((label, i) => [
      el("dt", {}, label),
      el(
        "dd",
        { class: "ms-item", "data-label": label, "data-value": pyRepr(values[i]) },
        formatNumber(values[i], format),
      ),
    ]),
  );
}

export function summary({ labels, values }, { format }) {
  return labels.map((label, i) => `${label} ${formatNumber(values[i], format)}`).join(", ");
}
