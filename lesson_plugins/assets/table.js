// The "values as a table" text alternative of a chart, rebuilt on a redraw (the build writes it
// with lesson_plugins/blocks/output.py:values_table): text cells are row headers, numbers cells
// with their exact value in data-value.
// The table may still wait in its template, until the reader opens it (values.js).
import { el, formatNumber, pyRepr } from "./util.js";
import { tableChanged, tableOf } from "./values.js";

export function valuesTable(figure, headers, rows, format) {
  const table = tableOf(figure);
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
  tableChanged(figure);
}
