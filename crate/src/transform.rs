//! Transform (lib/internal/streams/transform.js): a Duplex whose `_write` runs the user's
//! `_transform` and may hold the write callback until the readable side is read.
//! NODE-STREAMS.md §7. Its `_final` (push(null), then call back) is in writable.rs' prefinish.

use crate::trace::{Ev, Origin};
use crate::world::{Chunk, ErrId, StreamId, World};

#[derive(Clone, Debug, Default)]
pub struct TransformState {
    /// `kCallback`: the held write callback.
    pub held_callback: bool,
    /// readableLength when the current `_transform` started.
    pub length_before: u64,
    /// Transform's `final` runs from its 'prefinish' listener (the program replaced `_final`):
    /// it has no callback to call, and an error destroys the stream.
    pub final_without_callback: bool,
}

impl World {
    /// Transform.prototype._write.
    #[inline(always)]
    pub fn transform_write(&mut self, s: StreamId, chunk: Chunk) {
        let st = &mut self.streams[s];
        let before = st.r.as_ref().expect("a transform has a readable side").length;
        st.transform.as_mut().expect("a transform").length_before = before;
        self.user_transform(s, chunk);
    }

    /// The callback the user's `_transform` calls: `callback(err, val)`.
    #[inline(always)]
    pub fn transform_done(&mut self, s: StreamId, err: Option<ErrId>, val: Option<Chunk>) {
        let wl = self.w(s).length;
        self.record(Ev::Cb, Origin::Stream(s), 0, wl, false);
        if let Some(e) = err {
            self.onwrite(s, Some(e));
            return;
        }
        if let Some(c) = val {
            self.push_traced(s, Some(c));
            if self.is_halted() {
                // an exception left push(): the rest of this callback never runs
                return;
            }
        }
        let st = &mut self.streams[s];
        let (Some(r), Some(w), Some(t)) = (&st.r, &st.w, &mut st.transform) else {
            unreachable!("a transform has both sides")
        };
        if r.ended {
            self.next_tick(crate::world::Tick::TransformCallback(s));
        } else if w.ended || r.length == t.length_before || r.length < r.high_water_mark {
            self.onwrite(s, None);
        } else {
            t.held_callback = true;
        }
    }

    /// Transform's `_final`: the program's `_flush` if it has one, else push(null) and call back.
    pub fn transform_final(&mut self, s: StreamId) {
        let destroyed = self.streams[s].w.as_ref().is_some_and(|w| w.destroyed);
        match self.streams[s].program.and_then(|p| p.flush) {
            Some(f) if !destroyed => self.call_user(crate::user_code::UserCall::Flush { stream: s, f }),
            _ => {
                self.push_traced(s, None);
                self.transform_final_done(s, None);
            }
        }
    }

    /// Transform's 'prefinish' listener: when the program has its own `_final`, Transform's
    /// `final` (the flush and the end) runs here instead, without a callback.
    pub fn transform_prefinish(&mut self, s: StreamId) {
        if self.streams[s].program.and_then(|p| p.final_).is_some() {
            self.streams[s].transform.as_mut().expect("a transform").final_without_callback = true;
            self.transform_final(s);
        }
    }

    /// `_flush`'s callback `(err, data)`: push the data and the end, then `_final`'s callback.
    pub fn flush_done(&mut self, s: StreamId, err: Option<ErrId>, data: Option<Chunk>) {
        if err.is_some() {
            return self.transform_final_done(s, err);
        }
        if let Some(c) = data {
            self.push_traced(s, Some(c));
        }
        self.push_traced(s, None);
        self.transform_final_done(s, None);
    }

    /// The end of Transform's `final(cb)`: `cb(err)`, or without a callback `destroy(err)`.
    fn transform_final_done(&mut self, s: StreamId, err: Option<ErrId>) {
        if self.streams[s].transform.as_ref().is_some_and(|t| t.final_without_callback) {
            if let Some(e) = err {
                self.destroy(s, Some(e));
            }
            return;
        }
        match err {
            Some(e) => self.final_done(s, Some(e)),
            None => self.on_final_done(s),
        }
    }

    /// Transform.prototype._read: release a held write callback.
    pub fn transform_read(&mut self, s: StreamId) {
        let t = self.streams[s].transform.as_mut().expect("a transform");
        if t.held_callback {
            t.held_callback = false;
            self.onwrite(s, None);
        }
    }
}
