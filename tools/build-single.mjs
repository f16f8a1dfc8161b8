// The offline single file: dist/streamlab-offline.html, the whole lesson page with its wasm
// core, libraries, styles, lesson and scenarios inside one HTML file that works from file://
// with no server and no network.
//
//   node tools/build-single.mjs             (build.sh runs it after assembling dist/)
//
// How (see docs/TOOLCHAIN.md §6): from file:// a module script cannot load another file,
// so esbuild bundles the page's modules into one classic script; the wasm is inlined as
// base64 and handed to the wasm-bindgen glue as bytes; fetch() of the lesson and scenario
// files is answered from copies in the bundle. The file carries its own CSP in a <meta>:
// scripts only by the sha256 of its one inline script, plus 'wasm-unsafe-eval'; no network.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const OUT = path.join(ROOT, 'dist', 'streamlab-offline.html');
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');

// Classic vendor scripts (each sets one global) and the styles, in index.html's order.
const VENDOR = [
  'www/vendor/uPlot.iife.min.js',
  'www/vendor/markdown-it.min.js',
  'www/vendor/purify.min.js',
  'www/vendor/js-yaml.min.js',
];
const STYLES = ['www/vendor/uPlot.min.css', 'www/style.css', 'www/challenges/challenges.css', 'www/embed/share.css'];

function offlineFiles() {
  const files = {};
  for (const dir of ['scenarios', 'lessons']) {
    for (const name of fs.readdirSync(path.join(WWW, dir))) {
      if (/^[a-z0-9][a-z0-9-]*\.(json|md)$/.test(name))
        files[`${dir}/${name}`] = fs.readFileSync(path.join(WWW, dir, name), 'utf8');
    }
  }
  return files;
}

// core.js imports the wasm-bindgen glue and calls init() with no argument, which would
// fetch the .wasm: here the glue is wrapped so that init() gets the inlined bytes.
const offlinePlugin = {
  name: 'streamlab-offline',
  setup(build) {
    build.onResolve({ filter: /^streamlab:offline-files$/ }, () => ({ path: 'files', namespace: 'streamlab-offline' }));
    build.onLoad({ filter: /^files$/, namespace: 'streamlab-offline' }, () => ({
      contents: `export const FILES = ${JSON.stringify(offlineFiles())};`,
      loader: 'js',
    }));
    build.onResolve({ filter: /\/pkg\/streamlab\.js$/ }, (args) => {
      if (args.namespace === 'streamlab-offline') return { path: path.join(WWW, 'pkg/streamlab.js') };
      return { path: 'core-glue', namespace: 'streamlab-offline' };
    });
    build.onLoad({ filter: /^core-glue$/, namespace: 'streamlab-offline' }, () => {
      const b64 = fs.readFileSync(path.join(WWW, 'pkg/streamlab_bg.wasm')).toString('base64');
      return {
        loader: 'js',
        resolveDir: WWW,
        contents: `import init0 from './pkg/streamlab.js';
export * from './pkg/streamlab.js';
const WASM = "${b64}";
export default function init() {
  const bin = atob(WASM);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return init0({ module_or_path: bytes });
}`,
      };
    });
  },
};

// Keeps the script's text from ending the <script> element or entering the HTML parser's
// "escaped" states early. Every such sequence in the bundle sits in a string, template or
// regular expression literal, where \x3C means the same '<'.
function inlineSafe(js) {
  return js.replace(/<(?=!--|\/?script)/gi, '\\x3C');
}

async function main() {
  const bundle = await esbuild.build({
    entryPoints: [path.join(ROOT, 'tools/offline-entry.js')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    plugins: [offlinePlugin],
    // Modules find their files relative to import.meta.url; in the single file all of them
    // answer as if they were www/app.js beside it.
    define: { 'import.meta.url': '__streamlabBase' },
    banner: { js: 'var __streamlabBase=new URL("www/app.js",location.href).href;globalThis.__streamlabOffline=true;' },
    logLevel: 'warning',
    logOverride: { 'import-is-undefined': 'silent' }, // core.js probes for an optional export
  });
  const app = bundle.outputFiles[0].text;
  const script = inlineSafe([...VENDOR.map(read), app].join('\n;\n'));
  const css = STYLES.map(read)
    .join('\n')
    .replace(/<\/style/gi, '<\\/style');
  const hash = crypto.createHash('sha256').update(script, 'utf8').digest('base64');
  // The <style> element's text exactly as written below, newlines included.
  const styleText = `\n${css}\n  `;
  const styleHash = crypto.createHash('sha256').update(styleText, 'utf8').digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}' 'wasm-unsafe-eval'`,
    `style-src 'sha256-${styleHash}'`, // the one <style> below; element.style (CSSOM) is allowed
    'img-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');

  // The page's own markup (index.html) without its external styles and scripts.
  let html = read('index.html')
    .replace(/^\s*<link rel="stylesheet"[^>]*>\s*\n/gm, '')
    .replace(/^\s*<script\b[^>]*><\/script>\s*\n/gm, '')
    .replace(/^\s*<!--[^\n]*-->\s*\n/gm, '')
    // Links to the rest of the site mean nothing in a lone file.
    .replace(/^\s*<p data-online-only>.*<\/p>\s*\n/gm, '');
  if (/<script|<link rel="stylesheet"|data-online-only/i.test(html) || !/<meta charset="utf-8">/i.test(html))
    throw new Error('index.html has a script or stylesheet this build does not know how to inline');
  html = html
    // Functions, not strings: a replacement string would read "$&" in the code as a pattern.
    .replace(/<meta charset="utf-8">/i, (m) => `${m}\n  <meta http-equiv="Content-Security-Policy" content="${csp}">`)
    .replace('</head>', () => `  <style>${styleText}</style>\n</head>`)
    .replace('</body>', () => `<script>${script}</script>\n</body>`);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, html);
  console.log(`single file: ${path.relative(ROOT, OUT)} (${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(`build-single: ${err.message}`);
  process.exit(1);
});
