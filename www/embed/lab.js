// One embedded lab (an experiment or a challenge) mounted from checked options (state.js),
// shared by the <stream-lab> element and embed.html: which controls show, live or instant
// start, a shared moment (at=N events), a Share button, and one callback for what happened.
// Bad input never stops it: the reason is shown in the page and the default experiment runs.
import { h, fill } from '../dom.js';
import { loadCore } from '../core.js';
import { mountExperiment } from '../experiment.js';
import { mountChallenge } from '../challenges/index.js';
import { DEFAULT_SCENARIO, CONTROLS } from './state.js';
import { shareButton, experimentState } from './share.js';

const MAX_SEEK = 5000; // events replayed one by one to reopen a paused moment

// Elements of an experiment for each control name (missing ones are skipped).
function controlParts(exp, root, shareBox) {
  return {
    params: root.querySelector('.exp-params'),
    run: exp.runBtn,
    play: exp.playBtn,
    step: exp.stepBtn,
    restart: exp.restartBtn,
    speed: exp.speed?.closest('label'),
    axis: exp.xSelect?.closest('label'),
    output: root.querySelector('.output-box'),
    chart: root.querySelector('.chart-figure'),
    timeline: exp.timeline?.el,
    share: shareBox,
  };
}

// Replays the first n events, then stays paused there.
function seek(exp, n) {
  exp.restart();
  if (n > 0) exp.step(Math.min(n, MAX_SEEK));
}

// A scenario object is checked by the core before anything mounts, so a broken one falls
// back to the default instead of showing an experiment that cannot run.
async function checkScenario(scenario) {
  if (typeof scenario !== 'object') return null;
  const core = await loadCore();
  return core.validateScenario(scenario) ?? null;
}

function hasCode(options) {
  return options.code !== undefined || options.codeText !== undefined;
}

// The program's text (inline text as it is, an attribute or link inflated), or null with the
// reason said.
async function codeOf(options, say) {
  if (options.codeText !== undefined) return options.codeText;
  const { decodeCode } = await import(new URL('../code/share-code.js', import.meta.url).href);
  const decoded = await decodeCode(options.code);
  if (decoded.error) {
    say(`The code given could not be opened: ${decoded.error}.`);
    return null;
  }
  return decoded.text;
}

// onEvent(type, detail): 'run' {summary, scenario}, 'challenge' {id, passed, reasons},
// 'error' {message}. view: { theme } to carry into share links.
export async function mountLab(root, options, { onEvent = () => {}, notice, shareBase } = {}) {
  const say = (message) => {
    onEvent('error', { message });
    if (notice) {
      notice.append(h('p', { role: 'alert' }, message));
      notice.hidden = false;
    }
  };
  const box = h('div', { class: 'lab-box' });
  fill(root, box);

  if (options.challenge) {
    const handle = await mountChallenge(box, options.challenge);
    box.addEventListener('streamlab:challenge', (e) => onEvent('challenge', e.detail));
    return { kind: 'challenge', handle, box, command: () => {} };
  }

  let scenario = options.scenario ?? DEFAULT_SCENARIO;
  const problem = await checkScenario(scenario);
  if (problem) {
    say(`The scenario given could not be used (${problem}); showing the default experiment instead.`);
    scenario = DEFAULT_SCENARIO;
  }
  const mountOptions = {
    autorun: false,
    paramsOpen: false,
    speed: options.speed,
    xAxis: options.x,
    share: false,
    heading: root.closest?.('.embed-lab') ? 'h2' : undefined,
    code: new Set(options.controls ?? CONTROLS).has('code') || hasCode(options),
  };
  let exp;
  try {
    exp = await mountExperiment(box, scenario, mountOptions);
  } catch (err) {
    if (scenario === DEFAULT_SCENARIO) throw err;
    say(
      `The scenario "${String(scenario).slice(0, 80)}" could not be loaded (${err.message}); showing the default experiment instead.`,
    );
    exp = await mountExperiment(box, DEFAULT_SCENARIO, mountOptions);
  }
  box.addEventListener('streamlab:run', (e) => onEvent('run', e.detail));

  const shareBox = shareButton(() => experimentState(exp, { theme: options.theme, controls: options.controls }), {
    base: shareBase,
  });
  box.querySelector('.controls')?.append(shareBox);
  const shown = new Set(options.controls ?? CONTROLS);
  for (const [name, el] of Object.entries(controlParts(exp, box, shareBox))) {
    // A class, not the hidden attribute: the experiment sets `hidden` on some parts itself.
    if (el && !shown.has(name)) el.classList.add('sl-off');
  }

  // A run too long to trace has no player: it can only be run to the end (with controls
  // hidden, nothing would ever run it otherwise).
  const playable = Boolean(exp.player);
  // Code given to the lab is shown in its Code view; nothing runs until the learner presses Run.
  const code = hasCode(options) ? await codeOf(options, say) : null;
  if (code !== null && exp.code) await exp.code.open({ text: code });
  else if (options.at !== undefined && playable) seek(exp, options.at);
  else if (options.mode === 'live' && playable) {
    exp.restart(); // a fresh player with its recorder in place before the first frame
    exp.play();
  } else exp.run();

  const commands = {
    run: () => exp.run(),
    play: () => exp.play(),
    pause: () => exp.pause(),
    step: (n = 1) => exp.step(Math.min(Math.max(1, Math.floor(n) || 1), MAX_SEEK)),
    restart: () => exp.restart(),
  };
  return {
    kind: 'experiment',
    handle: exp,
    box,
    // count: how many steps (embed.html adds up steps posted in a row); other commands ignore it.
    command: (name, count) => commands[name]?.(count),
    destroy: () => exp.destroy(),
  };
}
