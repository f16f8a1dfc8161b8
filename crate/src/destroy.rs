//! destroy, errorOrDestroy and the close/error ticks (lib/internal/streams/destroy.js).
//! NODE-STREAMS.md §5.

use crate::world::{Arg, ErrId, Event, StreamId, Tick, World};

impl World {
    fn is_destroyed(&self, s: StreamId) -> bool {
        let st = &self.streams[s];
        st.w.as_ref().is_some_and(|w| w.destroyed) || st.r.as_ref().is_some_and(|r| r.destroyed)
    }

    /// `stream.destroy(err)` with the default `_destroy`.
    pub fn destroy(&mut self, s: StreamId, err: Option<ErrId>) {
        if self.is_halted() {
            return;
        }
        // Writable.prototype.destroy (Duplex's too): fail what is still buffered, in a tick.
        if let Some(w) = &self.streams[s].w {
            if (w.has_buffered || !w.on_finished.is_empty()) && !w.destroyed {
                self.next_tick(Tick::ErrorBuffer(s));
            }
        }
        if self.is_destroyed(s) {
            return;
        }
        self.check_error(s, err);
        if let Some(w) = self.streams[s].w.as_mut() {
            w.destroyed = true;
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            r.destroyed = true;
        }
        // The program's `_destroy(err, cb)`, or the default one, which calls back at once.
        match self.streams[s].program.and_then(|p| p.destroy) {
            Some(f) => self.call_user(crate::user_code::UserCall::Destroy { stream: s, f, err }),
            None => self.on_destroy(s, err),
        }
    }

    /// `_destroy`'s callback (onDestroy): the stream is closed; 'error' and 'close' follow in a
    /// tick. The engine calls it at most once.
    pub fn on_destroy(&mut self, s: StreamId, err: Option<ErrId>) {
        if self.is_halted() {
            return;
        }
        self.check_error(s, err);
        if let Some(w) = self.streams[s].w.as_mut() {
            w.closed = true;
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            r.closed = true;
        }
        match err {
            Some(e) => self.next_tick(Tick::EmitErrorCloseNT(s, e)),
            None => self.next_tick(Tick::EmitCloseNT(s)),
        }
    }

    fn check_error(&mut self, s: StreamId, err: Option<ErrId>) {
        let Some(e) = err else { return };
        if let Some(w) = self.streams[s].w.as_mut() {
            if w.errored.is_none() {
                w.errored = Some(e);
            }
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            if r.errored.is_none() {
                r.errored = Some(e);
            }
        }
    }

    pub fn emit_close_nt(&mut self, s: StreamId) {
        let mut emit_close = false;
        if let Some(w) = self.streams[s].w.as_mut() {
            w.close_emitted = true;
            emit_close |= w.emit_close;
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            r.close_emitted = true;
            emit_close |= r.emit_close;
        }
        if emit_close {
            self.emit(s, Event::Close, Arg::None);
        }
    }

    pub fn emit_error_nt(&mut self, s: StreamId, e: ErrId) {
        let st = &self.streams[s];
        if st.w.as_ref().is_some_and(|w| w.error_emitted) || st.r.as_ref().is_some_and(|r| r.error_emitted) {
            return;
        }
        if let Some(w) = self.streams[s].w.as_mut() {
            w.error_emitted = true;
        }
        if let Some(r) = self.streams[s].r.as_mut() {
            r.error_emitted = true;
        }
        self.emit(s, Event::Error, Arg::Error(e));
    }

    /// errorOrDestroy(stream, err) as Node's internals call it without `sync`.
    #[cold]
    #[inline(never)]
    pub fn error_or_destroy(&mut self, s: StreamId, e: ErrId) {
        self.error_or_destroy_sync(s, e, false);
    }

    /// errorOrDestroy(stream, err, sync): an autoDestroy stream is destroyed with the error;
    /// one without records it and emits 'error' now, or in a tick when `sync`.
    #[cold]
    #[inline(never)]
    pub fn error_or_destroy_sync(&mut self, s: StreamId, e: ErrId, sync: bool) {
        if self.is_destroyed(s) {
            return;
        }
        let st = &self.streams[s];
        let auto_destroy =
            st.r.as_ref().is_some_and(|r| r.auto_destroy) || st.w.as_ref().is_some_and(|w| w.auto_destroy);
        if auto_destroy {
            self.destroy(s, Some(e));
            return;
        }
        self.check_error(s, Some(e));
        if sync {
            self.next_tick(Tick::EmitErrorNT(s, e));
        } else {
            self.emit_error_nt(s, e);
        }
    }
}
