//! Writable (lib/internal/streams/writable.js, Node 20): write, the write callback
//! (`onwrite`), 'drain', the buffer, end and finish. NODE-STREAMS.md §4.
//!
//! A write's callback is `Option<UserFn>`: `None` is Node's `nop` (every write a scenario
//! makes: pipe's `ondata`, the write loop, `end()`), `Some` a program's function, called
//! through the host where Node calls it (batched per tick when it is the same function).

use std::collections::VecDeque;

use crate::runs::Runs;
use crate::trace::{Ev, Origin};
use crate::user_code::{UserCall, UserFn};
use crate::world::{Arg, Chunk, ChunkKind, ErrId, Event, StreamId, Tick, World};

/// The ids from here on (below `u32::MAX`, the marker of a program's method) are `_writev`
/// callbacks the core made (`World::writev_callbacks`), not the engine's functions.
pub const WRITEV_CALLBACKS: u32 = 0x8000_0000;

#[derive(Clone, Debug)]
pub struct WritableState {
    pub object_mode: bool,
    pub high_water_mark: u64,
    pub length: u64,
    pub writing: bool,
    pub sync: bool,
    pub expect_write_cb: bool,
    pub buffer_processing: bool,
    pub need_drain: bool,
    pub pendingcb: i64,
    /// Writes waiting their turn, each with its callback (as runs of equal writes).
    pub buffered: Runs<(Chunk, Option<UserFn>)>,
    /// `kBuffered`: set by the first buffered write, cleared only when a clearing pass (or
    /// errorBuffer) has taken them all, so it stays set while the last one is being written.
    pub has_buffered: bool,
    /// The callback of the write in progress (`state.writecb`).
    pub writecb: Option<UserFn>,
    /// The queued `afterWriteTick`s' infos, oldest first: a program's callback and how many
    /// synchronous writes it answers. Only the newest can still count more writes, and only
    /// until the oldest runs (`kAfterWriteTickInfo`).
    pub after_write_ticks: VecDeque<(UserFn, u32)>,
    pub after_write_tick_current: bool,
    /// `end(cb)` callbacks waiting for 'finish' (`kOnFinished`).
    pub on_finished: Vec<UserFn>,
    pub writelen: u64,
    pub after_write_pending: bool,
    pub ending: bool,
    pub ended: bool,
    pub final_called: bool,
    pub prefinished: bool,
    pub finished: bool,
    pub errored: Option<ErrId>,
    pub error_emitted: bool,
    pub destroyed: bool,
    pub closed: bool,
    pub close_emitted: bool,
    pub auto_destroy: bool,
    pub emit_close: bool,
    /// `cork()` calls not yet undone by `uncork()`: writes wait in the buffer meanwhile.
    pub corked: u32,
    /// The writes handed to the `_writev` call in progress, with their callbacks.
    pub writev_chunks: Vec<(Chunk, Option<UserFn>)>,
}

impl WritableState {
    pub fn new(object_mode: bool, high_water_mark: u64) -> Self {
        WritableState {
            object_mode,
            high_water_mark,
            length: 0,
            writing: false,
            sync: true,
            expect_write_cb: false,
            buffer_processing: false,
            need_drain: false,
            pendingcb: 0,
            buffered: Runs::default(),
            has_buffered: false,
            writecb: None,
            after_write_ticks: VecDeque::new(),
            after_write_tick_current: false,
            on_finished: Vec::new(),
            writelen: 0,
            after_write_pending: false,
            ending: false,
            ended: false,
            final_called: false,
            prefinished: false,
            finished: false,
            errored: None,
            error_emitted: false,
            destroyed: false,
            closed: false,
            close_emitted: false,
            auto_destroy: true,
            emit_close: true,
            corked: 0,
            writev_chunks: Vec::new(),
        }
    }

    pub fn chunk_len(&self, c: &Chunk) -> u64 {
        if self.object_mode {
            1
        } else {
            c.bytes
        }
    }

