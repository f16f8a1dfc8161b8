//! What a run records: the trace (SCENARIO.md "Trace events") and the summary counters.
//!
//! The trace is kept as packed columns ([`Trace`]: about 20 bytes an event at any number of
//! streams), read by the page as typed arrays over wasm memory and turned into JSON only at the
//! edge (result.rs). With recording off, only the counters move: a run of any length then
//! allocates nothing per chunk.

use crate::world::StreamId;

/// The kind of a trace event, named as in SCENARIO.md. Its number (`ev as u8`) is the trace's
/// kind column; [`Ev::ALL`] lists them in that order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
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
    pub const ALL: [Ev; 14] = [
        Ev::Read,
        Ev::Push,
        Ev::Write,
        Ev::UnderscoreWrite,
        Ev::Cb,
        Ev::Drain,
        Ev::Pause,
        Ev::Resume,
        Ev::End,
        Ev::Finish,
        Ev::Close,
        Ev::Error,
        Ev::Wait,
        Ev::Wake,
    ];

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

/// One trace event, as recorded and as read back from the columns. `len`, `ret`, `length` (rl
/// or wl, per kind), `eof` and `code` are read according to `ev`, as the table in SCENARIO.md
/// says.
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
    pub events: Trace,
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
            events: Trace::default(),
            buffered_after: BufferedLog::default(),
            event_count: 0,
            counters: Counters::default(),
            buffered: Vec::new(),
            total_buffered: 0,
            dirty: Vec::new(),
        }
    }

    /// A stream's buffered amount grew (`grew`) or shrank by `by`.
    #[inline(always)]
    pub fn change_buffered(&mut self, s: StreamId, by: u64, grew: bool) {
        let Some(slot) = self.buffered.get_mut(s) else { return self.change_buffered_new(s, by, grew) };
        if grew {
            *slot += by;
            self.total_buffered += by;
        } else {
            *slot -= by;
            self.total_buffered -= by;
        }
        if self.keep_trace && by != 0 {
            self.mark_dirty(s);
        }
    }

    /// The first change of a stream not seen yet (its amount was 0).
    #[cold]
    #[inline(never)]
    fn change_buffered_new(&mut self, s: StreamId, by: u64, grew: bool) {
        self.buffered.resize(s + 1, 0);
        self.change_buffered(s, by, grew);
    }

    /// The trace logs `s` among this event's changes.
    #[inline(never)]
    fn mark_dirty(&mut self, s: StreamId) {
        if !self.dirty.contains(&s) {
            self.dirty.push(s);
        }
    }

    /// Logs the streams changed since the last event as this event's changes.
    #[inline]
    pub fn log_buffered(&mut self) {
        let i = self.events.len() - 1;
        self.buffered_after.log(i, &self.buffered, &mut self.dirty);
    }
}

/// A column of unsigned integers stored in 4 bytes each: the few values of 2^32 - 1 or more
/// (a writableLength past 4 GiB) sit in a side list, found by the event's index.
#[derive(Clone, Debug, Default)]
pub struct Column {
    pub narrow: Vec<u32>,
    /// Indices whose narrow value is [`Column::WIDE`], in order, and their values.
    pub wide_at: Vec<u32>,
    pub wide: Vec<u64>,
}

impl Column {
    /// The narrow value that says "see the side list".
    pub const WIDE: u32 = u32::MAX;

    #[inline]
    pub fn push(&mut self, value: u64) {
        if value < Self::WIDE as u64 {
            self.narrow.push(value as u32);
        } else {
            self.push_wide(value);
        }
    }

    #[cold]
    fn push_wide(&mut self, value: u64) {
        self.wide_at.push(self.narrow.len() as u32);
        self.wide.push(value);
        self.narrow.push(Self::WIDE);
    }

    #[inline]
    pub fn get(&self, i: usize) -> u64 {
        match self.narrow[i] {
            Self::WIDE => self.wide_at.binary_search(&(i as u32)).map_or(0, |k| self.wide[k]),
            v => v as u64,
        }
    }

    pub fn len(&self) -> usize {
        self.narrow.len()
    }

    fn reserve(&mut self, n: usize) {
        self.narrow.reserve_exact(n);
    }

    pub fn is_empty(&self) -> bool {
        self.narrow.is_empty()
    }

