// The Code view of one experiment: the lesson's code with the form's parameters (generate.js)
// in a CodeMirror editor, Run (on the code lab's engine, in a Worker), Stop, Copy, Share and
// Reset, the program's output with virtual times, and the experiment's views when the engine's
// result carries streams. Loaded only when a learner opens a Code view (code-toggle.js).
// Without an experiment it shows a fixed program (`source`, `filename`): the lesson's own code
// (lesson-program.js), with Reset back to it and no share link.
//
// The root element (data-code-view) carries data-state: loading | ready | running | done |
// stopped | failed, data-edited when the code is not the form's, and after a run
// data-exit-code. It dispatches 'streamlab:program' with { result } after each run.
import { h, fill } from '../dom.js';
import { StoppedError } from '../limits.js';
import { lessonShareUrl, experimentState } from '../embed/share.js';
import { programFor } from './generate.js';
import { runProgram, EngineMissingError } from './runner.js';
import { outputRows, exitLine, firstLocation } from './program-output.js';
import { ProgramViews } from './program-views.js';
import { encodeCode, MAX_CODE_CHARS } from './share-code.js';

const FILENAME = 'experiment.mjs';
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
export const EDITOR_URL = new URL('../vendor/code-editor/editor.js', import.meta.url).href;

// The view's stylesheet, added once per document or shadow root (an embed's <stream-lab>: the
// page's sheets do not reach into it); resolves when it has loaded (or failed: the view still works).
const styles = new WeakMap();
// (Exported for the challenges' code steps, which use the same editor and stylesheet.)
export function loadStyles(root) {
  const node = root.getRootNode();
  const parent = node instanceof ShadowRoot ? node : document.head;
  if (!styles.has(parent))
    styles.set(
      parent,
      new Promise((resolve) => {
        const link = h('link', { rel: 'stylesheet', href: new URL('./code.css', import.meta.url).href });
        link.addEventListener('load', resolve);
        link.addEventListener('error', resolve);
        parent.append(link);
      }),
    );
  return styles.get(parent);
}

export async function mountCodeView(root, options) {
  const view = new CodeView(root, options);
  await view.load();
  return view;
}

class CodeView {
  constructor(root, { experiment = null, scenario, source, filename = FILENAME, belowOutput = null }) {
    this.root = root;
    this.belowOutput = belowOutput; // an element shown right under the output (lesson-program.js)
    this.experiment = experiment;
    this.filename = filename;
    this.generated = experiment ? programFor(scenario) : String(source);
    this.editor = null;
    this.abort = null;
    this.setState('loading');
    fill(root, h('p', { class: 'code-loading' }, 'Loading the code editor…'));
  }

  async load() {
    let lib;
    try {
      [lib] = await Promise.all([import(EDITOR_URL), loadStyles(this.root)]);
    } catch (err) {
      fill(
        this.root,
        h(
          'p',
          { class: 'code-error', role: 'alert' },
          `The code editor is not built (run ./build.sh build): ${err.message}`,
        ),
      );
      this.setState('failed');
      throw err;
    }
    // Several tasks, not one: evaluating the editor's module, building the view with an empty
    // editor, and giving the editor its text a few lines at a time (parsing and highlighting)
    // each take tens of ms on a slow machine, and together they would be a long task.
    await nextTask();
    this.build();
    await nextTask();
    await this.createEditor(lib);
    const first = this.generated;
    await this.editor.load(first);
    // The form changed while the text went in: the newest code.
    if (this.generated !== first) this.editor.replace(this.generated, { history: false });
    this.setState('ready');
  }