    fn need_finish(&self) -> bool {
        self.ending
            && !self.destroyed
            && !self.finished
            && !self.writing
            && !self.error_emitted
            && !self.close_emitted
            && self.errored.is_none()
            && !self.has_buffered
            && self.length == 0
    }

    /// `stream.writable` (a Duplex made with `writable: false` is never writable; not modelled).
    pub fn is_writable(&self) -> bool {
        !self.ending && !self.ended && !self.destroyed && self.errored.is_none()
    }

    /// `writable.writableNeedDrain`.
    pub fn writable_need_drain(&self) -> bool {
        self.need_drain && !self.destroyed && !self.ending
    }
}

impl World {
    /// `writable.write(chunk)`: records the `write` event when it returns. An object written
    /// into a byte stream throws (returned as `Err`), as Node's `write()` does.
    #[inline(always)]
    pub fn write(&mut self, s: StreamId, chunk: Chunk) -> Result<bool, ErrId> {
        self.write_cb(s, chunk, None)
    }

    /// `writable.write(chunk, cb)`.
    #[inline(always)]
    pub fn write_cb(&mut self, s: StreamId, chunk: Chunk, cb: Option<UserFn>) -> Result<bool, ErrId> {
        self.write_checked(s, chunk, cb, true)
    }

    /// `end(chunk)`'s write: Writable.prototype.end calls the module's `_write(stream, chunk)`,
    /// not `write()`, so no `write` event is recorded.
    pub fn write_for_end(&mut self, s: StreamId, chunk: Chunk) -> Result<bool, ErrId> {
        self.write_checked(s, chunk, None, false)
    }

    #[inline(always)]
    fn write_checked(
        &mut self,
        s: StreamId,
        mut chunk: Chunk,
        cb: Option<UserFn>,
        traced: bool,
    ) -> Result<bool, ErrId> {
        if !self.w(s).object_mode {
            match chunk.kind {
                ChunkKind::Object => return Err(self.err_invalid_chunk_type()),
                ChunkKind::Text => chunk.kind = ChunkKind::Buffer,
                ChunkKind::Buffer => {}
            }
        }
        let ret = self.write_inner(s, chunk, cb);
        if !traced {
            return Ok(ret);
        }
        let w = self.w(s);
        let (len, wl) = (w.chunk_len(&chunk), w.length);
        self.record(Ev::Write, Origin::Stream(s), len, wl, ret);
        if !ret && s == self.sink && self.halted.is_none() {
            self.rec.counters.write_false += 1;
        }
        Ok(ret)
    }

    #[inline(always)]
    fn write_inner(&mut self, s: StreamId, chunk: Chunk, cb: Option<UserFn>) -> bool {
        let w = self.wm(s);
        if w.ending || w.destroyed {
            return self.write_refused(s, cb);
        }
        w.pendingcb += 1;
        self.write_or_buffer(s, chunk, cb)
    }

    /// A write after end() or destroy(): its callback gets the error, which then goes to the
    /// stream.
    #[inline(never)]
    fn write_refused(&mut self, s: StreamId, cb: Option<UserFn>) -> bool {
        let e = if self.w(s).ending {
            self.new_error(Some("ERR_STREAM_WRITE_AFTER_END"), "write after end".into())
        } else {
            self.new_error(Some("ERR_STREAM_DESTROYED"), "Cannot call write after a stream was destroyed".into())
        };
        if let Some(f) = cb {
            self.next_tick(Tick::Call(f, Arg::Error(e)));
        }
        self.error_or_destroy_sync(s, e, true);
        false
    }

