// A challenge's code step: the learner writes the program in the code lab's editor (the Code
// view's CodeMirror bundle) and runs it on the code lab's engine in a Worker (the Code view's
// runner); Check runs it (again) and reads the run's record (code-record.js and the
// challenge's *-code.js); hints one at a time; Reset back to the starter; Stop while running.
// Loaded only when a learner opens the step, or when this browser holds a passing program of
// the step: that program is re-run and checked before the step shows "Passed".
//
// The section (data-code-step = the challenge's id) carries data-state: idle | loading |
// ready | running | checking | passed | not-yet | stopped | failed, after a check data-result
// (JSON: passed and reasons), and data-verified: pending | true | false while and after a
// stored program is re-checked. It dispatches 'streamlab:challenge' with { id, step: 'code',
// passed, reasons } after each check.
import { h, fill } from '../dom.js';
import { StoppedError } from '../limits.js';
import { runProgram, EngineMissingError } from '../code/runner.js';
import { outputRows, exitLine, firstLocation } from '../code/program-output.js';
import { ProgramViews } from '../code/program-views.js';
import { loadStyles, EDITOR_URL } from '../code/code-view.js';
import * as progress from './progress.js';
import { digestOf } from './code-record.js';
import { SPECS } from './code-specs.js';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// What the step draws: the run's samples (no trace), each sample's streams in pipeline order
// (readables, then transforms and duplexes, then writables; by creation within each), since
// the tanks draw an arrow from each stream to the next.
const RANK = { readable: 0, duplex: 1, transform: 1, writable: 2 };
export function drawable(result) {
  const order = (result.streams ?? [])
    .map((s, k) => ({ s, k }))
    .sort((a, b) => (RANK[a.s.kind] ?? 1) - (RANK[b.s.kind] ?? 1) || a.k - b.k)
    .map(({ s }) => String(s.name));
  const samples = (result.samples ?? []).map((x) => ({
    ...x,
    buffered: Object.fromEntries(order.map((n) => [n, x.buffered?.[n] ?? 0])),
  }));
  return { ...result, trace: [], buffered: [], samples };
}

export function mountCodeStep(parts, id) {
  const spec = SPECS[id];
  if (!spec) throw new Error(`no code step for the challenge ${JSON.stringify(String(id))}`);
  return new CodeStep(parts, id, spec);
}

class CodeStep {
  constructor({ section, details, body, badge, note }, id, spec) {
    this.section = section;
    this.note = note;
    this.details = details;
    this.body = body;
    this.badge = badge;
    this.id = id;
    this.spec = spec;
    this.editor = null;
    this.loading = null;
    this.abort = null;
    this.verified = false; // a check (or the re-check of the stored program) passed here
    this.build();
    this.renderBadge();
  }

  build() {
    const button = (label, action, onclick, cls = '') =>
      h('button', { type: 'button', class: cls, dataset: { action }, onclick }, label);
    this.runBtn = button('Run', 'code-run', () => this.run());
    this.checkBtn = button('Check', 'code-check', () => this.check(), 'primary');
    this.stopBtn = button('Stop', 'code-stop', () => this.stop(), 'stop');
    this.stopBtn.disabled = true;
    this.hintBtn = button('Show a hint', 'code-hint', () => this.showHint());
    this.resetBtn = button('Reset to the starter', 'code-reset', () => this.reset());
    this.status = h('span', { class: 'code-status', role: 'status' });
    this.editorBox = h('div', { class: 'code-editor' }, h('p', { class: 'code-loading' }, 'Loading the code editor…'));
    this.verdict = h('div', { class: 'code-verdict', 'aria-live': 'polite' });
    this.hintList = h('ol', { class: 'code-hints', 'aria-label': 'Hints for the code step' });
    this.output = h('div', { class: 'program-output' }, h('p', { class: 'stale' }, 'Press Run or Check.'));
    this.exit = h('div', { class: 'program-exit' });
    this.results = h('div', { class: 'code-results' });
    this.views = new ProgramViews();
    this.extra = this.spec.extra?.() ?? null;
    fill(
      this.body,
      h(
        'p',
        { class: 'code-intro' },
        h('strong', {}, 'Keys in the editor: '),
        'Tab indents; ',
        h('kbd', {}, 'Esc'),
        ' then ',
        h('kbd', {}, 'Tab'),
        ' leaves the editor (',
        h('kbd', {}, 'Ctrl'),
        '+',
        h('kbd', {}, 'M'),
        ' makes Tab move the focus).',
      ),
      this.editorBox,
      h(
        'div',
        { class: 'controls code-controls', role: 'group', 'aria-label': 'Code step controls' },
        this.runBtn,
        this.checkBtn,
        this.stopBtn,
        this.hintBtn,
        this.resetBtn,
        this.status,
      ),
      this.extra?.el ?? null,
      this.verdict,
      this.hintList,
      h(
        'div',
        { class: 'output-box program-box' },
        h('h5', {}, 'Program output'),
        h(
          'p',
          { class: 'hint' },
          "Each line shows when the program wrote it, in milliseconds of Streamlab's virtual clock.",
        ),
        this.output,
        this.exit,
      ),
      this.results,
      this.views.el,
    );
    const stored = progress.getCode(this.id);
    this.renderHints(stored.hints);
    if (this.extra && stored.code?.answers) this.extra.set(stored.code.answers);
  }

