//! end-of-stream (`eos`, lib/internal/streams/end-of-stream.js): calls back once when a
//! stream is done for the sides asked about, or failed. pipeline builds on it.
//! NODE-STREAMS.md §9. A stream already closed, errored or done when it is watched gets its
//! callback in a tick, as Node's `eos` gives it.

use crate::world::{EosId, ErrId, Event, Listener, PairId, StreamId, Tick, World};

/// Who gets the callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EosCallback {
    /// pipeline's `destroyer()`: marks the stream finished (`finished = !err`).
    Tracker(crate::pipeline::PipelineId, StreamId),
    /// pipeline's pipe(): the source's eos.
    PairSource(PairId),
    /// pipeline's `finish`.
    PipelineFinish(crate::pipeline::PipelineId),
    /// `stream.finished(s, cb)` with a program's callback.
    User(crate::user_code::UserFn),
}

#[derive(Clone, Debug)]
pub struct Eos {
    pub stream: StreamId,
    pub readable: bool,
    pub writable: bool,
    pub will_emit_close: bool,
    pub readable_finished: bool,
    pub writable_finished: bool,
    pub called: bool,
    pub callback: EosCallback,
}

impl World {
    pub fn eos(&mut self, s: StreamId, readable: bool, writable: bool, callback: EosCallback) -> EosId {
        let st = &self.streams[s];
        let is_readable_stream = st.r.is_some();
        let is_writable_stream = st.w.is_some();
        let (auto_destroy, emit_close, closed) = match (&st.w, &st.r) {
            (Some(w), _) => (w.auto_destroy, w.emit_close, w.closed),
            (None, Some(r)) => (r.auto_destroy, r.emit_close, r.closed),
            (None, None) => (false, false, false),
        };
        let will_emit_close =
            auto_destroy && emit_close && !closed && is_readable_stream == readable && is_writable_stream == writable;
        // isWritableFinished(stream, false) / isReadableFinished(stream, false)
        let writable_finished =
            st.w.as_ref().is_some_and(|w| w.finished || (w.errored.is_none() && w.ended && w.length == 0));
        let readable_finished =
            st.r.as_ref().is_some_and(|r| r.errored.is_none() && (r.end_emitted || (r.ended && r.length == 0)));
        let id = self.eos.len();
        self.eos.push(Eos {
            stream: s,
            readable,
            writable,
            will_emit_close,
            readable_finished,
            writable_finished,
            called: false,
            callback,
        });
        self.on(s, Event::End, Listener::EosOnEnd(id));
        self.on(s, Event::Finish, Listener::EosOnFinish(id));
        self.on(s, Event::Error, Listener::EosOnError(id));
        self.on(s, Event::Close, Listener::EosOnClose(id));

        // A stream that is already done calls back in a tick.
        let st = &self.streams[s];
        let is_closed = st.w.as_ref().is_some_and(|w| w.closed) || st.r.as_ref().is_some_and(|r| r.closed);
        let error_emitted =
            st.w.as_ref().is_some_and(|w| w.error_emitted) || st.r.as_ref().is_some_and(|r| r.error_emitted);
        let destroyed = self.stream_destroyed(s);
        // isReadable / isWritable: null (neither true nor false) for a stream without that side.
        let is_readable = st.r.as_ref().map(|r| !destroyed && r.is_readable());
        let is_writable = st.w.as_ref().map(|w| !destroyed && w.is_writable());
        let pendingcb_zero = st.w.as_ref().is_none_or(|w| w.pendingcb == 0);
        let done_writing = !readable
            && (!will_emit_close || is_readable == Some(true))
            && (writable_finished || is_writable == Some(false))
            && pendingcb_zero;
        let done_reading = !writable
            && (!will_emit_close || is_writable == Some(true))
            && (readable_finished || is_readable == Some(false));
        if is_closed {
            self.next_tick(Tick::EosClose(id));
        } else if error_emitted {
            if !will_emit_close {
                self.next_tick(Tick::EosClosed(id));
            }
        } else if done_writing || done_reading {
            self.next_tick(Tick::EosClosed(id));
        }
        id
    }

