#!/usr/bin/env bash
# Rebuilds lesson_plugins/assets/vendor/codemirror.js (the exercises' code editor, CodeMirror 6)
# and its licence notices, byte for byte, from the versions pinned in tools/editor/package-lock.json.
#
#   tools/build_editor.sh          rebuild
#   tools/build_editor.sh --check  rebuild into a temporary folder and fail if the committed files differ
#
# Needs node and npm (the npm registry). Every bundled package is MIT-licensed; the script fails if
# one is not, and writes every bundled package's licence into vendor/codemirror.LICENSE.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/lesson_plugins/assets/vendor"
out="$vendor"
if [[ "${1:-}" == "--check" ]]; then out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT; fi
cd "$root/tools/editor"
npm ci --no-audit --no-fund --silent
npx --no-install esbuild entry.js --bundle --format=esm --minify --legal-comments=none \
  --target=es2020 --charset=utf8 --metafile="$out/meta.json" --outfile="$out/codemirror.js" --log-level=warning
node licences.mjs "$out/meta.json" > "$out/codemirror.LICENSE.txt"
rm "$out/meta.json"
if [[ "$out" != "$vendor" ]]; then
  cmp "$out/codemirror.js" "$vendor/codemirror.js"
  cmp "$out/codemirror.LICENSE.txt" "$vendor/codemirror.LICENSE.txt"
  echo "vendor/codemirror.js is what tools/editor builds"
fi
echo "codemirror.js: $(wc -c < "$out/codemirror.js") bytes, $(gzip -9c "$out/codemirror.js" | wc -c) gzip"