  setState(state) {
    this.section.dataset.state = state;
  }

  // The editor, created the first time the step is opened, with the stored passing program or
  // the starter.
  ensureEditor() {
    this.loading ??= (async () => {
      if (!this.busy()) this.setState('loading'); // a re-check may be running: its state stays
      const [lib] = await Promise.all([import(EDITOR_URL), loadStyles(this.section)]);
      await nextTask();
      fill(this.editorBox);
      this.editor = await lib.createEditor(this.editorBox, { doc: '', label: `Program code: ${this.spec.title}` });
      await this.editor.load(progress.getCode(this.id).code?.source ?? this.spec.starter);
      if (!this.busy()) this.setState('ready');
      return this.editor;
    })().catch((err) => {
      this.loading = null;
      fill(
        this.editorBox,
        h('p', { class: 'code-error', role: 'alert' }, `The code editor could not load: ${err.message}`),
      );
      if (!this.busy()) this.setState('failed');
      throw err;
    });
    return this.loading;
  }

  busy() {
    return Boolean(this.abort);
  }

  renderHints(n) {
    const hints = this.spec.hints;
    this.shown = Math.min(Math.max(0, n), hints.length);
    fill(
      this.hintList,
      hints.slice(0, this.shown).map((t, k) => h('li', { dataset: { hint: k + 1 } }, t)),
    );
    this.hintBtn.textContent =
      this.shown < hints.length ? `Show a hint (${this.shown + 1} of ${hints.length})` : 'All hints shown';
    this.hintBtn.disabled = this.shown >= hints.length;
  }

  showHint() {
    this.renderHints(this.shown + 1);
    progress.update(this.id, { codeHints: this.shown });
  }

  // The badge says what this page has seen: a pass only once a check (or the re-check of the
  // stored program) passed here, and never "Passed" beside a "Not yet" verdict.
  renderBadge(latest = null, text = null) {
    const b = this.badge;
    if (text) {
      b.textContent = text;
      b.dataset.kind = '';
      return;
    }
    if (this.verified && latest === false) b.textContent = 'Passed before ✓ · this check: not yet';
    else b.textContent = this.verified ? 'Passed ✓' : 'Not passed yet';
    b.dataset.kind = this.verified && latest !== false ? 'ok' : '';
  }

