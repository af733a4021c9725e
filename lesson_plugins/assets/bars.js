// Redraws a bars figure (lesson_plugins/blocks/bars.py renders the same markup at build time).
import { config } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

export function render(figure, { labels, values }, { format, max }) {
  const body = figure.querySelector("tbody");
  const scale = Math.max(max, ...values);
  const same =
    body.rows.length === labels.length && labels.every((l, i) => body.rows[i].dataset.label === l);
  if (!same) {
    body.replaceChildren(
      ...labels.map((label) =>
        el(
          "tr",
          { class: "ms-bar", "data-label": label },
          el("th", { scope: "row" }, label),
          el("td", {}, el("span", { class: "ms-fill" }), el("span", { class: "ms-value" })),
        ),
      ),
    );
  }
  values.forEach((value, i) => {
    const row = body.rows[i];
    row.dataset.value = pyRepr(value);
    const share = formatNumber(value / scale, config.bars.share); // of the full width
    row.querySelector(".ms-fill").style.setProperty("--v", share);
    row.querySelector(".ms-value").textContent = formatNumber(value, format);
  });
}

export function summary({ labels, values }, { format }) {
  return labels
    .slice(0, 3)
    .map((label, i) => `${label} ${formatNumber(values[i], format)}`)
    .join(", ");
}
