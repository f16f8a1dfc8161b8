// The Code view's editor: www/code/editor.src.js (CodeMirror 6 from node_modules) bundled by
// esbuild into minified ES modules in www/vendor/code-editor/: editor.js, which the page imports
// only when a Code view opens, and the chunks it imports in later tasks (the JavaScript
// language), with the licences of what they hold in www/vendor/.
//
//   node tools/build-editor.mjs             (build.sh runs it after vendoring)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The entry the page imports; its language and their shared code are chunks beside it.
const OUT_DIR = path.join(ROOT, 'www/vendor/code-editor');
const OUT = path.join(OUT_DIR, 'editor.js');

async function main() {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [{ in: path.join(ROOT, 'www/code/editor.src.js'), out: 'editor' }],
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    outdir: OUT_DIR,
    chunkNames: 'chunk-[hash]',
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
  const files = fs.readdirSync(OUT_DIR);
  const kib = files.reduce((n, f) => n + fs.statSync(path.join(OUT_DIR, f)).size, 0) / 1024;
  console.log(
    `code editor: ${path.relative(ROOT, OUT)} and ${files.length - 1} chunks, ${kib.toFixed(0)} KiB from ${packages.size} packages`,
  );
}

main().catch((err) => {
  console.error(`build-editor: ${err.message}`);
  process.exit(1);
});
