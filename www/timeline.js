// The list of trace events, filterable by stream and kind. Only the rows in view exist in
// the DOM (a run can have thousands of events), so it stays fast while the shim plays.
// It follows the newest event while playing; hovering the chart or pressing arrow keys here
// selects an event, and the experiment shows the state at that moment.
import { h, fill, newId } from './dom.js';

const ROW = 24; // px, fixed so the visible slice is a simple division

// One line of text for an event: the fields SCENARIO.md lists, in a fixed order.
export function describeEvent(e) {
  const parts = [];
  if (e.len !== undefined) parts.push(`len=${e.len}`);
  if (e.ret !== undefined) parts.push(`ret=${e.ret}`);
  if (e.rl !== undefined) parts.push(`rl=${e.rl}`);
  if (e.wl !== undefined) parts.push(`wl=${e.wl}`);
  if (e.eof) parts.push('eof');
  if (e.code !== undefined) parts.push(`code=${e.code}`);
  return parts.join(' ');
}

// What the trace's short field names mean (docs/SCENARIO.md, "Trace events").
export const FIELD_KEY = [
  ['len', "the chunk's length: bytes, or 1 in object mode"],
  ['ret', 'what push() or write() returned (false: "stop, I am at my highWaterMark")'],
  ['rl', 'readableLength: what the readable side holds (after push(); on entry for read)'],
  ['wl', 'writableLength: what the writable side holds (after write(); on entry to _write(); before cb)'],
  ['eof', 'push(null): the end of the data'],
  ['read', "the stream's _read() was called"],
  ['_write', "_write() (or a transform's _transform()) was called"],
  ['cb', 'the callback of _write() or _transform() was called: that chunk is done'],
  ['wait / wake', "the write loop starts waiting for 'drain' / goes on after it"],
];

function fieldKey() {
  return h(
    'details',
    { class: 'timeline-key' },
    h('summary', {}, 'Key to the trace fields'),
    h(
      'dl',
      {},
      FIELD_KEY.map(([k, v]) => [h('dt', {}, h('code', {}, k)), h('dd', {}, v)]),
    ),
  );
}

export class Timeline {
  // onSelect(i): the learner picked event i (keyboard or click).
  constructor({ onSelect }) {
    this.onSelect = onSelect;
    this.recorder = null;
    this.rows = []; // indexes into recorder.events passing the filters
    this.selected = null;
    this.follow = true;
    this.hiddenStreams = new Set();
    this.hiddenKinds = new Set();
    this.listId = newId('timeline');
    this.filters = h('div', { class: 'timeline-filters' });
    this.count = h('span', { class: 'timeline-count', 'aria-live': 'polite' });
    this.spacer = h('div', { class: 'timeline-spacer' });
    this.list = h(
      'div',
      {
        class: 'timeline-list',
        id: this.listId,
        role: 'listbox',
        tabindex: '0',
        'aria-label': 'Trace events (arrow keys move, Home/End jump)',
      },
      this.spacer,
    );
    // Where the list is scrolled and how tall it is, kept here: reading them from the DOM
    // after a write forces a layout of the page in the middle of a frame.
    this.scrollAt = 0;
    this.viewHeight = 0;
    this.list.addEventListener('scroll', () => {
      this.scrollAt = this.list.scrollTop;
      this.paint();
    });
    new ResizeObserver(() => {
      this.viewHeight = this.list.clientHeight;
      this.paint();
    }).observe(this.list);
    this.shown = new Map(); // event index -> its row element, for the rows in the DOM
    this.list.addEventListener('keydown', (e) => this.key(e));
    // Filters sit behind one control: a dozen chips per experiment were a dozen tab stops.
    this.el = h(
      'div',
      { class: 'timeline' },
      h('div', { class: 'timeline-head' }, h('strong', {}, 'Trace events'), ' ', this.count),
      h('details', { class: 'timeline-filter-box' }, h('summary', {}, 'Filter events'), this.filters),
      fieldKey(),
      this.list,
    );
  }

  setRecorder(recorder) {
    this.recorder = recorder;
    this.selected = null;
    this.follow = true;
    this.knownStreams = '';
    this.knownKinds = '';
    this.refilter();
  }

  // Called after events were revealed.
  update() {
    const rec = this.recorder;
    const streams = [...rec.eventStreams].join();
    const kinds = [...rec.kinds].join();
    if (streams !== this.knownStreams || kinds !== this.knownKinds) {
      this.knownStreams = streams;
      this.knownKinds = kinds;
      this.renderFilters();
    }
    const from = this.rows.length ? this.rows[this.rows.length - 1] + 1 : 0;
    for (let i = from; i < rec.length; i++) if (this.passes(rec.events[i])) this.rows.push(i);
    if (this.follow) this.selected = rec.length - 1;
    this.layout();
  }

  passes(e) {
    return !this.hiddenStreams.has(e.stream) && !this.hiddenKinds.has(e.ev);
  }

  refilter() {
    this.rows = [];
    for (const el of this.shown.values()) el.remove();
    this.shown.clear();
    const rec = this.recorder;
    if (rec) for (let i = 0; i < rec.length; i++) if (this.passes(rec.events[i])) this.rows.push(i);
    this.renderFilters();
    this.layout();
  }

