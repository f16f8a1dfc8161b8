// The challenges by id, for the lesson's ```streamlab block (`challenge: ID`), the
// <stream-lab challenge="ID"> element and embed.html?challenge=ID. `challenge: progress`
// shows the learner's progress over all of them. Each challenge has two steps: the form
// (explore: the learner picks numbers, the core runs the scenario) and the code step
// (code-step-toggle.js: the learner writes the program).
import { mountLargeFile } from './large-file-ui.js';
import { mountThrottle } from './throttle-ui.js';
import { mountNarrow } from './narrow-ui.js';
import { mountProgress } from './progress-ui.js';
import { addCodeStep, hasCodeStep } from './code-step-toggle.js';
import * as L from './large-file.js';
import * as T from './throttle.js';
import * as N from './narrow.js';

export const CHALLENGES = [
  { id: L.ID, title: L.TITLE, mount: mountLargeFile },
  { id: T.ID, title: T.TITLE, mount: mountThrottle },
  { id: N.ID, title: N.TITLE, mount: mountNarrow },
];

export function isChallenge(id) {
  return id === 'progress' || CHALLENGES.some((c) => c.id === id);
}

export async function mountChallenge(root, id) {
  if (id === 'progress') return mountProgress(root, CHALLENGES);
  const c = CHALLENGES.find((x) => x.id === id);
  if (!c)
    throw new Error(
      `no challenge named ${JSON.stringify(String(id).slice(0, 40))} (there are ${CHALLENGES.map((x) => x.id).join(', ')})`,
    );
  const panel = await c.mount(root);
  // Step 2 after the form (the explore step): the same challenge written as a program.
  if (hasCodeStep(c.id)) panel.codeStep = addCodeStep(root, c.id);
  return panel;
}
