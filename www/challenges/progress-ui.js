// The learner's progress over the challenges, as the lesson shows it: one line per
// challenge, passed or not, kept up to date as checks pass, resets clear, or another tab
// changes the stored progress.
import { h, fill } from '../dom.js';
import * as progress from './progress.js';

// The code step's line: passed only once this page has seen it pass (progress.js).
function codeText(id) {
  const seen = progress.codeVerifiedOf(id);
  if (seen === true) return 'passed';
  if (seen === null && progress.getCode(id).code) return 'a stored program, being run again';
  return 'not passed yet';
}

export function mountProgress(root, challenges) {
  root.classList.add('challenge-progress');
  root.dataset.challenge = 'progress';
  const render = () => {
    const states = challenges.map((c) => ({ ...c, ...progress.get(c.id) }));
    const done = states.filter((s) => s.passed).length;
    root.dataset.passed = String(done);
    fill(
      root,
      h(root.closest('.embed-lab') ? 'h2' : 'h3', {}, 'Your progress'),
      h('p', { class: 'progress-count' }, `${done} of ${challenges.length} challenges passed`),
      h('progress', { max: challenges.length, value: done, 'aria-label': 'Challenges passed' }),
      h(
        'ul',
        { class: 'progress-list' },
        states.map((s) =>
          h(
            'li',
            { dataset: { progressOf: s.id, passed: String(s.passed) } },
            h('span', { class: 'progress-mark', 'aria-hidden': 'true' }, s.passed ? '✓' : '○'),
            ' ',
            s.title,
            ': ',
            s.passed ? `passed${s.passedAt ? ` on ${s.passedAt.slice(0, 10)}` : ''}` : 'not passed yet',
            h('span', { class: 'progress-code', dataset: { codeOf: s.id } }, `; as code: ${codeText(s.id)}`),
          ),
        ),
      ),
      h('p', { class: 'hint' }, 'Progress is kept in this browser only (localStorage).'),
    );
  };
  render();
  const onChange = () => render();
  document.addEventListener(`${progress.EVENT}-progress`, onChange);
  const onStorage = (e) => {
    if (e.key === progress.KEY || e.key === null) render();
  };
  window.addEventListener('storage', onStorage);
  return {
    root,
    destroy() {
      document.removeEventListener(`${progress.EVENT}-progress`, onChange);
      window.removeEventListener('storage', onStorage);
    },
  };
}
