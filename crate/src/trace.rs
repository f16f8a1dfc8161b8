//! What a run records: the trace (SCENARIO.md "Trace events") and the summary counters.
//!
//! The trace is kept as packed records ([`Trace`]: 16 bytes an event, plus 8 for the buffered
//! amount it changed, at any number of streams), read by the page as typed arrays over wasm memory and turned into JSON only at the
//! edge (result.rs). With recording off, only the counters move: a run of any length then
//! allocates nothing per chunk.

use crate::segments::Segmented;
use crate::world::StreamId;

/// The kind of a trace event, named as in SCENARIO.md. Its number (`ev as u8`) is a trace
/// record's kind; [`Ev::ALL`] lists them in that order.
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

/// One trace event, as recorded and as read back from the records. `len`, `ret`, `length` (rl
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
    /// The first stream changed since the last event ([`BufferedLog::NONE`] if none), and the
    /// rare others.
    pub first_dirty: u32,
    pub more_dirty: Vec<StreamId>,
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
            first_dirty: BufferedLog::NONE,
            more_dirty: Vec::new(),
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
            if self.first_dirty == BufferedLog::NONE {
                self.first_dirty = s as u32;
            } else if self.first_dirty != s as u32 {
                self.mark_more_dirty(s);
            }
        }
    }

    /// The first change of a stream not seen yet (its amount was 0).
    #[cold]
    #[inline(never)]
    fn change_buffered_new(&mut self, s: StreamId, by: u64, grew: bool) {
        self.buffered.resize(s + 1, 0);
        self.change_buffered(s, by, grew);
    }

    /// The trace logs `s` among this event's changes, after the first.
    #[cold]
    #[inline(never)]
    fn mark_more_dirty(&mut self, s: StreamId) {
        if !self.more_dirty.contains(&s) {
            self.more_dirty.push(s);
        }
    }

    /// Logs the streams changed since the last event as this event's changes.
    #[inline]
    pub fn log_buffered(&mut self) {
        let i = self.events.len() - 1;
        self.buffered_after.log(i, &self.buffered, self.first_dirty, &mut self.more_dirty);
        self.first_dirty = BufferedLog::NONE;
    }
}

/// The values of one 4-byte field that do not fit it (a writableLength past 4 GiB): the field
/// holds [`Wide::MARK`] and the value sits here, found by the item's index.
#[derive(Clone, Debug, Default)]
pub struct Wide {
    /// Indices whose field is [`Wide::MARK`], in order, and their values.
    pub at: Vec<u32>,
    pub value: Vec<u64>,
}

impl Wide {
    /// The field's value that says "see the side list".
    pub const MARK: u32 = u32::MAX;

    /// What item `i`'s 4-byte field holds for `value`.
    #[inline]
    pub fn narrow(&mut self, i: usize, value: u64) -> u32 {
        if value < Self::MARK as u64 {
            value as u32
        } else {
            self.keep(i, value)
        }
    }

    #[cold]
    #[inline(never)]
    fn keep(&mut self, i: usize, value: u64) -> u32 {
        self.at.push(i as u32);
        self.value.push(value);
        Self::MARK
    }

    /// Item `i`'s value, its field holding `narrow`.
    #[inline]
    pub fn value_of(&self, i: usize, narrow: u32) -> u64 {
        match narrow {
            Self::MARK => self.at.binary_search(&(i as u32)).map_or(0, |k| self.value[k]),
            v => v as u64,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.at.capacity() * 4 + self.value.capacity() * 8
    }

    fn used_bytes(&self) -> usize {
        self.at.len() * 4 + self.value.len() * 8
    }
}

/// One event's fixed part, 16 bytes: the page reads a segment of them as a Uint32Array (4 words
/// an event) and the first two bytes through a Uint8Array, hence `repr(C)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct Record {
    /// `Ev as u8`.
    pub kind: u8,
    /// [`Trace::RET`] | [`Trace::EOF`].
    pub flags: u8,
    unused: u16,
    /// The stream's index, or [`Trace::LOOP`].
    pub stream: u32,
    /// The chunk's length; for `error`, the index into the world's error table.
    pub len: u32,
    /// readableLength or writableLength, per kind.
    pub length: u32,
}

