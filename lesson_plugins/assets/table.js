// A chart's "values as a table", redrawn as blocks/output.py:values_table and ondemand.py write it:
// in a <template> until its disclosure opens, its row count and column ranges shown.
import { onPage, t } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

const SHOWN = ":scope > table";

export function valuesTable(figure, headers, rows, format) {
  const details = figure.querySelector("details.ms-values");
  const table =
    details.querySelector(SHOWN) || details.querySelector("template").content.firstElementChild;
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
    const column = rows.map((cells) => cells[i]);
    if (!column.length || column.some((c) => typeof c !== "number")) return [];
    const [low, high] = [Math.min(...column), Math.max(...column)].map((v) =>
      formatNumber(v, format),
    );
    return [t("values_range", { name, low, high })];
  });
  details.querySelector(".ms-values-rows").textContent = t("values_rows", { rows: rows.length });
  const summary = figure.querySelector(".ms-values-summary");
  if (summary) summary.textContent = ranges.join(t("values_separator"));
}

onPage((root) => {
  for (const details of root.querySelectorAll("details.ms-values")) {
    const show = () => {
      if (details.open && !details.querySelector(SHOWN))
        details.append(details.querySelector("template").content); // moves the table
    };
    details.addEventListener("toggle", show);
    show(); // already open (the browser restored it)
  }
});
