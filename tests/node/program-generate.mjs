// Random Node.js stream programs from templates, for the code lab's differential test
// (program-streams.test.mjs): generate(seed) gives the source of one ES module program, the
// same for the same seed (its own PRNG). What varies:
//   - the streams: a Readable (subclass or constructor options, or Readable.from over an
//     array, a generator or an async generator), 0–2 Transforms (subclass, options or a
//     PassThrough) and a Writable (subclass or options); object mode or bytes; highWaterMarks
//     from 0 to the defaults, tiny ones often;
//   - when each _read/_write/_transform/_flush/_final answers: synchronously, or after
//     process.nextTick, queueMicrotask, setImmediate, setTimeout or an await;
//   - how they are joined: pipe(), pipeline() with a callback, pipeline() from
//     stream/promises, a manual write loop with `await once(w, "drain")`, or for await;
//   - trouble: an error passed to a callback, destroy(err) in _read or a generator that throws,
//     destroy() of any stream
//     (with or without an error) at a virtual time, a callback called twice, streams with no
//     'error' listener (an uncaught error ends the program with code 1);
//   - console.log of stream state (lengths, flowing, needDrain, ended, destroyed) with the
//     virtual time, inside the stream's own methods and in listeners for data, end, finish,
//     close, drain, pause, resume and error.
// Programs never loop forever and set no interval, so each ends when its event loop empties.
//   node tests/node/program-generate.mjs SEED              prints the program for SEED
//   node tests/node/program-generate.mjs --check FROM N    runs seeds FROM..FROM+N-1 twice each
//                                                          under the program oracle (real Node)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './program-oracle.mjs';

// mulberry32: small, fast and the same on every platform.
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const HWMS = [undefined, 0, 1, 1, 2, 3, 4, 5, 8, 16, 64, 1024, 16384];
const OBJECT_HWMS = [undefined, 0, 1, 1, 2, 3, 4, 16];

// How a stream method answers: the code `body` run now or later.
function defer(rand, body) {
  switch (rand.int(7)) {
    case 0:
    case 1:
      return { async: false, code: body };
    case 2:
      return { async: false, code: `process.nextTick(() => { ${body} });` };
    case 3:
      return { async: false, code: `queueMicrotask(() => { ${body} });` };
    case 4:
      return { async: false, code: `setImmediate(() => { ${body} });` };
    case 5:
      return { async: false, code: `setTimeout(() => { ${body} }, ${rand.pick([0, 1, 1, 2, 3, 5, 10])});` };
    default:
      return {
        async: true,
        code: `${rand.chance(0.5) ? 'await null;' : `await new Promise((resolve) => setTimeout(resolve, ${rand.int(4)}));`} ${body}`,
      };
  }
}

// A stream's definition: `head` is either a class (subclass) or an options object (`new X({...})`).
function defineStream({ rand, name, base, options, methods, fields }) {
  const useClass = rand.chance(0.5);
  const opts = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  if (useClass) {
    const className = name[0].toUpperCase() + name.slice(1);
    const lines = [`class ${className} extends ${base} {`];
    lines.push('  constructor() {');
    lines.push(`    super(${opts.length ? `{ ${opts.join(', ')} }` : ''});`);
    for (const f of fields) lines.push(`    this.${f} = 0;`);
    lines.push('  }');
    for (const m of methods) {
      lines.push(`  ${m.async ? 'async ' : ''}_${m.name}(${m.params}) {`);
      lines.push(...m.body.map((l) => `    ${l}`));
      lines.push('  }');
    }
    lines.push('}');
    lines.push(`const ${name} = new ${className}();`);
    return lines;
  }
  const lines = [`const ${name} = new ${base}({`];
  for (const o of opts) lines.push(`  ${o},`);
  for (const m of methods) {
    lines.push(`  ${m.async ? 'async ' : ''}${m.name}(${m.params}) {`);
    lines.push(...m.body.map((l) => `    ${l}`));
    lines.push('  },');
  }
  lines.push('});');
  for (const f of fields) lines.push(`${name}.${f} = 0;`);
  return lines;
}

