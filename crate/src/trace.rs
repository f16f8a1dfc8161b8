//! What a run records: the trace (SCENARIO.md "Trace events") and the summary counters.
//!
//! Events are kept compact (a few machine words each) and turned into JSON only at the edge.
//! With recording off, only the counters move: a run of any length then allocates nothing per
//! chunk.

use crate::world::StreamId;

/// The kind of a trace event, named as in SCENARIO.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ev {
    Read,
    Push,
    Write,
    UnderscoreWrite,
    Cb,
    Drain,
    Pause,
    Resume,
    End,
    Finish,
    Close,
    Error,
    Wait,
    Wake,
}

impl Ev {
    pub fn name(self) -> &'static str {
        match self {
            Ev::Read => "read",
            Ev::Push => "push",
            Ev::Write => "write",
            Ev::UnderscoreWrite => "_write",
            Ev::Cb => "cb",
            Ev::Drain => "drain",
            Ev::Pause => "pause",
            Ev::Resume => "resume",
            Ev::End => "end",
            Ev::Finish => "finish",
            Ev::Close => "close",
            Ev::Error => "error",
            Ev::Wait => "wait",
            Ev::Wake => "wake",
        }
    }
}

/// Where an event happened: a stream, or the write loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Stream(StreamId),
    Loop,
}

/// One trace event. `len`, `ret`, `length` (rl or wl, per kind), `eof` and `code` are read
/// according to `ev`, as the table in SCENARIO.md says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub t: u64,
    pub ev: Ev,
    pub origin: Origin,
    pub len: u64,
    pub length: u64,
    pub ret: bool,
    pub eof: bool,
    /// For `error`: index into the world's error table.
    pub error: u32,
}

/// The summary counters of SCENARIO.md's result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub produced: u64,
    pub read_calls: u64,
    pub consumed: u64,
    pub write_false: u64,
    pub drain_events: u64,
    pub backpressure_pauses: u64,
    pub max_writable_length_in_write: u64,
    pub max_buffered_bytes: u64,
    pub ended_at_ms: u64,
}

/// The trace, if recorded, and the counters.
#[derive(Clone, Debug)]
pub struct Recorder {
    pub keep_trace: bool,
    pub events: Vec<TraceEvent>,
    /// Buffered amount of every stream just after each event (stream-major rows), kept with
    /// the trace so a page can show the state at any event.
    pub buffered_after: Vec<u64>,
    pub event_count: u64,
    pub counters: Counters,
}

impl Recorder {
    pub fn new(keep_trace: bool) -> Self {
        Recorder {
            keep_trace,
            events: Vec::new(),
            buffered_after: Vec::new(),
            event_count: 0,
            counters: Counters::default(),
        }
    }
}
