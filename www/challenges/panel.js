// The frame every challenge shares: its goal, a form, Check / hint / Reset buttons, the
// verdict ("Passed" or "Not yet" with the reasons), the hints shown so far, and the results.
// Progress (passed, hints shown, last inputs) is saved with progress.js.
//
// The root element carries data-challenge (the id), data-state (idle, running, passed,
// not-yet, invalid) and, after a check, data-result (JSON: passed and reasons). A
// 'streamlab:challenge' event (bubbling, composed so it leaves a shadow root) follows each
// check with detail { id, passed, reasons }.
import { h, fill } from '../dom.js';
import * as progress from './progress.js';
import { showErrors, formValues } from './inputs.js';

export function challengePanel(root, { id, title, goal, hints, fields, defaults, check, reset }) {
  const state = progress.get(id);
  root.classList.add('challenge', 'experiment');
  root.dataset.challenge = id;
  root.dataset.state = 'idle';

  const badge = h('span', { class: 'challenge-badge', role: 'status' });
  const verdict = h('div', { class: 'challenge-verdict', 'aria-live': 'polite' });
  const hintList = h('ol', { class: 'challenge-hints', 'aria-label': 'Hints' });
  const results = h('div', { class: 'challenge-results' });
  const checkBtn = h(
    'button',
    { type: 'button', class: 'primary', dataset: { action: 'check' }, onclick: () => run() },
    'Check',
  );
  const hintBtn = h('button', { type: 'button', dataset: { action: 'hint' }, onclick: () => showHint() });
  const resetBtn = h('button', { type: 'button', dataset: { action: 'reset' }, onclick: () => doReset() }, 'Reset');
  const form = h(
    'form',
    {
      class: 'challenge-form param-groups',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        run();
      },
    },
    Object.values(fields).map((f) => f.el),
  );

  fill(
    root,
    h(
      'header',
      { class: 'exp-head' },
      // In embed.html the page's h1 names the lab, so its title is the next level down.
      h(root.closest('.embed-lab') ? 'h2' : 'h3', { class: 'exp-title' }, `Challenge: ${title}`),
      badge,
    ),
    h('div', { class: 'challenge-goal' }, goal),
    form,
    h('div', { class: 'controls', role: 'group', 'aria-label': 'Challenge controls' }, checkBtn, hintBtn, resetBtn),
    verdict,
    hintList,
    results,
  );

  let shown = 0;
  function renderHints(n) {
    shown = Math.min(n, hints.length);
    fill(
      hintList,
      hints.slice(0, shown).map((t, k) => h('li', { dataset: { hint: k + 1 } }, t)),
    );
    hintBtn.textContent = shown < hints.length ? `Show a hint (${shown + 1} of ${hints.length})` : 'All hints shown';
    hintBtn.disabled = shown >= hints.length;
  }

  // The badge never contradicts the verdict beside it: a pass kept from an earlier check is
  // called that when the latest check did not pass.
  function renderBadge(latest = null) {
    const p = progress.get(id);
    if (p.passed && latest === false) badge.textContent = 'Passed before ✓ · this check: not yet';
    else badge.textContent = p.passed ? 'Passed ✓' : 'Not passed yet';
    badge.dataset.kind = p.passed && latest !== false ? 'ok' : '';
  }

  function showHint() {
    renderHints(shown + 1);
    progress.update(id, { hints: shown });
  }

  function setVerdict(kind, head, reasons) {
    root.dataset.state = kind;
    verdict.dataset.kind = kind;
    fill(
      verdict,
      h('p', { class: 'verdict-head' }, head),
      reasons.length
        ? h(
            'ul',
            {},
            reasons.map((r) => h('li', {}, r)),
          )
        : null,
    );
  }

  let busy = false;
  async function run() {
    if (busy) return null;
    const values = formValues(fields);
    progress.update(id, { form: values });
    busy = true;
    checkBtn.disabled = true;
    root.dataset.state = 'running';
    setVerdict('running', 'Running…', []);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // paint first
    let outcome;
    try {
      outcome = await check(values, { results, showErrors: (errors) => showErrors(fields, errors) });
    } catch (err) {
      outcome = { passed: false, reasons: [`Something went wrong: ${err.message}`] };
    }
    busy = false;
    checkBtn.disabled = false;
    if (outcome.invalid) {
      setVerdict('invalid', 'Not run: fix the marked fields.', []);
      return outcome;
    }
    if (outcome.passed) progress.markPassed(id);
    setVerdict(outcome.passed ? 'passed' : 'not-yet', outcome.passed ? 'Passed.' : 'Not yet.', outcome.reasons);
    root.dataset.result = JSON.stringify({ passed: outcome.passed, reasons: outcome.reasons });
    renderBadge(outcome.passed);
    root.dispatchEvent(
      new CustomEvent(progress.EVENT, {
        bubbles: true,
        composed: true,
        detail: { id, passed: outcome.passed, reasons: outcome.reasons },
      }),
    );
    return outcome;
  }

  function doReset() {
    for (const [name, f] of Object.entries(fields)) f.set(defaults[name]);
    showErrors(fields, {});
    progress.clear(id);
    renderHints(0);
    renderBadge();
    fill(verdict);
    root.dataset.state = 'idle';
    delete root.dataset.result;
    reset?.();
  }

  // Restore what this browser remembers.
  if (state.form)
    for (const [name, f] of Object.entries(fields)) if (typeof state.form[name] === 'string') f.set(state.form[name]);
  renderHints(state.hints);
  renderBadge();
  const onProgress = () => renderBadge();
  document.addEventListener(`${progress.EVENT}-progress`, onProgress);

  return {
    root,
    run,
    reset: doReset,
    showHint,
    destroy() {
      document.removeEventListener(`${progress.EVENT}-progress`, onProgress);
      root.replaceChildren();
    },
  };
}
