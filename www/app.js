// The page: loads the core, exposes window.streamlab, renders the lesson (the default one or
// ?lesson=PATH under lessons/) with its live experiments, and wires the theme toggle.
import { loadCore, coreVersion, toScenario, PAGE_VERSION, wasmMemoryBytes } from './core.js';
import { mountExperiment } from './experiment.js';
import { runInBackground } from './run-worker.js';
import { mountCompare } from './compare.js';
import { mountSweep } from './sweep.js';
import { loadScenario } from './scenarios.js';
import { renderLesson, fetchLesson, lessonUrl, LESSONS_BASE } from './lesson.js';
import { initTheme } from './theme.js';
import { h, fill } from './dom.js';
import { openSharedLab } from './shared-lab.js';

const DEFAULT_LESSON = new URL('backpressure.md', LESSONS_BASE);

const lessonRoot = document.getElementById('lesson');
const notice = document.getElementById('notice');
initTheme(document.getElementById('theme-toggle'));

function warn(text) {
  fill(notice, h('p', { role: 'alert' }, text));
  notice.hidden = false;
}

async function loadPageLesson() {
  const param = new URLSearchParams(location.search).get('lesson');
  let url = DEFAULT_LESSON;
  if (param !== null) {
    url = lessonUrl(param);
    if (!url) {
      warn(`The lesson "${param}" is not a .md file under lessons/ on this site; showing the default lesson.`);
      url = DEFAULT_LESSON;
    }
  }
  let text;
  try {
    text = await fetchLesson(url);
  } catch (err) {
    if (url === DEFAULT_LESSON) throw err;
    warn(`${err.message}; showing the default lesson.`);
    text = await fetchLesson(DEFAULT_LESSON);
  }
  return renderLesson(text, lessonRoot);
}

const ready = loadCore().then(async () => {
  document.documentElement.dataset.core = 'ready';
  await loadPageLesson();
  document.documentElement.dataset.lesson = 'ready';
  await openSharedLab(lessonRoot, location.hash, warn);
  window.addEventListener('hashchange', () => openSharedLab(lessonRoot, location.hash, warn));
  performance.mark('streamlab-ready');
});
ready.catch((err) => {
  warn(`The page could not start: ${err.message}`);
});

window.streamlab = {
  ready,
  version: PAGE_VERSION,
  get coreVersion() {
    return coreVersion();
  },
  // The core's result for a scenario (object or JSON text). {trace: false}: summary + samples.
  // It runs in a Worker within the page's limits (limits.js): more events than the page
  // traces, or longer than its wall time, rejects with a message saying which limit.
  async runScenario(json, options) {
    const { result } = await runInBackground(toScenario(json), { trace: options?.trace });
    return result;
  },
  async validateScenario(json) {
    const core = await loadCore();
    return core.validateScenario(toScenario(json)) ?? null;
  },
  // A program on the code lab's engine, in a Worker: {output: [{t, stream, text}], exitCode,
  // message, endedAt, …}. The engine loads on the first call (rejects with a message saying
  // how to build it when it is missing).
  async runProgram(source, options) {
    const { runProgram } = await import(new URL('./code/runner.js', import.meta.url).href);
    return runProgram(source, options);
  },
  loadScenario,
  wasmMemoryBytes,
  mountExperiment,
  mountCompare,
  mountSweep,
  // Replaces the page's lesson with the given markdown text (same rules as lesson files).
  renderLesson: (text, container = lessonRoot) => renderLesson(text, container),
};
