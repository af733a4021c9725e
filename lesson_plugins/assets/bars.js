// Redraws a bars figure (lesson_plugins/blocks/bars.py renders the same markup at build time).
import { config } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

export function render(figure, { labels, values }, { format, max }) {
  const list = figure.querySelector("ol");
  const bars = list.children;
  const scale = Math.max(max, ...values);
  if (bars.length !== labels.length || labels.some((l, i) => bars[i].dataset.label !== l)) {
    list.replaceChildren(
      ...labels.map((label) =>
        el(
          "li",
          { class: "ms-bar", "data-label": label },
          `${label} `,
          el("span", { class: "ms-value" }),
        ),
      ),
    );
  }
  values.forEach((value, i) => {
    const bar = bars[i];
    bar.dataset.value = pyRepr(value);
    const share = formatNumber(value / scale, config.bars.share); // of the full width
    bar.setAttribute("style", `--v:${share}`);
    bar.lastChild.textContent = formatNumber(value, format);
  });
}

export function summary({ labels, values }, { format }) {
  return labels
    .slice(0, 3)
    .map((label, i) => `${label} ${formatNumber(values[i], format)}`)
    .join(", ");
}
