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
import { sampleColumns } from './sample-columns.js';
import { Charts } from './chart.js';
import { Timeline, describeEvent } from './timeline.js';
import { renderOutput, templateFor } from './output.js';
import { chartSentences, chartTable } from './chart-text.js';
import { shareControl } from './embed/share.js';
import { readableTitle } from './titles.js';
import { formatAmount, formatCount } from './units.js';
import { Tanks } from './tanks.js';
import { explainPauses } from './claims.js';
import { codeToggle } from './code/code-toggle.js';

// The experiment handle of a mounted root element (share links find theirs this way).
const handles = new WeakMap();
export function experimentOf(root) {
  return handles.get(root) ?? null;
}

// Keys that drive an experiment while focus is inside it (not in a text field).
export const SHORTCUTS = [
  ['r', 'Run'],
  ['p', 'Play / Pause'],
  ['s', 'Step'],
  ['0', 'Restart'],
];

// Writes text only when it changed: the player reports its state every frame, and an
// unchanged write still costs a layout and a paint.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// How long a run may be to be traced is limits.js's (events, trace bytes, wall time).
// Per frame, the time spent recording revealed events before the views are drawn.
const RECORD_BUDGET_MS = 8;
const RECORD_SLICE = 128; // events recorded between two looks at the clock
const SAMPLE_SLICE = 1024; // a trace-off run's samples recorded between two looks at the clock
// While events stream in, the views (chart, timeline, tanks) are redrawn at most this often:
// a redraw costs the same whether 1 or 1,000 events arrived, so fewer redraws keep each frame
// short. Step, Pause and the end of a run draw at once.
const VIEW_MS = 100;
// Playing at most this many events a second, a frame draws all the views at once; else
// (Run, fast Play, the end of a run) one view per frame.
const SLOW_EVENTS_PER_SEC = 60;
const CLOCK_SLOW_MS = 250;

// The time of the current animation frame (the same for every callback of one frame).
const frameTime = () => document.timeline?.currentTime ?? Number.NaN;