    #[inline(always)]
    fn write_or_buffer(&mut self, s: StreamId, chunk: Chunk, cb: Option<UserFn>) -> bool {
        let w = self.wm(s);
        let len = w.chunk_len(&chunk);
        w.length += len;
        let wl = w.length;
        // The state changes before `_write` is entered; the recorder's amount right after.
        let now = !(w.writing || w.corked > 0 || w.errored.is_some());
        if now {
            w.writelen = len;
            w.writecb = cb;
            w.writing = true;
            w.sync = true;
            w.expect_write_cb = true;
        } else {
            w.buffered.push_back((chunk, cb));
            w.has_buffered = true;
        }
        self.buffered_grew(s, len);
        if now {
            self.call_write_len(s, chunk, len, wl);
            self.wm(s).sync = false;
        }
        let w = self.wm(s);
        let ret = w.length < w.high_water_mark || w.length == 0;
        if !ret {
            w.need_drain = true;
        }
        ret && !w.destroyed && w.errored.is_none()
    }

    /// Enters `_write()`: the trace's `_write` event, then the stream's implementation.
    #[inline(always)]
    fn call_write(&mut self, s: StreamId, chunk: Chunk) {
        let w = self.w(s);
        let (len, wl) = (w.chunk_len(&chunk), w.length);
        self.call_write_len(s, chunk, len, wl);
    }

    /// [`World::call_write`] with the chunk's length and writableLength at hand.
    #[inline(always)]
    fn call_write_len(&mut self, s: StreamId, chunk: Chunk, len: u64, wl: u64) {
        self.record(Ev::UnderscoreWrite, Origin::Stream(s), len, wl, false);
        if s == self.sink && self.halted.is_none() {
            let c = &mut self.rec.counters;
            c.consumed += 1;
            c.max_writable_length_in_write = c.max_writable_length_in_write.max(wl);
        }
        if self.streams[s].transform.is_some() {
            self.transform_write(s, chunk);
        } else {
            self.sink_write(s, chunk);
        }
    }

    /// The callback handed to `_write()` (`state.onwrite`).
    #[inline(always)]
    pub fn onwrite(&mut self, s: StreamId, er: Option<ErrId>) {
        if self.is_halted() {
            return;
        }
        let w = self.wm(s);
        if !w.expect_write_cb {
            return self.onwrite_twice(s);
        }
        let sync = w.sync;
        let cb = w.writecb.take();
        w.writev_chunks.clear();
        w.writing = false;
        w.expect_write_cb = false;
        let written = w.writelen;
        w.length -= written;
        w.writelen = 0;
        let has_buffered = w.has_buffered;
        self.buffered_shrank(s, written);
        if let Some(e) = er {
            return self.onwrite_failed(s, e, cb, sync);
        }
        if has_buffered {
            self.clear_buffer(s);
        }
        if !sync {
            self.after_write(s, 1, cb);
            return;
        }
        let w = self.wm(s);
        let need_drain = w.need_drain && w.length == 0;
        // Node 20 and 22 test `state[kState] & kDestroyed !== 0`, which by precedence is
        // `state[kState] & true`, i.e. bit 0: kObjectMode. So object mode always takes the tick.
        let destroyed_test = w.object_mode;
        let need_tick = need_drain || destroyed_test || cb.is_some();
        match cb {
            None if !w.after_write_pending && need_tick => {
                w.after_write_pending = true;
                self.next_tick(Tick::AfterWrite(s));
            }
            // The same callback as the pending tick's: count it there instead of a new tick.
            Some(f) if w.after_write_tick_current && w.after_write_ticks.back().is_some_and(|&(g, _)| g == f) => {
                if let Some((_, n)) = self.wm(s).after_write_ticks.back_mut() {
                    *n += 1;
                }
            }
            Some(f) => {
                w.after_write_ticks.push_back((f, 1));
                w.after_write_tick_current = true;
                w.after_write_pending = true;
                self.next_tick(Tick::AfterWriteTick(s));
            }
            None => {
                w.pendingcb -= 1;
                if w.ending {
                    self.finish_maybe(s, true);
                }
            }
        }
    }

