// Text alternatives on demand (lesson_plugins/ondemand.py): a chart's "values as a table" waits
// in a <template> inside its <details class="ms-values"> and enters the page when the reader
// opens the disclosure (mouse, keyboard or assistive technology: a closed <details> shows its
// content to no one). Until then its rows are no elements of the page, nothing a DOM walk visits.
//
//   tableOf(figure)      the figure's table, wherever it is (in the page, or still in its template):
//                        table.js redraws it there, then calls tableChanged(figure).
//   tableChanged(figure) rewrites the row count and the summary kept in the page, as the build
//                        wrote them (ondemand.summary: same strings, same rule).
import { onPage, t } from "./runtime.js";

const DISCLOSURE = "details.ms-values";

export function tableOf(figure) {
  const details = figure.querySelector(DISCLOSURE);
  if (!details) return null;
  const template = details.querySelector(":scope > template");
  return details.querySelector(":scope > table") || template?.content.querySelector("table");
}

// Each numeric column's range, with the text its cells show (ondemand.summary).
function ranges(table) {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  const rows = [...table.tBodies[0].rows];
  const found = [];
  headers.forEach((name, column) => {
    const cells = rows.map((row) => row.cells[column]).filter(Boolean);
    if (!cells.length || cells.some((cell) => !cell.hasAttribute("data-value"))) return;
    const numbers = cells.map((cell) => Number(cell.dataset.value));
    const low = cells[numbers.indexOf(Math.min(...numbers))].textContent;
    const high = cells[numbers.indexOf(Math.max(...numbers))].textContent;
    found.push(t("values_range", { name, low, high }));
  });
  return { rows: rows.length, text: found.join(t("values_separator")) };
}

export function tableChanged(figure) {
  const table = tableOf(figure);
  if (!table) return;
  const { rows, text } = ranges(table);
  const count = figure.querySelector(`${DISCLOSURE} .ms-values-rows`);
  if (count) count.textContent = t("values_rows", { rows });
  const note = figure.querySelector(".ms-values-summary");
  if (note) note.textContent = text;
}

function show(details) {
  const template = details.querySelector(":scope > template");
  if (details.open && template && !details.querySelector(":scope > table")) {
    details.append(template.content); // moves the table: the template keeps nothing
  }
}

onPage((root) => {
  for (const details of root.querySelectorAll(DISCLOSURE)) {
    details.addEventListener("toggle", () => show(details));
    show(details); // already open (the browser restored it)
  }
});