/// The trace (SCENARIO.md "Trace events"): one 16-byte record an event, in segments that never
/// move (segments.rs), plus the rare wide values and the times as runs. What a page reads over
/// wasm memory, and what the JSON result is written from.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub records: Segmented<Record>,
    pub len_wide: Wide,
    pub length_wide: Wide,
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
        let i = self.records.len();
        let len = if e.ev == Ev::Error { e.error as u64 } else { e.len };
        self.records.push(Record {
            kind: e.ev as u8,
            flags: if e.ret { Self::RET } else { 0 } | if e.eof { Self::EOF } else { 0 },
            unused: 0,
            stream: match e.origin {
                Origin::Stream(s) => s as u32,
                Origin::Loop => Self::LOOP,
            },
            len: self.len_wide.narrow(i, len),
            length: self.length_wide.narrow(i, e.length),
        });
        if self.time_at.last() != Some(&e.t) {
            self.time_from.push(i as u32);
            self.time_at.push(e.t);
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Event `i`, or None past the end.
    pub fn get(&self, i: usize) -> Option<TraceEvent> {
        let r = self.records.get(i)?;
        let run = self.time_from.partition_point(|&from| from as usize <= i) - 1;
        Some(self.event(i, r, self.time_at[run]))
    }

    #[inline]
    fn event(&self, i: usize, r: Record, t: u64) -> TraceEvent {
        let ev = Ev::ALL.get(r.kind as usize).copied().unwrap_or(Ev::Read);
        let origin = match r.stream {
            Self::LOOP => Origin::Loop,
            s => Origin::Stream(s as usize),
        };
        let len = self.len_wide.value_of(i, r.len);
        let (len, error) = if ev == Ev::Error { (0, len as u32) } else { (len, 0) };
        TraceEvent {
            t,
            ev,
            origin,
            len,
            length: self.length_wide.value_of(i, r.length),
            ret: r.flags & Self::RET != 0,
            eof: r.flags & Self::EOF != 0,
            error,
        }
    }

    /// Every event in order: the records walked and the time runs followed, not searched (the
    /// JSON writer's loop).
    pub fn iter(&self) -> impl Iterator<Item = TraceEvent> + '_ {
        let mut t = 0;
        let mut runs = self.time_from.iter().zip(&self.time_at).peekable();
        self.records.iter().enumerate().map(move |(i, r)| {
            while let Some((_, &at)) = runs.next_if(|(&from, _)| from as usize <= i) {
                t = at;
            }
            self.event(i, r, t)
        })
    }

    /// The bytes the events take.
    pub fn used_bytes(&self) -> usize {
        self.records.used_bytes()
            + self.len_wide.used_bytes()
            + self.length_wide.used_bytes()
            + self.time_from.len() * 12
    }

    /// The heap memory the trace holds.
    pub fn heap_bytes(&self) -> usize {
        self.records.heap_bytes()
            + self.len_wide.heap_bytes()
            + self.length_wide.heap_bytes()
            + self.time_from.capacity() * 4
            + self.time_at.capacity() * 8
    }
}

/// The first stream whose buffered amount an event changed (or [`BufferedLog::NONE`]), and
/// that amount (its 4-byte field; see [`Wide`]). 8 bytes, read by the page as two u32 words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct Change {
    pub stream: u32,
    pub amount: u32,
}

