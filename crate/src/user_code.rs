//! The user's code, called by the core at the points Node calls it (the code lab).
//!
//! Node calls a program's functions at exact points: a tick, a promise reaction, a timer, and
//! for streams a write's callback, an `end()` callback, a listener, a `finished()` callback, the
//! code after `await pipeline()`. The core keeps each as an id and, at that point, hands it to
//! the run's [`UserCode`] (the code lab's engine, or a test's stand-in).
//!
//! A learner's program keeps its callbacks (timer and immediate callbacks, `process.nextTick`
//! callbacks, promise jobs) in the engine that runs it, not in the core. The core queues them
//! as ids, in the `User` variants of [`Tick`](crate::world::Tick),
//! [`Microtask`](crate::world::Microtask) and [`TimerCb`](crate::world::TimerCb), and calls
//! them back through [`UserCode`] when Node would: the core owns the clock, the queues and
//! their order, the engine only runs the function behind an id. The call passes the world
//! itself down (`&mut World`), so that what the user's function calls back into (a
//! `setTimeout`, later a `stream.write`) works on the same world.

use std::rc::Rc;

use crate::world::World;

/// A function of the program that the streams call (a write or `end()` callback, a listener,
/// an eos callback), by the id its engine gave it. The same JavaScript function has the same id
/// (Node compares write callbacks by identity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserFn(pub u32);

/// Which queue a user callback came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserCall {
    /// `process.nextTick`.
    Tick(u32),
    /// A promise job or `queueMicrotask`.
    Microtask(u32),
    /// A timer (`setTimeout`, `setInterval`) or an immediate (`setImmediate`).
    Macrotask(u32),
    /// A function the streams call, with its argument (an error, a chunk, or nothing).
    Function(UserFn, crate::world::Arg),
    /// A program's `_read(size)` on `stream`; it answers with `World::push_traced`.
    Read { stream: crate::world::StreamId, f: UserFn },
    /// A program's `_write(chunk, encoding, callback)`; the callback is `World::sink_callback`.
    Write { stream: crate::world::StreamId, f: UserFn, chunk: crate::world::Chunk },
    /// A program's `_writev(chunks, callback)` with the stream's `writev_chunks`; the
    /// callback is `World::sink_callback`, as `_write`'s.
    Writev { stream: crate::world::StreamId, f: UserFn },
    /// A program's `_transform(chunk, encoding, callback)`; the callback is
    /// `World::transform_done`.
    Transform { stream: crate::world::StreamId, f: UserFn, chunk: crate::world::Chunk },
    /// A listener of the program's on `stream` (called with the stream as `this`).
    Listener { stream: crate::world::StreamId, f: UserFn, arg: crate::world::Arg },
    /// A program's `_final(callback)`; the callback is `World::final_done`. An exception is
    /// the callback's error, as Node's `callFinal` catches it.
    Final { stream: crate::world::StreamId, f: UserFn },
    /// A program's Transform `_flush(callback)`; the callback is `World::flush_done`.
    Flush { stream: crate::world::StreamId, f: UserFn },
    /// A program's `_destroy(err, callback)`; the callback is `World::on_destroy`.
    Destroy { stream: crate::world::StreamId, f: UserFn, err: Option<crate::world::ErrId> },
}

/// The engine that runs a user's program.
pub trait UserCode: std::fmt::Debug {
    /// Runs the callback behind the id. An exception that escapes it, or a limit it passes,
    /// halts the world (`world.halted`): the core then runs nothing more.
    fn call(&self, world: &mut World, call: UserCall);

    /// `read(n)` took part of a program's chunk: the value of bytes `start..end` of the value
    /// behind `payload`, as a new payload id.
    fn slice(&self, _payload: u32, _start: u64, _end: u64) -> u32 {
        0
    }

    /// `dest.write(chunk)` as pipe calls it, on a stream whose `write` method the program
    /// replaced: what it returned.
    fn write_method(&self, _world: &mut World, _stream: crate::world::StreamId, _chunk: crate::world::Chunk) -> bool {
        true
    }

    /// Between two ticks of a drain: no chunk is in flight, only in the streams' buffers, so
    /// the engine may let go of the values of the others ([`World::live_payloads`]).
    fn between_ticks(&self, _world: &World) {}

    /// `read(n)` joined several chunks into one Buffer: the new payload id.
    fn concat(&self, _parts: &[u32]) -> u32 {
        0
    }

