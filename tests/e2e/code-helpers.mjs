// Helpers for the Code view's browser tests (tests/e2e/code-*.test.mjs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, waitForStreamlab } from './harness.mjs';

// The code lab's engine in the served site. Tests that run programs call this first: a missing
// engine fails them with what to do, it never skips them.
export function requireLab() {
  const wasm = path.join(DIST, 'www/lab-pkg/streamlab_js_bg.wasm');
  assert.ok(
    fs.existsSync(wasm),
    `${path.relative(process.cwd(), wasm)} is missing: the code lab's engine is not built. Run ./build.sh lab, then ./build.sh build.`,
  );
}

export const experimentRoot = (page, name) => page.locator(`.experiment[data-scenario="${name}"]`).first();

// Opens an experiment's Code view and waits for its editor.
export async function openCode(page, name = 'seeing-backpressure') {
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  const exp = experimentRoot(page, name);
  const summary = exp.locator('.exp-code > summary').first();
  await summary.scrollIntoViewIfNeeded();
  await summary.click();
  const view = exp.locator('[data-code-view]').first();
  await view.locator('.cm-content').waitFor();
  await page.waitForFunction((el) => el.dataset.state === 'ready', await view.elementHandle());
  return { exp, view };
}

// The editor's whole text, from CodeMirror's document (the DOM holds only the lines in view).
export function editorText(view) {
  return view.locator('.code-editor').evaluate(async (host) => {
    const { viewOf } = await import(new URL('/www/vendor/code-editor/editor.js', location.origin).href);
    return viewOf(host).state.doc.toString();
  });
}

// The numbers of the lines the editor marks as errors, and the line the cursor is on.
export function editorMarks(view) {
  return view.locator('.code-editor').evaluate(async (host) => {
    const { viewOf } = await import(new URL('/www/vendor/code-editor/editor.js', location.origin).href);
    const ed = viewOf(host);
    const doc = ed.state.doc;
    const marked = [...host.shadowRoot.querySelectorAll('.cm-errorLine')].map(
      (el) => doc.lineAt(ed.posAtDOM(el)).number,
    );
    return { marked, cursorLine: doc.lineAt(ed.state.selection.main.head).number };
  });
}

// The number of the line the editor shows as running (the player's current event), or null.
export function runningLine(view) {
  return view.locator('.code-editor').evaluate(async (host) => {
    const { viewOf } = await import(new URL('/www/vendor/code-editor/editor.js', location.origin).href);
    const ed = viewOf(host);
    const el = host.shadowRoot.querySelector('.cm-runningLine');
    return el ? ed.state.doc.lineAt(ed.posAtDOM(el)).number : null;
  });
}

// Replaces the editor's text as a learner would: select all, then type (one insertion, so no
// bracket is auto-closed).
export async function setCode(page, view, text) {
  await view.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

// Runs the code in the view and waits for the run to end; resolves to the root's state.
export async function runCode(page, view, { timeout = 60000 } = {}) {
  await view.locator('[data-action="run-code"]').click();
  const handle = await view.elementHandle();
  await page.waitForFunction((el) => el.dataset.state !== 'running', handle, { timeout });
  return view.getAttribute('data-state');
}

// The output rows: [{ t, stream, text }].
export function outputRows(view) {
  return view.locator('.out-line').evaluateAll((rows) =>
    rows.map((r) => ({
      t: Number(r.dataset.t),
      stream: r.dataset.stream,
      text: r.querySelector('.out-text').textContent,
    })),
  );
}

// Waits until the editor's text matches `re` (the form's changes reach it after a debounce).
export async function waitForCode(view, re, ms = 5000) {
  const end = Date.now() + ms;
  let text = await editorText(view);
  while (!re.test(text) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    text = await editorText(view);
  }
  assert.match(text, re);
  return text;
}