    /// The write callback called a second time: ERR_MULTIPLE_CALLBACK.
    #[cold]
    #[inline(never)]
    fn onwrite_twice(&mut self, s: StreamId) {
        let e = self.new_error(Some("ERR_MULTIPLE_CALLBACK"), "Callback called multiple times".into());
        self.error_or_destroy(s, e);
    }

    /// onwrite with an error: both sides errored, then `onwriteError` now or in a tick.
    #[cold]
    #[inline(never)]
    fn onwrite_failed(&mut self, s: StreamId, e: ErrId, cb: Option<UserFn>, sync: bool) {
        let w = self.wm(s);
        if w.errored.is_none() {
            w.errored = Some(e);
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            if r.errored.is_none() {
                r.errored = Some(e);
            }
        }
        if sync {
            self.next_tick(Tick::OnWriteError(s, e, cb));
        } else {
            self.onwrite_error(s, e, cb);
        }
    }

    pub fn onwrite_error(&mut self, s: StreamId, e: ErrId, cb: Option<UserFn>) {
        self.wm(s).pendingcb -= 1;
        if let Some(f) = cb {
            self.call_fn(f, Arg::Error(e));
        }
        self.error_buffer(s);
        // This can emit 'error', which must always follow the callback.
        self.error_or_destroy(s, e);
    }

    /// `afterWriteTick(state.afterWriteTickInfo)`.
    pub fn after_write_tick(&mut self, s: StreamId) {
        let w = self.wm(s);
        w.after_write_tick_current = false;
        let info = w.after_write_ticks.pop_front();
        match info {
            Some((f, count)) => self.after_write(s, count, Some(f)),
            None => self.after_write(s, 1, None),
        }
    }

    pub fn after_write(&mut self, s: StreamId, count: u32, cb: Option<UserFn>) {
        let w = self.wm(s);
        w.after_write_pending = false;
        if w.need_drain && !w.ending && !w.destroyed && w.length == 0 {
            w.need_drain = false;
            self.emit(s, Event::Drain, Arg::None);
        }
        for _ in 0..count {
            self.wm(s).pendingcb -= 1;
            if let Some(f) = cb {
                self.call_fn(f, Arg::Null);
            }
        }
        if self.w(s).destroyed {
            self.error_buffer(s);
        }
        if self.w(s).ending {
            self.finish_maybe(s, true);
        }
    }

    /// errorBuffer: every buffered write's callback gets the error, then every `end()` callback.
    pub fn error_buffer(&mut self, s: StreamId) {
        if self.w(s).writing {
            return;
        }
        if self.w(s).has_buffered {
            while let Some((c, cb)) = self.wm(s).buffered.pop_front() {
                let w = self.wm(s);
                let len = w.chunk_len(&c);
                w.length -= len;
                self.buffered_shrank(s, len);
                if let Some(f) = cb {
                    let e = self.errored_or_destroyed(s, "write");
                    self.call_fn(f, Arg::Error(e));
                }
            }
        }
        if !self.w(s).on_finished.is_empty() {
            let e = self.errored_or_destroyed(s, "end");
            self.call_finished_callbacks(s, Some(e));
        }
        let w = self.wm(s);
        w.buffered.clear();
        w.has_buffered = false;
    }

    /// `state.errored ?? new ERR_STREAM_DESTROYED(method)`.
    fn errored_or_destroyed(&mut self, s: StreamId, method: &str) -> ErrId {
        match self.w(s).errored {
            Some(e) => e,
            None => self
                .new_error(Some("ERR_STREAM_DESTROYED"), format!("Cannot call {method} after a stream was destroyed")),
        }
    }

    fn call_finished_callbacks(&mut self, s: StreamId, err: Option<ErrId>) {
        let callbacks = std::mem::take(&mut self.wm(s).on_finished);
        let arg = err.map_or(Arg::Null, Arg::Error);
        for f in callbacks {
            self.call_fn(f, arg);
        }
    }