    /// `read()` returned an empty string (setEncoding, Node 20's fromList miscount).
    fn empty_string(&self) -> u32 {
        0
    }
}

pub type UserCodeRef = Rc<dyn UserCode>;

impl World {
    /// Runs a user callback through the engine (nothing happens without one, or once halted).
    #[inline(never)]
    pub fn call_user(&mut self, call: UserCall) {
        if self.is_halted() {
            return;
        }
        if let Some(user) = self.user.clone() {
            user.call(self, call);
        }
    }

    /// Calls one of the program's functions with `arg`, at the moment Node would.
    pub fn call_fn(&mut self, f: UserFn, arg: crate::world::Arg) {
        // A `_writev` call's callback: each of its writes' callbacks, in order.
        if f.0 >= crate::writable::WRITEV_CALLBACKS && f.0 != u32::MAX {
            let i = (f.0 - crate::writable::WRITEV_CALLBACKS) as usize;
            let callbacks = self.writev_callbacks.get(i).cloned().unwrap_or_default();
            for g in callbacks {
                self.call_user(UserCall::Function(g, arg));
            }
            return;
        }
        self.call_user(UserCall::Function(f, arg));
    }

    /// The payload ids of every chunk the streams still hold (their buffers): the engine may
    /// let go of the values of all others. Called between macrotasks, when nothing is in flight.
    pub fn live_payloads(&self, out: &mut std::collections::HashSet<u32>) {
        for st in &self.streams {
            if let Some(r) = &st.r {
                out.extend(r.buffer.iter().map(|c| c.payload).filter(|&p| p != 0));
            }
            if let Some(w) = &st.w {
                out.extend(w.buffered.values().map(|(c, _)| c.payload).filter(|&p| p != 0));
                out.extend(w.writev_chunks.iter().map(|(c, _)| c.payload).filter(|&p| p != 0));
            }
        }
    }

    /// Installs the engine that runs the program's functions.
    pub fn set_user(&mut self, user: UserCodeRef) {
        self.user = Some(user);
    }

    /// `setImmediate`: queues a callback for the next check phase.
    pub fn set_immediate(&mut self, id: u32) {
        self.el.immediates.push_back(crate::world::TimerCb::User(id));
    }

    /// `clearImmediate` of an immediate not yet running.
    pub fn clear_immediate(&mut self, id: u32) {
        self.el.immediates.retain(|c| !matches!(c, crate::world::TimerCb::User(x) if *x == id));
    }

    /// `clearTimeout` / `clearInterval` of a pending user timer.
    pub fn clear_user_timer(&mut self, id: u32) -> bool {
        self.el.clear_timeout(|c| matches!(c, crate::world::TimerCb::User(x) if *x == id))
    }

    /// Runs every queued microtask, new ones included, but no tick: what V8 does right after
    /// an ES module's body, which Node evaluates inside a microtask.
    pub fn run_microtasks(&mut self) {
        while let Some(m) = self.el.microtasks.pop_front() {
            if self.is_halted() {
                self.el.microtasks.clear();
                return;
            }
            self.run_microtask(m);
        }
    }

    /// One turn of Node's event loop for a program: the clock moves, the timers phase runs
    /// every due timer, the check phase runs the immediates queued before it began; ticks and
    /// microtasks drain after each callback. Returns false when nothing is left to run (or
    /// the world halted).
    ///
    /// Virtual time: synchronous code takes no time and each turn takes 1 ms; a turn with no
    /// immediate to run jumps to the next timer. So `setTimeout(f, 0)` set by the main module
    /// runs before `setImmediate(g)`, as it usually does in Node.
    pub fn run_program_turn(&mut self) -> bool {
        if self.is_halted() {
            return false;
        }
        let next = if !self.el.immediates.is_empty() {
            self.now() + 1
        } else if let Some(expiry) = self.el.next_expiry() {
            expiry.max(self.now() + 1)
        } else {
            return false;
        };
        self.el.advance_clock(next);
        while let Some((duration, callback)) = self.el.next_due() {
            self.run_timer(callback);
            self.el.settle_list(duration);
            self.drain_queues();
            if self.is_halted() {
                return false;
            }
        }
        // Immediates set during this phase wait for the next turn. One cleared while this
        // phase runs is no longer in the queue: the engine drops its callback, so it does nothing.
        let batch = std::mem::take(&mut self.el.immediates);
        for callback in batch {
            self.run_timer(callback);
            self.drain_queues();
            if self.is_halted() {
                return false;
            }
        }
        true
    }
}
