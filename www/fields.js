// Which scenario fields the parameter form offers, and how a text box maps onto a scenario
// field. The form never judges a value itself: whatever the learner types goes into the
// scenario and the core's validateScenario says whether (and where) it is wrong.

// Reads a dotted path ('transforms.0.delayMs') from an object.
export function getPath(obj, path) {
  return path.split('.').reduce((o, key) => (o == null ? undefined : o[key]), obj);
}

// Writes a dotted path; `undefined` removes the field (so the core applies its default).
export function setPath(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let o = obj;
  for (const key of keys) {
    o[key] ??= {};
    o = o[key];
  }
  if (value === undefined) delete o[last];
  else o[last] = value;
}

// Text typed in a number box: '' is "not set"; a number is a number; anything else is
// passed on as text so that the core's message names the field and the bad value.
export function parseNumberish(text) {
  const t = text.trim();
  if (t === '') return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  return t;
}

// Text chunks are shown with visible escapes (\n) so a newline can be typed in one line.
export function escapeText(s) {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
export function unescapeText(s) {
  return s.replace(/\\(\\|n|t)/g, (_, c) => ({ '\\': '\\', n: '\n', t: '\t' })[c]);
}

const CHUNK_DEFAULTS = { text: 'Chunk {n}\n', bytes: 1024, object: 1000 };

// The prefix of the fields that describe the data: the source, or the write loop.
export function dataSide(scenario) {
  return scenario.connect === 'write-loop' ? 'writeLoop' : 'source';
}

export function chunkKind(scenario) {
  const chunk = getPath(scenario, `${dataSide(scenario)}.chunk`) ?? {};
  return ['text', 'bytes', 'object'].find((k) => k in chunk) ?? 'text';
}

// Switching between pipe/pipeline and the write loop moves the data description across.
export function setConnect(scenario, connect) {
  const was = scenario.connect;
  scenario.connect = connect;
  if (was !== 'write-loop' && connect === 'write-loop') {
    const src = scenario.source ?? {};
    scenario.writeLoop = {
      items: src.chunks ?? 20,
      chunk: src.chunk ?? { text: CHUNK_DEFAULTS.text },
      respectBackpressure: true,
    };
    delete scenario.source;
    delete scenario.transforms;
  } else if (was === 'write-loop' && connect !== 'write-loop') {
    const loop = scenario.writeLoop ?? {};
    scenario.source = { chunks: loop.items ?? 20, chunk: loop.chunk ?? { text: CHUNK_DEFAULTS.text } };
    delete scenario.writeLoop;
  }
}

export function setChunkKind(scenario, kind) {
  setPath(scenario, `${dataSide(scenario)}.chunk`, { [kind]: CHUNK_DEFAULTS[kind] });
}

// Field descriptions for the current shape of the scenario, in form order, grouped.
// kind: 'int' (required number), 'opt' (number or absent: Node's default),
// 'delay' (number or null: synchronous), 'bool', 'text', 'select'.
export function fieldsFor(scenario) {
  const side = dataSide(scenario);
  const loop = side === 'writeLoop';
  const kind = chunkKind(scenario);
  const groups = [];
  groups.push({
    legend: 'Connection',
    fields: [
      {
        path: 'connect',
        kind: 'select',
        label: 'Connect with',
        options: [
          ['pipeline', 'pipeline()'],
          ['pipe', '.pipe()'],
          ['write-loop', 'a write() loop'],
        ],
      },
      {
        path: 'node',
        kind: 'select',
        label: 'Node version',
        options: [
          ['20', 'Node 20'],
          ['22', 'Node 22'],
        ],
        numeric: true,
        absent: '20',
      },
      { path: 'sampleEveryMs', kind: 'opt', label: 'Sample every (ms)', hint: 'empty: no samples' },
    ],
  });
  const data = [
    { path: loop ? 'writeLoop.items' : 'source.chunks', kind: 'int', label: loop ? 'Items written' : 'Chunks pushed' },
    {
      path: `${side}.chunk`,
      kind: 'select',
      label: 'Chunk kind',
      chunkKind: true,
      options: [
        ['text', 'text'],
        ['bytes', 'bytes'],
        ['object', 'object'],
      ],
    },
    kind === 'text'
      ? {
          path: `${side}.chunk.text`,
          kind: 'text',
          label: 'Chunk text',
          hint: '{n}: 1-based number, {i}: 0-based, \\n: newline',
        }
      : {
          path: `${side}.chunk.${kind}`,
          kind: 'int',
          label: kind === 'bytes' ? 'Chunk size (bytes)' : 'Object data length',
        },
  ];
  if (loop) {
    // The core needs this one either way (no default), so unticked writes false.
    data.push({
      path: 'writeLoop.respectBackpressure',
      kind: 'bool',
      required: true,
      label: "Wait for 'drain' when write() returns false",
    });
    groups.push({ legend: 'Write loop', fields: data });
  } else {
    data.push(
      { path: 'source.highWaterMark', kind: 'opt', label: 'Source highWaterMark', hint: "empty: Node's default" },
      { path: 'source.objectMode', kind: 'bool', label: 'Source in object mode' },
      { path: 'source.readDelayMs', kind: 'delay', label: '_read() delay (ms)', hint: 'empty: push synchronously' },
    );
    groups.push({ legend: 'Source', fields: data });
    (scenario.transforms ?? []).forEach((_, i) => {
      groups.push({
        legend: `Transform t${i}`,
        transform: i,
        fields: [
          { path: `transforms.${i}.highWaterMark`, kind: 'opt', label: 'highWaterMark', hint: "empty: Node's default" },
          { path: `transforms.${i}.objectMode`, kind: 'bool', label: 'Object mode' },
          {
            path: `transforms.${i}.delayMs`,
            kind: 'delay',
            label: '_transform() delay (ms)',
            hint: 'empty: synchronous',
          },
          {
            path: `transforms.${i}.throttleBytesPerSec`,
            kind: 'delay',
            label: 'Throttle (bytes/s)',
            hint: 'empty: no throttle',
          },
        ],
      });
    });
  }
  groups.push({
    legend: 'Sink',
    fields: [
      { path: 'sink.highWaterMark', kind: 'opt', label: 'Sink highWaterMark', hint: "empty: Node's default" },
      { path: 'sink.objectMode', kind: 'bool', label: 'Sink in object mode' },
      { path: 'sink.delayMs', kind: 'delay', label: '_write() delay (ms)', hint: 'empty: call back synchronously' },
      { path: 'sink.failAt', kind: 'delay', label: 'Fail at _write #', hint: 'empty: never fail' },
    ],
  });
  return groups;
}

// Whether the scenario file itself sets a field: such fields are shown first, the rest wait
// under "More parameters".
export function isSetIn(scenario, path) {
  const v = getPath(scenario, path);
  return v !== undefined && v !== null && v !== false;
}

// The form's text for a field's current value.
export function displayValue(scenario, field) {
  if (field.chunkKind) return chunkKind(scenario);
  const v = getPath(scenario, field.path);
  if (field.kind === 'text') return escapeText(String(v ?? ''));
  if (field.kind === 'select') return String(v ?? field.absent ?? '');
  if (field.kind === 'bool') return Boolean(v);
  return v === undefined || v === null ? '' : String(v);
}

// Applies what the learner typed or picked to the scenario.
export function applyValue(scenario, field, raw) {
  if (field.path === 'connect') return setConnect(scenario, raw);
  if (field.chunkKind) return setChunkKind(scenario, raw);
  switch (field.kind) {
    case 'bool':
      return setPath(scenario, field.path, raw ? true : field.required ? false : undefined);
    case 'text':
      return setPath(scenario, field.path, unescapeText(raw));
    case 'select':
      return setPath(scenario, field.path, field.numeric ? Number(raw) : raw);
    case 'opt':
      return setPath(scenario, field.path, parseNumberish(raw) ?? undefined);
    case 'delay':
      return setPath(scenario, field.path, parseNumberish(raw));
    default: {
      const v = parseNumberish(raw);
      return setPath(scenario, field.path, v === null ? '' : v);
    }
  }
}

// The field an error message from the core is about: its messages start with the field's
// path ("sink.highWaterMark: expected …", "transforms[0].delayMs: …"). The longest field
// path that the message's path starts with wins; else a field under the message's path.
export function fieldForMessage(message, paths) {
  const m = /^([A-Za-z0-9_.[\]]+):/.exec(message ?? '');
  if (!m) return null;
  const at = m[1].replace(/\[(\d+)\]/g, '.$1');
  let best = null;
  for (const p of paths) {
    if ((at === p || at.startsWith(`${p}.`)) && (!best || p.length > best.length)) best = p;
  }
  return best ?? paths.find((p) => p.startsWith(`${at}.`)) ?? null;
}
