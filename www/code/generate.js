// The lesson's code for an experiment, with the form's parameters filled in: a scenario@1
// object in, the text of a Node.js ES module out (node:stream, top-level await), shaped as the
// lesson's Experiment code is (FastProducer / SlowConsumer classes, pipeline from
// stream/promises, the writeWithBackpressure loop, MemoryTracker, object mode). The text runs
// unchanged under `node FILE.mjs`; on the page it runs on Streamlab's core.
//
// Pure: nothing here touches the DOM. Every value from the scenario is written into the code
// as a JavaScript literal (numbers checked to be numbers, text escaped), so a scenario cannot
// put code of its own into the program.

// The lesson's names per experiment; anything else (a custom scenario) reads as the first.
const FLAVOURS = {
  'seeing-backpressure': { heading: 'Seeing Backpressure', producer: 'FastProducer', consumer: 'SlowConsumer' },
  'manual-backpressure': { heading: 'Manual Backpressure', consumer: 'SlowConsumer' },
  'without-backpressure': { heading: 'What Happens WITHOUT Backpressure', consumer: 'MemoryTracker' },
  'with-backpressure': { heading: 'WITH Backpressure', consumer: 'MemoryTracker' },
  'object-mode': { heading: 'Object Mode Backpressure', producer: 'ObjectProducer', consumer: 'ObjectConsumer' },
  'key-insight-10gib': { heading: '10 GiB through a slow sink', producer: 'FileLikeSource', consumer: 'SlowNetwork' },
};
const DEFAULT_FLAVOUR = FLAVOURS['seeing-backpressure'];

function flavourOf(scenario) {
  const name = String(scenario?.name ?? '');
  if (FLAVOURS[name]) return FLAVOURS[name];
  if (/^hwm-(tuning|async-sink)/.test(name))
    return { heading: 'highWaterMark Tuning', producer: 'Source', consumer: 'Sink' };
  return DEFAULT_FLAVOUR;
}

// A number from the scenario as a literal; anything else (the form lets a learner type text,
// which the core then refuses) becomes `undefined` with a comment, never code.
function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : 'undefined /* not a number */';
}

const has = (v) => v !== undefined && v !== null;