/// Every stream's buffered amount after each event, stored as changes: a full row every
/// [`BufferedLog::SNAPSHOT_EVERY`] events, and for each event the one stream whose amount
/// changed with its new amount (usually the only one; the rare others go to a side list), so
/// its size grows with events, not events × streams.
#[derive(Clone, Debug, Default)]
pub struct BufferedLog {
    /// Full rows (every stream) after events 0, K, 2K, …
    pub snapshots: Vec<Vec<u64>>,
    /// Per event, in segments as the trace's records.
    pub changes: Segmented<Change>,
    pub amount_wide: Wide,
    /// Further changes at one event: the event's index (in order), the stream, its amount.
    pub more_at: Vec<u32>,
    pub more_stream: Vec<u32>,
    pub more_amount: Vec<u32>,
    pub more_amount_wide: Wide,
}

impl BufferedLog {
    pub const SNAPSHOT_EVERY: usize = 1024;
    pub const NONE: u32 = u32::MAX;

    /// Event `i` changed stream `first` (or none: [`BufferedLog::NONE`]) and those in `more`
    /// (emptied), whose amounts are now in `now`.
    #[inline]
    pub fn log(&mut self, i: usize, now: &[u64], first: u32, more: &mut Vec<StreamId>) {
        if i.is_multiple_of(Self::SNAPSHOT_EVERY) {
            // Taken after the event's changes are applied: they are all in `now`.
            self.snapshots.push(now.to_vec());
        }
        let amount = now.get(first as usize).copied().unwrap_or(0);
        let amount = self.amount_wide.narrow(i, amount);
        self.changes.push(Change { stream: first, amount });
        if !more.is_empty() {
            self.log_more(i, now, more);
        }
    }

    #[cold]
    #[inline(never)]
    fn log_more(&mut self, i: usize, now: &[u64], more: &mut Vec<StreamId>) {
        for &s in more.iter() {
            let k = self.more_at.len();
            self.more_at.push(i as u32);
            self.more_stream.push(s as u32);
            let amount = self.more_amount_wide.narrow(k, now.get(s).copied().unwrap_or(0));
            self.more_amount.push(amount);
        }
        more.clear();
    }

    /// Event `e`'s first change: the stream (or NONE) and its amount.
    pub fn change(&self, e: usize) -> (u32, u64) {
        let c = self.changes.get(e).unwrap_or(Change { stream: Self::NONE, amount: 0 });
        (c.stream, self.amount_wide.value_of(e, c.amount))
    }

    /// The amount of side-list entry `k`.
    pub fn more_amount(&self, k: usize) -> u64 {
        self.more_amount_wide.value_of(k, self.more_amount[k])
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
        let to = i.min(self.changes.len().saturating_sub(1));
        let mut more = self.more_at.partition_point(|&e| (e as usize) < from);
        for e in from..=to {
            let (s, amount) = self.change(e);
            if let Some(r) = row.get_mut(s as usize) {
                *r = amount;
            }
            while more < self.more_at.len() && self.more_at[more] as usize == e {
                if let Some(r) = row.get_mut(self.more_stream[more] as usize) {
                    *r = self.more_amount(more);
                }
                more += 1;
            }
        }
        row
    }

    /// The bytes the log takes (without the lists' spare capacity).
    pub fn used_bytes(&self) -> usize {
        self.snapshots.iter().map(|r| r.len() * 8).sum::<usize>()
            + self.changes.used_bytes()
            + self.amount_wide.used_bytes()
            + self.more_at.len() * 12
            + self.more_amount_wide.used_bytes()
    }

    /// The heap memory the log holds.
    pub fn heap_bytes(&self) -> usize {
        self.snapshots.iter().map(|r| r.capacity() * 8).sum::<usize>()
            + self.snapshots.capacity() * std::mem::size_of::<Vec<u64>>()
            + self.changes.heap_bytes()
            + self.amount_wide.heap_bytes()
            + self.more_at.capacity() * 4
            + self.more_stream.capacity() * 4
            + self.more_amount.capacity() * 4
            + self.more_amount_wide.heap_bytes()
    }
}
