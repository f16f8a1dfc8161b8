// Lessons are markdown files with YAML front matter (format: lessons/FORMAT.md). They are
// rendered by markdown-it with raw HTML off, then sanitized by DOMPurify before they touch
// the page; a ```streamlab fenced block becomes a live experiment at that place.
import { h, fill } from './dom.js';
import { mountExperiment } from './experiment.js';
import { mountCompare } from './compare.js';
import { mountSweep } from './sweep.js';
import { isScenarioName } from './scenarios.js';
import { TEMPLATE_NAMES } from './output.js';
import { mountChallenge, isChallenge } from './challenges/index.js';
import { PROGRAM_NAME, EXPECTED_NAME } from './code/program-names.js';
// A closed panel: its code, editor and engine load when the learner opens it.
import { mountLessonProgram } from './code/lesson-program.js';

const FRONT = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
export const LESSONS_BASE = new URL('./lessons/', import.meta.url);

// { meta, body, problem }: the front matter as data and the markdown after it.
export function parseLesson(text) {
  const m = FRONT.exec(text);
  if (!m) return { meta: {}, body: text, problem: null };
  try {
    const meta = window.jsyaml.load(m[1], { schema: window.jsyaml.CORE_SCHEMA });
    return { meta: meta && typeof meta === 'object' ? meta : {}, body: text.slice(m[0].length), problem: null };
  } catch (err) {
    return { meta: {}, body: text.slice(m[0].length), problem: `front matter: ${err.message.split('\n')[0]}` };
  }
}

// The URL of a lesson named in ?lesson=: same origin and under lessons/, or null.
export function lessonUrl(param) {
  if (!param) return null;
  let url;
  try {
    url = new URL(param, LESSONS_BASE);
  } catch {
    return null;
  }
  let rest = null;
  if (url.origin === LESSONS_BASE.origin && url.pathname.startsWith(LESSONS_BASE.pathname)) {
    try {
      // A server may decode %2F and %2E: judge the path as the server will see it.
      rest = decodeURIComponent(url.pathname.slice(LESSONS_BASE.pathname.length));
    } catch {
      rest = null;
    }
  }
  const inside = rest !== null && !rest.split('/').includes('..') && !rest.includes('\\');
  return inside && url.pathname.endsWith('.md') && !url.search && !url.hash ? url : null;
}

function markdown(blocks) {
  const md = window.markdownit({ html: false, linkify: false, typographer: false });
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, opts, env, self) => {
    const token = tokens[idx];
    if (token.info.trim().split(/\s+/)[0] !== 'streamlab') return fence(tokens, idx, opts, env, self);
    blocks.push(token.content);
    return `<div class="lab-slot" data-slot="${blocks.length - 1}"></div>\n`;
  };
  return md;
}

function slug(text, used) {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section';
  let id = base;
  for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
  used.add(id);
  return id;
}

// Wraps each part of the lesson that starts at an h2/h3 into a section with its prose and,
// beside it on wide screens, the experiments it places.
function sections(fragment) {
  const out = [];
  let current = null;
  const used = new Set();
  for (const node of [...fragment.childNodes]) {
    const heading = node.nodeType === 1 && /^H[23]$/.test(node.tagName);
    if (heading || !current) {
      const prose = h('div', { class: 'prose' });
      const labs = h('div', { class: 'labs' });
      current = { el: h('section', { class: 'lesson-block' }, prose, labs), prose, labs };
      out.push(current);
    }
    if (heading) {
      node.id = slug(node.textContent, used);
      current.el.classList.add(`level-${node.tagName.toLowerCase()}`);
      current.title = node.textContent;
      current.id = node.id;
    }
    if (node.nodeType === 1 && node.classList.contains('lab-slot')) current.labs.append(node);
    else current.prose.append(node);
  }
  // Classes, not `:has(.labs)` in the stylesheet: a `:has()` rule made every change inside a
  // playing experiment restyle its section.
  for (const s of out) {
    if (!s.labs.childNodes.length) s.labs.remove();
    else s.el.classList.add('with-labs');
  }
  return out;
}

function metaLine(meta) {
  const parts = [];
  if (meta.phase !== undefined) parts.push(`Phase ${meta.phase}${meta.phase_title ? `: ${meta.phase_title}` : ''}`);
  const minutes = meta.estimatedMinutes ?? meta.estimated_minutes;
  if (minutes !== undefined) parts.push(`about ${minutes} min`);
  if (meta.difficulty) parts.push(String(meta.difficulty));
  const list = (v) => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);
  const tags = list(meta.tags);
  const pre = list(meta.prerequisites);
  return h(
    'div',
    { class: 'lesson-meta' },
    parts.length ? h('p', {}, parts.join(' · ')) : null,
    tags.length
      ? h(
          'ul',
          { class: 'tags', 'aria-label': 'Tags' },
          tags.map((t) => h('li', {}, t)),
        )
      : null,
    pre.length ? h('p', { class: 'prereq' }, 'Before this: ', pre.join(', ')) : null,
  );
}