// A JavaScript string literal for any text (JSON's escaping, plus U+2028/2029 which JSON
// leaves raw).
function str(text) {
  return JSON.stringify(String(text))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// The text a template literal holds between its backticks, for literal text.
function templatePart(text) {
  return str(text).slice(1, -1).replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

// The expression of one chunk. `n` names the variable holding the chunk's 1-based number.
// Text: {n} and {i} in one left-to-right pass, as SCENARIO.md says.
export function chunkExpression(chunk, n) {
  if (chunk && 'bytes' in chunk) return `Buffer.alloc(${num(chunk.bytes)}, 0x41)`;
  if (chunk && 'object' in chunk) return `{ id: ${n}, data: "x".repeat(${num(chunk.object)}) }`;
  const text = String(chunk?.text ?? '');
  if (!/\{[ni]\}/.test(text)) return str(text);
  const parts = text.split(/(\{[ni]\})/);
  const body = parts
    .map((p) => {
      if (p === '{n}') return `\${${n}}`;
      if (p === '{i}') return `\${${n} - 1}`;
      return templatePart(p);
    })
    .join('');
  return `\`${body}\``;
}

// `{ highWaterMark: 64, objectMode: true }`, or '' when both are left to Node's defaults.
function optionsOf(cfg = {}, extra = []) {
  const fields = [];
  if (has(cfg.highWaterMark)) fields.push(`highWaterMark: ${num(cfg.highWaterMark)}`);
  if (cfg.objectMode === true) fields.push('objectMode: true');
  fields.push(...extra);
  return fields.length ? `{ ${fields.join(', ')} }` : '';
}

function producerClass(name, source) {
  const push = [
    'if (this.produced < this.total) {',
    '  this.produced++;',
    `  this.push(${chunkExpression(source.chunk, 'this.produced')});`,
    '} else {',
    '  this.push(null);',
    '}',
  ];
  const delayed = has(source.readDelayMs);
  const body = delayed
    ? [
        `// Each chunk arrives ${num(source.readDelayMs)} ms after it is asked for.`,
        'setTimeout(() => {',
        ...push.map((l) => `  ${l}`),
        `}, ${num(source.readDelayMs)});`,
      ]
    : push;
  return [
    `class ${name} extends Readable {`,
    '  constructor(total) {',
    `    super(${optionsOf(source)});`,
    '    this.total = total;',
    '    this.produced = 0;',
    '    this.readCalls = 0;',
    '  }',
    '',
    '  _read(size) {',
    '    this.readCalls++;',
    ...body.map((l) => `    ${l}`),
    '  }',
    '}',
  ];
}

function consumerClass(name, sink) {
  const delayed = has(sink.delayMs);
  const lines = [
    `class ${name} extends Writable {`,
    '  constructor() {',
    `    super(${optionsOf(sink)});`,
    '    this.consumed = 0;',
    '    this.drainCount = 0;',
    '    this.maxBuffered = 0;',
    '    this.on("drain", () => this.drainCount++);',
    '  }',
    '',
    '  _write(chunk, encoding, callback) {',
    '    this.consumed++;',
    '    // The most this stream held when a write began',
    '    if (this.writableLength > this.maxBuffered) this.maxBuffered = this.writableLength;',
  ];
  let err = 'null';
  if (has(sink.failAt)) {
    lines.push(
      `    const err = this.consumed === ${num(sink.failAt)}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated program's own template literal
      '      ? Object.assign(new Error(`sink failAt: _write #${this.consumed} failed`), { code: "FAIL_AT" })',
      '      : null;',
    );
    err = 'err';
  }
  if (delayed) {
    lines.push(`    // Slow processing: ${num(sink.delayMs)} ms per chunk`);
    lines.push(
      err === 'null'
        ? `    setTimeout(callback, ${num(sink.delayMs)});`
        : `    setTimeout(() => callback(${err}), ${num(sink.delayMs)});`,
    );
  } else {
    lines.push(err === 'null' ? '    callback();' : `    callback(${err});`);
  }
  lines.push('  }', '}');
  return lines;
}

// A Transform that passes each chunk on: at once, after delayMs, or throttled to a rate.
function transformLines(t, k) {
  const v = `t${k}`;
  const opts = optionsOf(t);
  if (has(t.throttleBytesPerSec)) {
    const unit = t.objectMode ? 'chunks' : 'bytes';
    return [
      `// Transform ${k}: lets at most ${num(t.throttleBytesPerSec)} ${unit} per second through`,
      `let ${v}Start = null;`,
      `let ${v}Passed = 0;`,
      `const ${v} = new Transform({`,
      ...(opts ? [`  ...${opts},`] : []),
      '  transform(chunk, encoding, callback) {',
      `    if (${v}Start === null) ${v}Start = performance.now();`,
      `    ${v}Passed += ${t.objectMode ? '1' : 'chunk.length'};`,
      `    const due = ${v}Start + (1000 * ${v}Passed) / ${num(t.throttleBytesPerSec)};`,
      '    const wait = due - performance.now();',
      '    if (wait <= 0) callback(null, chunk);',
      '    else setTimeout(() => callback(null, chunk), wait);',
      '  },',
      '});',
    ];
  }
  const pass = has(t.delayMs)
    ? `setTimeout(() => callback(null, chunk), ${num(t.delayMs)});`
    : 'callback(null, chunk);';
  return [
    `const ${v} = new Transform({`,
    ...(opts ? [`  ...${opts},`] : []),
    '  transform(chunk, encoding, callback) {',
    `    ${pass}`,
    '  },',
    '});',
  ];
}

function header(scenario, f) {
  const lines = [
    `// ${f.heading}: the lesson's code, with the form's parameters.`,
    '// Runs unchanged under Node.js 20: save it as experiment.mjs,',
    '// then run: node experiment.mjs',
  ];
  if (scenario.node === 22)
    lines.push('// The experiment asks for Node 22 (its default highWaterMark is 65536 bytes).');
  return lines;
}

function pipedProgram(scenario, f) {
  const source = scenario.source ?? {};
  const sink = scenario.sink ?? {};
  const transforms = Array.isArray(scenario.transforms) ? scenario.transforms : [];
  const streams = ['producer', ...transforms.map((_, k) => `t${k}`), 'consumer'];
  const imports = ['Readable', 'Writable', ...(transforms.length ? ['Transform'] : [])];
  const usePipe = scenario.connect === 'pipe';
  const lines = [
    ...header(scenario, f),
    `import { ${imports.join(', ')} } from "node:stream";`,
    ...(usePipe ? [] : ['import { pipeline } from "node:stream/promises";']),
    '',
    `console.log("=== ${f.heading} ===\\n");`,
    '',
    ...producerClass(f.producer, source),
    '',
    ...consumerClass(f.consumer, sink),
    '',
    `const producer = new ${f.producer}(${num(source.chunks)});`,
    `const consumer = new ${f.consumer}();`,
  ];
  transforms.forEach((t, k) => {
    lines.push(...transformLines(t, k));
  });
  lines.push('');
  const report = [
    'console.log("Producer:");',
    'console.log("  Total chunks produced:", producer.produced);',
    'console.log("  Times _read() was called:", producer.readCalls);',
    'console.log("Consumer:");',
    'console.log("  Total chunks consumed:", consumer.consumed);',
    'console.log("  Drain events:", consumer.drainCount);',
    'console.log("  Max buffered when a write began:", consumer.maxBuffered);',
  ];
  if (usePipe) {
    lines.push(
      '// pipe() forwards no errors: each stream reports its own.',
      ...streams.map((s) => `${s}.on("error", (err) => console.log("${s} error:", err.code ?? err.message));`),
      `consumer.on("finish", () => {`,
      ...report.map((l) => `  ${l}`),
      '});',
      '',
      `${streams[0]}${streams
        .slice(1)
        .map((s) => `.pipe(${s})`)
        .join('')};`,
    );
  } else {
    lines.push(
      'try {',
      `  await pipeline(${streams.join(', ')});`,
      '} catch (err) {',
      '  console.log("pipeline failed:", err.code ?? err.message);',
      '}',
      '',
      ...report,
    );
  }
  return lines;
}

function loopProgram(scenario, f) {
  const sink = scenario.sink ?? {};
  const loop = scenario.writeLoop ?? {};
  const respect = loop.respectBackpressure !== false;
  const lines = [
    ...header(scenario, f),
    'import { Writable } from "node:stream";',
    'import { once } from "node:events";',
    '',
    `console.log("=== ${f.heading} ===\\n");`,
    '',
    ...consumerClass(f.consumer, sink),
    '',
  ];
  if (respect) {
    lines.push(
      '// Without pipe(): this loop handles backpressure itself',
      'async function writeWithBackpressure(writable, items) {',
      '  let backpressureCount = 0;',
      '  for (const item of items) {',
      '    const ok = writable.write(item);',
      '    if (!ok) {',
      '      backpressureCount++;',
      '      await once(writable, "drain");',
      '    }',
      '  }',
      '  writable.end();',
      '  await once(writable, "finish");',
      '  return backpressureCount;',
      '}',
    );
  } else {
    lines.push(
      "// BAD: ignores write()'s return value, so everything waits in the writable's buffer",
      'async function writeIgnoringBackpressure(writable, items) {',
      '  for (const item of items) {',
      '    writable.write(item); // Ignoring return value!',
      '  }',
      '  writable.end();',
      '  await once(writable, "finish");',
      '  return 0;',
      '}',
    );
  }
  lines.push(
    '',
    `const writer = new ${f.consumer}();`,
    `const items = Array.from({ length: ${num(loop.items)} }, (_, i) => ${chunkExpression(loop.chunk, '(i + 1)')});`,
    'try {',
    `  const pauses = await ${respect ? 'writeWithBackpressure' : 'writeIgnoringBackpressure'}(writer, items);`,
    '  console.log("Items written:", items.length);',
    '  console.log("Backpressure pauses:", pauses);',
    '} catch (err) {',
    '  console.log("write loop failed:", err.code ?? err.message);',
    '}',
    `console.log("Max buffered:", writer.maxBuffered, "${sink.objectMode === true ? 'objects' : 'bytes'}");`,
    'console.log("Drain events:", writer.drainCount);',
  );
  return lines;
}

// The program for a scenario: the text of an ES module, ending with a newline.
export function programFor(scenario) {
  const f = flavourOf(scenario);
  const lines = scenario?.connect === 'write-loop' ? loopProgram(scenario, f) : pipedProgram(scenario ?? {}, f);
  return `${lines.join('\n')}\n`;
}