    #[inline(never)]
    fn clear_buffer(&mut self, s: StreamId) {
        let w = self.w(s);
        if w.corked > 0 || w.destroyed || w.buffer_processing || !w.has_buffered {
            return;
        }
        let writev = self.streams[s].program.and_then(|p| p.writev);
        if let Some(f) = writev.filter(|_| self.w(s).buffered.len() > 1) {
            self.clear_buffer_writev(s, f);
            return;
        }
        self.wm(s).buffer_processing = true;
        loop {
            let w = self.wm(s);
            let Some((chunk, cb)) = w.buffered.pop_front() else { break };
            let len = w.chunk_len(&chunk);
            // doWrite
            w.writelen = len;
            w.writecb = cb;
            w.writing = true;
            w.sync = true;
            w.expect_write_cb = true;
            if w.destroyed {
                let e = self
                    .new_error(Some("ERR_STREAM_DESTROYED"), "Cannot call write after a stream was destroyed".into());
                self.onwrite(s, Some(e));
            } else {
                self.call_write(s, chunk);
            }
            self.wm(s).sync = false;
            if self.w(s).writing || self.is_halted() {
                break;
            }
        }
        // resetBuffer: only a pass that took every buffered write clears the flag.
        let w = self.wm(s);
        if w.buffered.is_empty() {
            w.has_buffered = false;
        }
        w.buffer_processing = false;
    }

    /// clearBuffer with `_writev`: every buffered write in one call (`doWrite` with the
    /// buffer's whole length), whose callback calls each write's callback in order; none when
    /// they were all Node's `nop` (`state.allNoop`).
    fn clear_buffer_writev(&mut self, s: StreamId, f: UserFn) {
        let w = self.wm(s);
        w.buffer_processing = true;
        let mut chunks = Vec::new();
        let mut callbacks = Vec::new();
        while let Some((chunk, cb)) = w.buffered.pop_front() {
            chunks.push((chunk, cb));
            callbacks.extend(cb);
        }
        w.pendingcb -= chunks.len() as i64 - 1;
        let cb = if callbacks.is_empty() {
            None
        } else {
            self.writev_callbacks.push(callbacks);
            Some(UserFn(WRITEV_CALLBACKS.saturating_add(self.writev_callbacks.len() as u32 - 1).min(u32::MAX - 1)))
        };
        let w = self.wm(s);
        w.writelen = w.length;
        w.writecb = cb;
        w.writing = true;
        w.sync = true;
        w.expect_write_cb = true;
        if w.destroyed {
            let e =
                self.new_error(Some("ERR_STREAM_DESTROYED"), "Cannot call write after a stream was destroyed".into());
            self.onwrite(s, Some(e));
        } else {
            let wl = w.length;
            w.writev_chunks = chunks;
            self.record(Ev::UnderscoreWrite, Origin::Stream(s), wl, wl, false);
            self.call_user(UserCall::Writev { stream: s, f });
        }
        // resetBuffer: the buffer starts again empty (even of writes made inside `_writev`).
        let w = self.wm(s);
        w.sync = false;
        w.buffered.clear();
        w.has_buffered = false;
        w.buffer_processing = false;
    }

    /// `writable.end()` with no chunk and no callback.
    pub fn end(&mut self, s: StreamId) {
        self.end_cb(s, None);
    }

    /// `writable.end(cb)`: the callback gets the error, or is called once 'finish' is emitted.
    pub fn end_cb(&mut self, s: StreamId, cb: Option<UserFn>) {
        if self.is_halted() {
            return;
        }
        // end() undoes every cork().
        if self.w(s).corked > 0 {
            self.wm(s).corked = 1;
            self.uncork(s);
        }
        let w = self.w(s);
        let mut err = None;
        if !w.ending && w.errored.is_none() {
            self.wm(s).ending = true;
            self.finish_maybe(s, true);
            self.wm(s).ended = true;
        } else if w.finished {
            err =
                Some(self.new_error(
                    Some("ERR_STREAM_ALREADY_FINISHED"),
                    "Cannot call end after a stream was finished".into(),
                ));
        } else if w.destroyed {
            err = Some(
                self.new_error(Some("ERR_STREAM_DESTROYED"), "Cannot call end after a stream was destroyed".into()),
            );
        }
        let Some(f) = cb else { return };
        let w = self.w(s);
        if let Some(e) = err.or(w.errored) {
            self.next_tick(Tick::Call(f, Arg::Error(e)));
        } else if w.finished {
            self.next_tick(Tick::Call(f, Arg::None));
        } else {
            self.wm(s).on_finished.push(f);
        }
    }

