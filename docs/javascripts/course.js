// The Microscale course site's own fixes to Material for MkDocs chrome (axe-core findings):
// - the search overlay is a role="dialog" without a name (aria-dialog-name): name it after its field;
// - a wide table scrolls in a box that the keyboard cannot reach (scrollable-region-focusable).
document$.subscribe(() => {
  const dialog = document.querySelector('.md-search[role="dialog"]');
  const field = dialog && dialog.querySelector("input[aria-label]");
  if (field && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
  }
});
