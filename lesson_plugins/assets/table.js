// Tables of values (blocks/output.py), waiting in a <template> until opened (ondemand.py); the
// build's rows wait in the page's data file (pagedata.py) until then, unless a redraw wrote
// its own.
import { onPage, pageData, t } from "./runtime.js";
import { el, formatNumber, pyRepr } from "./util.js";

const SHOWN = ":scope > table";
const WAITING = ":scope > template";

export function valuesTable(figure, headers, rows, format) {
  const details = figure.querySelector("details.ms-values");
  const template = details.querySelector(WAITING);
  delete template.dataset.msRows; // these rows, not the build's
  const table = details.querySelector(SHOWN) || template.content.firstElementChild;
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

// Opened, a waiting table gets the build's rows from the page's data file (unless a redraw wrote
// its own meanwhile) and enters the page.
onPage((root) => {
  for (const details of root.querySelectorAll("details.ms-values")) {
    const { dataset, content } = details.querySelector(WAITING);
    const show = async () => {
      if (!details.open || !content.firstElementChild) return;
      details.querySelector(".ms-status")?.remove(); // a failure of an earlier opening
      try {
        const rows = dataset.msRows && (await pageData(dataset.msFile)).rows[dataset.msRows];
        if (dataset.msRows) content.querySelector("tbody").innerHTML = rows; // the build's markup
        delete dataset.msRows;
        details.append(content);
      } catch (error) {
        console.error("microscale: the table of values could not be loaded", error);
        const text = t("values_failed", { reason: error.message });
        details.append(el("p", { class: "ms-status" }, text));
      }
    };
    details.addEventListener("toggle", show);
    show();
  }
});
