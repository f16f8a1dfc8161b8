// For course authors: www/embedding.html links the contract and the lesson-format and API
// documents, and the site serves each of them (the repository's own copies, put into dist/ by
// build.sh), so no link points at a file the site does not have.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, REPO } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test('embedding.html links SCENARIO.md, FORMAT.md and API.md, and the site serves them', async () => {
  const page = new URL('www/embedding.html', server.url);
  const html = await (await fetch(page)).text();
  const links = [...html.matchAll(/href="([^"#]+\.md)"/g)].map((m) => m[1]);
  for (const [doc, file] of [
    ['SCENARIO.md', 'docs/SCENARIO.md'],
    ['FORMAT.md', 'www/lessons/FORMAT.md'],
    ['API.md', 'www/API.md'],
  ]) {
    const href = links.find((l) => l.endsWith(`/${doc}`) || l === doc);
    assert.ok(href, `a link to ${doc} in ${links.join(', ')}`);
    const res = await fetch(new URL(href, page));
    assert.equal(res.status, 200, `${href}`);
    assert.match(res.headers.get('content-type'), /^text\/markdown/);
    assert.equal(await res.text(), fs.readFileSync(path.join(REPO, file), 'utf8'));
  }
  // The page no longer sends authors to a document it does not link.
  assert.doesNotMatch(html, /SCENARIO\.md's result\)/);
});
