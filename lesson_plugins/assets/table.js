// The "values as a table" text alternative of a chart, rebuilt on a redraw (the build writes it
// with lesson_plugins/blocks/output.py:values_table): text cells are row headers, numbers cells
// with their exact value in data-value.
import { el, formatNumber, pyRepr } from "./util.js";

export function valuesTable(figure, headers, rows, format) {
  figure
    .querySelector(".ms-values thead tr")
    .replaceChildren(...headers.map((h) => el("th", { scope: "col" }, h)));
  figure
    .querySelector(".ms-values tbody")
    .replaceChildren(
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
}
