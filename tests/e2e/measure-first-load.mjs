// Prints the bytes the lesson page fetches on its first load (no Code view opened), by URL:
//   node tests/e2e/measure-first-load.mjs
import { startServer, launchBrowser, openPage, waitForStreamlab } from './harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser, null);
  const sizes = new Map();
  page.on('response', async (res) => {
    try {
      const body = await res.body();
      sizes.set(new URL(res.url()).pathname, body.length);
    } catch {
      // redirects and aborted requests have no body
    }
  });
  await page.goto(server.url, { waitUntil: 'networkidle' });
  await waitForStreamlab(page);
  await page.waitForLoadState('networkidle');
  let total = 0;
  for (const [url, n] of [...sizes].sort((a, b) => b[1] - a[1])) {
    total += n;
    if (process.argv.includes('--list')) console.log(String(n).padStart(9), url);
  }
  console.log(`first load: ${sizes.size} files, ${total} bytes`);
} finally {
  await browser.close();
  await server.close();
}
