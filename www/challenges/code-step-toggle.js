// A challenge's code step as the page first shows it: a heading, its badge, the goal, and a
// closed "Code editor" disclosure. The step itself (code-step.js: the editor, the code lab's
// engine) is fetched when the learner opens it, or at once when this browser keeps a passing
// program of the step, which is then re-run and checked before the badge says "Passed".
import { h } from '../dom.js';
import * as progress from './progress.js';
import { GOAL as LARGE_GOAL } from './large-file-code.js';
import { GOAL as THROTTLE_GOAL } from './throttle-code.js';
import { GOAL as NARROW_GOAL } from './narrow-code.js';

const GOALS = { 'large-file': LARGE_GOAL, throttle: THROTTLE_GOAL, 'narrow-transform': NARROW_GOAL };

// Modules by URL, not by a literal path, so the offline single file's bundler leaves them out.
const lazy = (path) => import(new URL(path, import.meta.url).href);

export function hasCodeStep(id) {
  return Object.hasOwn(GOALS, id);
}

export function addCodeStep(root, id) {
  const inEmbed = Boolean(root.closest('.embed-lab'));
  const badge = h('span', { class: 'code-badge', role: 'status' }, 'Not passed yet');
  const body = h('div', { class: 'code-step-body' });
  const details = h('details', { class: 'code-step' }, h('summary', {}, 'Code editor'), body);
  // What the re-check of a stored program found, shown with the step closed.
  const note = h('div', { class: 'code-recheck', 'aria-live': 'polite' });
  const section = h(
    'section',
    { class: 'challenge-code', dataset: { codeStep: id, state: 'idle' } },
    h(
      'header',
      { class: 'exp-head' },
      h(inEmbed ? 'h3' : 'h4', { class: 'exp-title' }, 'Step 2: write it as code'),
      badge,
    ),
    h('p', { class: 'code-goal' }, GOALS[id]),
    note,
    details,
  );
  // Keys typed here are the learner's: the experiment's one-letter shortcuts must not see them.
  section.addEventListener('keydown', (e) => e.stopPropagation());
  // The form above is the first step: said so, now that there is a second.
  root
    .querySelector('.challenge-form')
    ?.before(h(inEmbed ? 'h3' : 'h4', { class: 'exp-title step-title' }, 'Step 1: explore with the form'));
  root.append(section);

  let mounting = null;
  const mount = () => {
    mounting ??= lazy('./code-step.js')
      .then(({ mountCodeStep }) => mountCodeStep({ section, details, body, badge, note }, id))
      .catch((err) => {
        mounting = null;
        body.replaceChildren(
          h('p', { class: 'code-error', role: 'alert' }, `The code step could not load: ${err.message}`),
        );
        throw err;
      });
    return mounting;
  };
  details.addEventListener('toggle', () => {
    if (details.open)
      mount()
        .then((step) => step.ensureEditor())
        .catch(() => {});
  });
  if (progress.getCode(id).code)
    mount()
      .then((step) => step.recheck())
      .catch(() => {});
  return {
    section,
    open() {
      details.open = true;
      return mount();
    },
    step: () => mounting,
  };
}
