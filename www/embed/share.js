// The Share button: a link to embed.html whose fragment holds the whole state of an
// experiment (its scenario and the view), copied to the clipboard. Where the clipboard is not
// available the link is shown in a text field, selected, to copy by hand.
import { h } from '../dom.js';
import { encodeState } from './state.js';

// The site's embed page, found from this module's own URL (www/embed/ -> site root).
// Computed when asked, so a bundle without module URLs can still load this file.
export function embedPageUrl() {
  return new URL('../../embed.html', import.meta.url).href;
}

// What to put in the link for an experiment handle (mountExperiment's), plus extra view.
export function experimentState(exp, view = {}) {
  const st = exp.player?.state?.();
  const paused = st && !st.finished && st.revealed > 0;
  return {
    scenario: exp.scenario(),
    view: {
      ...view,
      speed: exp.speed?.value,
      x: exp.xMode,
      // A run stopped part-way reopens at that event; a finished one is run to the end.
      mode: 'instant',
      at: paused ? st.revealed : undefined,
    },
  };
}

export function shareUrl(state, base = embedPageUrl()) {
  const url = new URL(base);
  url.search = '';
  url.hash = encodeState(state);
  return url.href;
}

// A button that copies the link of getState()'s state; the result is announced beside it.
export function shareButton(getState, { base } = {}) {
  const note = h('span', { class: 'share-note', role: 'status' });
  const field = h('input', {
    type: 'text',
    class: 'share-link',
    readonly: true,
    'aria-label': 'Link to this run',
    hidden: true,
  });
  const button = h('button', { type: 'button', class: 'share', dataset: { action: 'share' } }, 'Share');
  button.addEventListener('click', async () => {
    const link = shareUrl(getState(), base ?? embedPageUrl());
    button.dataset.link = link;
    field.value = link;
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = 'Link copied.';
      field.hidden = true;
    } catch {
      note.textContent = 'Copy this link:';
      field.hidden = false;
      field.focus();
      field.select();
    }
  });
  return h('span', { class: 'share-box' }, button, note, field);
}

// The lesson page's own address for an experiment: the page (its ?lesson= kept) with the
// state in the fragment and `lab` naming which of its experiments to open. embed.html stays
// for iframes.
export function lessonShareUrl(state, lab, base = location.href) {
  const url = new URL(base);
  url.hash = `lab=${encodeURIComponent(lab)}&${encodeState(state)}`;
  return url.href;
}

// The Share control of an experiment in the lesson page (none in the offline single file,
// which has no server to open a link on).
export function shareControl(exp, view = {}) {
  if (globalThis.__streamlabOffline) return null;
  const lab = exp.root.dataset.scenario;
  const note = h('span', { class: 'share-note', role: 'status' });
  const field = h('input', {
    type: 'text',
    class: 'share-link',
    readonly: true,
    'aria-label': 'Link to this run',
    hidden: true,
  });
  const button = h('button', { type: 'button', class: 'share', dataset: { action: 'share' } }, 'Share');
  button.addEventListener('click', async () => {
    const link = lessonShareUrl(experimentState(exp, view), lab);
    button.dataset.link = link;
    field.value = link;
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = 'Link copied: it opens the lesson at this experiment.';
      field.hidden = true;
    } catch {
      note.textContent = 'Copy this link:';
      field.hidden = false;
      field.focus();
      field.select();
    }
  });
  return h('span', { class: 'share-box' }, button, note, field);
}
