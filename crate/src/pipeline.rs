//! `pipeline(...streams)` from `node:stream/promises` (lib/internal/streams/pipeline.js):
//! pipes each pair with `{end: false}`, ends each destination itself, watches every stream
//! with eos, destroys them all on the first error, and settles one promise.
//! NODE-STREAMS.md §10. A program may run several pipelines (one after another, or at
//! once): each is a [`Pipeline`] in `World::pipelines`, found by its [`PipelineId`].

use crate::eos::EosCallback;
use crate::user_code::UserFn;
use crate::world::{Arg, ErrId, Event, Listener, Microtask, PairId, StreamId, Tick, World};

pub type PipelineId = usize;

#[derive(Clone, Debug)]
pub struct Pair {
    pub pipeline: PipelineId,
    pub src: StreamId,
    pub dst: StreamId,
    pub ended: bool,
}

#[derive(Clone, Debug)]
pub struct Pipeline {
    pub error: Option<ErrId>,
    /// The error the callback gets: `error` when the last completion came, which Node hands to
    /// `process.nextTick(callback, error)` then; an error after that does not change it.
    pub outcome: Option<ErrId>,
    pub finish_count: i64,
    /// `destroys`: each stream's destroyer, in stream order, until finishImpl runs them.
    pub destroys: Vec<StreamId>,
    /// The destroyers' `finished` flags, by stream.
    pub finished: Vec<bool>,
    /// pipeline's callback has run (it resolves or rejects the promise).
    pub called: bool,
    /// The promise has settled: the `await pipeline(...)` continuation ran.
    pub settled: bool,
    /// The program's code after `await pipeline(...)`, if any (called with the rejection).
    pub on_settle: Option<UserFn>,
    /// The program's `pipeline(...streams, callback)`: called in pipeline's callback tick.
    pub callback: Option<UserFn>,
}

impl World {
    /// `pipeline(...streams)` (the promise form: it settles in a reaction after its callback).
    pub fn pipeline(&mut self, streams: &[StreamId]) -> PipelineId {
        self.pipeline_cb(streams, None)
    }

    /// `pipeline(...streams, callback)`: the program's callback runs in the callback tick.
    pub fn pipeline_cb(&mut self, streams: &[StreamId], callback: Option<UserFn>) -> PipelineId {
        let pl = self.pipelines.len();
        self.pipelines.push(Pipeline {
            error: None,
            outcome: None,
            finish_count: 0,
            destroys: Vec::new(),
            finished: vec![false; self.streams.len()],
            called: false,
            settled: false,
            on_settle: None,
            callback,
        });
        let n = streams.len();
        for (i, &s) in streams.iter().enumerate() {
            let reading = i < n - 1;
            let writing = i > 0;
            // destroyer(stream, reading, writing)
            self.on(s, Event::Close, Listener::DestroyerOnClose(pl, s));
            self.eos(s, reading, writing, EosCallback::Tracker(pl, s));
            self.pipelines[pl].destroys.push(s);
            self.on(s, Event::Error, Listener::PipelineOnError(pl));
            if i > 0 {
                let src = streams[i - 1];
                self.pipelines[pl].finish_count += 2;
                let pair = self.pairs.len();
                self.pairs.push(Pair { pipeline: pl, src, dst: s, ended: false });
                self.on(s, Event::Close, Listener::PairDstClose(pair));
                self.pipe(src, s, false);
                let r = self.r(src);
                let src_finished = r.errored.is_none() && (r.end_emitted || (r.ended && r.length == 0));
                if src_finished {
                    self.next_tick(Tick::PairEndFn(pair));
                } else {
                    self.once(src, Event::End, Listener::PairEndFn(pair));
                }
                self.eos(src, true, false, EosCallback::PairSource(pair));
                self.eos(s, false, true, EosCallback::PipelineFinish(pl));
            }
        }
        pl
    }

    pub fn pipeline_tracker_closed(&mut self, pl: PipelineId, s: StreamId) {
        self.pipelines[pl].finished[s] = true;
    }

    pub fn pipeline_tracker_eos(&mut self, pl: PipelineId, s: StreamId, err: Option<ErrId>) {
        self.pipelines[pl].finished[s] = err.is_none();
    }

    /// The late-error catcher on every stream. Node 20 counts it as one of the completions
    /// pipeline waits for (`finish(err)`); Node 22 only records the error
    /// (`finishOnlyHandleError`), so its callback waits for every stream's eos.
    pub fn pipeline_on_error(&mut self, pl: PipelineId, e: ErrId) {
        let code = self.errors[e as usize].code.clone();
        if code.as_deref() != Some("ERR_STREAM_PREMATURE_CLOSE") {
            self.pipeline_finish_late(pl, Some(e));
        }
    }

