//! end-of-stream (`eos`, lib/internal/streams/end-of-stream.js): calls back once when a
//! stream is done for the sides asked about, or failed. pipeline builds on it.
//! NODE-STREAMS.md §9. Only streams fresh at set-up are watched, so the "already done"
//! ticks of Node's `eos` never apply here.

use crate::world::{EosId, ErrId, Event, Listener, PairId, StreamId, World};

/// Who gets the callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EosCallback {
    /// pipeline's `destroyer()`: marks the stream finished (`finished = !err`).
    Tracker(StreamId),
    /// pipeline's pipe(): the source's eos.
    PairSource(PairId),
    /// pipeline's `finish`.
    PipelineFinish,
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
        let id = self.eos.len();
        self.eos.push(Eos {
            stream: s,
            readable,
            writable,
            will_emit_close,
            readable_finished: false,
            writable_finished: false,
            called: false,
            callback,
        });
        self.on(s, Event::End, Listener::EosOnEnd(id));
        self.on(s, Event::Finish, Listener::EosOnFinish(id));
        self.on(s, Event::Error, Listener::EosOnError(id));
        self.on(s, Event::Close, Listener::EosOnClose(id));
        id
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
        let errored = st.w.as_ref().and_then(|w| w.errored).or_else(|| st.r.as_ref().and_then(|r| r.errored));
        if let Some(err) = errored {
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
            EosCallback::Tracker(s) => self.pipeline_tracker_eos(s, err),
            EosCallback::PairSource(pair) => self.pipeline_pair_source_eos(pair, err),
            EosCallback::PipelineFinish => self.pipeline_finish(err),
        }
    }
}
