// The Microscale course site's own fix to Material for MkDocs chrome (an axe-core finding):
// a wide table scrolls in a box that the keyboard cannot reach (scrollable-region-focusable).
// (The search overlay's missing name, aria-dialog-name, is fixed for every site by the plugin's
// runtime.js.)
document$.subscribe(() => {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
  }
});