    #[inline(never)]
    pub fn finish_maybe(&mut self, s: StreamId, sync: bool) {
        if self.is_halted() {
            return;
        }
        if !self.w(s).need_finish() {
            return;
        }
        self.prefinish(s);
        if self.w(s).pendingcb == 0 {
            if sync {
                self.wm(s).pendingcb += 1;
                self.next_tick(Tick::FinishCheck(s));
            } else if self.w(s).need_finish() {
                self.wm(s).pendingcb += 1;
                self.finish(s);
            }
        }
    }

    pub fn finish_check_nt(&mut self, s: StreamId) {
        if self.w(s).need_finish() {
            self.finish(s);
        } else {
            self.wm(s).pendingcb -= 1;
        }
    }

    /// `writable.cork()`.
    pub fn cork(&mut self, s: StreamId) {
        self.wm(s).corked += 1;
    }

    /// `writable.uncork()`: the last one writes what waited.
    pub fn uncork(&mut self, s: StreamId) {
        let w = self.wm(s);
        if w.corked == 0 {
            return;
        }
        w.corked -= 1;
        if w.corked == 0 && !w.writing {
            self.clear_buffer(s);
        }
    }

    fn prefinish(&mut self, s: StreamId) {
        let w = self.w(s);
        if w.prefinished || w.final_called {
            return;
        }
        let program_final = self.streams[s].program.and_then(|p| p.final_);
        if (program_final.is_some() || self.streams[s].transform.is_some()) && !w.destroyed {
            // callFinal: the program's `_final`, or Transform's (flush, push(null), call back).
            let w = self.wm(s);
            w.final_called = true;
            w.sync = true;
            w.pendingcb += 1;
            match program_final {
                Some(f) => self.call_user(crate::user_code::UserCall::Final { stream: s, f }),
                None => self.transform_final(s),
            }
            if let Some(w) = self.streams[s].w.as_mut() {
                w.sync = false;
            }
        } else {
            let w = self.wm(s);
            w.final_called = true;
            w.prefinished = true;
            self.emit(s, Event::Prefinish, Arg::None);
        }
    }

    /// Transform's own `_final` called back (no error).
    pub fn on_final_done(&mut self, s: StreamId) {
        if self.w(s).prefinished {
            let e = self.new_error(Some("ERR_MULTIPLE_CALLBACK"), "Callback called multiple times".into());
            self.error_or_destroy(s, e);
            return;
        }
        self.final_done(s, None);
    }

    /// `_final`'s callback (callFinal's `onFinish`); the engine calls it at most once.
    pub fn final_done(&mut self, s: StreamId, err: Option<ErrId>) {
        if self.is_halted() {
            return;
        }
        self.wm(s).pendingcb -= 1;
        if let Some(e) = err {
            let callbacks = std::mem::take(&mut self.wm(s).on_finished);
            for f in callbacks {
                self.call_fn(f, Arg::Error(e));
            }
            let sync = self.w(s).sync;
            self.error_or_destroy_sync(s, e, sync);
            return;
        }
        if self.w(s).need_finish() {
            self.wm(s).prefinished = true;
            self.emit(s, Event::Prefinish, Arg::None);
            self.wm(s).pendingcb += 1;
            self.next_tick(Tick::Finish(s));
        }
    }

