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
    /// Every stream's buffered amount just after each event, kept with the trace so that a page
    /// can show the state at any event.
    pub buffered_after: BufferedLog,
    pub event_count: u64,
    pub counters: Counters,
    /// Each stream's buffered amount now, their sum, and the streams changed since the last
    /// event: kept as lengths change, so recording an event costs the same at any number of
    /// streams.
    pub buffered: Vec<u64>,
    pub total_buffered: u64,
    pub dirty: Vec<StreamId>,
}

impl Recorder {
    pub fn new(keep_trace: bool) -> Self {
        Recorder {
            keep_trace,
            events: Vec::new(),
            buffered_after: BufferedLog::default(),
            event_count: 0,
            counters: Counters::default(),
            buffered: Vec::new(),
            total_buffered: 0,
            dirty: Vec::new(),
        }
    }

    /// A stream's buffered amount is now `value`.
    pub fn set_buffered(&mut self, s: StreamId, value: u64) {
        if s >= self.buffered.len() {
            self.buffered.resize(s + 1, 0);
        }
        let old = std::mem::replace(&mut self.buffered[s], value);
        self.total_buffered = self.total_buffered - old + value;
        if self.keep_trace && old != value && !self.dirty.contains(&s) {
            self.dirty.push(s);
        }
    }

    /// Logs the streams changed since the last event as this event's changes.
    pub fn log_buffered(&mut self) {
        let i = self.events.len() - 1;
        self.buffered_after.start_event(i, &self.buffered);
        for s in self.dirty.drain(..) {
            self.buffered_after.change(s, self.buffered[s]);
        }
    }
}

/// Every stream's buffered amount after each event, stored as changes: a full row every
/// [`BufferedLog::SNAPSHOT_EVERY`] events, and for the events between only the streams whose
/// amount changed (usually one or two), so its size grows with events, not events × streams.
#[derive(Clone, Debug, Default)]
pub struct BufferedLog {
    /// Full rows (every stream) after events 0, K, 2K, …
    snapshots: Vec<Vec<u64>>,
    /// Where each event's changes start in `changes`.
    starts: Vec<u32>,
    changes: Vec<(u32, u64)>,
}

impl BufferedLog {
    pub const SNAPSHOT_EVERY: usize = 1024;

    fn start_event(&mut self, i: usize, now: &[u64]) {
        self.starts.push(self.changes.len() as u32);
        if i.is_multiple_of(Self::SNAPSHOT_EVERY) {
            // Taken after the event's changes are applied: they are all in `now`.
            self.snapshots.push(now.to_vec());
        }
    }

    fn change(&mut self, s: StreamId, value: u64) {
        self.changes.push((s as u32, value));
    }

    /// Every stream's buffered amount just after event `i` (`streams` of them).
    pub fn after(&self, i: usize, streams: usize) -> Vec<u64> {
        let mut row = vec![0; streams];
        let k = i / Self::SNAPSHOT_EVERY;
        let Some(snapshot) = self.snapshots.get(k) else { return row };
        for (r, v) in row.iter_mut().zip(snapshot) {
            *r = *v;
        }
        let from = k * Self::SNAPSHOT_EVERY + 1;
        for e in from..=i.min(self.starts.len().saturating_sub(1)) {
            let start = self.starts[e] as usize;
            let end = self.starts.get(e + 1).map_or(self.changes.len(), |&x| x as usize);
            for &(s, v) in &self.changes[start..end] {
                if let Some(r) = row.get_mut(s as usize) {
                    *r = v;
                }
            }
        }
        row
    }
}
