// The static server used by ./build.sh serve and the browser tests: types, 404s, no escape from root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { startServer, CSP, EMBED_CSP } from '../tools/serve.mjs';

let dir;
let srv;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-test-'));
  fs.mkdirSync(path.join(dir, 'root/sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'root/index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(dir, 'root/sub/index.html'), 'sub');
  fs.writeFileSync(path.join(dir, 'root/a.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'root/a.mjs'), 'export {}');
  fs.writeFileSync(path.join(dir, 'root/a.md'), '# hi');
  fs.writeFileSync(path.join(dir, 'root/embed.html'), '<!doctype html><title>embed</title>');
  fs.writeFileSync(path.join(dir, 'root/other.html'), '<!doctype html><title>other</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  // Symlinks: to a file and a directory outside the root, and (allowed) to a file inside it.
  fs.mkdirSync(path.join(dir, 'outdir'));
  fs.writeFileSync(path.join(dir, 'outdir/secret.txt'), 'outside');
  fs.writeFileSync(path.join(dir, 'outdir/index.html'), 'outside');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'root/link-file.txt'));
  fs.symlinkSync(path.join(dir, 'outdir'), path.join(dir, 'root/link-dir'));
  fs.symlinkSync('../../outdir', path.join(dir, 'root/sub/rel-link-dir'));
  fs.symlinkSync('a.md', path.join(dir, 'root/inside-link.md'));
  srv = await startServer(path.join(dir, 'root'));
});

after(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// fetch() would normalise "..", so send the raw path with http.request.
function raw(p, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path: p, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A request with its target sent byte for byte, as http.request would refuse to send these.
// Resolves to { status, head, body } (status 0 if the connection closed without an answer).
function rawTarget(target) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1', () => {
      sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    sock.setEncoding('latin1');
    sock.on('data', (c) => (text += c));
    sock.on('error', reject);
    sock.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, head, body: rest.join('\r\n\r\n') });
    });
  });
}

test('content types and CSP', async () => {
  const cases = {
    '/': 'text/html; charset=utf-8',
    '/a.wasm': 'application/wasm',
    '/a.mjs': 'text/javascript; charset=utf-8',
    '/a.md': 'text/markdown; charset=utf-8',
  };
  for (const [p, type] of Object.entries(cases)) {
    const r = await raw(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], type, p);
    assert.equal(r.headers['content-security-policy'], CSP, p);
  }
  // Styles only from the site's own files: nothing inline, no attribute styles.
  assert.match(CSP, /style-src 'self'(;|$)/);
  assert.doesNotMatch(CSP, /unsafe-inline/);
});

test('directories: trailing-slash redirect, index.html', async () => {
  const r = await raw('/sub');
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, '/sub/');
  assert.equal((await raw('/sub/')).body, 'sub');
});

test('404, 405, HEAD', async () => {
  assert.equal((await raw('/nope.js')).status, 404);
  assert.equal((await raw('/', 'POST')).status, 405);
  const h = await raw('/a.md', 'HEAD');
  assert.equal(h.status, 200);
  assert.equal(h.body, '');
});

test('a path under a file or a name too long is a 404, and the server keeps serving', async () => {
  for (const p of ['/a.md/x', '/a.md/x/y', `/${'a'.repeat(300)}.md`, `/sub/${'b'.repeat(5000)}`]) {
    assert.equal((await raw(p)).status, 404, p.slice(0, 40));
  }
  assert.equal((await raw('/a.md')).body, '# hi');
});

test('no way out of the root', async () => {
  for (const p of [
    '/../secret.txt',
    '/sub/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/a%00.md',
    '/%E0%A4%A',
  ]) {
    const r = await raw(p);
    assert.ok([400, 404].includes(r.status), `${p} -> ${r.status}`);
    assert.notEqual(r.body, 'outside', p);
  }
});

test('a request target that is not a URL is a 400, and the server keeps serving', async () => {
  for (const target of ['http://[', 'http://a:99999/', 'http://%/', 'http://:/', 'https://[x]/', 'http://[::1/']) {
    const r = await rawTarget(target);
    assert.equal(r.status, 400, `${target} -> ${r.status}`);
    assert.match(r.body, /request target is not a valid URL/, target);
    const ok = await rawTarget('/a.md');
    assert.equal(ok.status, 200, `after ${target}`);
    assert.equal(ok.body, '# hi');
  }
  assert.equal((await raw('/')).status, 200);
});

test('symlinks that lead out of the root are not followed', async () => {
  for (const p of [
    '/link-file.txt',
    '/link-dir/secret.txt',
    '/link-dir/',
    '/link-dir',
    '/sub/rel-link-dir/secret.txt',
    '/sub/rel-link-dir/',
  ]) {
    const r = await raw(p);
    assert.equal(r.status, 404, `${p} -> ${r.status}`);
    assert.notEqual(r.body, 'outside', p);
  }
  // A symlink that stays inside the root is still served.
  assert.equal((await raw('/inside-link.md')).body, '# hi');
});

test('a directory redirect never points at another host', async () => {
  for (const target of ['http://x//sub', '//sub', '///sub']) {
    const { head } = await rawTarget(target);
    const loc = /\r\nlocation: ([^\r]*)/i.exec(head)?.[1];
    if (loc !== undefined) assert.match(loc, /^\/[^/]/, `${target} -> Location ${loc}`);
  }
});

test('headers per path: framing, referrer, opener', async () => {
  const embed = await raw('/embed.html');
  assert.equal(embed.status, 200);
  assert.equal(embed.headers['content-security-policy'], EMBED_CSP);
  assert.match(EMBED_CSP, /frame-ancestors \*(;|$)/);
  for (const p of ['/', '/other.html', '/sub/', '/a.mjs', '/a.wasm', '/nope.js', '/sub']) {
    const r = await raw(p);
    assert.equal(r.headers['content-security-policy'], CSP, p);
    assert.match(r.headers['content-security-policy'], /frame-ancestors 'self'(;|$)/, p);
    assert.doesNotMatch(r.headers['content-security-policy'], /frame-ancestors \*/, p);
  }
  for (const p of ['/', '/other.html', '/embed.html', '/a.mjs', '/nope.js']) {
    assert.equal((await raw(p)).headers['referrer-policy'], 'no-referrer', p);
  }
  // COOP on HTML pages (ignored for a page in an iframe, so embed.html keeps working framed).
  for (const p of ['/', '/other.html', '/sub/', '/embed.html']) {
    assert.equal((await raw(p)).headers['cross-origin-opener-policy'], 'same-origin', p);
  }
  for (const p of ['/a.mjs', '/a.wasm', '/a.md']) {
    assert.equal((await raw(p)).headers['cross-origin-opener-policy'], undefined, p);
  }
  // The element's files stay loadable from other sites.
  assert.equal((await raw('/a.mjs')).headers['access-control-allow-origin'], '*');
  for (const csp of [CSP, EMBED_CSP]) {
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
  }
});
