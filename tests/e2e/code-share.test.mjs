// Code in share links (www/code/share-code.js), in the browser that encodes it: the round trip
// is exact for any text, and what is not a deflate-raw base64url program is refused with a
// reason, never shown or run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('code survives the trip through a link; bad or oversized links are refused with a reason', async () => {
  const { page, errors } = await openPage(browser, `${server.url}www/embedding.html`);
  const out = await page.evaluate(async () => {
    const { encodeCode, decodeCode, MAX_CODE_BYTES } = await import(
      new URL('/www/code/share-code.js', location.origin).href
    );
    const texts = ['', 'console.log("hi");\n', `€ 😀 \u2028 \`\${x}\` \\ \0 </script>`, 'x'.repeat(100000)];
    const trips = [];
    for (const t of texts) {
      const enc = await encodeCode(t);
      trips.push({ ok: (await decodeCode(enc)).text === t, safe: /^[A-Za-z0-9_-]*$/.test(enc), len: enc.length });
    }
    const bomb = await encodeCode('a'.repeat(MAX_CODE_BYTES + 1));
    return {
      trips,
      bomb: (await decodeCode(bomb)).error,
      notBase64: (await decodeCode('<script>')).error,
      notDeflate: (await decodeCode('AAAA')).error,
      tooLong: (await decodeCode('A'.repeat(70000))).error,
    };
  });
  assert.ok(
    out.trips.every((t) => t.ok && t.safe),
    JSON.stringify(out.trips),
  );
  assert.ok(out.trips[3].len < 1000, 'repetitive text compresses');
  assert.match(out.bomb, /longer than 256 KiB/);
  assert.match(out.notBase64, /not base64url/);
  assert.match(out.notDeflate, /could not be read/);
  assert.match(out.tooLong, /longer than 64 KiB of link/);
  assert.deepEqual(errors, []);
  await page.close();
});