  build() {
    const button = (label, action, cls = '') => h('button', { type: 'button', class: cls, onclick: action }, label);
    this.runBtn = button('Run', () => this.run(), 'primary');
    this.runBtn.dataset.action = 'run-code';
    this.stopBtn = button('Stop', () => this.stop(), 'stop');
    this.stopBtn.dataset.action = 'stop-code';
    this.stopBtn.disabled = true;
    this.copyBtn = button('Copy', () => this.copy());
    this.copyBtn.dataset.action = 'copy-code';
    this.shareBtn = globalThis.__streamlabOffline || !this.experiment ? null : button('Share code', () => this.share());
    if (this.shareBtn) this.shareBtn.dataset.action = 'share-code';
    this.resetBtn = button(
      this.experiment ? "Reset to the form's code" : "Reset to the lesson's code",
      () => this.reset(),
      'small',
    );
    this.resetBtn.dataset.action = 'reset-code';
    this.editedBadge = h('span', { class: 'code-edited' }, 'edited');
    this.editedBox = h('span', { class: 'code-edited-box', hidden: true }, this.editedBadge, ' ', this.resetBtn);
    this.status = h('span', { class: 'code-status', role: 'status' });
    this.note = h('span', { class: 'code-note', role: 'status' });
    this.linkField = h('input', {
      type: 'text',
      class: 'share-link',
      readonly: true,
      'aria-label': 'Link to this code',
      hidden: true,
    });
    this.output = h('div', { class: 'program-output' });
    this.exit = h('div', { class: 'program-exit' });
    // The line behind the event the views show, marked in the editor while the text is the run's.
    this.views = new ProgramViews({
      onEvent: (_i, line) => this.editor?.showRunning(line > 0 && this.editor.text() === this.ranSource ? line : null),
    });
    const editorBox = h('div', { class: 'code-editor' });

    fill(
      this.root,
      h(
        'p',
        { class: 'code-intro' },
        this.experiment
          ? "The lesson's code for this experiment with the parameters above: changing the form rewrites it; editing it leaves the form alone. "
          : "The lesson's code, as the lesson shows it: edit it and run it as often as you like. ",
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
      editorBox,
      h(
        'div',
        { class: 'controls code-controls', role: 'group', 'aria-label': 'Code controls' },
        this.runBtn,
        this.stopBtn,
        this.copyBtn,
        this.shareBtn,
        this.editedBox,
        this.status,
      ),
      h('p', { class: 'code-note-row' }, this.note, this.linkField),
      h(
        'div',
        { class: 'output-box program-box' },
        h(this.headingTag(), {}, 'Program output'),
        h(
          'p',
          { class: 'hint' },
          "Each line shows when the program wrote it, in milliseconds of Streamlab's virtual clock. Elapsed times the program measures (performance.now(), Date.now()) are virtual too: under real Node they differ.",
        ),
        this.output,
        this.exit,
      ),
      this.belowOutput,
      this.views.el,
    );
    this.editorBox = editorBox;
    fill(this.output, h('p', { class: 'stale' }, 'Press Run to run this code.'));
  }

  // One level under the experiment's title (h3 in the lesson, h2 in an embed), so headings
  // never skip a level.
  headingTag() {
    const title = this.root.closest('.experiment')?.querySelector('.exp-title');
    const level = title ? Number(title.tagName.slice(1)) + 1 : 4;
    return `h${Math.min(Math.max(level, 2), 6)}`;
  }

  async createEditor(lib) {
    this.editor = await lib.createEditor(this.editorBox, {
      doc: '',
      label: 'Program code',
      onEdit: () => this.syncEdited(),
    });
  }

  setState(state) {
    this.root.dataset.state = state;
  }

  text() {
    return this.editor?.text() ?? this.generated;
  }

  // The form's scenario changed: new code, unless the learner's edits are in the editor.
  setScenario(scenario) {
    this.generated = programFor(scenario);
    if (!this.editor || this.root.dataset.state === 'loading') return; // load() takes the newest
    if (this.root.hasAttribute('data-edited')) {
      this.note.textContent = 'The form changed: Reset takes its code (your edits would go; Ctrl+Z brings them back).';
      return;
    }
    this.editor.replace(this.generated);
    this.editor.clearMarks();
  }

  // Code from elsewhere (a share link): shown as the learner's, never run here.
  showCode(text) {
    this.editor.replace(String(text));
    this.editor.clearMarks();
    this.syncEdited();
    fill(this.output, h('p', { class: 'stale' }, 'Code from a link: read it, then press Run to run it.'));
    fill(this.exit);
    this.views.clear();
  }

  syncEdited() {
    const edited = this.editor.text() !== this.generated;
    this.root.toggleAttribute('data-edited', edited);
    this.editedBox.hidden = !edited;
    if (!edited) this.note.textContent = '';
  }

  reset() {
    this.editor.replace(this.generated);
    this.editor.clearMarks();
    this.syncEdited();
    this.note.textContent = this.experiment ? "The code is the form's again." : "The code is the lesson's again.";
  }

  goTo(line, col, message) {
    this.editor.markError(line, col, message, { focus: true });
  }

  async run() {
    if (this.abort) return null;
    const source = this.editor.text();
    this.abort = new AbortController();
    this.runBtn.disabled = true;
    this.stopBtn.disabled = false;
    this.setState('running');
    this.status.textContent = 'Running…';
    this.status.dataset.kind = '';
    this.editor.clearMarks();
    fill(this.output, h('p', { class: 'stale' }, 'Running…'));
    fill(this.exit);
    this.views.clear();
    const t0 = performance.now();
    let result = null;
    try {
      result = await runProgram(source, { filename: this.filename, signal: this.abort.signal });
      this.ranSource = source;
      this.show(result, performance.now() - t0);
    } catch (err) {
      this.failed(err);
    } finally {
      this.abort = null;
      this.runBtn.disabled = false;
      this.stopBtn.disabled = true;
    }
    return result;
  }

  stop() {
    this.abort?.abort();
  }

  show(result, ms) {
    const onLocation = (line, col) => this.goTo(line, col, 'The line the output names');
    const rows = outputRows(result.output, this.filename, onLocation);
    fill(this.output, rows.length ? rows : h('p', { class: 'stale' }, 'The program wrote nothing.'));
    fill(this.exit, exitLine(result, this.filename, onLocation));
    this.root.dataset.exitCode = String(result.exitCode);
    const loc = result.exitCode === 0 ? null : firstLocation(result, this.filename);
    if (loc) this.editor.markError(loc.line, loc.col, result.message || 'The program stopped here', { focus: false });
    this.views.show(result);
    this.setState('done');
    this.status.dataset.kind = result.exitCode === 0 ? 'ok' : 'bad';
    this.status.textContent = `Run over: exit code ${result.exitCode}${loc ? `, line ${loc.line} marked` : ''} (${ms.toFixed(0)} ms of this browser's time).`;
    this.root.dispatchEvent(new CustomEvent('streamlab:program', { bubbles: true, detail: { result } }));
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
    if (err instanceof EngineMissingError) this.root.dataset.engine = 'missing';
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.editor.text());
      this.note.textContent = `Copied. Save it as ${this.filename} and run: node ${this.filename}`;
    } catch {
      this.note.textContent =
        'The clipboard is not available here: select the code in the editor (Ctrl+A) and copy it.';
    }
  }

  async share() {
    const exp = this.experiment;
    const lab = exp.root.dataset.scenario;
    const code = await encodeCode(this.editor.text());
    if (code.length > MAX_CODE_CHARS) {
      this.note.textContent = `This code is too long for a link (${code.length} characters compressed; at most ${MAX_CODE_CHARS}): use Copy instead.`;
      return;
    }
    const link = `${lessonShareUrl(experimentState(exp), lab)}&code=${code}`;
    this.shareBtn.dataset.link = link;
    this.linkField.value = link;
    try {
      await navigator.clipboard.writeText(link);
      this.note.textContent = 'Link copied: it opens this code in the Code view, not run.';
      this.linkField.hidden = true;
    } catch {
      this.note.textContent = 'Copy this link:';
      this.linkField.hidden = false;
      this.linkField.focus();
      this.linkField.select();
    }
  }

  destroy() {
    this.stop();
    this.editor?.destroy();
    this.views.destroy();
  }
}
