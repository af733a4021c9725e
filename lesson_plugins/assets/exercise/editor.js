// The code editor of an exercise: CodeMirror 6 (assets/vendor/codemirror.js, built by
// tools/build_editor.sh) with Python highlighting, auto-indent, Tab / Shift-Tab to indent, line
// numbers and undo. Tab indents, so the keyboard leaves the editor by Escape, then Tab (or
// Shift-Tab): CodeMirror's own convention. Token colours are classes (tok-*) that exercise.css
// sets for the light and the dark palette.
import {
  EditorState,
  EditorView,
  bracketMatching,
  classHighlighter,
  defaultKeymap,
  drawSelection,
  highlightActiveLineGutter,
  history,
  historyKeymap,
  indentOnInput,
  indentUnit,
  indentWithTab,
  keymap,
  lineNumbers,
  python,
  syntaxHighlighting,
} from "../vendor/codemirror.js";

// An editor in `parent` holding `doc`, labelled by the element `labelledBy`; `changed(text)` after
// every edit. Returns {text(), replace(text), focus()}.
export function createEditor(parent, { doc, labelledBy, changed }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of("    "),
        EditorView.lineWrapping, // no sideways scrolling on a phone: axe, scrollable-region-focusable
        python(),
        syntaxHighlighting(classHighlighter),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-labelledby": labelledBy }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    replace(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
