// A small static file server for dist/ (used by `./build.sh serve` and by the browser tests).
//   node tools/serve.mjs [ROOT=dist] [PORT=8080]
// Binds to 127.0.0.1 only. GET and HEAD only. No directory listings. A request target that is
// not a URL gets 400; nothing outside the root is served, not even through a symlink (404).
//
// The Content-Security-Policy below is the one the page must live with in production:
//   - script-src 'self' 'wasm-unsafe-eval': scripts only from our own files (no inline <script>,
//     no eval); 'wasm-unsafe-eval' is what lets WebAssembly.instantiate(Streaming) compile the core.
//   - style-src 'self': styles only from our own files (shadow roots link them too); uPlot and
//     the page set element.style through the CSSOM, which the CSP allows, never style attributes.
//   - img-src data:: the `<link rel="icon" href="data:,">` trick and canvas toDataURL images.
//   - frame-ancestors: `*` for embed.html only, which is meant to be put in an <iframe> on other
//     sites; 'self' for everything else (index.html and the other pages must not be framed by
//     other sites: clickjacking). The <stream-lab> element's module files, .wasm and scenarios
//     are fetched cross-origin, not framed, so frame-ancestors does not touch them.
//   - Access-Control-Allow-Origin *: the <stream-lab> element is a module script that other
//     sites load from here, with its imports, the .wasm and the scenario files: all public.
//   - Referrer-Policy: no-referrer. Nothing here needs a Referer (no analytics, no checks on it),
//     and embed.html's URL carries the embedder's ?origin= and ?id=: no-referrer keeps those (and
//     any query) from reaching a site a page links to. strict-origin-when-cross-origin would
//     still send our origin; nothing needs even that. (Origin headers on CORS requests are not
//     governed by it.)
//   - Cross-Origin-Opener-Policy: same-origin on HTML pages: a page of ours opened from another
//     site gets no handle on that site's window (window.opener) and vice versa. It is on
//     embed.html too: COOP is ignored for documents in an <iframe>, so being framed and
//     postMessage to window.parent are unaffected; it only cuts window.opener when embed.html is
//     a top-level window, and embed.html never uses window.opener (it talks to its parent only).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CSP_BASE = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
];
// Every response but embed.html's.
export const CSP = [...CSP_BASE, "frame-ancestors 'self'"].join('; ');
// embed.html's: any site may frame it.
export const EMBED_CSP = [...CSP_BASE, 'frame-ancestors *'].join('; ');
// Files (relative to the root) that other sites may put in an <iframe>.
export const FRAMEABLE = new Set(['embed.html']);
export const REFERRER_POLICY = 'no-referrer';
export const COOP = 'same-origin';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm', // required by WebAssembly.instantiateStreaming
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

// Maps a URL path to a file under root, or null if it would leave root.
function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed %-escape
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  // normalize() already folds "..", the prefix check is the real guard.
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

// The real path of `file` (every symlink, at any level, resolved) if it is under root, or null:
// a symlink inside the root that points outside it is not followed. Also null when the file
// does not exist, or on ENOTDIR, ENAMETOOLONG, ELOOP (realpath throws on all of them).
function realUnder(root, file) {
  let real;
  try {
    real = fs.realpathSync(file);
  } catch {
    return null;
  }
  return real === root || real.startsWith(root + path.sep) ? real : null;
}

// A file's stats, or null. throwIfNoEntry covers ENOENT only: a path under a file (ENOTDIR) or
// a name too long (ENAMETOOLONG) would otherwise throw and take the whole server down.
function statOrNull(file) {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

// Sent with every response; a served file may replace the CSP and add COOP.
const COMMON = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': REFERRER_POLICY,
  'Access-Control-Allow-Origin': '*',
  // A dev/test server: never let the browser keep an old .wasm next to new glue JS.
  'Cache-Control': 'no-store',
};

// One bad request must never end the process: anything the handler throws is a 500.
function handler(root) {
  const serve = serveFile(root);
  return (req, res) => {
    try {
      serve(req, res);
    } catch {
      if (res.headersSent) res.destroy();
      else send(res, 500, 'internal error\n', COMMON);
    }
  };
}

function serveFile(root) {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed\n', { ...COMMON, Allow: 'GET, HEAD' });
    }
    // The request target is whatever the client sent ("http://[", "http://a:99999/"): new URL()
    // throws on some of them, and an exception here would end the whole process.
    let url;
    try {
      url = new URL(req.url, 'http://localhost');
    } catch {
      return send(res, 400, 'bad request: the request target is not a valid URL\n', COMMON);
    }
    let file = resolveUnder(root, url.pathname);
    if (!file) return send(res, 400, 'bad path\n', COMMON);

    let real = realUnder(root, file);
    let st = real && statOrNull(real);
    if (st?.isDirectory()) {
      // Relative links in index.html only work with the trailing slash.
      if (!url.pathname.endsWith('/')) {
        // One leading slash: "//host/dir" as a Location would send the browser to another site.
        const location = `/${url.pathname.replace(/^\/+/, '')}/${url.search}`;
        return send(res, 301, 'moved\n', { ...COMMON, Location: location });
      }
      file = path.join(file, 'index.html');
      real = realUnder(root, file);
      st = real && statOrNull(real);
    }
    if (!st?.isFile()) return send(res, 404, 'not found\n', COMMON);

    const type = mimeOf(file);
    const headers = { ...COMMON, 'Content-Type': type, 'Content-Length': st.size };
    if (FRAMEABLE.has(path.relative(root, file).split(path.sep).join('/'))) {
      headers['Content-Security-Policy'] = EMBED_CSP;
    }
    if (type.startsWith('text/html')) headers['Cross-Origin-Opener-Policy'] = COOP;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    // Read the real path that was checked, not the requested name.
    fs.createReadStream(real)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

// Starts the server; port 0 picks a free port. Resolves to { server, port, url, close() }.
export function startServer(root, { port = 0, host = '127.0.0.1' } = {}) {
  const absRoot = fs.realpathSync(path.resolve(root));
  const server = http.createServer(handler(absRoot));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        server,
        port: actual,
        url: `http://${host}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? 8080);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${root}/index.html not found (run ./build.sh first)`);
    process.exit(1);
  }
  const { url, close } = await startServer(root, { port });
  console.log(`Streamlab: open ${url}`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