function chunkExpr(rand, objectMode, tag, index) {
  if (objectMode) return `{ n: ${index}, from: "${tag}" }`;
  const text = `${tag}${index}:${'x'.repeat(1 + rand.int(12))}`;
  return rand.chance(0.3) ? `Buffer.from("${text}")` : `"${text}"`;
}

function makeSource(rand, cfg) {
  const count = cfg.count;
  const kind = rand.pick(['read', 'read', 'read', 'from-array', 'from-generator', 'from-async-generator']);
  // 'read-error': _read destroys the stream with an error, or the generator throws.
  const failAt = cfg.trouble === 'read-error' ? 1 + rand.int(count) : 0;
  if (kind !== 'read') {
    const items = Array.from({ length: count }, (_, i) => chunkExpr(rand, cfg.objectMode, 's', i + 1));
    const fromOpts = cfg.objectMode ? '' : ', { objectMode: false }';
    if (kind === 'from-array') return [`const source = Readable.from([${items.join(', ')}]${fromOpts});`];
    const lines = [kind === 'from-generator' ? 'function* produce() {' : 'async function* produce() {'];
    items.forEach((it, i) => {
      if (kind === 'from-async-generator') {
        if (rand.chance(0.5)) lines.push(`  await new Promise((resolve) => setTimeout(resolve, ${rand.int(4)}));`);
        else if (rand.chance(0.3)) lines.push('  await null;');
      }
      if (i + 1 === failAt) lines.push(`  throw new Error("generator failed before item ${failAt}");`);
      lines.push(`  console.log(t(), "generator yields ${i + 1}");`, `  yield ${it};`);
    });
    lines.push('}', `const source = Readable.from(produce()${fromOpts});`);
    return lines;
  }
  const batch = rand.chance(0.3);
  const pushOne = (i) => chunkExpr(rand, cfg.objectMode, 's', i);
  const chunks = Array.from({ length: count }, (_, i) => pushOne(i + 1));
  const produce = [
    'this.reads++;',
    ...(failAt
      ? [`if (this.reads === ${failAt}) { this.destroy(new Error("source failed at read ${failAt}")); return; }`]
      : []),
    batch
      ? `while (this.sent < chunks.length) { const ok = this.push(chunks[this.sent++]); console.log(t(), "source pushed", this.sent, ok, st(this)); if (!ok) return; } this.push(null);`
      : 'if (this.sent < chunks.length) { const ok = this.push(chunks[this.sent++]); console.log(t(), "source pushed", this.sent, ok, st(this)); } else { this.push(null); }',
  ].join(' ');
  const d = defer(rand, produce);
  return [
    `const chunks = [${chunks.join(', ')}];`,
    ...defineStream({
      rand,
      name: 'source',
      base: 'Readable',
      options: { highWaterMark: cfg.hwm(), objectMode: cfg.objectMode || undefined },
      fields: ['reads', 'sent'],
      methods: [
        {
          name: 'read',
          params: 'size',
          async: d.async,
          body: [`console.log(t(), "source _read", size, st(this));`, d.code],
        },
      ],
    }),
  ];
}

