// Readable titles for the page's scenarios, where a heading, an embed or a sweep would
// otherwise show a raw id ("hwm-tuning-64@64"). Unknown names read as words.
const TITLES = {
  'seeing-backpressure': 'Seeing backpressure',
  'seeing-backpressure-node22': 'Seeing backpressure (Node 22)',
  'manual-backpressure': "A write loop that waits for 'drain'",
  'without-backpressure': "Ignoring write()'s return value",
  'with-backpressure': "Waiting for 'drain'",
  'key-insight-10gib': '10 GiB through a slow sink',
  'object-mode': 'Backpressure counted in objects',
  'hwm-tuning-64': 'highWaterMark tuning',
  'hwm-tuning-1024': 'highWaterMark tuning',
  'hwm-tuning-16384': 'highWaterMark tuning',
  'hwm-tuning-65536': 'highWaterMark tuning',
  'hwm-async-sink': 'highWaterMark with a slow sink',
};

// The title of a scenario object or name.
export function readableTitle(scenarioOrName) {
  const name = typeof scenarioOrName === 'string' ? scenarioOrName : scenarioOrName?.name;
  if (!name) return 'Experiment';
  if (TITLES[name]) return TITLES[name];
  const words = String(name).replace(/[-_]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Experiment';
}
