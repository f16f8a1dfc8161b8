// The "Code" disclosure of an experiment: a closed <details> on first load, and the Code view
// (code-view.js, the editor bundle, the engine) fetched only when a learner opens it, so the
// page's first load carries none of them.
//
//   const code = codeToggle(experiment);   // experiment: { root, scenario(), ... }
//   parent.append(code.el); code.setScenario(s); await code.open({ text });
import { h } from '../dom.js';

// Modules by URL, not by a literal path, so the offline single file's bundler leaves them out.
const lazy = (path) => import(new URL(path, import.meta.url).href);

export function codeToggle(experiment) {
  const root = h('div', { class: 'code-view', 'data-code-view': '' });
  // Keys typed in the Code view are the learner's: the experiment's one-letter shortcuts (R, P,
  // S, 0) must not see them. The editor lives in a shadow root, so outside it a key's target
  // is the editor's host, not the editable text the experiment's check looks for.
  root.addEventListener('keydown', (e) => e.stopPropagation());
  const el = h('details', { class: 'exp-code' }, h('summary', {}, 'Code'), root);
  let mounting = null;
  let latest = experiment.scenario();

  const mount = () => {
    mounting ??= lazy('./code-view.js')
      .then(({ mountCodeView }) => mountCodeView(root, { experiment, scenario: latest }))
      .catch((err) => {
        mounting = null;
        root.replaceChildren(
          h('p', { class: 'code-error', role: 'alert' }, `The Code view could not load: ${err.message}`),
        );
        throw err;
      });
    return mounting;
  };
  el.addEventListener('toggle', () => {
    if (el.open) mount().catch(() => {});
  });

  return {
    el,
    // The form's scenario changed: the view rewrites its code (unless the learner edited it).
    setScenario(scenario) {
      latest = scenario;
      mounting?.then((view) => view.setScenario(scenario)).catch(() => {});
    },
    // Opens the view, and with `text` shows that code as the learner's (a share link). Never runs it.
    async open({ text } = {}) {
      el.open = true;
      const view = await mount();
      if (text !== undefined) view.showCode(text);
      return view;
    },
    view: () => mounting,
  };
}
