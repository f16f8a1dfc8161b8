// The embedding page's live parts: points the example iframe at this site's embed.html with
// this page's origin declared, builds a real share link, and logs what every example sends.
const log = document.getElementById('event-log');
const embedUrl = new URL('../embed.html', import.meta.url);

function add(text) {
  const li = document.createElement('li');
  li.textContent = text; // text only: a detail can hold anything a scenario said
  log.append(li);
}

function brief(detail) {
  if (!detail || typeof detail !== 'object') return '';
  const parts = [];
  if (detail.summary)
    parts.push(
      `readCalls ${detail.summary.readCalls}, drains ${detail.summary.drainEvents}, ended at ${detail.summary.endedAtMs} ms`,
    );
  if (detail.scenario && typeof detail.scenario === 'object') parts.push(`scenario ${detail.scenario.name}`);
  else if (detail.scenario) parts.push(`scenario ${detail.scenario}`);
  if (detail.challenge) parts.push(`challenge ${detail.challenge}`);
  else if (detail.passed !== undefined && detail.id) parts.push(`challenge ${detail.id}`);
  if (detail.passed !== undefined) parts.push(detail.passed ? 'passed' : 'not yet');
  if (detail.message) parts.push(detail.message);
  return parts.join(' · ');
}

for (const type of ['streamlab:ready', 'streamlab:run', 'streamlab:challenge', 'streamlab:error']) {
  document.addEventListener(type, (e) => {
    const from = e.target?.id ? `#${e.target.id}` : (e.target?.localName ?? '?');
    add(`${type} from ${from}: ${brief(e.detail)}`);
  });
}

const frame = document.getElementById('ex-iframe');
const src = new URL(embedUrl);
src.search = new URLSearchParams({
  scenario: 'object-mode',
  controls: 'run,step,output,chart',
  origin: location.origin,
  id: 'docs-frame',
}).toString();
frame.src = src.href;

window.addEventListener('message', (e) => {
  // Only our own embed frame, at the origin we gave it.
  if (e.origin !== embedUrl.origin || e.source !== frame.contentWindow) return;
  const d = e.data;
  if (d?.source !== 'streamlab') return;
  add(`message "${d.type}" from iframe ${d.id}: ${brief(d)}`);
});

// A share link made the same way the Share button makes it.
import('./embed/share.js').then(({ shareUrl }) => {
  document.getElementById('share-example').href = shareUrl(
    { scenario: 'seeing-backpressure', view: { mode: 'instant', x: 'time' } },
    embedUrl.href,
  );
});
