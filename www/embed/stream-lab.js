// <stream-lab>: a Streamlab experiment or challenge in any page, with one script tag:
//
//   <script type="module" src="https://SITE/www/embed/stream-lab.js"></script>
//   <stream-lab scenario="seeing-backpressure" controls="run,step,output" mode="live"
//               height="480" theme="dark"></stream-lab>
//   <stream-lab><script type="application/json">{ "schema": "streamlab/scenario@1", … }</script></stream-lab>
//   <stream-lab challenge="throttle"></stream-lab>
//   <stream-lab scenario="seeing-backpressure"><script type="text/plain">…a program…</script></stream-lab>
//
// Code (a child <script type="text/plain">, or code="…" compressed as share links carry it)
// is shown in the experiment's Code view and runs only when the learner presses Run.
//
// Attributes are read with the same checks as embed.html's URL (state.js). An inline
// scenario is read as text and parsed with JSON.parse, never run. Each element lives in its
// own shadow root, so several on a page are independent and the host's CSS stays out.
// Events (bubbling, composed): 'streamlab:ready' {kind, scenario, challenge},
// 'streamlab:run' {summary, scenario}, 'streamlab:challenge' {id, passed, reasons, step?},
// 'streamlab:error' {message}.
import { h, fill } from '../dom.js';
import { readParams, parseScenarioText } from './state.js';
import { mountLab } from './lab.js';

const HERE = import.meta.url;
const asset = (path) => new URL(path, HERE).href;
const STYLES = [
  '../vendor/uPlot.min.css',
  '../style.css',
  '../challenges/challenges.css',
  './share.css',
  './embed.css',
];
const ATTRS = ['scenario', 'challenge', 'controls', 'mode', 'speed', 'x', 'at', 'height', 'theme', 'code'];
const MAX_INLINE_CODE = 256 * 1024; // characters of an inline program

// uPlot is a classic script that sets window.uPlot; loaded once for every element.
let uplot = null;
function loadUPlot() {
  if (window.uPlot) return Promise.resolve();
  uplot ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = asset('../vendor/uPlot.iife.min.js');
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('could not load the chart library'));
    document.head.append(s);
  });
  return uplot;
}

function stylesheet(href) {
  const link = h('link', { rel: 'stylesheet', href: asset(href) });
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', resolve, { once: true }); // unstyled beats nothing
  });
  return { link, loaded };
}

class StreamLab extends HTMLElement {
  static get observedAttributes() {
    return ATTRS;
  }

  constructor() {
    super();
    this.generation = 0;
    this.lab = null;
  }

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const sheets = STYLES.map(stylesheet);
      this.notice = h('div', { class: 'notice', hidden: true });
      this.mountPoint = h('div', { class: 'embed-lab' });
      root.append(...sheets.map((s) => s.link), this.notice, this.mountPoint);
      this.styled = Promise.all(sheets.map((s) => s.loaded));
      // Inner runs do not cross the shadow boundary on their own.
      root.addEventListener('streamlab:run', (e) => {
        if (e.target !== this) this.emit('streamlab:run', e.detail);
      });
    }
    this.schedule();
  }

  disconnectedCallback() {
    this.generation += 1;
    this.lab?.destroy?.();
    this.lab = null;
  }

  attributeChangedCallback(name, before, after) {
    if (!this.isConnected || before === after) return;
    if (name === 'theme' || name === 'height') {
      this.applyView(this.read().options);
      // The charts read their colours from the theme: have them redrawn.
      if (name === 'theme') document.dispatchEvent(new CustomEvent('streamlab:theme', { detail: { theme: after } }));
    } else this.schedule();
  }

  // Attributes, and an inline JSON scenario if there is one (it wins over scenario="…").
  read() {
    const attrs = new Map(ATTRS.filter((a) => this.hasAttribute(a)).map((a) => [a, this.getAttribute(a)]));
    const { options, problems } = readParams({ get: (k) => (attrs.has(k) ? attrs.get(k) : null) });
    const inline = this.querySelector(':scope > script[type="application/json"]');
    if (inline) {
      const parsed = parseScenarioText(inline.textContent);
      if (parsed.error) problems.push(`inline scenario: ${parsed.error}`);
      else options.scenario = parsed.value;
    }
    // Read as text, never run here: the host's script type keeps the browser from running it.
    const code = this.querySelector(':scope > script[type="text/plain"]');
    if (code) {
      if (code.textContent.length > MAX_INLINE_CODE)
        problems.push(`inline code: longer than ${MAX_INLINE_CODE / 1024} KiB`);
      else options.codeText = code.textContent.replace(/^\n/, '');
    }
    return { options, problems };
  }

  applyView(options) {
    this.style.height = options.height ?? '';
    if (options.height) this.dataset.fixedHeight = '';
    else delete this.dataset.fixedHeight;
  }

  // Several attribute changes in one task lead to one mount.
  schedule() {
    const gen = ++this.generation;
    queueMicrotask(() => {
      if (gen === this.generation && this.isConnected) this.mount(gen);
    });
  }

  async mount(gen) {
    this.lab?.destroy?.();
    this.lab = null;
    fill(this.notice);
    this.notice.hidden = true;
    const { options, problems } = this.read();
    this.applyView(options);
    if (problems.length) {
      const broken = problems.some((p) => /^(s|scenario|challenge|inline scenario):/.test(p));
      this.notice.append(
        h(
          'p',
          { role: 'alert' },
          `Some settings of this lab were not understood and were ignored${broken ? ' (the default experiment is shown)' : ''}: ${problems.join('; ')}.`,
        ),
      );
      this.notice.hidden = false;
    }
    try {
      await Promise.all([loadUPlot(), this.styled]);
      if (gen !== this.generation) return;
      // Reported after a wait, so that listeners the host adds after this script still hear it.
      if (problems.length) this.emit('streamlab:error', { message: problems.join('; ') });
      const lab = await mountLab(this.mountPoint, options, {
        notice: this.notice,
        onEvent: (type, detail) => {
          if (type === 'error') this.emit('streamlab:error', detail);
        },
      });
      if (gen !== this.generation) {
        lab.destroy?.();
        return;
      }
      this.lab = lab;
      const scenario = lab.kind === 'experiment' ? lab.handle.scenario() : null;
      this.dataset.ready = '';
      this.emit('streamlab:ready', {
        kind: lab.kind,
        scenario: scenario?.name ?? null,
        challenge: options.challenge ?? null,
      });
    } catch (err) {
      fill(this.mountPoint, h('p', { class: 'lab-error', role: 'alert' }, `This lab could not start: ${err.message}`));
      this.emit('streamlab:error', { message: err.message });
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  // A small API for the host page's scripts.
  run() {
    return this.lab?.command('run');
  }
  play() {
    return this.lab?.command('play');
  }
  pause() {
    return this.lab?.command('pause');
  }
  step() {
    return this.lab?.command('step');
  }
  get summary() {
    return this.lab?.kind === 'experiment' ? this.lab.handle.summary() : null;
  }
  get scenario() {
    return this.lab?.kind === 'experiment' ? this.lab.handle.scenario() : null;
  }
}

if (!customElements.get('stream-lab')) customElements.define('stream-lab', StreamLab);
export { StreamLab };
