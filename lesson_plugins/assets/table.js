// Tables of values (blocks/output.py), waiting in a <template> until opened (ondemand.py).
import { onPage, t } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

const SHOWN = ":scope > table";

export function valuesTable(figure, headers, rows, format) {
  const details = figure.querySelector("details.ms-values");
  const table = details.querySelector(SHOWN) || details.lastElementChild.content.firstElementChild;
  table.tHead.rows[0].replaceChildren(...headers.map((h) => el("th", { scope: "col" }, h)));
  table.tBodies[0].replaceChildren(
    ...rows.map((cells) =>
      el(
        "tr",
        {},
        ...cells.map((c) =>
          typeof c === "string"
            ? el("th", { scope: "row" }, c)
            : el("td", { "data-value": pyRepr(c) }, formatNumber(c, format)),
        ),
      ),
    ),
  );
  const ranges = headers.flatMap((name, i) => {
    const c = rows.map((cells) => cells[i]);
    if (!c.length || c.some((v) => typeof v != "number")) return [];
    const [low, high] = [Math.min(...c), Math.max(...c)].map((v) => formatNumber(v, format));
    return [t("values_range", { name, low, high })];
  });
  const count = t("values_rows", { rows: rows.length });
  details.firstElementChild.textContent = `${t("plot_table")} ${count}`;
  figure.querySelector(".ms-values-summary").textContent = ranges.join(t("values_separator"));
}

onPage((root) => {
  for (const details of root.querySelectorAll("details.ms-values")) {
    const show = () => details.open && details.append(details.lastElementChild.content ?? "");
    details.addEventListener("toggle", show);
    show();
  }
});
