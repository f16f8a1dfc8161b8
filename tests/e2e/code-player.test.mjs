// Stepping through a program's run in the Code view: Step shows one trace event at a time with
// the tanks, chart and timeline at that moment, and the editor marks the line of the program
// behind the event (the call into the streams that caused it); events Node's own code causes
// mark no line. Play runs to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserSuite, openPage, ARTIFACTS } from './harness.mjs';
import { requireLab, openCode, setCode, runCode, runningLine } from './code-helpers.mjs';

const suite = browserSuite();

const PROGRAM = `import { Readable, Writable } from "node:stream";
const source = new Readable({ read() {
  this.push("ab");
  this.push(null);
} });
const sink = new Writable({ write(chunk, enc, cb) {
  setTimeout(cb, 1);
} });
source.pipe(sink);
sink.on("finish", () => console.log("done"));
`;

test("Step shows each event with the program's line behind it; Play runs to the end", { timeout: 90000 }, async () => {
  requireLab();
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  await setCode(page, view, PROGRAM);
  assert.equal(await runCode(page, view), 'done');
  const step = view.locator('[data-action="step-code"]');
  const status = view.locator('.program-player .player-status');
  const now = view.locator('.program-now');
  await step.waitFor();
  assert.match(await status.textContent(), /^Before the first of \d+ events$/);
  const total = Number((await status.textContent()).match(/of (\d+)/)[1]);
  assert.ok(total >= 8, `events: ${total}`);
  // Step until each event kind of interest is reached, noting the line marked at each.
  const seen = [];
  for (let k = 0; k < total; k++) {
    await step.click();
    seen.push({ now: await now.textContent(), line: await runningLine(view) });
  }
  assert.match(await status.textContent(), new RegExp(`^Event ${total} of ${total} at \\d+ ms$`));
  assert.ok(await step.isDisabled(), 'no step past the last event');
  const first = (re) => seen.find((s) => re.test(s.now));
  assert.equal(first(/^new Readable 1: push len=2/).line, 3);
  assert.match(first(/^new Readable 1: push len=2/).now, /from line 3$/);
  assert.equal(first(/^new Readable 1: push len=0/).line, 4);
  // The first read comes from pipe()'s resume, on a tick of Node's: no line.
  assert.equal(first(/^new Readable 1: read/).line, null);
  assert.match(first(/^new Readable 1: read/).now, /Node's own code/);
  // Back to the first push, to look at: its line marked in the editor.
  await view.locator('[data-action="restart-code"]').click();
  const push = seen.findIndex((x) => /push len=2/.test(x.now));
  for (let k = 0; k <= push; k++) await step.click();
  assert.equal(await runningLine(view), 3);
  await view.screenshot({ path: path.join(ARTIFACTS, 'code-player.png') });

  // Restart, then Play at the fastest speed reaches the last event on its own.
  await view.locator('[data-action="restart-code"]').click();
  assert.match(await status.textContent(), /^Before the first/);
  assert.equal(await runningLine(view), null);
  await view.locator('.program-player select').selectOption('faster');
  await view.locator('[data-action="play-code"]').click();
  await page.waitForFunction(
    (el) => el.textContent.startsWith(`Event ${el.dataset.total}`),
    await status.evaluateHandle((el, n) => {
      el.dataset.total = String(n);
      return el;
    }, total),
    { timeout: 20000 },
  );
  assert.equal(await view.locator('[data-action="play-code"]').textContent(), 'Play');
  // An edit makes the marks stale: no line is marked for a text the run did not come from.
  await view.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n// edited\n');
  await view.locator('[data-action="restart-code"]').click();
  for (let k = 0; k < 3; k++) await step.click();
  assert.equal(await runningLine(view), null);
  assert.deepEqual(errors, []);
  await page.close();
});