  setVerdict(kind, head, reasons = []) {
    this.verdict.dataset.kind = kind;
    fill(
      this.verdict,
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

  begin(state, text) {
    this.abort = new AbortController();
    this.runBtn.disabled = true;
    this.checkBtn.disabled = true;
    this.resetBtn.disabled = true;
    this.stopBtn.disabled = false;
    this.setState(state);
    this.status.dataset.kind = '';
    this.status.textContent = text;
    this.editor?.clearMarks();
    return this.abort.signal;
  }

  end() {
    this.abort = null;
    this.runBtn.disabled = false;
    this.checkBtn.disabled = false;
    this.resetBtn.disabled = false;
    this.stopBtn.disabled = true;
  }

  stop() {
    this.abort?.abort();
  }

  // Runs `source` in the Worker: the result, with the filename the output's places name.
  runSource(source, signal, { trace = true } = {}) {
    return runProgram(source, { filename: this.spec.filename, trace, signal });
  }

  async run() {
    if (this.busy()) return null;
    await this.ensureEditor();
    const signal = this.begin('running', 'Running…');
    fill(this.output, h('p', { class: 'stale' }, 'Running…'));
    fill(this.exit);
    this.views.clear();
    const t0 = performance.now();
    try {
      const result = await this.runSource(this.editor.text(), signal);
      await this.showRun(result);
      this.setState('ready');
      this.status.dataset.kind = result.exitCode === 0 ? 'ok' : 'bad';
      this.status.textContent = `Run over: exit code ${result.exitCode} (${(performance.now() - t0).toFixed(0)} ms of this browser's time). Check runs it again and checks it.`;
      return result;
    } catch (err) {
      this.failed(err);
      return null;
    } finally {
      this.end();
    }
  }

  // The program's output and streams, as the Code view shows them (in two tasks).
  async showRun(result) {
    const onLocation = (line, col) => this.editor?.markError(line, col, 'The line the output names', { focus: true });
    const rows = outputRows(result.output, this.spec.filename, onLocation);
    fill(this.output, rows.length ? rows : h('p', { class: 'stale' }, 'The program wrote nothing.'));
    fill(this.exit, exitLine(result, this.spec.filename, onLocation));
    this.section.dataset.exitCode = String(result.exitCode);
    const loc = result.exitCode === 0 ? null : firstLocation(result, this.spec.filename);
    if (loc) this.editor?.markError(loc.line, loc.col, result.message || 'The program stopped here', { focus: false });
    await nextTask();
    // Drawn from the run's samples, not its traced events: drawing thousands of events at once
    // takes the page's main thread for 100 ms and more; the check reads the trace itself.
    const drawn = drawable(result);
    if (this.views.show(drawn)) {
      // chart-text.js says this of a scenario run with the trace off; here the trace was on.
      const last = this.views.sentences.lastElementChild;
      if (last && /the trace was off/.test(last.textContent)) {
        last.textContent = `${drawn.samples.length} samples of each stream's buffered amount, taken at the end of event-loop turns (the last turn of each millisecond of virtual time; at most 10,000 over the run). The check reads the run's trace; this chart draws the samples, so it has no per-event markers or counts.`;
      }
    }
  }

  failed(err) {
    const stopped = err instanceof StoppedError;
    this.setState(stopped ? 'stopped' : 'failed');
    this.status.dataset.kind = 'bad';
    this.status.textContent = stopped ? 'Stopped: the run was ended.' : err.message;
    fill(
      this.output,
      h(
        'p',
        { class: stopped ? 'stale' : 'code-error', role: stopped ? null : 'alert' },
        stopped ? 'Stopped before the program ended: no output is shown.' : err.message,
      ),
    );
    if (stopped) this.setVerdict('stopped', 'Stopped: nothing was checked.');
    if (err instanceof EngineMissingError) this.section.dataset.engine = 'missing';
  }

  // The spec's check on `source`: { passed, reasons, record (what the digest covers), shown }.
  async evaluate(source, signal, answers) {
    return this.spec.check({
      source,
      answers,
      run: (src, opts) => this.runSource(src, signal, opts),
      yieldNow: nextTask,
    });
  }

  async check() {
    if (this.busy()) return null;
    await this.ensureEditor();
    const source = this.editor.text();
    const answers = this.extra?.get() ?? null;
    const signal = this.begin('checking', 'Checking: running your program…');
    this.setVerdict('running', 'Checking…');
    fill(this.note);
    fill(this.results);
    let outcome;
    try {
      outcome = await this.evaluate(source, signal, answers);
    } catch (err) {
      this.end();
      this.failed(err);
      if (!(err instanceof StoppedError)) this.setVerdict('not-yet', 'Not checked.', [err.message]);
      this.renderBadge();
      return null;
    }
    // Each step its own task: the check's analysis, the output, the views, the tables. The
    // controls stay busy until the verdict is shown, so a second Check cannot interleave.
    this.stopBtn.disabled = true;
    await nextTask();
    if (outcome.result) await this.showRun(outcome.result);
    await nextTask();
    this.spec.show?.(this.results, outcome);
    if (outcome.passed) {
      this.verified = true;
      progress.setCodeVerified(this.id, true);
      const digest = await digestOf(outcome.record);
      progress.update(this.id, {
        code: {
          source,
          digest,
          passedAt: progress.getCode(this.id).code?.passedAt ?? new Date().toISOString(),
          ...(answers ? { answers } : {}),
        },
      });
    }
    this.end();
    this.finish(outcome);
    return outcome;
  }

  finish(outcome) {
    const kind = outcome.passed ? 'passed' : 'not-yet';
    this.setState(kind);
    this.setVerdict(kind, outcome.passed ? 'Passed.' : 'Not yet.', outcome.reasons);
    this.section.dataset.result = JSON.stringify({ passed: outcome.passed, reasons: outcome.reasons });
    this.status.dataset.kind = outcome.passed ? 'ok' : 'bad';
    this.status.textContent = outcome.passed ? 'Checked: passed.' : 'Checked: not yet.';
    this.renderBadge(outcome.passed);
    this.section.dispatchEvent(
      new CustomEvent(progress.EVENT, {
        bubbles: true,
        composed: true,
        detail: { id: this.id, step: 'code', passed: outcome.passed, reasons: outcome.reasons },
      }),
    );
  }

  // The stored passing program, run and checked again before the step says "Passed".
  async recheck() {
    const stored = progress.getCode(this.id).code;
    if (!stored || this.busy()) return null;
    this.section.dataset.verified = 'pending';
    this.renderBadge(null, 'Re-checking your stored program…');
    const signal = this.begin('checking', 'Re-checking the program this browser kept…');
    let outcome;
    try {
      outcome = await this.evaluate(stored.source, signal, stored.answers ?? null);
    } catch (err) {
      this.end();
      this.setState('idle');
      this.section.dataset.verified = 'false';
      progress.setCodeVerified(this.id, false);
      this.status.dataset.kind = 'bad';
      this.status.textContent =
        err instanceof StoppedError
          ? 'The re-check of your stored program was stopped.'
          : `Your stored program could not be re-checked: ${err.message}`;
      this.showNote('not-yet', this.status.textContent, []);
      this.renderBadge();
      return null;
    }
    this.end();
    this.verified = outcome.passed;
    progress.setCodeVerified(this.id, outcome.passed);
    this.section.dataset.verified = String(outcome.passed);
    if (outcome.passed) {
      const digest = await digestOf(outcome.record);
      this.section.dataset.digestMatch = String(digest === stored.digest);
      // The engine changed since it was stored, and the program still passes: keep this run's.
      if (digest !== stored.digest) progress.update(this.id, { code: { ...stored, digest } });
      this.setState('passed');
      this.status.dataset.kind = 'ok';
      this.status.textContent = 'Your stored program was run again and passes.';
      this.showNote('passed', 'The program this browser kept was run again on this page and passes.', []);
    } else {
      this.setState('not-yet');
      this.status.textContent = '';
      this.showNote('not-yet', 'The program this browser kept was run again and does not pass now:', outcome.reasons);
    }
    this.renderBadge();
    return outcome;
  }

  showNote(kind, head, reasons) {
    this.note.dataset.kind = kind;
    fill(
      this.note,
      h('p', {}, head),
      reasons.length
        ? h(
            'ul',
            {},
            reasons.map((r) => h('li', {}, r)),
          )
        : null,
    );
  }

  reset() {
    if (this.busy()) return;
    fill(this.note);
    this.editor?.replace(this.spec.starter);
    this.editor?.clearMarks();
    progress.clearCode(this.id);
    this.verified = false;
    progress.setCodeVerified(this.id, false);
    this.renderHints(0);
    this.extra?.set({});
    fill(this.verdict);
    delete this.verdict.dataset.kind;
    fill(this.results);
    fill(this.output, h('p', { class: 'stale' }, 'Press Run or Check.'));
    fill(this.exit);
    this.views.clear();
    delete this.section.dataset.result;
    delete this.section.dataset.verified;
    this.status.textContent = 'Back to the starter.';
    this.setState(this.editor ? 'ready' : 'idle');
    this.renderBadge();
  }
}
