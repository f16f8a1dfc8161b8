// embed.html: one lab for an <iframe>, set up from the URL (query and fragment, see
// state.js), talking to the embedding page by postMessage (messages.js) and only to the
// origin it declared.
import { readLocation } from './state.js';
import { message, post, commandOf, coalesce, nextTurn } from './messages.js';
import { mountLab } from './lab.js';
import { h, fill } from '../dom.js';

const main = document.getElementById('lab');
const notice = document.getElementById('notice');
let lab = null;
let options = {};

function send(type, payload) {
  post(window.parent, options.origin, message(type, options.id, payload));
}

function onEvent(type, detail) {
  if (type === 'run') send('run', { summary: detail.summary, scenario: detail.scenario });
  if (type === 'challenge') {
    // step: 'explore' for the form, 'code' for the code step (the learner's own program).
    const step = detail.step === 'code' ? 'code' : 'explore';
    send('challenge', { challenge: detail.id, step, passed: detail.passed, reasons: detail.reasons });
    if (detail.passed) send('challenge-passed', { challenge: detail.id, step, reasons: detail.reasons });
  }
  if (type === 'error') send('error', { message: detail.message });
}

function applyView() {
  const root = document.documentElement;
  if (options.theme === 'light' || options.theme === 'dark') root.dataset.theme = options.theme;
  else delete root.dataset.theme;
  main.style.height = options.height ?? '';
  main.classList.toggle('fixed-height', Boolean(options.height));
}

async function start() {
  lab?.destroy?.();
  lab = null;
  fill(notice);
  notice.hidden = true;
  const read = readLocation(location.search, location.hash);
  options = read.options;
  applyView();
  if (read.problems.length) {
    const broken = read.problems.some((p) => /^(s|scenario|challenge):/.test(p));
    notice.append(
      h(
        'p',
        { role: 'alert' },
        `Some of this link's settings were not understood and were ignored${broken ? ' (the default experiment is shown)' : ''}: ${read.problems.join('; ')}.`,
      ),
    );
    notice.hidden = false;
    send('error', { message: read.problems.join('; ') });
  }
  try {
    lab = await mountLab(main, options, { onEvent, notice });
  } catch (err) {
    fill(main, h('p', { class: 'lab-error', role: 'alert' }, `The lab could not start: ${err.message}`));
    send('error', { message: err.message });
    return;
  }
  const scenario = lab.kind === 'experiment' ? lab.handle.scenario() : null;
  // The page's one h1 (screen readers) names what this frame shows.
  const heading = main.querySelector('.exp-title')?.textContent;
  if (heading) document.getElementById('embed-title').textContent = `Streamlab: ${heading}`;
  document.documentElement.dataset.embed = 'ready';
  send('ready', { kind: lab.kind, scenario: scenario?.name ?? null, challenge: options.challenge ?? null });
}

// Commands are coalesced and applied once per frame: a flood of them (20,000 restart/run
// posts) used to run each one, and kept the frame unresponsive for over a minute.
const command = coalesce((name, count) => lab?.command(name, count), nextTurn);

window.addEventListener('message', (event) => {
  const cmd = commandOf(event, { origin: options.origin, parent: window.parent });
  if (cmd) command(cmd);
});
// A new fragment (a share link opened in this tab) is a new state.
window.addEventListener('hashchange', () => start());

start();
