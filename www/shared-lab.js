// A share link opened on the lesson page: #lab=NAME&v=1&s=… (or scenario=…, at=N, x=…, speed=…,
// code=…). The experiment named by `lab` takes the shared scenario and view, runs (or replays
// to the shared moment) and is scrolled into view; a link with code opens the experiment's
// Code view with that code instead and runs nothing. Everything read here is checked by state.js and
// by the core before it is used; a fragment that is not a share link is left alone (it may
// be a section anchor).
import { readLocation } from './embed/state.js';
import { experimentOf } from './experiment.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,79}$/;
const MAX_SEEK = 5000;

export async function openSharedLab(container, hash, warn) {
  const frag = new URLSearchParams(String(hash).replace(/^#/, ''));
  const lab = frag.get('lab');
  if (lab === null) return false;
  if (!NAME.test(lab)) {
    warn('This link names no experiment of this lesson.');
    return false;
  }
  const root = [...container.querySelectorAll('.experiment')].find((el) => el.dataset.scenario === lab);
  const exp = root && experimentOf(root);
  if (!exp) {
    warn(`This link's experiment "${lab}" is not in this lesson.`);
    return false;
  }
  const { options, problems } = readLocation('', hash);
  if (problems.length)
    warn(`Some of this link's settings were not understood and were ignored: ${problems.join('; ')}.`);
  root.scrollIntoView({ block: 'start' });
  if (options.x === 'event' || options.x === 'time') {
    exp.xSelect.value = options.x;
    exp.xMode = options.x;
    exp.charts.setXMode(exp.chartX());
  }
  if (options.speed) exp.speed.value = options.speed;
  if (options.scenario && typeof options.scenario === 'object') {
    exp.form.setScenario(options.scenario);
    if (!exp.setScenario(options.scenario, { initial: true })) return false;
  }
  // Code in the link: shown in the experiment's Code view, never run (Run is the learner's).
  const code = frag.get('code');
  if (code !== null && exp.code) {
    const { decodeCode } = await import(new URL('./code/share-code.js', import.meta.url).href);
    const decoded = await decodeCode(code);
    if (decoded.error) warn(`This link's code could not be opened: ${decoded.error}.`);
    else {
      await exp.code.open({ text: decoded.text });
      exp.code.el.scrollIntoView({ block: 'start' });
    }
    return true;
  }
  if (options.at !== undefined && exp.player) {
    exp.restart();
    exp.step(Math.min(options.at, MAX_SEEK));
  } else await exp.run();
  return true;
}