    /// pipeline's pipe(): the destination closed before the source ended.
    pub fn pipeline_pair_dst_close(&mut self, pair: PairId) {
        if !self.pairs[pair].ended {
            let e = self.premature_close();
            self.pipeline_finish_late(self.pairs[pair].pipeline, Some(e));
        }
    }

    fn pipeline_finish_late(&mut self, pl: PipelineId, err: Option<ErrId>) {
        if self.node >= 22 {
            self.pipeline_finish_impl(pl, err, false);
        } else {
            self.pipeline_finish(pl, err);
        }
    }

    pub fn pipeline_pair_end_fn(&mut self, pair: PairId) {
        self.pairs[pair].ended = true;
        let dst = self.pairs[pair].dst;
        self.end(dst);
    }

    pub fn pipeline_pair_source_eos(&mut self, pair: PairId, err: Option<ErrId>) {
        let (src, pl) = (self.pairs[pair].src, self.pairs[pair].pipeline);
        if let Some(e) = err {
            let premature = self.errors[e as usize].code.as_deref() == Some("ERR_STREAM_PREMATURE_CLOSE");
            let r = self.r(src);
            if premature && r.ended && r.errored.is_none() && !r.error_emitted {
                self.once(src, Event::End, Listener::PairFinish(pair));
                self.once(src, Event::Error, Listener::PairFinish(pair));
                return;
            }
        }
        self.pipeline_finish(pl, err);
    }

    /// pipeline's `finish(err)` = `finishImpl(err, --finishCount === 0)`.
    pub fn pipeline_finish(&mut self, pl: PipelineId, err: Option<ErrId>) {
        let p = &mut self.pipelines[pl];
        p.finish_count -= 1;
        let is_final = p.finish_count == 0;
        self.pipeline_finish_impl(pl, err, is_final);
    }

    fn pipeline_finish_impl(&mut self, pl: PipelineId, err: Option<ErrId>, is_final: bool) {
        if let Some(e) = err {
            let keep = match self.pipelines[pl].error {
                None => true,
                Some(old) => self.errors[old as usize].code.as_deref() == Some("ERR_STREAM_PREMATURE_CLOSE"),
            };
            if keep {
                self.pipelines[pl].error = Some(e);
            }
        }
        if self.pipelines[pl].error.is_none() && !is_final {
            return;
        }
        let error = self.pipelines[pl].error;
        while !self.pipelines[pl].destroys.is_empty() {
            let s = self.pipelines[pl].destroys.remove(0);
            if self.pipelines[pl].finished[s] {
                continue;
            }
            self.pipelines[pl].finished[s] = true;
            let e = match error {
                Some(e) => e,
                None => {
                    self.new_error(Some("ERR_STREAM_DESTROYED"), "Cannot call pipe after a stream was destroyed".into())
                }
            };
            // destroyImpl.destroyer: nothing to do for a stream already destroyed.
            let destroyed = {
                let st = &self.streams[s];
                st.w.as_ref().is_some_and(|w| w.destroyed) || st.r.as_ref().is_some_and(|r| r.destroyed)
            };
            if !destroyed {
                self.destroy(s, Some(e));
            }
        }
        if is_final {
            self.pipelines[pl].outcome = error;
            self.next_tick(Tick::PipelineCallback(pl));
        }
    }

    /// pipeline's callback (a tick): the program's callback, or the promise's resolve or
    /// reject, whose reaction (the code after `await pipeline(...)`) runs as a microtask.
    pub fn pipeline_callback(&mut self, pl: PipelineId) {
        let p = &mut self.pipelines[pl];
        if p.called {
            return;
        }
        p.called = true;
        match p.callback {
            Some(f) => {
                let arg = p.outcome.map_or(Arg::None, Arg::Error);
                self.call_fn(f, arg);
            }
            None => self.queue_microtask(Microtask::PipelineSettle(pl)),
        }
    }

    /// The promise's reaction: the pipeline is settled, and the program goes on after its `await`.
    pub fn pipeline_settle(&mut self, pl: PipelineId) {
        let p = &mut self.pipelines[pl];
        p.settled = true;
        let (error, on_settle) = (p.outcome, p.on_settle);
        if let Some(f) = on_settle {
            self.call_fn(f, error.map_or(Arg::None, Arg::Error));
        }
    }

    /// The (first) pipeline's rejection, if it settled with one: a scenario's result.
    pub fn pipeline_error(&self) -> Option<ErrId> {
        self.pipelines.first().filter(|p| p.settled).and_then(|p| p.outcome)
    }
}
