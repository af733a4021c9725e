// The Microscale course site's own fix to Material for MkDocs: Material's search overlay is a
// role="dialog" without an accessible name (axe aria-dialog-name); name it after its search field.
document$.subscribe(() => {
  const dialog = document.querySelector('.md-search[role="dialog"]');
  const field = dialog && dialog.querySelector("input[aria-label]");
  if (field && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
});