function makeTransform(rand, cfg, name) {
  if (rand.chance(0.2)) {
    return [
      `const ${name} = new PassThrough(${cfg.objectMode ? `{ objectMode: true, highWaterMark: ${cfg.hwm() ?? 16} }` : ''});`,
    ];
  }
  const failAt = cfg.trouble === `${name}-error` ? 1 + rand.int(cfg.count) : 0;
  const twice = cfg.trouble === `${name}-twice` ? 1 + rand.int(cfg.count) : 0;
  const shape = rand.int(3); // 0: one out, 1: two out, 2: drop every third
  const out = cfg.objectMode ? `{ ...chunk, ${name}: this.seen }` : `String(chunk).toUpperCase() + "/${name}"`;
  let answer;
  if (shape === 0) answer = `callback(null, ${out});`;
  else if (shape === 1) {
    answer = `this.push(${out}); this.push(${cfg.objectMode ? `{ extra: this.seen }` : `"+${name}"`}); callback();`;
  } else answer = `if (this.seen % 3 === 0) callback(); else callback(null, ${out});`;
  if (failAt)
    answer = `if (this.seen === ${failAt}) callback(new Error("${name} failed at chunk ${failAt}")); else { ${answer} }`;
  if (twice) answer = `${answer} if (this.seen === ${twice}) callback();`;
  const d = defer(rand, answer);
  const methods = [
    {
      name: 'transform',
      params: 'chunk, encoding, callback',
      async: d.async,
      body: [
        'this.seen++;',
        `console.log(t(), "${name} _transform", ${cfg.objectMode ? 'JSON.stringify(chunk)' : 'String(chunk)'}, encoding, st(this));`,
        d.code,
      ],
    },
  ];
  if (rand.chance(0.4)) {
    const f = defer(rand, `callback(null, ${cfg.objectMode ? `{ flushed: "${name}" }` : `"<${name} end>"`});`);
    methods.push({
      name: 'flush',
      params: 'callback',
      async: f.async,
      body: [`console.log(t(), "${name} _flush", st(this));`, f.code],
    });
  }
  const hwm = cfg.hwm();
  return defineStream({
    rand,
    name,
    base: 'Transform',
    options: { highWaterMark: hwm, objectMode: cfg.objectMode || undefined },
    fields: ['seen'],
    methods,
  });
}

function makeSink(rand, cfg) {
  const failAt = cfg.trouble === 'sink-error' ? 1 + rand.int(cfg.count) : 0;
  const twice = cfg.trouble === 'sink-twice' ? 1 + rand.int(cfg.count) : 0;
  let answer = failAt
    ? `if (this.seen === ${failAt}) callback(new Error("sink failed at chunk ${failAt}")); else callback();`
    : 'callback();';
  if (twice) answer = `${answer} if (this.seen === ${twice}) callback();`;
  const d = defer(rand, answer);
  const methods = [
    {
      name: 'write',
      params: 'chunk, encoding, callback',
      async: d.async,
      body: [
        'this.seen++;',
        `console.log(t(), "sink _write", ${cfg.objectMode ? 'JSON.stringify(chunk)' : 'String(chunk)'}, ${cfg.objectMode ? '' : 'chunk.length, '}st(this));`,
        d.code,
      ],
    },
  ];
  if (rand.chance(0.4)) {
    const f = defer(rand, 'callback();');
    methods.push({
      name: 'final',
      params: 'callback',
      async: f.async,
      body: ['console.log(t(), "sink _final", st(this));', f.code],
    });
  }
  if (rand.chance(0.25)) {
    const f = defer(rand, 'callback(err);');
    methods.push({
      name: 'destroy',
      params: 'err, callback',
      async: f.async,
      body: ['console.log(t(), "sink _destroy", err ? err.message : err);', f.code],
    });
  }
  return defineStream({
    rand,
    name: 'sink',
    base: 'Writable',
    options: { highWaterMark: cfg.hwm(), objectMode: cfg.objectMode || undefined },
    fields: ['seen'],
    methods,
  });
}

function listeners(rand, name, readable, writable, cfg) {
  const events = ['close'];
  if (readable) events.push('end', 'pause', 'resume');
  if (writable) events.push('finish', 'drain');
  const lines = [];
  for (const e of events) {
    if (rand.chance(0.75)) lines.push(`${name}.on("${e}", () => console.log(t(), "${name} ${e}", st(${name})));`);
  }
  if (cfg.errorListeners || rand.chance(0.85)) {
    lines.push(
      `${name}.on("error", (err) => console.log(t(), "${name} error", err.code ?? "", err.message, st(${name})));`,
    );
  }
  return lines;
}