  renderFilters() {
    const rec = this.recorder;
    if (!rec) return fill(this.filters);
    const group = (title, values, hidden) =>
      h(
        'fieldset',
        { class: 'chips' },
        h('legend', {}, title),
        [...values].map((v) => {
          const box = h('input', { type: 'checkbox', checked: !hidden.has(v) });
          box.addEventListener('change', () => {
            if (box.checked) hidden.delete(v);
            else hidden.add(v);
            this.refilter();
          });
          return h('label', { class: 'chip' }, box, v);
        }),
      );
    fill(
      this.filters,
      group('Streams', rec.eventStreams, this.hiddenStreams),
      group('Kinds', rec.kinds, this.hiddenKinds),
    );
  }

  layout() {
    const total = this.recorder?.length ?? 0;
    const count = this.rows.length === total ? `${total} shown` : `${this.rows.length} of ${total} shown`;
    if (this.count.textContent !== count) this.count.textContent = count;
    const height = `${this.rows.length * ROW}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    if (this.follow && this.rows.length) {
      this.scrollTo(this.rows.length * ROW - this.height()); // newest in view
    } else {
      this.scrollToSelected();
    }
    this.paint();
  }

  height() {
    return this.viewHeight || 300;
  }

  scrollTo(top) {
    const at = Math.max(0, Math.min(top, this.rows.length * ROW - this.height()));
    if (at === this.scrollAt) return;
    this.scrollAt = at;
    this.list.scrollTop = at;
  }

  // Only the rows in view are in the DOM; a row already there is kept and only its
  // selection is updated, so a frame of Play writes what changed, not the whole list.
  paint() {
    const rec = this.recorder;
    if (!rec) return;
    const start = Math.max(0, Math.floor(this.scrollAt / ROW) - 5);
    const end = Math.min(this.rows.length, start + Math.ceil(this.height() / ROW) + 10);
    const wanted = new Set();
    for (let r = start; r < end; r++) wanted.add(this.rows[r]);
    for (const [i, el] of this.shown) {
      if (!wanted.has(i) || el.dataset.top !== String(this.rowOf(i) * ROW)) {
        el.remove();
        this.shown.delete(i);
      }
    }
    for (let r = start; r < end; r++) {
      const i = this.rows[r];
      let el = this.shown.get(i);
      if (!el) {
        el = this.row(i, r);
        this.shown.set(i, el);
        this.spacer.append(el);
      }
      const current = i === this.selected;
      if (el.classList.contains('current') !== current) {
        el.classList.toggle('current', current);
        el.setAttribute('aria-selected', current ? 'true' : 'false');
      }
    }
    const active = this.selected !== null && this.shown.has(this.selected) ? `${this.listId}-${this.selected}` : null;
    if (active !== this.list.getAttribute('aria-activedescendant')) {
      if (active) this.list.setAttribute('aria-activedescendant', active);
      else this.list.removeAttribute('aria-activedescendant');
    }
  }

  row(i, r) {
    const e = this.recorder.events[i];
    return h(
      'div',
      {
        class: `tl-row ev-${e.ev}`,
        role: 'option',
        id: `${this.listId}-${i}`,
        'aria-selected': 'false',
        style: `top:${r * ROW}px`,
        dataset: { index: i, top: r * ROW },
        onclick: () => this.select(i),
      },
      h('span', { class: 'tl-i' }, `#${this.recorder.index[i]}`),
      h('span', { class: 'tl-t' }, `${e.t} ms`),
      h('span', { class: 'tl-s', title: e.stream }, e.stream),
      h('span', { class: 'tl-ev' }, e.ev),
      h('span', { class: 'tl-f', title: describeEvent(e) }, describeEvent(e)),
    );
  }

  // Highlights event i without moving focus (hover on the chart, a step).
  highlight(i, { follow = false } = {}) {
    this.selected = i;
    this.follow = follow;
    this.scrollToSelected();
    this.paint();
  }

  select(i) {
    this.highlight(i);
    this.onSelect?.(i);
  }

  scrollToSelected() {
    const r = this.rowOf(this.selected);
    if (r < 0) return;
    const top = r * ROW;
    if (top < this.scrollAt) this.scrollTo(top);
    else if (top + ROW > this.scrollAt + this.height()) this.scrollTo(top + ROW - this.height());
  }

  rowOf(i) {
    if (i === null) return -1;
    // rows is sorted: binary search
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid] === i) return mid;
      if (this.rows[mid] < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  key(e) {
    if (!this.rows.length) return;
    let r = this.rowOf(this.selected);
    const page = Math.max(1, Math.floor(this.height() / ROW) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) r = (r < 0 ? this.rows.length - 1 : r) + moves[e.key];
    else if (e.key === 'Home') r = 0;
    else if (e.key === 'End') r = this.rows.length - 1;
    else return;
    e.preventDefault();
    r = Math.max(0, Math.min(this.rows.length - 1, r));
    this.select(this.rows[r]);
  }
}
