// What assets/exercise/editor.js uses of CodeMirror 6 (https://codemirror.net, MIT licence),
// bundled by tools/build_editor.sh into lesson_plugins/assets/vendor/codemirror.js.
export { EditorState } from "@codemirror/state";
export {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
} from "@codemirror/view";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export {
  indentOnInput,
  bracketMatching,
  syntaxHighlighting,
  indentUnit,
} from "@codemirror/language";
export { python } from "@codemirror/lang-python";
export { classHighlighter } from "@lezer/highlight";