export function generate(seed) {
  const rand = prng(seed);
  const objectMode = rand.chance(0.3);
  const join = rand.pick([
    'pipe',
    'pipe',
    'pipeline-callback',
    'pipeline-promise',
    'pipeline-promise',
    'write-loop',
    'for-await',
  ]);
  const transforms = rand.pick([0, 1, 1, 2]);
  const troubles = ['none', 'none', 'none', 'read-error', 'sink-error', 'destroy', 'destroy-error', 'sink-twice'];
  for (let i = 1; i <= transforms; i++) troubles.push(`t${i}-error`, `t${i}-twice`);
  const cfg = {
    objectMode,
    count: 1 + rand.int(8),
    trouble: rand.pick(troubles),
    // pipeline/for await handle errors themselves; elsewhere a missing listener crashes the program.
    errorListeners: join !== 'pipe' && join !== 'write-loop',
    hwm: () => rand.pick(objectMode ? OBJECT_HWMS : HWMS),
  };
  if (join === 'for-await' && cfg.trouble.startsWith('sink')) cfg.trouble = 'none';
  const names = Array.from({ length: transforms }, (_, i) => `t${i + 1}`);
  const sinkUsed = join !== 'for-await';
  const sourceUsed = join !== 'write-loop';

  const mod = rand.chance(0.5) ? 'node:' : '';
  const lines = [
    `// Generated by tests/node/program-generate.mjs, seed ${seed}: ${join}, ${transforms} transform(s), ${objectMode ? 'object mode' : 'bytes'}, trouble: ${cfg.trouble}.`,
    `import { PassThrough, Readable, Transform, Writable, pipeline } from "${mod}stream";`,
    `import { pipeline as pipelinePromise } from "${mod}stream/promises";`,
    `import { once } from "${mod}events";`,
    '',
    'const t = () => performance.now();',
    "// A stream's state in one word: r<buffered><flowing +/-><E ended>, w<buffered><! needs drain><E ended><F finished>, D destroyed.",
    'function st(s) {',
    '  const out = [];',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal of the generated program
    '  if ("readableLength" in s) out.push(`r${s.readableLength}${s.readableFlowing === null ? "" : s.readableFlowing ? "+" : "-"}${s.readableEnded ? "E" : ""}`);',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal of the generated program
    '  if ("writableLength" in s) out.push(`w${s.writableLength}${s.writableNeedDrain ? "!" : ""}${s.writableEnded ? "E" : ""}${s.writableFinished ? "F" : ""}`);',
    '  if (s.destroyed) out.push("D");',
    '  return out.join(" ");',
    '}',
    '',
  ];
  if (sourceUsed) lines.push(...makeSource(rand, cfg), ...listeners(rand, 'source', true, false, cfg), '');
  for (const n of names) lines.push(...makeTransform(rand, cfg, n), ...listeners(rand, n, true, true, cfg), '');
  if (sinkUsed) lines.push(...makeSink(rand, cfg), ...listeners(rand, 'sink', false, true, cfg), '');

  const chain = [...(sourceUsed ? ['source'] : []), ...names, ...(sinkUsed ? ['sink'] : [])];
  if (!objectMode && rand.chance(0.2)) {
    const readables = chain.filter((n) => n !== 'sink');
    if (readables.length) lines.push(`${rand.pick(readables)}.setEncoding("utf8");`);
  }
  if (sourceUsed && join !== 'for-await' && rand.chance(0.25)) {
    lines.push(
      `source.on("data", (chunk) => console.log(t(), "source data", ${objectMode ? 'JSON.stringify(chunk)' : 'String(chunk)'}, st(source)));`,
    );
  }
  if (cfg.trouble === 'destroy' || cfg.trouble === 'destroy-error') {
    const victim = rand.pick(chain);
    const err = cfg.trouble === 'destroy-error' ? `new Error("${victim} destroyed")` : '';
    lines.push(
      `setTimeout(() => { console.log(t(), "destroying ${victim}", st(${victim})); ${victim}.destroy(${err}); console.log(t(), "destroyed ${victim}", st(${victim})); }, ${rand.pick([0, 1, 2, 3, 5, 8, 13])});`,
    );
  }

  lines.push('async function main() {');
  const body = [];
  const piped = (list) => list.reduce((acc, n) => `${acc}.pipe(${n})`);
  if (join === 'pipe') {
    body.push(`${piped(chain)};`, 'console.log(t(), "piped", st(source));');
  } else if (join === 'pipeline-callback') {
    body.push(
      `const last = pipeline(${chain.join(', ')}, (err) => console.log(t(), "pipeline callback", err ? err.message : err));`,
      'console.log(t(), "pipeline returned the last stream", last === sink);',
    );
  } else if (join === 'pipeline-promise') {
    body.push(
      'try {',
      `  const value = await pipelinePromise(${chain.join(', ')});`,
      '  console.log(t(), "pipeline resolved", value);',
      '} catch (err) {',
      '  console.log(t(), "pipeline rejected", err.code ?? "", err.message);',
      '}',
    );
  } else if (join === 'write-loop') {
    const first = chain[0];
    if (chain.length > 1) body.push(`${piped(chain)};`);
    const items = Array.from({ length: cfg.count }, (_, i) => chunkExpr(rand, objectMode, 'w', i + 1));
    body.push(
      `for (const item of [${items.join(', ')}]) {`,
      `  const ok = ${first}.write(item);`,
      `  console.log(t(), "write returned", ok, st(${first}));`,
      '  if (!ok) {',
      `    await once(${first}, "drain");`,
      `    console.log(t(), "drained", st(${first}));`,
      '  }',
      '}',
      `${first}.end();`,
      'await once(sink, "finish");',
      'console.log(t(), "sink finished", st(sink));',
    );
  } else {
    const last = chain[chain.length - 1];
    if (chain.length > 1) body.push(`${piped(chain)};`);
    const stopAt = rand.chance(0.3) ? 1 + rand.int(cfg.count) : 0;
    const wait = rand.chance(0.4) ? ` await new Promise((resolve) => setTimeout(resolve, ${rand.int(4)}));` : '';
    body.push(
      'let n = 0;',
      `for await (const chunk of ${last}) {`,
      `  console.log(t(), "for await got", ${objectMode ? 'JSON.stringify(chunk)' : 'String(chunk)'}, st(${last}));${wait}`,
      ...(stopAt ? [`  if (++n === ${stopAt}) break;`] : []),
      '}',
      `console.log(t(), "loop done", st(${last}));`,
    );
  }
  lines.push(...body.map((l) => `  ${l}`), '}');
  lines.push(
    'main().then(',
    '  () => console.log(t(), "main done"),',
    '  (err) => console.log(t(), "main failed", err.code ?? "", err.message),',
    ');',
  );
  lines.push('console.log(t(), "set up");', '');
  return lines.join('\n');
}

function check(from, count) {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-generated-'));
  const started = Date.now();
  let failed = 0;
  const codes = new Map();
  for (let seed = from; seed < from + count; seed++) {
    const file = join(dir, `gen-${seed}.mjs`);
    writeFileSync(file, generate(seed));
    const t0 = Date.now();
    const a = runNode(file);
    const ms = Date.now() - t0;
    const b = runNode(file);
    codes.set(a.code, (codes.get(a.code) ?? 0) + 1);
    const same = a.stdout === b.stdout && a.stderr === b.stderr && a.code === b.code;
    if (!same || a.code === null || ms > 5000) {
      failed++;
      console.log(`seed ${seed}: ${same ? '' : 'differs between runs; '}exit ${a.code}; ${ms} ms; ${file}`);
    }
  }
  const exits = [...codes].map(([c, n]) => `exit ${c}: ${n}`).join(', ');
  console.log(
    `${count - failed} passed, ${failed} failed (seeds ${from}..${from + count - 1}; ${exits}; ${Date.now() - started} ms)`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--check') check(Number(process.argv[3] ?? 1), Number(process.argv[4] ?? 500));
  else process.stdout.write(generate(Number(process.argv[2] ?? 1)));
}
