// One live experiment: parameter form, run controls, output panel, charts with their text
// alternative, and the trace timeline, all driven by one Simulation through the shim.
//
//   const exp = await mountExperiment(rootElement, 'seeing-backpressure', { title, output });
//
// The root element gets data-scenario (the scenario's name) and, after every finished run,
// data-summary (the core's summary as JSON) and data-runs (how many runs finished). It also
// dispatches a 'streamlab:run' event whose detail is { summary, scenario }.
import { h, fill } from './dom.js';
import { loadCore } from './core.js';
import { RunSource } from './run-worker.js';
import { StoppedError, traceLimitMessage } from './limits.js';
import { resolveScenario } from './scenarios.js';
import { Player, SPEEDS } from './shim.js';
import { ParamForm } from './form.js';
import { Recorder } from './recorder.js';
import { Charts } from './chart.js';
import { Timeline, describeEvent } from './timeline.js';
import { renderOutput, templateFor } from './output.js';
import { chartSentences, chartTable } from './chart-text.js';
import { shareControl } from './embed/share.js';

// Writes text only when it changed: the player reports its state every frame, and an
// unchanged write still costs a layout and a paint.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// Returns a handle: { root, run(), play(), pause(), step(), restart(), setScenario(s),
// scenario(), summary(), charts, destroy() }.
export async function mountExperiment(root, scenarioOrName, options = {}) {
  const core = await loadCore();
  const scenario = await resolveScenario(scenarioOrName);
  const exp = new Experiment(root, core, scenario, options);
  exp.start();
  return exp;
}

class Experiment {
  constructor(root, core, scenario, options) {
    this.root = root;
    this.core = core;
    this.options = options;
    this.scenarioNow = scenario;
    this.runs = 0;
    this.lastSummary = null;
    this.player = null;
    this.recorder = null;
    this.xMode = options.xAxis ?? 'event';
    this.pendingView = false;
    root.classList.add('experiment');
    root.dataset.scenario = scenario.name ?? 'custom';
    this.build();
  }

  build() {
    const o = this.options;
    const title = o.title ?? this.scenarioNow.name ?? 'Experiment';
    this.status = h('span', { class: 'exp-status', role: 'status' });
    this.form = new ParamForm(this.scenarioNow, { onChange: (s) => this.setScenario(s) });

    const button = (label, action, cls = '') => h('button', { type: 'button', class: cls, onclick: action }, label);
    this.runBtn = button('Run', () => this.run(), 'primary');
    this.playBtn = button('Play', () => this.togglePlay());
    this.stepBtn = button('Step', () => this.step());
    this.restartBtn = button('Restart', () => this.restart());
    // Ends the run under way at once (its Worker is terminated); enabled only while one is.
    this.stopBtn = button('Stop', () => this.stop(), 'stop');
    this.speed = h(
      'select',
      { 'aria-label': 'Playback speed' },
      SPEEDS.map((s) => h('option', { value: s.id, selected: s.id === (o.speed ?? 'slow') }, s.label)),
    );
    this.speed.addEventListener('change', () => this.player?.setSpeed(this.speed.value));
    this.xSelect = h(
      'select',
      { 'aria-label': 'Chart x axis' },
      h('option', { value: 'event' }, 'x: event by event'),
      h('option', { value: 'time' }, 'x: virtual time'),
    );
    this.xSelect.value = this.xMode;
    this.xSelect.addEventListener('change', () => {
      this.xMode = this.xSelect.value;
      this.charts.setXMode(this.chartX());
    });
    this.clock = h('span', { class: 'clock', 'aria-live': 'off' });
    this.stateLine = h('p', { class: 'state-line', 'aria-live': 'polite' });
    this.output = h('div', { class: 'output', 'aria-live': 'polite' });

    const chartBox = h('div', { class: 'charts' });
    this.charts = new Charts(chartBox, {
      syncKey: `sync-${Math.random().toString(36).slice(2)}`,
      onHover: (i) => this.hovered(i),
      yUnit: () => this.unit(),
    });
    this.sentences = h('ul', { class: 'chart-sentences' });
    this.table = h('div', { class: 'chart-table' });
    const figure = h(
      'figure',
      { class: 'chart-figure' },
      chartBox,
      h(
        'figcaption',
        {},
        this.sentences,
        h('details', { class: 'chart-alt' }, h('summary', {}, 'Chart data as a table'), this.table),
      ),
    );

    this.timeline = new Timeline({ onSelect: (i) => this.selectEvent(i) });
    this.note = h('p', { class: 'exp-note', hidden: true });

    fill(
      this.root,
      h('header', { class: 'exp-head' }, h('h3', { class: 'exp-title' }, title), this.status),
      h(
        'details',
        { class: 'exp-params', open: o.paramsOpen ?? matchMedia('(min-width: 700px)').matches },
        h('summary', {}, 'Parameters'),
        this.form.el,
      ),
      h(
        'div',
        { class: 'controls', role: 'group', 'aria-label': 'Run controls' },
        this.runBtn,
        this.playBtn,
        this.stepBtn,
        this.restartBtn,
        this.stopBtn,
        h('label', { class: 'inline' }, 'Speed ', this.speed),
        h('label', { class: 'inline' }, this.xSelect),
        o.share === false ? null : shareControl(this),
      ),
      h('div', { class: 'clock-row' }, this.clock),
      this.note,
      h('div', { class: 'output-box' }, h('h4', {}, 'Output'), this.output),
      this.stateLine,
      figure,
      this.timeline.el,
    );
  }

