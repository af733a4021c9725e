// The licence of every npm package an esbuild metafile (argv[2]) bundled, as one text; exits 1 if
// a package is not MIT-licensed. Used by tools/build_editor.sh.
import { readFileSync, readdirSync } from "node:fs";

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const folders = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) folders.add(`node_modules/${m[1]}`);
}
const parts = [
  "Microscale's exercise editor bundles these npm packages (tools/editor, tools/build_editor.sh).",
];
for (const folder of [...folders].sort()) {
  const pkg = JSON.parse(readFileSync(`${folder}/package.json`, "utf8"));
  if (pkg.license !== "MIT") {
    console.error(`${pkg.name}: licence ${pkg.license}, not MIT`);
    process.exit(1);
  }
  const file = readdirSync(folder).find((name) => /^licen[cs]e/i.test(name));
  parts.push(
    `\n== ${pkg.name} ${pkg.version} (${pkg.license}) ==\n\n${readFileSync(`${folder}/${file}`, "utf8").trim()}`,
  );
}
console.log(parts.join("\n"));
