// Node's globals and built-in modules for a learner's program, on top of the host's natives
// (`host`: the core's timers, ticks and microtasks, output, clock). Runs once, before the program.
// Returns the built-in modules by name, and the inspect function the host uses for errors.
(host) => {
  const g = globalThis;

  // ---- errors with Node's codes -----------------------------------------------------------
  // Node's determineSpecificType, after "Received".
  function describeReceived(value) {
    if (value == null) return ` Received ${value}`;
    if (typeof value === 'function') return ` Received function ${value.name}`;
    if (typeof value === 'object') {
      if (value.constructor && 'name' in value.constructor) {
        return ` Received an instance of ${value.constructor.name}`;
      }
      return ` Received ${inspect(value, { depth: -1 })}`;
    }
    if (typeof value === 'string') {
      const cut = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return ` Received type string (${cut.includes("'") ? JSON.stringify(cut) : `'${cut}'`})`;
    }
    let shown = inspect(value, { colors: false });
    if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
    return ` Received type ${typeof value} (${shown})`;
  }
  // Where an uncaught error came from, for the report's first lines (not enumerable).
  const kOrigin = Symbol('streamlab.origin');
  function nodeError(Base, code, message) {
    const err = new Base(message);
    Object.defineProperty(err, kOrigin, { value: { internal: true } });
    Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
    err.name = `${Base.name} [${code}]`;
    err.stack = `${err.name}: ${message}${frames(err)}`;
    delete err.name;
    return err;
  }
  function invalidArgType(name, expected, value) {
    return nodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type ${expected}.${describeReceived(value)}`,
    );
  }

  // Boa writes "    at f (path:line:col)"; Node's frames look alike. Keeps the frames only.
  function frames(err) {
    const stack = typeof err.stack === 'string' ? err.stack : '';
    // The prelude's own frames (Boa names no file for them) are not the program's.
    const lines = stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l) && !l.includes('unknown at') && !l.endsWith('(native)'));
    return lines.length ? `\n${lines.map((l) => `    ${l.trim()}`).join('\n')}` : '';
  }

  // ---- util.inspect and util.format (Node 20's rules, without colors) ---------------------
  const identifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  function quote(str) {
    let q = "'";
    if (str.includes("'")) {
      if (!str.includes('"')) q = '"';
      else if (!str.includes('`') && !str.includes('${')) q = '`';
    }
    let out = '';
    for (const ch of str) {
      const c = ch.codePointAt(0);
      if (ch === q || ch === '\\') out += `\\${ch}`;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else if (ch === '\v') out += '\\v';
      else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
      else out += ch;
    }
    return q + out + q;
  }
  function formatNumber(n) {
    return Object.is(n, -0) ? '-0' : `${n}`;
  }
  function functionBase(fn) {
    const name = fn.name;
    // A class's `prototype` is read-only; a function's is writable (Boa prints no class source).
    if (Object.getOwnPropertyDescriptor(fn, 'prototype')?.writable === false) {
      let base = `[class ${name || '(anonymous)'}`;
      const sup = Object.getPrototypeOf(fn);
      if (sup && sup !== Function.prototype && sup.name) base += ` extends ${sup.name}`;
      return `${base}]`;
    }
    let type = 'Function';
    const tag = fn[Symbol.toStringTag];
    if (tag === 'AsyncFunction') type = 'AsyncFunction';
    else if (tag === 'GeneratorFunction') type = 'GeneratorFunction';
    else if (tag === 'AsyncGeneratorFunction') type = 'AsyncGeneratorFunction';
    return name ? `[${type}: ${name}]` : `[${type} (anonymous)]`;
  }
  function constructorName(obj) {
    let o = obj;
    while (o !== null && o !== undefined) {
      const d = Object.getOwnPropertyDescriptor(o, 'constructor');
      if (d && typeof d.value === 'function' && d.value.name !== '') return d.value.name;
      o = Object.getPrototypeOf(o);
    }
    return null;
  }
  function errorStack(err, ctx) {
    let stack = typeof err.stack === 'string' && err.stack ? err.stack : Error.prototype.toString.call(err);
    const name = err.name ?? 'Error';
    const message = err.message ?? '';
    // Boa's stack holds frames only; Node's begins with "Name: message".
    if (!/^\S.*/.test(stack.split('\n')[0]) || /^\s+at /.test(stack)) {
      stack = `${message ? `${name}: ${message}` : name}${frames(err)}`;
    }
    // Node's improveStack: name the class when it is not the error's `name`.
    const ctor = constructorName(err);
    const len = String(name).length;
    const after = stack[len];
    if (
      ctor !== null &&
      ctor !== name &&
      String(name).endsWith('Error') &&
      stack.startsWith(name) &&
      (after === undefined || after === ':' || after === '\n')
    ) {
      stack = ctor.includes(name) ? `${ctor}${stack.slice(len)}` : `${ctor} [${name}]${stack.slice(len)}`;
    }
    // Where an unheard 'error' was emitted (Node adds it to the stack, before the properties).
    const note = err[kOrigin]?.stackNote;
    if (note) stack += note;
    if (ctx.indentationLvl !== 0) stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
    return stack;
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let total = output.length + start;
    if (total + output.length > ctx.breakLength) return false;
    for (const entry of output) {
      total += entry.length;
      if (total > ctx.breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let outputLength = output.length;
    if (output.length > 100) outputLength--; // the "... more items" entry
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
            padStart = false;
            break;
          }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const cell = `${output[j]}, `;
          str += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ');
        }
        str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j];
        tmp.push(str);
      }
      if (output.length > 100) tmp.push(output[outputLength]);
      return tmp;
    }
    return output;
  }
  function reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, value) {
    const entries = output.length;
    if (isArray && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  function formatKey(key) {
    if (typeof key === 'symbol') return `[${key.toString()}]`;
    return identifier.test(key) ? key : quote(key);
  }
  const kInspectCustom = Symbol.for('nodejs.util.inspect.custom');
  function formatProperty(ctx, obj, key, recurseTimes) {
    const desc = Object.getOwnPropertyDescriptor(obj, key) ?? { value: obj[key], enumerable: true };
    let str;
    if (desc.value !== undefined || !('get' in desc || 'set' in desc)) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
    } else {
      str = desc.set !== undefined ? '[Setter]' : 'undefined';
    }
    return `${desc.enumerable === false ? `[${String(key)}]` : formatKey(key)}: ${str}`;
  }
  function formatValue(ctx, value, recurseTimes, top) {
    switch (typeof value) {
      case 'string':
        return top ? value : quote(value);
      case 'number':
        return formatNumber(value);
      case 'bigint':
        return `${value}n`;
      case 'boolean':
        return `${value}`;
      case 'undefined':
        return 'undefined';
      case 'symbol':
        return value.toString();
    }
    if (value === null) return 'null';
    // A value's own [util.inspect.custom](depth, options, inspect) (AbortSignal has one).
    const custom = value[kInspectCustom];
    if (typeof custom === 'function' && custom !== inspect && value.constructor?.prototype !== value) {
      const ret = custom.call(value, ctx.depth - recurseTimes, { ...ctx }, inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
    if (ctx.seen.includes(value)) {
      let index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
      return `[Circular *${index}]`;
    }
    return formatRaw(ctx, value, recurseTimes);
  }
  function formatRaw(ctx, value, recurseTimes) {
    const keys = [
      ...Object.keys(value),
      ...Object.getOwnPropertySymbols(value).filter((s) => Object.prototype.propertyIsEnumerable.call(value, s)),
    ];
    const ctor = constructorName(value);
    const proto = Object.getPrototypeOf(value);
    let base = '';
    let braces;
    let entries = null;
    const prefix = (fallback, size) => {
      if (ctor === null) return `[${fallback}${size}: null prototype] `;
      return ctor === fallback ? (size ? `${fallback}${size} ` : '') : `${ctor}${size ? `${size} ` : ' '}`;
    };
    if (Array.isArray(value)) {
      const p = ctor === 'Array' ? '' : prefix('Array', `(${value.length})`);
      braces = [`${p}[`, ']'];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      entries = 'array';
    } else if (value instanceof Buffer) {
      const shown = Array.from(value.subarray(0, 50), (b) => b.toString(16).padStart(2, '0')).join(' ');
      const more = value.length > 50 ? ` ... ${value.length - 50} more byte${value.length - 50 > 1 ? 's' : ''}` : '';
      return `<${ctor ?? 'Buffer'}${shown ? ` ${shown}` : ''}${more}>`;
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      braces = [`${ctor ?? 'TypedArray'}(${value.length}) [`, ']'];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      entries = 'array';
    } else if (typeof value === 'function') {
      base = functionBase(value);
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Error) {
      base = errorStack(value, ctx);
      // Node's removeDuplicateErrorKeys: name, message, stack only when the stack lacks them.
      const own = keys.filter(
        (k) => !((k === 'name' || k === 'message' || k === 'stack') && base.includes(String(value[k]))),
      );
      // An error's cause is shown even though it is not enumerable, as `[cause]`.
      if ('cause' in value && !own.includes('cause')) own.push('cause');
      if (own.length === 0) return base;
      keys.length = 0;
      keys.push(...own);
      braces = ['{', '}'];
    } else if (value instanceof Map) {
      braces = [`${prefix('Map', `(${value.size})`)}{`, '}'];
      if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
      entries = 'map';
    } else if (value instanceof Set) {
      braces = [`${prefix('Set', `(${value.size})`)}{`, '}'];
      if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
      entries = 'set';
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Promise) {
      const [state, result] = host.promiseState(value);
      braces = [ctor === 'Promise' ? 'Promise {' : `${prefix('Promise', '')}{`, '}'];
      entries = state === 'pending' ? ['<pending>'] : null;
      if (state !== 'pending') {
        ctx.indentationLvl += 2;
        const shown = formatValue(ctx, result, recurseTimes + 1);
        ctx.indentationLvl -= 2;
        entries = [state === 'rejected' ? `<rejected> ${shown}` : shown];
      }
    } else {
      const tag = value[Symbol.toStringTag];
      let p;
      if (ctor === null) p = '[Object: null prototype] ';
      else if (ctor === 'Object') p = typeof tag === 'string' && tag ? `Object [${tag}] ` : '';
      else p = typeof tag === 'string' && tag && tag !== ctor ? `${ctor} [${tag}] ` : `${ctor} `;
      braces = [`${p}{`, '}'];
      if (keys.length === 0 && proto !== undefined) return `${p}{}`;
    }
    if (recurseTimes > ctx.depth && ctx.depth !== null) {
      const name = ctor ?? 'Object';
      return Array.isArray(value) ? '[Array]' : `[${name}]`;
    }
    recurseTimes++;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    let output = [];
    if (entries === 'array') {
      const max = Math.min(value.length, 100);
      let holes = 0;
      for (let i = 0; i < max; i++) {
        if (!Object.hasOwn(value, i)) {
          holes++;
          continue;
        }
        if (holes) {
          output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
          holes = 0;
        }
        ctx.indentationLvl += 2;
        output.push(formatValue(ctx, value[i], recurseTimes));
        ctx.indentationLvl -= 2;
      }
      if (holes) output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      if (value.length > max) {
        const more = value.length - max;
        output.push(`... ${more} more item${more > 1 ? 's' : ''}`);
      }
      for (const k of keys)
        if (!(typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k)))
          output.push(formatProperty(ctx, value, k, recurseTimes));
      if (ctx.showHidden) output.push(`[length]: ${value.length}`);
    } else if (entries === 'map') {
      ctx.indentationLvl += 2;
      for (const [k, v] of value)
        output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
      ctx.indentationLvl -= 2;
    } else if (entries === 'set') {
      ctx.indentationLvl += 2;
      for (const v of value) output.push(formatValue(ctx, v, recurseTimes));
      ctx.indentationLvl -= 2;
    } else if (Array.isArray(entries)) {
      output = entries;
    }
    if (entries !== 'array') for (const k of keys) output.push(formatProperty(ctx, value, k, recurseTimes));
    ctx.seen.pop();
    let res = reduceToSingleString(ctx, output, base, braces, entries === 'array', recurseTimes, value);
    const index = ctx.circular.get(value);
    if (index !== undefined) res = `<ref *${index}> ${res}`;
    return res;
  }
  function inspect(value, opts) {
    const ctx = {
      depth: 2,
      breakLength: 80,
      compact: 3,
      showHidden: false,
      indentationLvl: 0,
      currentDepth: 0,
      seen: [],
      circular: new Map(),
      ...(opts ?? {}),
    };
    return formatValue(ctx, value, 0, false);
  }
  function format(...args) {
    const first = args[0];
    let a = 0;
    let str = '';
    let join = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let lastPos = 0;
      let tempStr;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 37) continue; // '%'
        const c = first[i + 1];
        if (a + 1 !== args.length) {
          switch (c) {
            case 's': {
              const arg = args[++a];
              if (typeof arg === 'number') tempStr = formatNumber(arg);
              else if (typeof arg === 'bigint') tempStr = `${arg}n`;
              else if (
                typeof arg !== 'object' ||
                arg === null ||
                (arg.toString !== Object.prototype.toString &&
                  !(arg instanceof Error) &&
                  typeof arg.toString === 'function' &&
                  !Array.isArray(arg))
              )
                tempStr = String(arg);
              else tempStr = inspect(arg, { depth: 0, compact: 3 });
              break;
            }
            case 'j':
              try {
                tempStr = JSON.stringify(args[++a]);
              } catch {
                tempStr = '[Circular]';
              }
              break;
            case 'd': {
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number(n));
              break;
            }
            case 'O':
              tempStr = inspect(args[++a]);
              break;
            case 'o':
              tempStr = inspect(args[++a], { showHidden: true, depth: 4 });
              break;
            case 'i': {
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              // biome-ignore lint/correctness/useParseIntRadix: Node's %i is parseInt without a radix ('0x10' is 16).
              else tempStr = formatNumber(Number.parseInt(n));
              break;
            }
            case 'f': {
              const n = args[++a];
              tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(n));
              break;
            }
            case 'c':
              a++;
              tempStr = '';
              break;
            case '%':
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i) str += first.slice(lastPos, i);
          str += tempStr;
          lastPos = i + 2;
          i++;
        } else if (c === '%') {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
      if (lastPos !== 0) {
        a++;
        join = ' ';
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    while (a < args.length) {
      const value = args[a];
      str += join;
      str += typeof value !== 'string' ? inspect(value) : value;
      join = ' ';
      a++;
    }
    return str;
  }

  // ---- limits the engine lacks -----------------------------------------------------------
  // Boa allows strings of 4 G characters; one `repeat` could take gigabytes before any limit
  // sees it. The methods that make a long string from a short one check the length first.
  const MAX_STRING = host.maxString;
  const guard = (proto, name, length) => {
    const original = proto[name];
    Object.defineProperty(proto, name, {
      value: {
        [name](...args) {
          if (length(this, args) > MAX_STRING) host.stringLimit(MAX_STRING);
          return original.apply(this, args);
        },
      }[name],
      writable: true,
      configurable: true,
    });
  };
  guard(String.prototype, 'repeat', (s, [n]) => String(s).length * Number(n));
  guard(String.prototype, 'padStart', (_, [n]) => Number(n));
  guard(String.prototype, 'padEnd', (_, [n]) => Number(n));

  // ---- console ---------------------------------------------------------------------------
  let groupIndent = '';
  const write = (fd, args) => {
    let text = format(...args);
    if (groupIndent) text = groupIndent + text.replaceAll('\n', `\n${groupIndent}`);
    host.write(fd, `${text}\n`);
  };
  const counts = new Map();
  const console = {
    log: (...a) => write(1, a),
    info: (...a) => write(1, a),
    debug: (...a) => write(1, a),
    warn: (...a) => write(2, a),
    error: (...a) => write(2, a),
    trace: (...a) => write(2, [`Trace: ${format(...a)}`]),
    dir: (v, o) => write(1, [inspect(v, o)]),
    group: (...a) => {
      if (a.length) write(1, a);
      groupIndent += '  ';
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    count: (label = 'default') => {
      const n = (counts.get(`${label}`) ?? 0) + 1;
      counts.set(`${label}`, n);
      write(1, [`${label}: ${n}`]);
    },
    assert: (ok, ...a) => {
      if (!ok) write(2, a.length ? [`Assertion failed: ${format(...a)}`] : ['Assertion failed']);
    },
  };

  // ---- timers ----------------------------------------------------------------------------
  class Timeout {
    constructor(id, repeat) {
      this._id = id;
      this._repeat = repeat;
    }
    ref() {
      return this;
    }
    unref() {
      return this;
    }
    hasRef() {
      return true;
    }
    close() {
      host.clearTimer(this._id);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this._id;
    }
  }
  class Immediate {
    constructor(id) {
      this._id = id;
    }
    ref() {
      return this;
    }
    unref() {
      return this;
    }
    hasRef() {
      return true;
    }
  }
  const checkCallback = (cb) => {
    if (typeof cb !== 'function') throw invalidArgType('callback', 'function', cb);
  };
  function setTimeout(cb, delay, ...args) {
    checkCallback(cb);
    return new Timeout(host.setTimer(cb, Number(delay), false, args), false);
  }
  function setInterval(cb, delay, ...args) {
    checkCallback(cb);
    return new Timeout(host.setTimer(cb, Number(delay), true, args), true);
  }
  function clearTimer(t) {
    if (t instanceof Timeout) host.clearTimer(t._id);
    else if (typeof t === 'number' || typeof t === 'string') host.clearTimer(Number(t));
  }
  function setImmediate(cb, ...args) {
    checkCallback(cb);
    return new Immediate(host.setImmediate(cb, args));
  }
  function clearImmediate(i) {
    if (i instanceof Immediate) host.clearImmediate(i._id);
  }
  function queueMicrotask(cb) {
    checkCallback(cb);
    host.queueMicrotask(cb);
  }
  const timersPromises = {
    setTimeout: (delay, value) => new Promise((resolve) => setTimeout(() => resolve(value), delay)),
    setImmediate: (value) => new Promise((resolve) => setImmediate(() => resolve(value))),
    setInterval: async function* (delay, value) {
      const waiting = [];
      let fired = 0;
      const t = setInterval(() => {
        fired++;
        const w = waiting.shift();
        if (w) {
          fired--;
          w(value);
        }
      }, delay);
      try {
        for (;;) {
          if (fired > 0) {
            fired--;
            yield value;
          } else {
            yield await new Promise((r) => waiting.push(r));
          }
        }
      } finally {
        clearTimer(t);
      }
    },
    scheduler: {
      wait: (delay) => new Promise((resolve) => setTimeout(resolve, delay)),
      yield: () => new Promise((resolve) => setImmediate(resolve)),
    },
  };

  // ---- process, performance ----------------------------------------------------------------
  // The same model as the large-file challenge's (www/challenges/large-file.js): 30 MiB.
  const MEMORY_BASELINE = 30 * 1024 * 1024;
  const process = {
    nextTick(cb, ...args) {
      checkCallback(cb);
      host.nextTick(cb, args);
    },
    env: {},
    argv: ['node', host.filename],
    platform: 'linux',
    version: `v${host.nodeVersion}`,
    versions: { node: host.nodeVersion },
    exitCode: undefined,
    exit(code) {
      host.exit(code === undefined ? (process.exitCode ?? 0) : Number(code));
    },
    hrtime: Object.assign(
      (prev) => {
        const ns = host.now() * 1e6;
        const t = [Math.floor(ns / 1e9), ns % 1e9];
        if (!prev) return t;
        let s = t[0] - prev[0];
        let n = t[1] - prev[1];
        if (n < 0) {
          s--;
          n += 1e9;
        }
        return [s, n];
      },
      { bigint: () => BigInt(host.now()) * 1000000n },
    ),
    // A model, not a measurement: a fixed baseline plus every byte buffered in every stream.
    memoryUsage: () => {
      const buffered = host.streamGet(0, 'totalBuffered');
      return {
        rss: MEMORY_BASELINE + buffered,
        heapTotal: MEMORY_BASELINE / 2 + buffered,
        heapUsed: MEMORY_BASELINE / 4 + buffered,
        external: buffered,
        arrayBuffers: buffered,
      };
    },
    cwd: () => '/',
    on: () => process,
    once: () => process,
  };
  const performance = { now: () => host.now(), timeOrigin: host.epoch };

  // Node's AbortError (lib/internal/errors.js): what an abort rejects or destroys with.
  class AbortError extends Error {
    constructor(message = 'The operation was aborted', options = undefined) {
      super(message, options);
      this.code = 'ABORT_ERR';
      this.name = 'AbortError';
    }
  }
  // validators.validateAbortSignal
  function validateAbortSignal(signal, name) {
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      const type = name.includes('.') ? 'property' : 'argument';
      throw nodeError(
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        `The "${name}" ${type} must be an instance of AbortSignal.${describeReceived(signal)}`,
      );
    }
  }

  // ---- events ----------------------------------------------------------------------------
  const events = host.eventsModule({
    nodeError,
    invalidArgType,
    inspect,
    queueMicrotask,
    kOrigin,
    frames,
    AbortError,
    validateAbortSignal,
  });

  // The parts of Node's uncaught-exception report that depend on where the error came from:
  // [header instead of the program's line, or null; lines after the error].
  function reportParts(err) {
    const origin = err !== null && (typeof err === 'object' || typeof err === 'function') ? err[kOrigin] : undefined;
    if (origin?.internal === 'events') {
      // The line of events.js that throws it: 502 in Node 20, 497 in Node 22.
      const line = host.nodeVersion.startsWith('22.') ? 497 : 502;
      return [`node:events:${line}\n      throw er; // Unhandled 'error' event\n      ^\n`, origin.trailer ?? ''];
    }
    if (origin?.internal) return ['node:internal/errors:541\n      throw error;\n      ^\n', ''];
    if (origin?.emitted !== undefined) {
      const on = origin.on && origin.on !== 'EventEmitter' ? ` on ${origin.on} instance` : '';
      return [null, `\nEmitted 'error' event${on} at:${origin.emitted}`];
    }
    return [null, ''];
  }

  // ---- AbortController, AbortSignal (lib/internal/abort_controller.js) --------------------
  // The DOM's pieces Node has as globals, as far as an AbortSignal needs them.
  const DOM_CODES = { AbortError: 20, TimeoutError: 23 };
  class DOMException extends Error {
    constructor(message = '', options = 'Error') {
      super(message);
      const name = typeof options === 'object' && options !== null ? (options.name ?? 'Error') : String(options);
      Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
      if (typeof options === 'object' && options !== null && 'cause' in options) {
        Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
      }
    }
    get code() {
      return DOM_CODES[this.name] ?? 0;
    }
  }
  class Event {
    constructor(type) {
      this.type = String(type);
      this.target = null;
      this.currentTarget = null;
      this.timeStamp = host.now();
    }
  }
  const kListeners = Symbol('streamlab.listeners');
  class EventTarget {
    addEventListener(type, listener, options) {
      if (listener == null) return;
      this[kListeners] ??= new Map();
      const list = this[kListeners].get(type) ?? [];
      if (list.some((l) => l.listener === listener)) return;
      list.push({ listener, once: typeof options === 'object' && !!options?.once });
      this[kListeners].set(type, list);
    }
    removeEventListener(type, listener) {
      const list = this[kListeners]?.get(type);
      if (!list) return;
      const i = list.findIndex((l) => l.listener === listener);
      if (i >= 0) list.splice(i, 1);
    }
    dispatchEvent(event) {
      event.target = this;
      event.currentTarget = this;
      const list = [...(this[kListeners]?.get(event.type) ?? [])];
      for (const l of list) {
        if (l.once) this.removeEventListener(event.type, l.listener);
        // A throwing listener is reported as uncaught, after the others have run (Node).
        try {
          if (typeof l.listener === 'function') l.listener.call(this, event);
          else l.listener.handleEvent(event);
        } catch (err) {
          process.nextTick(() => {
            throw err;
          });
        }
      }
      return true;
    }
  }
  const kAborted = Symbol('streamlab.aborted');
  const kReason = Symbol('streamlab.reason');
  const kOnabort = Symbol('streamlab.onabort');
  // The signal's state, kept off its enumerable properties (inspect shows `{ aborted }`).
  function setAborted(signal, aborted, reason) {
    Object.defineProperty(signal, kAborted, { value: aborted, writable: true, configurable: true });
    Object.defineProperty(signal, kReason, { value: reason, writable: true, configurable: true });
  }
  function abortSignal(signal, reason) {
    if (signal[kAborted]) return;
    setAborted(signal, true, reason);
    signal.dispatchEvent(new Event('abort'));
  }
  class AbortSignal extends EventTarget {
    constructor(key) {
      if (key !== kAborted) throw new TypeError('Illegal constructor');
      super();
      setAborted(this, false, undefined);
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return `AbortSignal { aborted: ${this.aborted} }`;
    }
    // An event handler attribute: one listener, in the place of the first assignment.
    get onabort() {
      return this[kOnabort]?.handler ?? null;
    }
    set onabort(f) {
      if (!this[kOnabort]) {
        const wrapper = (event) => wrapper.handler?.call(this, event);
        this[kOnabort] = wrapper;
        this.addEventListener('abort', wrapper);
      }
      this[kOnabort].handler = typeof f === 'function' ? f : null;
    }
    get aborted() {
      return this[kAborted];
    }
    get reason() {
      return this[kReason];
    }
    throwIfAborted() {
      if (this[kAborted]) throw this[kReason];
    }
    static abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
      const signal = new AbortSignal(kAborted);
      setAborted(signal, true, reason);
      return signal;
    }
    // A signal that aborts with the first of `signals` to abort, and its reason.
    static any(signals) {
      if (!Array.isArray(signals)) {
        throw nodeError(
          TypeError,
          'ERR_INVALID_ARG_TYPE',
          `The "signals" argument must be an instance of Array.${describeReceived(signals)}`,
        );
      }
      signals.forEach((s, i) => {
        if (!(s instanceof AbortSignal)) {
          throw nodeError(
            TypeError,
            'ERR_INVALID_ARG_TYPE',
            `The "signals[${i}]" argument must be an instance of AbortSignal.${describeReceived(s)}`,
          );
        }
      });
      const signal = new AbortSignal(kAborted);
      const first = signals.find((s) => s.aborted);
      if (first) {
        setAborted(signal, true, first.reason);
        return signal;
      }
      for (const s of signals) s.addEventListener('abort', () => abortSignal(signal, s.reason), { once: true });
      return signal;
    }
    // Node's timer here is unref'd: it does not keep the program alive.
    static timeout(delay) {
      const signal = new AbortSignal(kAborted);
      const t = setTimeout(
        () => abortSignal(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
        delay,
      );
      t.unref?.();
      return signal;
    }
    get [Symbol.toStringTag]() {
      return 'AbortSignal';
    }
  }
  class AbortController {
    #signal = new AbortSignal(kAborted);
    get signal() {
      return this.#signal;
    }
    abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
      abortSignal(this.#signal, reason);
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return `AbortController { signal: AbortSignal { aborted: ${this.#signal.aborted} } }`;
    }
    get [Symbol.toStringTag]() {
      return 'AbortController';
    }
  }

  const buffer = host.bufferModule({ nodeError, invalidArgType, host });
  const { Buffer, TextEncoder, TextDecoder } = buffer;
  delete buffer.TextEncoder;
  delete buffer.TextDecoder;
  const streamKit = host.streamModule({
    host,
    EventEmitter: events,
    Buffer,
    nodeError,
    invalidArgType,
    inspect,
    kOrigin,
    describeReceived,
    AbortError,
    validateAbortSignal,
  });
  for (const [name, fd] of [
    ['stdout', 1],
    ['stderr', 2],
  ]) {
    let made;
    Object.defineProperty(process, name, {
      get: () => {
        made ??= streamKit.stdio(fd);
        return made;
      },
      enumerable: true,
      configurable: true,
    });
  }

  // The structured clone algorithm for plain data (what a lesson clones: objects, arrays,
  // Map, Set, Date, RegExp, typed arrays, errors); functions and symbols throw as in Node.
  function structuredClone(value) {
    const seen = new Map();
    const clone = (v) => {
      if (typeof v === 'function' || typeof v === 'symbol') {
        const err = new Error(`${typeof v === 'function' ? String(v) : v.toString()} could not be cloned.`);
        err.name = 'DataCloneError';
        throw err;
      }
      if (v === null || typeof v !== 'object') return v;
      if (seen.has(v)) return seen.get(v);
      let out;
      if (Array.isArray(v)) out = [];
      else if (v instanceof Map) out = new Map();
      else if (v instanceof Set) out = new Set();
      else if (v instanceof Date) return new Date(v.getTime());
      else if (v instanceof RegExp) return new RegExp(v.source, v.flags);
      else if (ArrayBuffer.isView(v)) return new Uint8Array(v).slice();
      else if (v instanceof Error) out = new Error(v.message);
      else out = {};
      seen.set(v, out);
      if (v instanceof Map) for (const [k, x] of v) out.set(clone(k), clone(x));
      else if (v instanceof Set) for (const x of v) out.add(clone(x));
      else for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    };
    return clone(value);
  }

  const util = {
    TextEncoder,
    TextDecoder,
    inspect,
    format,
    promisify:
      (fn) =>
      (...a) =>
        new Promise((res, rej) => fn(...a, (e, v) => (e ? rej(e) : res(v)))),
  };
  inspect.custom = Symbol.for('nodejs.util.inspect.custom');

  const timers = {
    setTimeout,
    setInterval,
    setImmediate,
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate,
    promises: timersPromises,
  };
  const globals = {
    console,
    process,
    performance,
    setTimeout,
    setInterval,
    setImmediate,
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate,
    queueMicrotask,
    Buffer,
    TextEncoder,
    TextDecoder,
    structuredClone,
    AbortController,
    AbortSignal,
    DOMException,
    Event,
    EventTarget,
  };
  Object.defineProperty(g, Symbol.for('streamlab.require'), { value: host.require });
  Object.defineProperty(g, 'require', { value: host.require, writable: true, configurable: true });
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  }
  return {
    modules: {
      events,
      timers,
      'timers/promises': timersPromises,
      util,
      process,
      console,
      perf_hooks: { performance },
      buffer,
      stream: streamKit.stream,
      'stream/promises': streamKit.promises,
    },
    inspect,
    reportParts,
    streamDispatch: streamKit.dispatch,
    makeError: (code, message) => (code === undefined ? new Error(message) : nodeError(Error, code, message)),
  };
};