// Reads a streamlab block's YAML into what to mount, or throws with the reason.
export function readBlock(text) {
  const spec = window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA });
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new Error('expected keys such as "experiment: NAME"');
  const known = [
    'experiment',
    'compare',
    'sweep',
    'scenario',
    'challenge',
    'program',
    'expected',
    'title',
    'titles',
    'output',
    'speed',
    'autorun',
    'predict',
  ];
  const unknown = Object.keys(spec).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  const names = (v, min) => Array.isArray(v) && v.length >= min && v.every(isScenarioName);
  const options = {};
  if (spec.title !== undefined) options.title = String(spec.title);
  if (Array.isArray(spec.titles)) options.titles = spec.titles.map(String);
  if (spec.output !== undefined) {
    if (!TEMPLATE_NAMES.includes(spec.output)) throw new Error(`output: one of ${TEMPLATE_NAMES.join(', ')}`);
    options.output = spec.output;
  }
  if (spec.speed !== undefined) options.speed = String(spec.speed);
  if (spec.autorun !== undefined) options.autorun = Boolean(spec.autorun);
  if (spec.predict !== undefined) options.predict = String(spec.predict).slice(0, 300);
  if (spec.program !== undefined) {
    if (typeof spec.program !== 'string' || !PROGRAM_NAME.test(spec.program))
      throw new Error('program: a file name beside the lesson, such as experiment.mjs');
    if (spec.expected !== undefined) {
      if (typeof spec.expected !== 'string' || !EXPECTED_NAME.test(spec.expected))
        throw new Error('expected: a .txt file name beside the lesson, such as expected.txt');
      options.expected = spec.expected;
    }
    return { kind: 'program', target: spec.program, options };
  }
  if (spec.expected !== undefined) throw new Error('expected: goes with program');
  if (spec.challenge !== undefined) {
    if (!isChallenge(spec.challenge)) throw new Error('challenge: large-file, throttle, narrow-transform or progress');
    return { kind: 'challenge', target: spec.challenge, options };
  }
  if (spec.experiment !== undefined) {
    if (!isScenarioName(spec.experiment)) throw new Error('experiment: a scenario name (letters, digits, dashes)');
    return { kind: 'experiment', target: spec.experiment, options };
  }
  if (spec.scenario !== undefined) {
    if (!spec.scenario || typeof spec.scenario !== 'object') throw new Error('scenario: a scenario object');
    return { kind: 'experiment', target: spec.scenario, options };
  }
  if (spec.compare !== undefined) {
    if (!names(spec.compare, 2) || spec.compare.length !== 2) throw new Error('compare: a list of two scenario names');
    return { kind: 'compare', target: spec.compare, options };
  }
  if (spec.sweep !== undefined) {
    if (!names(spec.sweep, 2)) throw new Error('sweep: a list of two or more scenario names');
    return { kind: 'sweep', target: spec.sweep, options };
  }
  throw new Error('needs one of experiment, scenario, compare, sweep, challenge or program');
}

const MOUNT = {
  experiment: mountExperiment,
  compare: mountCompare,
  sweep: mountSweep,
  challenge: mountChallenge,
  program: mountLessonProgram,
};
// A lesson's experiments (compared ones too) each get a Code view beside their form.
const WITH_CODE = new Set(['experiment', 'compare']);

async function mountBlock(slot, text) {
  let block;
  try {
    block = readBlock(text);
    const root = h('div', { class: `lab lab-${block.kind}` });
    slot.append(root);
    // Side-by-side views, sweeps and challenges need the section's full width.
    const section = slot.closest('.lesson-block');
    if (block.kind !== 'experiment') section?.classList.add('wide-labs');
    const options = WITH_CODE.has(block.kind) ? { ...block.options, code: true } : block.options;
    await MOUNT[block.kind](root, block.target, options);
  } catch (err) {
    fill(slot, h('p', { class: 'lab-error', role: 'alert' }, `This experiment could not be placed: ${err.message}`));
  }
}

// Renders lesson text into container. Resolves to { meta, problem, mounted } once every
// experiment is mounted.
export async function renderLesson(text, container) {
  const { meta, body, problem } = parseLesson(String(text));
  const blocks = [];
  const html = markdown(blocks).render(body);
  const fragment = window.DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
  // Code blocks scroll sideways on a phone: each is a tab stop so a keyboard can scroll it.
  for (const pre of fragment.querySelectorAll('pre')) pre.tabIndex = 0;
  const parts = sections(fragment);
  const title = meta.title ? String(meta.title) : null;
  const toc = parts.filter((p) => p.title && p.el.classList.contains('level-h2'));
  fill(
    container,
    h(
      'header',
      { class: 'lesson-head' },
      title ? h('h1', {}, title) : null,
      metaLine(meta),
      problem ? h('p', { class: 'lab-error', role: 'alert' }, `This lesson's ${problem}`) : null,
      toc.length
        ? h(
            'nav',
            { class: 'toc', 'aria-label': 'Sections' },
            h(
              'ul',
              {},
              toc.map((p) => h('li', {}, h('a', { href: `#${p.id}` }, p.title))),
            ),
          )
        : null,
    ),
    parts.map((p) => p.el),
  );
  if (title) document.title = `${title} · Streamlab`;
  const slots = [...container.querySelectorAll('.lab-slot')];
  await Promise.all(slots.map((slot) => mountBlock(slot, blocks[Number(slot.dataset.slot)])));
  return { meta, problem, mounted: slots.length };
}

export async function fetchLesson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.pathname} (HTTP ${res.status})`);
  return res.text();
}
