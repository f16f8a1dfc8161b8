// Node's `events` module: EventEmitter, once(), on(). Listener order, `once` wrappers,
// 'newListener'/'removeListener' and the unhandled 'error' throw follow lib/events.js.
(h) => {
  const kCapture = Symbol('kCapture');
  const kShapeMode = Symbol('shapeMode');
  function checkListener(listener) {
    if (typeof listener !== 'function') throw h.invalidArgType('listener', 'function', listener);
  }
  class EventEmitter {
    constructor() {
      initEmitter(this);
    }
    setMaxListeners(n) {
      this._maxListeners = n;
      return this;
    }
    getMaxListeners() {
      return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
    }
    emit(type, ...args) {
      const events = this._events;
      if (type === 'error' && (events === undefined || events.error === undefined)) {
        const er = args[0];
        if (er instanceof Error) {
          // Node's report adds where the 'error' event was emitted.
          try {
            Object.defineProperty(er, h.kOrigin, { value: { emitted: h.frames(new Error()) }, configurable: true });
          } catch {}
          throw er;
        }
        const err = h.nodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${h.inspect(er)})`);
        err.context = er;
        throw err;
      }
      if (events === undefined) return false;
      const handler = events[type];
      if (handler === undefined) return false;
      if (typeof handler === 'function') {
        handler.apply(this, args);
      } else {
        for (const listener of handler.slice()) listener.apply(this, args);
      }
      return true;
    }
    addListener(type, listener) {
      return addListener(this, type, listener, false);
    }
    on(type, listener) {
      return addListener(this, type, listener, false);
    }
    prependListener(type, listener) {
      return addListener(this, type, listener, true);
    }
    once(type, listener) {
      checkListener(listener);
      this.on(type, onceWrapper(this, type, listener));
      return this;
    }
    prependOnceListener(type, listener) {
      checkListener(listener);
      this.prependListener(type, onceWrapper(this, type, listener));
      return this;
    }
    removeListener(type, listener) {
      checkListener(listener);
      const events = this._events;
      if (events === undefined) return this;
      const list = events[type];
      if (list === undefined) return this;
      if (list === listener || list.listener === listener) {
        if (--this._eventsCount === 0) this._events = Object.create(null);
        else delete events[type];
        if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
      } else if (typeof list !== 'function') {
        let position = -1;
        for (let i = list.length - 1; i >= 0; i--) {
          if (list[i] === listener || list[i].listener === listener) {
            position = i;
            break;
          }
        }
        if (position < 0) return this;
        const removed = list[position];
        list.splice(position, 1);
        if (list.length === 1) events[type] = list[0];
        if (events.removeListener !== undefined) this.emit('removeListener', type, removed.listener || listener);
      }
      return this;
    }
    off(type, listener) {
      return this.removeListener(type, listener);
    }
    removeAllListeners(...args) {
      const type = args[0];
      const events = this._events;
      if (events === undefined) return this;
      if (events.removeListener === undefined) {
        if (args.length === 0) {
          this._events = Object.create(null);
          this._eventsCount = 0;
        } else if (events[type] !== undefined) {
          if (--this._eventsCount === 0) this._events = Object.create(null);
          else delete events[type];
        }
        return this;
      }
      if (args.length === 0) {
        for (const key of Reflect.ownKeys(events)) {
          if (key === 'removeListener') continue;
          this.removeAllListeners(key);
        }
        this.removeAllListeners('removeListener');
        this._events = Object.create(null);
        this._eventsCount = 0;
        return this;
      }
      const listeners = events[type];
      if (typeof listeners === 'function') this.removeListener(type, listeners);
      else if (listeners !== undefined)
        for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
      return this;
    }
    listeners(type) {
      return this.rawListeners(type).map((l) => l.listener || l);
    }
    rawListeners(type) {
      const list = this._events?.[type];
      if (list === undefined) return [];
      return typeof list === 'function' ? [list] : list.slice();
    }
    listenerCount(type) {
      const list = this._events?.[type];
      if (list === undefined) return 0;
      return typeof list === 'function' ? 1 : list.length;
    }
    eventNames() {
      return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
    }
  }
  function initEmitter(target) {
    if (target._events === undefined || target._events === Object.getPrototypeOf(target)._events) {
      target._events = Object.create(null);
      target._eventsCount = 0;
      target[kShapeMode] = false;
    } else {
      target[kShapeMode] = true;
    }
    target._maxListeners = target._maxListeners || undefined;
    target[kCapture] = false;
  }
  // `EventEmitter.call(this)` in old-style subclasses.
  EventEmitter.init = function init() {
    initEmitter(this);
  };
  EventEmitter.prototype._events = undefined;
  EventEmitter.prototype._eventsCount = 0;
  EventEmitter.prototype._maxListeners = undefined;
  EventEmitter.defaultMaxListeners = 10;
  EventEmitter.errorMonitor = Symbol('events.errorMonitor');
  EventEmitter.captureRejectionSymbol = Symbol.for('nodejs.rejection');

  function addListener(target, type, listener, prepend) {
    checkListener(listener);
    let events = target._events;
    if (events === undefined) {
      events = target._events = Object.create(null);
      target._eventsCount = 0;
    } else if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ? listener.listener : listener);
      events = target._events;
    }
    const existing = events[type];
    if (existing === undefined) {
      events[type] = listener;
      ++target._eventsCount;
    } else if (typeof existing === 'function') {
      events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) {
      existing.unshift(listener);
    } else {
      existing.push(listener);
    }
    return target;
  }
  function onceWrapper(target, type, listener) {
    const state = { fired: false, target, type, listener };
    const wrapped = (...args) => {
      if (!state.fired) {
        state.target.removeListener(state.type, wrapped);
        state.fired = true;
        return state.listener.apply(state.target, args);
      }
    };
    wrapped.listener = listener;
    return wrapped;
  }

  // An async function in Node (lib/events.js), so `await once(...)` takes its extra reactions.
  async function once(emitter, name, options) {
    const signal = options?.signal;
    h.validateAbortSignal(signal, 'options.signal');
    if (signal?.aborted) throw new h.AbortError(undefined, { cause: signal?.reason });
    return new Promise((resolve, reject) => {
      const errorListener = (err) => {
        emitter.removeListener(name, resolver);
        if (signal != null) signal.removeEventListener('abort', abortListener);
        reject(err);
      };
      const resolver = (...args) => {
        if (name !== 'error') emitter.removeListener('error', errorListener);
        if (signal != null) signal.removeEventListener('abort', abortListener);
        resolve(args);
      };
      emitter.once(name, resolver);
      if (name !== 'error') emitter.once('error', errorListener);
      function abortListener() {
        emitter.removeListener(name, resolver);
        emitter.removeListener('error', errorListener);
        reject(new h.AbortError(undefined, { cause: signal?.reason }));
      }
      if (signal != null) signal.addEventListener('abort', abortListener, { once: true });
    });
  }
  function on(emitter, event) {
    const unconsumed = [];
    const waiting = [];
    let error = null;
    let finished = false;
    const handler = (...args) => {
      const w = waiting.shift();
      if (w) w.resolve({ value: args, done: false });
      else unconsumed.push(args);
    };
    const errorHandler = (err) => {
      finished = true;
      const w = waiting.shift();
      if (w) w.reject(err);
      else error = err;
      iterator.return();
    };
    emitter.on(event, handler);
    if (event !== 'error') emitter.on('error', errorHandler);
    const iterator = {
      next() {
        const value = unconsumed.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (error) {
          const p = Promise.reject(error);
          error = null;
          return p;
        }
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return() {
        emitter.removeListener(event, handler);
        emitter.removeListener('error', errorHandler);
        finished = true;
        for (const w of waiting) w.resolve({ value: undefined, done: true });
        waiting.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(err) {
        error = err;
        emitter.removeListener(event, handler);
        emitter.removeListener('error', errorHandler);
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  }
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = once;
  EventEmitter.on = on;
  EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
  return EventEmitter;
};
