// The static server used by ./build.sh serve and the browser tests: types, 404s, no escape from root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startServer, CSP } from '../tools/serve.mjs';

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
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
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
  for (const p of ['/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt',
    '/%2e%2e%5csecret.txt', '/a%00.md', '/%E0%A4%A']) {
    const r = await raw(p);
    assert.ok([400, 404].includes(r.status), `${p} -> ${r.status}`);
    assert.notEqual(r.body, 'outside', p);
  }
});