    fn heap_bytes(&self) -> usize {
        self.narrow.capacity() * 4 + self.wide_at.capacity() * 4 + self.wide.capacity() * 8
    }

    fn used_bytes(&self) -> usize {
        self.narrow.len() * 4 + self.wide_at.len() * 4 + self.wide.len() * 8
    }
}

/// The trace as columns, one entry per event (SCENARIO.md "Trace events"): what a page reads as
/// typed arrays, and what the JSON result is written from.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// `Ev as u8`.
    pub kind: Vec<u8>,
    /// [`Trace::RET`] | [`Trace::EOF`].
    pub flags: Vec<u8>,
    /// The stream's index, or [`Trace::LOOP`].
    pub stream: Vec<u32>,
    /// The chunk's length; for `error`, the index into the world's error table.
    pub len: Column,
    /// readableLength or writableLength, per kind.
    pub length: Column,
    /// Virtual time as runs: from event `time_from[k]` on, the time is `time_at[k]` (many
    /// events share a millisecond).
    pub time_from: Vec<u32>,
    pub time_at: Vec<u64>,
}

impl Trace {
    pub const RET: u8 = 1;
    pub const EOF: u8 = 2;
    pub const LOOP: u32 = u32::MAX;

    #[inline]
    pub fn push(&mut self, e: TraceEvent) {
        let i = self.kind.len() as u32;
        self.kind.push(e.ev as u8);
        self.flags.push(if e.ret { Self::RET } else { 0 } | if e.eof { Self::EOF } else { 0 });
        self.stream.push(match e.origin {
            Origin::Stream(s) => s as u32,
            Origin::Loop => Self::LOOP,
        });
        self.len.push(if e.ev == Ev::Error { e.error as u64 } else { e.len });
        self.length.push(e.length);
        if self.time_at.last() != Some(&e.t) {
            self.time_from.push(i);
            self.time_at.push(e.t);
        }
    }

    pub fn len(&self) -> usize {
        self.kind.len()
    }

    /// Room for `n` more events, exactly: a caller that counted the run first (the page does)
    /// then grows no column by doubling, so memory holds the trace and little more.
    pub fn reserve(&mut self, n: usize) {
        self.kind.reserve_exact(n);
        self.flags.reserve_exact(n);
        self.stream.reserve_exact(n);
        self.len.reserve(n);
        self.length.reserve(n);
    }

    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// Event `i`, or None past the end.
    pub fn get(&self, i: usize) -> Option<TraceEvent> {
        if i >= self.len() {
            return None;
        }
        let run = self.time_from.partition_point(|&from| from as usize <= i) - 1;
        Some(self.event(i, self.time_at[run], self.len.get(i), self.length.get(i)))
    }

    #[inline]
    fn event(&self, i: usize, t: u64, len: u64, length: u64) -> TraceEvent {
        let ev = Ev::ALL[self.kind[i] as usize];
        let flags = self.flags[i];
        let origin = match self.stream[i] {
            Self::LOOP => Origin::Loop,
            s => Origin::Stream(s as usize),
        };
        let error = if ev == Ev::Error { len as u32 } else { 0 };
        let len = if ev == Ev::Error { 0 } else { len };
        TraceEvent { t, ev, origin, len, length, ret: flags & Self::RET != 0, eof: flags & Self::EOF != 0, error }
    }

    /// Every event in order: the columns walked side by side and the time runs followed, not
    /// searched (the JSON writer's loop).
    pub fn iter(&self) -> impl Iterator<Item = TraceEvent> + '_ {
        let mut t = 0;
        let mut runs = self.time_from.iter().zip(&self.time_at).peekable();
        let narrow = self.len.narrow.iter().zip(&self.length.narrow);
        self.kind.iter().zip(&self.flags).zip(&self.stream).zip(narrow).enumerate().map(
            move |(i, (((&kind, &flags), &stream), (&len, &length)))| {
                while let Some((_, &at)) = runs.next_if(|(&from, _)| from as usize <= i) {
                    t = at;
                }
                let wide = |c: &Column, v: u32| if v == Column::WIDE { c.get(i) } else { v as u64 };
                let ev = Ev::ALL.get(kind as usize).copied().unwrap_or(Ev::Read);
                let origin = if stream == Self::LOOP { Origin::Loop } else { Origin::Stream(stream as usize) };
                let len = wide(&self.len, len);
                let (len, error) = if ev == Ev::Error { (0, len as u32) } else { (len, 0) };
                TraceEvent {
                    t,
                    ev,
                    origin,
                    len,
                    length: wide(&self.length, length),
                    ret: flags & Self::RET != 0,
                    eof: flags & Self::EOF != 0,
                    error,
                }
            },
        )
    }

    /// The bytes the events take (without the columns' spare capacity).
    pub fn used_bytes(&self) -> usize {
        self.len() * 2
            + self.stream.len() * 4
            + self.len.used_bytes()
            + self.length.used_bytes()
            + self.time_from.len() * 12
    }

    /// The heap memory the columns hold.
    pub fn heap_bytes(&self) -> usize {
        self.kind.capacity()
            + self.flags.capacity()
            + self.stream.capacity() * 4
            + self.len.heap_bytes()
            + self.length.heap_bytes()
            + self.time_from.capacity() * 4
            + self.time_at.capacity() * 8
    }
}