    pub fn finish(&mut self, s: StreamId) {
        let w = self.wm(s);
        w.pendingcb -= 1;
        w.finished = true;
        self.call_finished_callbacks(s, None);
        self.emit(s, Event::Finish, Arg::None);
        if self.w(s).auto_destroy {
            let auto = match &self.streams[s].r {
                None => true,
                Some(r) => r.auto_destroy && r.end_emitted,
            };
            if auto {
                self.destroy(s, None);
            }
        }
    }

    /// The error `write()` throws for an object into a byte stream.
    #[cold]
    #[inline(never)]
    pub fn err_invalid_chunk_type(&mut self) -> ErrId {
        self.new_error(
            Some("ERR_INVALID_ARG_TYPE"),
            "The \"chunk\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received an instance of Object".into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::WritableState;
    use crate::user_code::{UserCall, UserCode, UserFn};
    use crate::world::{Chunk, ChunkKind, Event, Listener, ProgramImpl, Stream, World};

    /// A program whose `_write` keeps its callback (the test calls it), whose `_writev` calls
    /// back at once, and whose other functions log their id.
    #[derive(Debug, Default)]
    struct Program {
        log: RefCell<Vec<String>>,
    }

    impl UserCode for Program {
        fn call(&self, world: &mut World, call: UserCall) {
            let line = match call {
                UserCall::Write { stream, chunk, .. } => format!("_write {} {}", chunk.bytes, world.w(stream).length),
                UserCall::Writev { stream, .. } => {
                    let w = world.w(stream);
                    self.log.borrow_mut().push(format!("_writev {} {}", w.writev_chunks.len(), w.length));
                    world.sink_callback(stream, None);
                    return;
                }
                UserCall::Function(f, _) => format!("cb {}", f.0),
                UserCall::Listener { .. } => "finish".into(),
                _ => return,
            };
            self.log.borrow_mut().push(line);
        }
    }

    // let first; const w = new Writable({ write(c, e, cb) { log('_write', c.length, w.writableLength); first = cb },
    //   writev(chunks, cb) { log('_writev', chunks.length, w.writableLength); cb() } });
    // w.on('finish', …); w.write(Buffer.alloc(1), cb1); w.write(Buffer.alloc(2), cb2); w.write(Buffer.alloc(3));
    // w.end(); log('sync done', w.writableLength); later: first(); log('first returned', w.writableLength)
    // → Node 20: _write 1 1, sync done 6, _writev 2 5, cb 1, first returned 0, cb 2, finish
    #[test]
    fn writes_buffered_while_writing_go_to_one_writev_whose_callback_answers_each_write() {
        let p = Rc::new(Program::default());
        let mut w = World::for_program(p.clone());
        let mut st = Stream::new("w".into(), None, Some(WritableState::new(false, 16384)));
        st.program =
            Some(ProgramImpl { write: Some(UserFn(9_000)), writev: Some(UserFn(9_001)), ..Default::default() });
        w.streams.push(st);
        w.on(0, Event::Finish, Listener::User(UserFn(100)));
        let bytes = |n| Chunk::new(ChunkKind::Buffer, n);
        w.write_cb(0, bytes(1), Some(UserFn(1))).unwrap();
        w.write_cb(0, bytes(2), Some(UserFn(2))).unwrap();
        w.write(0, bytes(3)).unwrap();
        w.end(0);
        p.log.borrow_mut().push(format!("sync done {}", w.w(0).length));
        w.drain_queues();
        w.sink_callback(0, None);
        p.log.borrow_mut().push(format!("first returned {}", w.w(0).length));
        assert!(w.w(0).writev_chunks.is_empty(), "the chunks are let go once _writev called back");
        w.drain_queues();
        let want = ["_write 1 1", "sync done 6", "_writev 2 5", "cb 1", "first returned 0", "cb 2", "finish"];
        assert_eq!(*p.log.borrow(), want);
        assert_eq!(w.w(0).pendingcb, 0);
    }
}
