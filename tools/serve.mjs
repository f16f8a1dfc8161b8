// A small static file server for dist/ (used by `./build.sh serve` and by the browser tests).
//   node tools/serve.mjs [ROOT=dist] [PORT=8080]
// Binds to 127.0.0.1 only. GET and HEAD only. No directory listings.
//
// The Content-Security-Policy below is the one the page must live with in production:
//   - script-src 'self' 'wasm-unsafe-eval': scripts only from our own files (no inline <script>,
//     no eval); 'wasm-unsafe-eval' is what lets WebAssembly.instantiate(Streaming) compile the core.
//   - style-src 'unsafe-inline': uPlot and the page set element.style / style attributes.
//   - img-src data:: the `<link rel="icon" href="data:,">` trick and canvas toDataURL images.
//   - frame-ancestors *: embed.html is meant to be put in an <iframe> on other sites.
//   - Access-Control-Allow-Origin *: the <stream-lab> element is a module script that other
//     sites load from here, with its imports, the .wasm and the scenario files: all public.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  'frame-ancestors *',
].join('; ');

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
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  // normalize() already folds "..", the prefix check is the real guard.
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
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

function handler(root) {
  return (req, res) => {
    const common = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
      // A dev/test server: never let the browser keep an old .wasm next to new glue JS.
      'Cache-Control': 'no-store',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed\n', { ...common, Allow: 'GET, HEAD' });
    }
    const url = new URL(req.url, 'http://localhost');
    let file = resolveUnder(root, url.pathname);
    if (!file) return send(res, 400, 'bad path\n', common);

    let st = statOrNull(file);
    if (st?.isDirectory()) {
      // Relative links in index.html only work with the trailing slash.
      if (!url.pathname.endsWith('/')) {
        return send(res, 301, 'moved\n', { ...common, Location: url.pathname + '/' + url.search });
      }
      file = path.join(file, 'index.html');
      st = statOrNull(file);
    }
    if (!st?.isFile()) return send(res, 404, 'not found\n', common);

    res.writeHead(200, { ...common, 'Content-Type': mimeOf(file), 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file)
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
