//! The scenario's user code, apart from Node's machinery, as it is in the lesson: the
//! source's `_read`, each transform's `_transform` (plain, delayed or throttled) and the
//! sink's `_write` (with its optional failure). NODE-STREAMS.md's "user code". A stream made
//! by a program calls the program's own functions here instead (`Stream::program`).

use crate::event_loop::timeout_duration;
use crate::scenario::{ChunkSpec, Scenario};
use crate::trace::{Ev, Origin};
use crate::user_code::UserCall;
use crate::world::{Chunk, ChunkKind, ErrId, StreamId, TimerCb, World};

#[derive(Clone, Debug)]
pub struct SourceBehaviour {
    pub chunks: u64,
    pub chunk: ChunkSpec,
    pub read_delay_ms: Option<f64>,
    /// How many data chunks `_read` has produced so far.
    pub next: u64,
}

#[derive(Clone, Debug)]
pub struct TransformBehaviour {
    pub delay_ms: Option<f64>,
    pub throttle: Option<f64>,
    /// Throttle bookkeeping: time of the first chunk and the amount passed so far.
    pub started_at: Option<u64>,
    pub passed: u64,
}

#[derive(Clone, Debug)]
pub struct SinkBehaviour {
    pub delay_ms: Option<f64>,
    pub fail_at: Option<u64>,
    pub writes: u64,
}

/// Every stream's user code, by kind; a stream finds its own through `Stream::behaviour`.
#[derive(Clone, Debug)]
pub struct Behaviours {
    pub sources: Vec<SourceBehaviour>,
    pub transforms: Vec<TransformBehaviour>,
    pub sinks: Vec<SinkBehaviour>,
}

impl Behaviours {
    pub fn new(sc: &Scenario) -> Self {
        Behaviours {
            sources: sc
                .source
                .iter()
                .map(|s| SourceBehaviour {
                    chunks: s.chunks,
                    chunk: s.chunk.clone(),
                    read_delay_ms: s.read_delay_ms,
                    next: 0,
                })
                .collect(),
            transforms: sc
                .transforms
                .iter()
                .map(|t| TransformBehaviour {
                    delay_ms: t.delay_ms,
                    throttle: t.throttle_bytes_per_sec,
                    started_at: None,
                    passed: 0,
                })
                .collect(),
            sinks: vec![SinkBehaviour { delay_ms: sc.sink.delay_ms, fail_at: sc.sink.fail_at, writes: 0 }],
        }
    }
}

/// Chunk `i` (0-based) as made from its spec: strings stay strings until a byte stream takes
/// them.
#[inline(always)]
pub fn make_chunk(spec: &ChunkSpec, i: u64) -> Chunk {
    match spec {
        ChunkSpec::Text { .. } => Chunk::new(ChunkKind::Text, spec.bytes_of(i)),
        ChunkSpec::Bytes(n) => Chunk::new(ChunkKind::Buffer, *n),
        ChunkSpec::Object(n) => Chunk::new(ChunkKind::Object, *n),
    }
}

impl World {
    /// The source's `_read()`: push the next chunk (or null) now, or after `readDelayMs`.
    #[inline(always)]
    pub fn source_read(&mut self, s: StreamId) {
        let st = &self.streams[s];
        if let Some(f) = st.program.and_then(|p| p.read) {
            return self.call_user(UserCall::Read { stream: s, f });
        }
        let b = st.behaviour;
        match self.behaviours.sources[b].read_delay_ms {
            None => self.source_push_next_of(s, b),
            Some(d) => self.el.set_timeout(timeout_duration(d), TimerCb::SourcePush(s)),
        }
    }

    #[inline(always)]
    pub fn source_push_next(&mut self, s: StreamId) {
        self.source_push_next_of(s, self.streams[s].behaviour);
    }

    /// [`World::source_push_next`] with the stream's behaviour index at hand.
    #[inline(always)]
    fn source_push_next_of(&mut self, s: StreamId, b: usize) {
        let src = &mut self.behaviours.sources[b];
        if src.next >= src.chunks {
            self.push_traced(s, None);
            return;
        }
        let chunk = make_chunk(&src.chunk, src.next);
        src.next += 1;
        self.push_traced(s, Some(chunk));
        if self.halted.is_none() {
            self.rec.counters.produced += 1;
        }
    }

    /// A transform's `_transform(chunk, enc, callback)`: pass the chunk on, now, after
    /// `delayMs`, or when the throttle allows.
    #[inline(always)]
    pub fn user_transform(&mut self, s: StreamId, chunk: Chunk) {
        let st = &self.streams[s];
        if let Some(f) = st.program.and_then(|p| p.transform) {
            return self.call_user(UserCall::Transform { stream: s, f, chunk });
        }
        let idx = st.behaviour;
        let object_mode = st.w.as_ref().expect("a transform has a writable side").object_mode;
        let now = self.now();
        let b = &mut self.behaviours.transforms[idx];
        if let Some(rate) = b.throttle {
            let start = *b.started_at.get_or_insert(now);
            b.passed += if object_mode { 1 } else { chunk.bytes };
            // As JavaScript computes it: start + 1000 * total / rate.
            let due = start as f64 + 1000.0 * b.passed as f64 / rate;
            let wait = (due - now as f64).max(0.0);
            if due <= now as f64 {
                self.transform_done(s, None, Some(chunk));
            } else {
                self.el.set_timeout(timeout_duration(wait), TimerCb::TransformDone(s, chunk));
            }
            return;
        }
        match b.delay_ms {
            None => self.transform_done(s, None, Some(chunk)),
            Some(d) => self.el.set_timeout(timeout_duration(d), TimerCb::TransformDone(s, chunk)),
        }
    }

    /// The sink's `_write(chunk, enc, cb)`.
    #[inline(always)]
    pub fn sink_write(&mut self, s: StreamId, chunk: Chunk) {
        if let Some(f) = self.streams[s].program.and_then(|p| p.write) {
            return self.call_user(UserCall::Write { stream: s, f, chunk });
        }
        let b = &mut self.behaviours.sinks[self.streams[s].behaviour];
        b.writes += 1;
        let err = if b.fail_at == Some(b.writes) {
            let k = b.writes;
            Some(self.new_error(Some("FAIL_AT"), format!("sink failAt: _write #{k} failed")))
        } else {
            None
        };
        match self.behaviours.sinks[self.streams[s].behaviour].delay_ms {
            None => self.sink_callback(s, err),
            Some(d) => self.el.set_timeout(timeout_duration(d), TimerCb::SinkDone(s, err)),
        }
    }

    /// The sink calls its write callback.
    #[inline(always)]
    pub fn sink_callback(&mut self, s: StreamId, err: Option<ErrId>) {
        let wl = self.w(s).length;
        self.record(Ev::Cb, Origin::Stream(s), 0, wl, false);
        self.onwrite(s, err);
    }
}