    /// eos's `onclosed`: the stream was already closed or errored when watched.
    pub fn eos_onclosed(&mut self, id: EosId) {
        let s = self.eos[id].stream;
        let err = self.stream_errored(s);
        self.eos_callback(id, err);
    }

    fn stream_errored(&self, s: StreamId) -> Option<ErrId> {
        let st = &self.streams[s];
        st.w.as_ref().and_then(|w| w.errored).or_else(|| st.r.as_ref().and_then(|r| r.errored))
    }

    fn stream_destroyed(&self, s: StreamId) -> bool {
        let st = &self.streams[s];
        st.w.as_ref().is_some_and(|w| w.destroyed) || st.r.as_ref().is_some_and(|r| r.destroyed)
    }

    /// `stream.readable` (undefined, so falsy, for a plain Writable).
    fn stream_readable(&self, s: StreamId) -> bool {
        self.streams[s].r.as_ref().is_some_and(|r| r.is_readable())
    }

    /// `stream.writable`.
    fn stream_writable(&self, s: StreamId) -> bool {
        self.streams[s].w.as_ref().is_some_and(|w| !w.destroyed && w.errored.is_none() && !w.ending)
    }

    pub fn eos_onfinish(&mut self, id: EosId) {
        let s = self.eos[id].stream;
        self.eos[id].writable_finished = true;
        if self.stream_destroyed(s) {
            self.eos[id].will_emit_close = false;
        }
        let e = &self.eos[id];
        if e.will_emit_close && (!self.stream_readable(s) || e.readable) {
            return;
        }
        if !e.readable || e.readable_finished {
            self.eos_callback(id, None);
        }
    }

    pub fn eos_onend(&mut self, id: EosId) {
        let s = self.eos[id].stream;
        self.eos[id].readable_finished = true;
        if self.stream_destroyed(s) {
            self.eos[id].will_emit_close = false;
        }
        let e = &self.eos[id];
        if e.will_emit_close && (!self.stream_writable(s) || e.writable) {
            return;
        }
        if !e.writable || e.writable_finished {
            self.eos_callback(id, None);
        }
    }

    pub fn eos_onclose(&mut self, id: EosId) {
        let s = self.eos[id].stream;
        let st = &self.streams[s];
        if let Some(err) = self.stream_errored(s) {
            return self.eos_callback(id, Some(err));
        }
        let e = self.eos[id].clone();
        if let (true, false, Some(r)) = (e.readable, e.readable_finished, st.r.as_ref()) {
            let finished = r.end_emitted || (r.ended && r.length == 0);
            if !finished {
                let err = self.premature_close();
                return self.eos_callback(id, Some(err));
            }
        }
        if e.writable && !e.writable_finished {
            let finished = st.w.as_ref().is_some_and(|w| w.finished || (w.ended && w.length == 0));
            if !finished {
                let err = self.premature_close();
                return self.eos_callback(id, Some(err));
            }
        }
        self.eos_callback(id, None);
    }

    pub fn premature_close(&mut self) -> ErrId {
        self.new_error(Some("ERR_STREAM_PREMATURE_CLOSE"), "Premature close".into())
    }

    /// The eos callback, called at most once.
    pub fn eos_callback(&mut self, id: EosId, err: Option<ErrId>) {
        if self.eos[id].called {
            return;
        }
        self.eos[id].called = true;
        match self.eos[id].callback {
            EosCallback::Tracker(pl, s) => self.pipeline_tracker_eos(pl, s, err),
            EosCallback::PairSource(pair) => self.pipeline_pair_source_eos(pair, err),
            EosCallback::PipelineFinish(pl) => self.pipeline_finish(pl, err),
            EosCallback::User(f) => self.call_fn(f, err.map_or(crate::world::Arg::None, crate::world::Arg::Error)),
        }
    }
}