// Returns a handle: { root, run(), play(), pause(), step(), restart(), setScenario(s),
// scenario(), summary(), charts, destroy() }.
export async function mountExperiment(root, scenarioOrName, options = {}) {
  const core = await loadCore();
  const scenario = await resolveScenario(scenarioOrName);
  const exp = new Experiment(root, core, scenario, options);
  handles.set(root, exp);
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
    this.pending = []; // revealed by the player, not yet recorded: [events, first, done]
    this.viewJobs = []; // the views still to draw, one per frame (drawFrame)
    this.finishPending = false;
    this.shownWaiters = [];
    root.classList.add('experiment');
    root.dataset.scenario = scenario.name ?? 'custom';
    this.build();
  }

  build() {
    const o = this.options;
    const title = o.title ?? readableTitle(this.scenarioNow);
    this.status = h('span', { class: 'exp-status', role: 'status' });
    this.form = new ParamForm(this.scenarioNow, { onChange: (s) => this.setScenario(s) });

    const button = (label, action, key, cls = '') =>
      h('button', { type: 'button', class: cls, onclick: action, 'aria-keyshortcuts': key }, label);
    this.runBtn = button('Run', () => this.run(), 'R', 'primary');
    this.playBtn = button('Play', () => this.togglePlay(), 'P');
    this.stepBtn = button('Step', () => this.step(), 'S');
    this.restartBtn = button('Restart', () => this.restart(), '0');
    // Ends the run under way at once (its Worker is terminated); enabled only while one is.
    this.stopBtn = button('Stop', () => this.stop(), undefined, 'stop');
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
    this.tanks = new Tanks({ unit: () => this.unit() });
    this.output = h('div', { class: 'output', 'aria-live': 'polite' });

    const chartBox = h('div', { class: 'charts' });
    this.chartBox = chartBox;
    // Said instead of an empty chart: a run with the trace off and no samples has nothing to draw.
    this.noChart = h('p', { class: 'no-chart', hidden: true });
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
      this.noChart,
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
    // Predict, then run: the lesson's optional question, answered before the first run.
    this.prediction = null;
    let predictBox = null;
    if (o.predict) {
      const id = `predict-${Math.random().toString(36).slice(2)}`;
      this.prediction = h('input', { type: 'text', id, autocomplete: 'off', class: 'predict-input' });
      predictBox = h(
        'div',
        { class: 'predict' },
        h('label', { for: id }, h('strong', {}, 'Predict first: '), o.predict),
        this.prediction,
        h('p', { class: 'hint' }, 'Optional. Write your guess, then press Run to see what Node does.'),
      );
    }
    this.predictEcho = h('p', { class: 'predict-echo', hidden: true });
    // The Code view beside the form (options.code; none in the offline file, which has no engine).
    this.code = o.code === true && !globalThis.__streamlabOffline ? codeToggle(this) : null;
    this.root.addEventListener('keydown', (e) => this.shortcut(e));

    fill(
      this.root,
      h('header', { class: 'exp-head' }, h(o.heading ?? 'h3', { class: 'exp-title' }, title), this.status),
      predictBox,
      h(
        'details',
        { class: 'exp-params', open: o.paramsOpen ?? matchMedia('(min-width: 700px)').matches },
        h('summary', {}, 'Parameters'),
        this.form.el,
      ),
      this.code?.el,
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
      h(
        'p',
        { class: 'keys-hint' },
        'Keys (focus inside this experiment): ',
        SHORTCUTS.map(([k, what], i) => [i ? ' · ' : '', h('kbd', {}, k.toUpperCase()), ` ${what}`]),
      ),
      h('div', { class: 'clock-row' }, this.clock),
      this.note,
      h(
        'div',
        { class: 'output-box' },
        h({ h1: 'h2', h2: 'h3' }[o.heading] ?? 'h4', {}, 'Output'),
        this.predictEcho,
        this.output,
      ),
      this.tanks.el,
      this.stateLine,
      figure,
      this.timeline.el,
    );
  }

  start() {
    this.setScenario(this.scenarioNow, { initial: true });
    // No run until the learner asks for one (predict, then run), unless the page says so.
    const autorun = this.options.autorun ?? false;
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
    this.code?.setScenario(scenario);
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
    const shown = new Promise((resolve) => this.shownWaiters.push(resolve));
    await this.player.runToEnd();
    if (this.player?.finished) await shown;
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
    if ((this.player.finished || this.player.stopped) && n > 0) this.player.restart();
    const done = await this.player.reveal(n);
    this.record(Infinity);
    if (!this.recorder?.length) return done;
    this.charts.update({ now: true });
    this.timeline.update();
    this.viewedLength = this.recorder.length;
    const last = this.recorder.length - 1;
    this.timeline.highlight(last);
    this.charts.showEvent(last);
    this.showState(last);
    this.tanks.show(last);
    return done;
  }

  // The virtual time of the next event not yet shown (null at the end), waiting for the
  // run's Worker to send it where it has not arrived yet.
  async nextEventTime() {
    const p = this.player;
    if (!p || !this.traced || p.finished || p.stopped) return null;
    const source = p.ensureSource();
    while (p.source === source && !p.stopped) {
      if (p.guard(() => p.fill(1))) return source.peek()?.t ?? null;
      if (source.error || (source.done && !source.available())) return null;
      await source.arrival();
    }
    return null;
  }

  // Reveals every event up to and including virtual time t (Step both, by time).
  async stepToTime(t, max = 5000) {
    if (!this.player) return 0;
    if (this.player.finished || this.player.stopped) this.player.restart();
    let n = 0;
    while (n < max) {
      const next = await this.nextEventTime();
      if (next === null || next > t || !(await this.player.reveal(1))) break;
      n += 1;
    }
    if (n) await this.step(0);
    return n;
  }

  shortcut(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = e.target?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable) return;
    const act = { r: () => this.run(), p: () => this.togglePlay(), s: () => this.step(), 0: () => this.restart() }[
      e.key.toLowerCase()
    ];
    if (!act) return;
    e.preventDefault();
    act();
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

  // The trace-off run's result: the chart shows its samples. It comes in a Worker's message,
  // whose task already took the samples in: the chart is made empty in the next frame, the
  // samples are recorded and charted a slice per frame, then drawn, and the caption, table and
  // output follow in frames of their own (finished), so no one task holds all of it.
  untracedDone({ result, sampled, ms, events }) {
    this.note.textContent = traceLimitMessage(this.scenarioNow, events, { untraced: true });
    this.timeline.el.hidden = true;
    this.summaryShown = true;
    const player = this.player;
    const source = player.source;
    // From a Worker, columns; from the main thread's run (no Worker), the result's samples.
    const columns = sampled ?? sampleColumns(result.samples ?? []);
    const current = () => this.player === player && player.source === source;
    this.showSamples(columns, player.description.highWaterMarks, current)
      .then((shown) => shown && this.finished(result.summary, result.samples, ms))
      .then(() => this.settleShown());
  }

  // Resolves to true once the samples are on the chart (false: a new run began meanwhile).
  async showSamples(columns, hwms, current) {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    await frame();
    if (!current()) return false;
    const recorder = Recorder.forSamples(columns.streams, hwms);
    this.recorder = recorder;
    // One build of the plots (a chart of many streams is slow to build); none without samples.
    this.charts.xMode = 'time';
    const drawn = columns.n > 0;
    if (drawn) this.charts.setRecorder(recorder);
    this.tanks.setRecorder(recorder);
    this.chartBox.hidden = !drawn;
    this.tanks.el.hidden ||= !drawn;
    this.noChart.hidden = drawn;
    this.noChart.textContent = drawn
      ? ''
      : 'No chart for this run: it had too many events to trace, so it ran with the trace off, and this scenario takes no samples over time (sampleEveryMs is not set). Its numbers are in the Output above.';
    for (let from = 0; from < columns.n; ) {
      await frame();
      if (this.recorder !== recorder) return false;
      const deadline = performance.now() + RECORD_BUDGET_MS;
      while (from < columns.n && performance.now() < deadline) {
        const to = Math.min(columns.n, from + SAMPLE_SLICE);
        recorder.addSamples(columns, from, to);
        this.charts.catchUp();
        from = to;
      }
    }
    if (drawn) {
      await frame();
      if (this.recorder !== recorder) return false;
      this.charts.update({ now: true });
    }
    this.tanks.show(recorder.length - 1);
    await frame();
    return this.recorder === recorder;
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
    this.tanks.setRecorder(this.recorder);
    this.chartBox.hidden = false;
    this.noChart.hidden = true;
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
    this.pending = [];
    this.finishPending = false;
    this.viewJobs = [];
    this.viewedLength = -1;
  }

  // Revealed events wait in a queue: recording them and drawing happen in frames with a time
  // budget, so a run of any length never holds the main thread for long.
  revealed(events, first) {
    // The buffered amounts are read now: the source forgets a batch once it has been shown.
    const source = this.player.source;
    const rows = events.map((_, k) => source.bufferedAt(first + k));
    this.pending.push([events, first, 0, rows]);
    // In slow motion the player reveals an event from its own animation frame: drawing it in
    // that frame too makes one frame per event, not two.
    // Not when this frame has drawn already (a scheduled draw ran before the player's frame).
    if (this.slowPlay() && !this.pendingView && this.viewFrame !== frameTime()) this.drawFrame();
    else this.scheduleView();
  }

  // Playing slowly enough that every event is drawn at once, all views in one frame.
  slowPlay() {
    return this.player?.mode === 'playing' && this.player.speed.eventsPerSec <= SLOW_EVENTS_PER_SEC;
  }

  scheduleView() {
    if (this.pendingView) return;
    this.pendingView = true;
    const draw = () => {
      this.pendingView = false;
      this.drawFrame();
    };
    requestAnimationFrame(draw);
  }

  // Records queued events until the deadline; true when none are left.
  record(deadline) {
    while (this.pending.length && this.recorder) {
      const head = this.pending[0];
      const [events, first, done, rows] = head;
      const n = Math.min(events.length - done, RECORD_SLICE);
      this.recorder.add(events.slice(done, done + n), first + done, (i) => rows[i - first]);
      this.charts.catchUp();
      head[2] = done + n;
      if (head[2] >= events.length) this.pending.shift();
      if (performance.now() > deadline) break;
    }
    return this.pending.length === 0;
  }

  // A frame records revealed events within its budget and does at most one piece of view
  // work: the buffered chart, then (the next frame) the counts chart, then the timeline and
  // the tanks. Each piece costs a few milliseconds of script and as much again to lay out and
  // rasterise; all of them in one frame made the tasks of 50–60 ms this avoids.
  drawFrame() {
    if (!this.recorder) return;
    const streaming = this.player && this.player.mode !== 'paused';
    const jobs = this.viewJobs;
    const slow = this.slowPlay();
    const due = !jobs.length && (!streaming || slow || performance.now() - (this.viewsAt ?? 0) >= VIEW_MS);
    // A frame that redraws a view records less, so the two never add up to a long task.
    const all = this.record(performance.now() + (due || jobs.length ? RECORD_BUDGET_MS / 4 : RECORD_BUDGET_MS));
    if (due && (this.recorder.length !== this.viewedLength || (all && this.finishPending))) {
      this.viewsAt = performance.now();
      this.viewedLength = this.recorder.length;
      // The state line says what the tanks show (the newest event), never left blank.
      const views = () => {
        this.timeline.update();
        this.tanks.show(this.recorder.length - 1);
        this.showState(this.recorder.length - 1);
      };
      // Play in slow motion adds an event or two per redraw: the views and the buffered chart
      // in one frame (each frame that changes anything also costs a layout, a paint and a
      // commit), the counts chart in the next (all of it in one frame took up to 30 ms).
      if (slow)
        jobs.push(
          () => {
            views();
            this.charts.update({ now: true });
          },
          () => {}, // the counts chart draws in this frame (Charts.draw)
        );
      else
        jobs.push(
          () => this.charts.update({ now: true }),
          () => {}, // the counts chart draws in this frame (Charts.draw)
          views,
        );
    }
    if (jobs.length) {
      this.viewFrame = frameTime();
      jobs.shift()();
    }
    if (jobs.length || !all) this.scheduleView();
    else if (this.recorder.length !== this.viewedLength) {
      // Nothing left to record: draw the newest events once the interval is over, or at once
      // when the run is over (the last events were recorded while the views drew the ones
      // before them: the summary waits for them to be drawn too).
      clearTimeout(this.viewTimer);
      this.viewTimer = 0;
      // Paused or over: at once (Pause draws at once); while playing, after the interval.
      if (this.finishPending || this.player?.mode === 'paused') this.scheduleView();
      else
        this.viewTimer = setTimeout(() => {
          this.viewTimer = 0;
          this.scheduleView();
        }, VIEW_MS);
    } else if (this.finishPending) {
      // The summary, sentences and table in frames of their own, after the views.
      this.finishPending = false;
      requestAnimationFrame(() => this.showFinished());
    }
  }

  showFinished() {
    this.finishPending = false;
    const p = this.player;
    const source = p?.source;
    if (!p?.finished || p.stopped || !source?.summary) return; // restarted in the meantime
    this.finished(source.summary, source.samples).then(() => this.settleShown());
  }

  // Wakes run(): its result is on screen.
  settleShown() {
    for (const resolve of this.shownWaiters.splice(0)) resolve();
  }

  stateChanged() {
    const p = this.player;
    if (!p) return;
    const st = p.state();
    // Pause draws at once: the events shown before it do not wait for the views' interval.
    if (st.mode === 'paused' && this.viewTimer) {
      clearTimeout(this.viewTimer);
      this.viewTimer = 0;
      this.scheduleView();
    }
    // While a run streams in, the clock line changes at the views' pace, not every frame.
    const now = performance.now();
    // In slow motion the clock moves with each event and at most 4 times a second between
    // them: each change is a frame to lay out and paint.
    const slow = this.slowPlay();
    if (
      st.mode === 'paused' ||
      st.finished ||
      (slow && st.revealed !== this.clockRevealed) ||
      now - (this.clockAt ?? 0) >= (slow ? CLOCK_SLOW_MS : VIEW_MS)
    ) {
      this.clockRevealed = st.revealed;
      this.clockAt = now;
      setText(
        this.clock,
        `t = ${Math.floor(st.clock)} ms virtual · ${st.revealed} events shown${st.finished ? ' · run over' : ''}`,
      );
    }
    this.syncButtons();
    if (st.stopped) return; // runStopped said why
    if (st.finished && !this.summaryShown) {
      // The summary shows once the views have caught up with the last event.
      this.summaryShown = true;
      this.finishPending = true;
      this.scheduleView();
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

  // The caption's sentences, the table and the output each in a frame of their own (each
  // reads the whole trace of up to 20,000 events); the output, the root's data-summary and
  // the 'streamlab:run' event come last, when all of it is on screen.
  async finished(summary, samples, coreMs) {
    const recorder = this.recorder;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    fill(
      this.sentences,
      [
        ...chartSentences(recorder, this.unit(), summary),
        ...explainPauses(recorder?.sampled ? [] : (recorder?.events ?? []), recorder?.hwms),
      ].map((s) => h('li', {}, s)),
    );
    if (coreMs !== undefined)
      this.sentences.append(
        h(
          'li',
          {},
          `The simulator (not Node) took ${coreMs.toFixed(1)} ms of this browser's time to compute it, trace off; the run itself lasted ${formatCount(summary.endedAtMs)} ms of virtual time.`,
        ),
      );
    await frame();
    if (this.recorder !== recorder) return; // a new run began meanwhile
    fill(this.table, chartTable(recorder, samples, this.unit()));
    await frame();
    if (this.recorder !== recorder) return;
    this.lastSummary = summary;
    this.runs += 1;
    const hwms = this.player?.description?.highWaterMarks ?? null;
    fill(
      this.output,
      renderOutput(templateFor(this.options.output, this.scenarioNow), summary, this.scenarioNow, hwms),
    );
    const typed = this.prediction?.value.trim();
    this.predictEcho.hidden = !typed;
    this.predictEcho.textContent = typed ? `You predicted: ${typed}` : '';
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
    this.tanks.show(i);
  }

  selectEvent(i) {
    this.charts.showEvent(i);
    this.showState(i);
    this.tanks.show(i);
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
      return `${s} ${formatAmount(v, this.unit())}${marks ? ` (hwm ${marks})` : ''}`;
    });
    const what = [e.stream, e.ev, describeEvent(e)].filter(Boolean).join(' ');
    setText(this.stateLine, `Event #${st.index} at ${e.t} ms: ${what} · buffered: ${parts.join(', ')}`);
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
    // Called every frame while playing: an attribute set to its own value is still a mutation.
    const pressed = this.player?.mode === 'playing' ? 'true' : 'false';
    if (this.playBtn.getAttribute('aria-pressed') !== pressed) this.playBtn.setAttribute('aria-pressed', pressed);
  }

  destroy() {
    this.observer?.disconnect();
    this.player?.destroy();
    this.charts.destroy();
    this.root.replaceChildren();
  }
}
