// The Code view's editor: www/code/editor.src.js (CodeMirror 6 from node_modules) bundled by
// esbuild into one minified ES module, www/vendor/code-editor.js, with the licences of what it
// holds beside it. The page imports it only when a Code view opens.
//
//   node tools/build-editor.mjs             (build.sh runs it after vendoring)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'www/vendor/code-editor.js');

async function main() {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'www/code/editor.src.js')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    outfile: OUT,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  // One licence file per package the bundle took code from (all MIT).
  const packages = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]);
  }
  for (const pkg of [...packages].sort()) {
    const dir = path.join(ROOT, 'node_modules', pkg);
    const licence = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (licence)
      fs.copyFileSync(path.join(dir, licence), path.join(ROOT, 'www/vendor', `LICENSE.${pkg.replace('/', '+')}`));
  }
  console.log(
    `code editor: ${path.relative(ROOT, OUT)} (${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB, from ${packages.size} packages)`,
  );
}

main().catch((err) => {
  console.error(`build-editor: ${err.message}`);
  process.exit(1);
});