/// Every stream's buffered amount after each event, stored as changes: a full row every
/// [`BufferedLog::SNAPSHOT_EVERY`] events, and for each event the one stream whose amount
/// changed with its new amount (usually the only one; the rare others go to a side list), so
/// its size grows with events, not events × streams.
#[derive(Clone, Debug, Default)]
pub struct BufferedLog {
    /// Full rows (every stream) after events 0, K, 2K, …
    pub snapshots: Vec<Vec<u64>>,
    /// Per event: the first stream whose amount changed (or [`BufferedLog::NONE`]) and that amount.
    pub changed: Vec<u32>,
    pub amount: Column,
    /// Further changes at one event: the event's index (in order), the stream, its amount.
    pub more_at: Vec<u32>,
    pub more_stream: Vec<u32>,
    pub more_amount: Column,
}

impl BufferedLog {
    pub const SNAPSHOT_EVERY: usize = 1024;
    pub const NONE: u32 = u32::MAX;

    /// Room for `n` more events' changes (as [`Trace::reserve`]).
    pub fn reserve(&mut self, n: usize) {
        self.changed.reserve_exact(n);
        self.amount.reserve(n);
    }

    /// Event `i` changed the streams in `dirty` (emptied), whose amounts are now in `now`.
    #[inline]
    fn log(&mut self, i: usize, now: &[u64], dirty: &mut Vec<StreamId>) {
        if i.is_multiple_of(Self::SNAPSHOT_EVERY) {
            // Taken after the event's changes are applied: they are all in `now`.
            self.snapshots.push(now.to_vec());
        }
        let (first, rest) = match dirty.split_first() {
            Some((&s, rest)) => ((s as u32, now.get(s).copied().unwrap_or(0)), rest),
            None => ((Self::NONE, 0), &[][..]),
        };
        self.changed.push(first.0);
        self.amount.push(first.1);
        for &s in rest {
            self.more_at.push(i as u32);
            self.more_stream.push(s as u32);
            self.more_amount.push(now.get(s).copied().unwrap_or(0));
        }
        dirty.clear();
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
        let to = i.min(self.changed.len().saturating_sub(1));
        let mut more = self.more_at.partition_point(|&e| (e as usize) < from);
        for e in from..=to {
            if let Some(r) = row.get_mut(self.changed[e] as usize) {
                *r = self.amount.get(e);
            }
            while more < self.more_at.len() && self.more_at[more] as usize == e {
                if let Some(r) = row.get_mut(self.more_stream[more] as usize) {
                    *r = self.more_amount.get(more);
                }
                more += 1;
            }
        }
        row
    }

    /// The bytes the log takes (without the lists' spare capacity).
    pub fn used_bytes(&self) -> usize {
        self.snapshots.iter().map(|r| r.len() * 8).sum::<usize>()
            + self.changed.len() * 4
            + self.amount.used_bytes()
            + self.more_at.len() * 8
            + self.more_amount.used_bytes()
    }

    /// The heap memory the log holds.
    pub fn heap_bytes(&self) -> usize {
        self.snapshots.iter().map(|r| r.capacity() * 8).sum::<usize>()
            + self.snapshots.capacity() * std::mem::size_of::<Vec<u64>>()
            + self.changed.capacity() * 4
            + self.amount.heap_bytes()
            + self.more_at.capacity() * 4
            + self.more_stream.capacity() * 4
            + self.more_amount.heap_bytes()
    }
}
