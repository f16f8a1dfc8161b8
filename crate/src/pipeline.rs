//! `pipeline(...streams)` from `node:stream/promises` (lib/internal/streams/pipeline.js):
//! pipes each pair with `{end: false}`, ends each destination itself, watches every stream
//! with eos, destroys them all on the first error, and settles one promise.
//! NODE-STREAMS.md §10.

use crate::eos::EosCallback;
use crate::user_code::UserFn;
use crate::world::{ErrId, Event, Listener, Microtask, PairId, StreamId, Tick, World};

#[derive(Clone, Debug)]
pub struct Pair {
    pub src: StreamId,
    pub dst: StreamId,
    pub ended: bool,
}

#[derive(Clone, Debug)]
pub struct Pipeline {
    pub error: Option<ErrId>,
    pub finish_count: i64,
    /// `destroys`: each stream's destroyer, in stream order, until finishImpl runs them.
    pub destroys: Vec<StreamId>,
    /// The destroyers' `finished` flags, by stream.
    pub finished: Vec<bool>,
    pub pairs: Vec<Pair>,
    /// pipeline's callback has run (it resolves or rejects the promise).
    pub called: bool,
    /// The promise has settled: the `await pipeline(...)` continuation ran.
    pub settled: bool,
    /// The program's code after `await pipeline(...)`, if any (called with the rejection).
    pub on_settle: Option<UserFn>,
}

impl World {
    pub fn pipeline(&mut self, streams: &[StreamId]) {
        self.pipeline = Some(Pipeline {
            error: None,
            finish_count: 0,
            destroys: Vec::new(),
            finished: vec![false; self.streams.len()],
            pairs: Vec::new(),
            called: false,
            settled: false,
            on_settle: None,
        });
        let n = streams.len();
        for (i, &s) in streams.iter().enumerate() {
            let reading = i < n - 1;
            let writing = i > 0;
            // destroyer(stream, reading, writing)
            self.on(s, Event::Close, Listener::DestroyerOnClose(s));
            self.eos(s, reading, writing, EosCallback::Tracker(s));
            self.pl().destroys.push(s);
            self.on(s, Event::Error, Listener::PipelineOnError);
            if i > 0 {
                let src = streams[i - 1];
                self.pl().finish_count += 2;
                let pair = self.pl().pairs.len();
                self.pl().pairs.push(Pair { src, dst: s, ended: false });
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
                self.eos(s, false, true, EosCallback::PipelineFinish);
            }
        }
    }

    fn pl(&mut self) -> &mut Pipeline {
        self.pipeline.as_mut().expect("a pipeline")
    }

    pub fn pipeline_tracker_closed(&mut self, s: StreamId) {
        self.pl().finished[s] = true;
    }

    pub fn pipeline_tracker_eos(&mut self, s: StreamId, err: Option<ErrId>) {
        self.pl().finished[s] = err.is_none();
    }

    /// The late-error catcher on every stream. Node 20 counts it as one of the completions
    /// pipeline waits for (`finish(err)`); Node 22 only records the error
    /// (`finishOnlyHandleError`), so its callback waits for every stream's eos.
    pub fn pipeline_on_error(&mut self, e: ErrId) {
        let code = self.errors[e as usize].code.clone();
        if code.as_deref() != Some("ERR_STREAM_PREMATURE_CLOSE") {
            self.pipeline_finish_late(Some(e));
        }
    }

    /// pipeline's pipe(): the destination closed before the source ended.
    pub fn pipeline_pair_dst_close(&mut self, pair: PairId) {
        if !self.pl().pairs[pair].ended {
            let e = self.premature_close();
            self.pipeline_finish_late(Some(e));
        }
    }

    fn pipeline_finish_late(&mut self, err: Option<ErrId>) {
        if self.node >= 22 {
            self.pipeline_finish_impl(err, false);
        } else {
            self.pipeline_finish(err);
        }
    }

    pub fn pipeline_pair_end_fn(&mut self, pair: PairId) {
        self.pl().pairs[pair].ended = true;
        let dst = self.pl().pairs[pair].dst;
        self.end(dst);
    }

    pub fn pipeline_pair_source_eos(&mut self, pair: PairId, err: Option<ErrId>) {
        let src = self.pl().pairs[pair].src;
        if let Some(e) = err {
            let premature = self.errors[e as usize].code.as_deref() == Some("ERR_STREAM_PREMATURE_CLOSE");
            let r = self.r(src);
            if premature && r.ended && r.errored.is_none() && !r.error_emitted {
                self.once(src, Event::End, Listener::PairFinish(pair));
                self.once(src, Event::Error, Listener::PairFinish(pair));
                return;
            }
        }
        self.pipeline_finish(err);
    }

    /// pipeline's `finish(err)` = `finishImpl(err, --finishCount === 0)`.
    pub fn pipeline_finish(&mut self, err: Option<ErrId>) {
        let pl = self.pl();
        pl.finish_count -= 1;
        let is_final = pl.finish_count == 0;
        self.pipeline_finish_impl(err, is_final);
    }

    fn pipeline_finish_impl(&mut self, err: Option<ErrId>, is_final: bool) {
        let pl = self.pl();
        if let Some(e) = err {
            let keep = match pl.error {
                None => true,
                Some(old) => self.errors[old as usize].code.as_deref() == Some("ERR_STREAM_PREMATURE_CLOSE"),
            };
            if keep {
                self.pl().error = Some(e);
            }
        }
        if self.pl().error.is_none() && !is_final {
            return;
        }
        let error = self.pl().error;
        while !self.pl().destroys.is_empty() {
            let s = self.pl().destroys.remove(0);
            if self.pl().finished[s] {
                continue;
            }
            self.pl().finished[s] = true;
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
            self.next_tick(Tick::PipelineCallback);
        }
    }

    /// pipeline's callback (a tick): resolves or rejects the promise, whose reaction (the code
    /// after `await pipeline(...)`) runs as a microtask.
    pub fn pipeline_callback(&mut self) {
        let pl = self.pl();
        if !pl.called {
            pl.called = true;
            self.queue_microtask(Microtask::PipelineSettle);
        }
    }

    /// The promise's reaction: the pipeline is settled, and the program goes on after its `await`.
    pub fn pipeline_settle(&mut self) {
        let pl = self.pl();
        pl.settled = true;
        let (error, on_settle) = (pl.error, pl.on_settle);
        if let Some(f) = on_settle {
            self.call_fn(f, error.map_or(crate::world::Arg::None, crate::world::Arg::Error));
        }
    }

    /// The pipeline's rejection, if it settled with one.
    pub fn pipeline_error(&self) -> Option<ErrId> {
        self.pipeline.as_ref().filter(|p| p.settled).and_then(|p| p.error)
    }
}