  start() {
    this.setScenario(this.scenarioNow, { initial: true });
    const autorun = this.options.autorun ?? 'visible';
    if (autorun === true) this.run();
    else if (autorun === 'visible' && 'IntersectionObserver' in window) {
      const seen = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          seen.disconnect();
          if (!this.runs && !this.player?.state().revealed) this.run();
        },
        { rootMargin: '200px' },
      );
      seen.observe(this.root);
      this.observer = seen;
    }
  }

  scenario() {
    return structuredClone(this.scenarioNow);
  }

  summary() {
    return this.lastSummary;
  }

  // A new scenario: validate with the core; if wrong, mark the field and run nothing.
  setScenario(scenario, { initial = false } = {}) {
    this.scenarioNow = scenario;
    const message = this.core.validateScenario(scenario);
    this.form.showError(message);
    this.player?.destroy();
    this.player = null;
    this.invalid = Boolean(message);
    // Until the next run, what is on screen belongs to other parameters.
    this.root.toggleAttribute('data-stale', Boolean(message));
    if (message) {
      this.setStatus(`Not run: ${message}`, 'bad');
      fill(this.output, h('p', { class: 'stale' }, 'Fix the marked parameter to run this experiment.'));
      this.note.hidden = true; // its chunk count was the old scenario's
      this.syncButtons();
      return false;
    }
    // Known once a run has counted its events (limits.js): too many to trace, it runs with
    // the trace off and cannot be played or stepped.
    this.traced = true;
    this.note.hidden = true;
    this.note.textContent = '';
    this.player = new Player({
      open: () => new RunSource(this.scenarioNow, { onProgress: (p) => this.progress(p) }),
      describe: () => this.describe(),
      onReset: (description) => this.reset(description),
      onReveal: (events, first) => this.revealed(events, first),
      onState: () => this.stateChanged(),
      onError: (err) => this.runStopped(err),
      onLimit: (info) => this.overLimit(info),
      onUntraced: (reply) => this.untracedDone(reply),
      speed: this.speed.value,
    });
    if (!initial) {
      this.setStatus('Parameters changed: running…');
      this.run();
    }
    this.syncButtons();
    return true;
  }

  // ---- actions ----

  async run() {
    if (this.invalid) return null;
    this.observer?.disconnect();
    // Part-way through (stepped or paused), Run finishes this run; otherwise it starts anew.
    const st = this.player.state();
    if (st.finished || st.stopped) this.player.restart();
    this.setStatus('Running…');
    await this.player.runToEnd();
    return this.lastSummary;
  }

  togglePlay() {
    if (!this.player) return;
    this.observer?.disconnect();
    if (this.player.mode === 'playing') this.player.pause();
    else {
      if (this.player.finished) this.player.restart();
      this.player.setSpeed(this.speed.value);
      this.player.play();
    }
  }

  play() {
    if (this.player && this.player.mode !== 'playing') this.togglePlay();
  }

  pause() {
    this.player?.pause();
  }

  // Reveals n events (1: one step; more: a shared link's paused moment) and then draws the
  // views once: redrawing after each of thousands of events froze the page for seconds.
  // Resolves to how many were revealed (the events come from the run's Worker).
  async step(n = 1) {
    if (!this.player || !this.traced) return 0;
    this.observer?.disconnect();
    if (this.player.finished || this.player.stopped) this.player.restart();
    const done = await this.player.reveal(n);
    if (!this.recorder?.length) return done;
    this.charts.update();
    this.timeline.update();
    const last = this.recorder.length - 1;
    this.timeline.highlight(last);
    this.charts.showEvent(last);
    this.showState(last);
    return done;
  }

  restart() {
    this.player?.restart();
  }

  stop() {
    this.player?.stop();
  }

  // The streams and the highWaterMarks Node would use, from a handle that is never stepped.
  describe() {
    const probe = new this.core.Simulation(this.scenarioNow, { trace: false });
    try {
      return { streams: Array.from(probe.streams()), highWaterMarks: probe.highWaterMarks() };
    } finally {
      probe.free();
    }
  }

  // ---- player callbacks ----

  // Too many events to trace (limits.js): the run goes on in its Worker with the trace off.
  overLimit(info) {
    this.traced = false;
    this.note.textContent = traceLimitMessage(this.scenarioNow, info.events, { exact: false, untraced: true });
    this.note.hidden = false;
    this.timeline.el.hidden = true;
    fill(this.output, h('p', { class: 'stale' }, 'Running with the trace off: the answer comes when the run is over.'));
    this.setStatus('Running with the trace off…');
    this.syncButtons();
  }

  progress({ events, t }) {
    if (!this.traced && this.player?.busy())
      this.setStatus(`Running with the trace off… ${events.toLocaleString('en-US')} events, t = ${t} ms virtual`);
  }

  // The trace-off run's result: the chart shows its samples.
  untracedDone({ result, ms, events }) {
    this.note.textContent = traceLimitMessage(this.scenarioNow, events, { untraced: true });
    if (!result.samples?.length) this.note.textContent += ' This scenario takes no samples (sampleEveryMs) to chart.';
    this.recorder = Recorder.fromSamples(result.samples, this.player.description.highWaterMarks);
    // One rebuild, not two (a chart of many streams is slow to build); none without samples.
    this.charts.xMode = 'time';
    if (this.recorder.length) this.charts.setRecorder(this.recorder);
    this.timeline.el.hidden = true;
    this.summaryShown = true;
    this.finished(result.summary, result.samples, ms);
  }

  // The run stopped before its end: Stop, a limit, or the core failing (the page replaced it).
  runStopped(err) {
    if (err instanceof StoppedError) this.setStatus('Stopped. Restart or Run starts it again.', 'bad');
    else this.setStatus(`The core stopped: ${err.message}`, 'bad');
    this.syncButtons();
  }

  // The Player calls this from its constructor too, before this.player is set.
  reset(description) {
    this.recorder = description ? new Recorder(description.streams, description.highWaterMarks) : null;
    this.charts.xMode = this.chartX();
    this.charts.setRecorder(this.recorder);
    this.timeline.setRecorder(this.recorder ?? new Recorder([], {}));
    this.timeline.el.hidden = !this.traced;
    // Runs with more events than the page traces cannot be played.
    fill(
      this.output,
      h(
        'p',
        { class: 'stale' },
        this.traced ? 'Press Run for the answer, or Play to watch it happen.' : 'Press Run for the answer.',
      ),
    );
    fill(this.sentences);
    fill(this.table);
    this.stateLine.textContent = '';
    this.summaryShown = false;
  }

  revealed(events, first) {
    const source = this.player.source;
    this.recorder.add(events, first, (i) => source.bufferedAt(i));
    // Views redraw at most once per frame, however many events arrived; and since a redraw
    // costs in proportion to the events shown, a long run redraws less often (every 400 ms at
    // 20,000 events), so the frames stay short.
    if (this.pendingView) return;
    this.pendingView = true;
    const draw = () => {
      this.pendingView = false;
      this.drawnAt = performance.now();
      this.charts.update();
      this.timeline.update();
    };
    const wait = Math.min(1000, this.recorder.length / 50) - (performance.now() - (this.drawnAt ?? 0));
    if (wait > 0) setTimeout(() => requestAnimationFrame(draw), wait);
    else requestAnimationFrame(draw);
  }

  stateChanged() {
    const p = this.player;
    if (!p) return;
    const st = p.state();
    setText(
      this.clock,
      `t = ${Math.floor(st.clock)} ms virtual · ${st.revealed} events shown${st.finished ? ' · run over' : ''}`,
    );
    this.syncButtons();
    if (st.stopped) return; // runStopped said why
    if (st.finished && !this.summaryShown) {
      this.summaryShown = true;
      this.charts.update();
      this.timeline.update();
      this.finished(p.source.summary, p.source.samples);
    } else if (st.finished) {
      // the trace-off result is shown
    } else if (!this.traced && st.busy) {
      // progress() reports the trace-off run
    } else if (st.mode === 'to-end') {
      // Run: the player reveals the rest as fast as frames allow; it is not paused.
      this.setStatus('Running to the end…');
    } else if (st.mode === 'playing') {
      this.setStatus('Playing');
    } else if (!st.finished && st.revealed) {
      this.setStatus('Paused');
    } else if (!st.revealed) {
      // Restarted: the last run's "Run over" no longer describes what is shown.
      this.setStatus('Restarted: Play, Step or Run');
    }
  }

  finished(summary, samples, coreMs) {
    this.lastSummary = summary;
    this.runs += 1;
    const hwms = this.player?.description?.highWaterMarks ?? null;
    fill(
      this.output,
      renderOutput(templateFor(this.options.output, this.scenarioNow), summary, this.scenarioNow, hwms),
    );
    fill(
      this.sentences,
      chartSentences(this.recorder, this.unit()).map((s) => h('li', {}, s)),
    );
    if (coreMs !== undefined)
      this.sentences.append(h('li', {}, `The core ran it in ${coreMs.toFixed(1)} ms of real time (trace off).`));
    fill(this.table, chartTable(this.recorder, samples, this.unit()));
    this.root.dataset.summary = JSON.stringify(summary);
    this.root.dataset.runs = String(this.runs);
    this.setStatus(
      summary.error
        ? `Run over, with an error: ${summary.error.code ?? ''}`
        : `Run over at ${summary.endedAtMs} ms virtual`,
      summary.error ? 'bad' : 'ok',
    );
    this.root.dispatchEvent(
      new CustomEvent('streamlab:run', {
        bubbles: true,
        detail: { summary, scenario: this.scenario() },
      }),
    );
    this.options.onRun?.(summary, this);
  }

  // ---- views ----

  // Object-mode streams count objects; a pipeline mixing both is labelled as such.
  unit() {
    const s = this.scenarioNow;
    const streams = s.connect === 'write-loop' ? [s.sink] : [s.source, ...(s.transforms ?? []), s.sink];
    const modes = streams.map((x) => Boolean(x?.objectMode));
    if (modes.every((m) => m)) return 'objects';
    return modes.some((m) => m) ? 'bytes or objects' : 'bytes';
  }

  // Samples (trace off) have only time; traced runs use the chosen axis.
  chartX() {
    return this.recorder?.sampled ? 'time' : this.xMode;
  }

  hovered(i) {
    if (i === null || !this.recorder) return;
    this.timeline.highlight(i);
    this.showState(i);
  }

  selectEvent(i) {
    this.charts.showEvent(i);
    this.showState(i);
  }

  showState(i) {
    const st = this.recorder?.stateAt(i);
    if (!st) return;
    const e = st.event;
    const hw = this.recorder.hwmLines();
    const parts = Object.entries(st.buffered).map(([s, v]) => {
      const marks = hw
        .filter((l) => l.stream === s)
        .map((l) => l.value)
        .join('/');
      return `${s} ${v}${marks ? ` (hwm ${marks})` : ''}`;
    });
    const what = [e.stream, e.ev, describeEvent(e)].filter(Boolean).join(' ');
    this.stateLine.textContent = `Event #${st.index} at ${e.t} ms: ${what} · buffered ${this.unit()}: ${parts.join(', ')}`;
  }

  setStatus(text, kind = '') {
    setText(this.status, text);
    if (this.status.dataset.kind !== kind) this.status.dataset.kind = kind;
  }

  syncButtons() {
    const none = this.invalid;
    const live = !none && this.traced && this.player;
    this.runBtn.disabled = none;
    this.stopBtn.disabled = !this.player?.busy();
    this.playBtn.disabled = !live;
    this.speed.disabled = !live;
    this.xSelect.disabled = !live;
    this.stepBtn.disabled = !live;
    this.restartBtn.disabled = none || !this.player;
    setText(this.playBtn, this.player?.mode === 'playing' ? 'Pause' : 'Play');
    this.playBtn.setAttribute('aria-pressed', this.player?.mode === 'playing' ? 'true' : 'false');
  }

  destroy() {
    this.observer?.disconnect();
    this.player?.destroy();
    this.charts.destroy();
    this.root.replaceChildren();
  }
}
