//! Readable (lib/internal/streams/readable.js, Node 20): push, read, flow, pause/resume and
//! the ticks that go with them. Field and function names follow Node's so that a reader of
//! NODE-STREAMS.md §3 can follow along.

use std::collections::VecDeque;

use crate::trace::{Ev, Origin};
use crate::world::{Arg, Chunk, ChunkKind, ErrId, Event, StreamId, Tick, World};

#[derive(Clone, Debug)]
pub struct ReadableState {
    pub object_mode: bool,
    pub high_water_mark: u64,
    pub length: u64,
    pub buffer: VecDeque<Chunk>,
    /// Node 20.20's `bufferIndex`: slots at the front of its buffer array already read and not
    /// yet dropped. Its fromList compares `n` with the array's length (see `take_from_list`).
    pub buffer_index: usize,
    /// `null` (never set), `true` or `false`.
    pub flowing: Option<bool>,
    pub reading: bool,
    pub sync: bool,
    pub need_readable: bool,
    pub emitted_readable: bool,
    pub data_listening: bool,
    pub resume_scheduled: bool,
    pub ended: bool,
    pub end_emitted: bool,
    pub reading_more: bool,
    /// `kReadableListening`: someone listens for 'readable', so resume() does not flow.
    pub readable_listening: bool,
    /// `kHasPaused`/`kPaused`: `null`, or whether pause() was called last (vs resume()).
    pub paused: Option<bool>,
    /// The pipe destinations awaited for 'drain' (`awaitDrainWriters`).
    pub await_drain: AwaitDrain,
    pub pipes: Vec<StreamId>,
    pub destroyed: bool,
    pub closed: bool,
    pub close_emitted: bool,
    pub errored: Option<u32>,
    pub error_emitted: bool,
    pub auto_destroy: bool,
    pub emit_close: bool,
}

impl ReadableState {
    pub fn new(object_mode: bool, high_water_mark: u64) -> Self {
        ReadableState {
            object_mode,
            high_water_mark,
            length: 0,
            buffer: VecDeque::new(),
            buffer_index: 0,
            flowing: None,
            reading: false,
            // sync starts true, so a push before the first _read is buffered
            sync: true,
            need_readable: false,
            emitted_readable: false,
            data_listening: false,
            resume_scheduled: false,
            ended: false,
            end_emitted: false,
            reading_more: false,
            readable_listening: false,
            paused: None,
            await_drain: AwaitDrain::Nobody,
            pipes: Vec::new(),
            destroyed: false,
            closed: false,
            close_emitted: false,
            errored: None,
            error_emitted: false,
            auto_destroy: true,
            emit_close: true,
        }
    }

    /// What `push()` returns.
    fn can_push_more(&self) -> bool {
        !self.ended && (self.length < self.high_water_mark || self.length == 0)
    }

    /// `stream.readable`.
    pub fn is_readable(&self) -> bool {
        !self.destroyed && !self.error_emitted && !self.end_emitted
    }

    pub fn chunk_len(&self, c: &Chunk) -> u64 {
        if self.object_mode {
            1
        } else {
            c.bytes
        }
    }
}

/// `awaitDrainWriters`: nobody, the one destination that returned false, or, once a source has
/// been piped to a second destination (`kMultiAwaitDrain`), a set of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwaitDrain {
    Nobody,
    One(StreamId),
    Set(Vec<StreamId>),
}

impl AwaitDrain {
    /// What a chunk handed out does: a set is emptied (and stays a set), one writer is forgotten.
    pub fn clear(&mut self) {
        match self {
            AwaitDrain::Set(v) => v.clear(),
            other => *other = AwaitDrain::Nobody,
        }
    }

    /// `!awaitDrainWriters || awaitDrainWriters.size === 0`: nobody left to wait for.
    pub fn is_done(&self) -> bool {
        match self {
            AwaitDrain::Nobody => true,
            AwaitDrain::One(_) => false,
            AwaitDrain::Set(v) => v.is_empty(),
        }
    }
}

/// `read(n)`'s argument: `read()` (NaN: whatever the mode gives), `read(0)`, or a size.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReadArg {
    Next,
    Zero,
    Size(u64),
}

/// Don't raise the highWaterMark past 1 GiB.
pub const MAX_HWM: u64 = 0x4000_0000;

/// `computeNewHighWaterMark(n)`: the next power of two (n ≤ 1 GiB).
fn compute_new_high_water_mark(n: u64) -> u64 {
    n.next_power_of_two()
}

impl World {
    /// `push()` as user code calls it: the trace's `push` event is recorded when it returns.
    #[inline(always)]
    pub fn push_traced(&mut self, s: StreamId, chunk: Option<Chunk>) -> bool {
        let ret = self.push(s, chunk);
        let r = self.r(s);
        let (len, rl) = (chunk.map_or(0, |c| r.chunk_len(&c)), r.length);
        self.record_full(Ev::Push, Origin::Stream(s), len, rl, ret, chunk.is_none(), 0);
        ret
    }

    /// `push(null)` on a stream with a decoder (setEncoding): onEofChunk first buffers what
    /// the decoder still held (`decoder.end()`: base64's last group, a lone high surrogate).
    pub fn push_eof_traced(&mut self, s: StreamId, rest: Chunk) -> bool {
        if self.is_halted() {
            return false;
        }
        let r = self.r(s);
        if !r.ended && rest.bytes > 0 {
            let r = self.rm(s);
            let n = r.chunk_len(&rest);
            r.length += n;
            r.buffer.push_back(rest);
            self.buffered_grew(s, n);
        }
        self.push_traced(s, None)
    }

    /// `setEncoding()` on a stream that holds chunks: they become one decoded string (or
    /// none), and `length` its length, as Node's setEncoding counts it.
    pub fn replace_buffer(&mut self, s: StreamId, content: Option<Chunk>) {
        let r = self.rm(s);
        let before = r.length;
        r.buffer.clear();
        r.buffer_index = 0;
        r.length = content.map_or(0, |c| c.bytes);
        r.buffer.extend(content);
        let after = r.length;
        if after >= before {
            self.buffered_grew(s, after - before);
        } else {
            self.buffered_shrank(s, before - after);
        }
    }

    /// `push(chunk)` with a chunk readableAddChunk refuses (not a string, Buffer or Uint8Array in
    /// a byte stream): errorOrDestroy, and push returns false, counting nothing.
    pub fn push_refused(&mut self, s: StreamId, e: ErrId) {
        self.error_or_destroy(s, e);
        let rl = self.r(s).length;
        self.record(Ev::Push, Origin::Stream(s), 0, rl, false);
    }

    /// `readable.push(chunk)`; `None` is `push(null)`.
    #[inline]
    pub fn push(&mut self, s: StreamId, chunk: Option<Chunk>) -> bool {
        if self.is_halted() {
            return false;
        }
        let Some(mut chunk) = chunk else {
            self.rm(s).reading = false;
            self.on_eof_chunk(s);
            return false;
        };
        let object_mode = self.r(s).object_mode;
        if !object_mode {
            match chunk.kind {
                // A scenario's text is bytes; a program's string (payload) reaches here only
                // from a decoding stream (setEncoding), whose buffer keeps strings as Node's does.
                ChunkKind::Text if chunk.payload == 0 => chunk.kind = ChunkKind::Buffer,
                ChunkKind::Text | ChunkKind::Buffer => {}
                ChunkKind::Object => {
                    let e = self.err_invalid_chunk_type();
                    self.error_or_destroy(s, e);
                    return false;
                }
            }
            if chunk.bytes == 0 {
                self.rm(s).reading = false;
                self.maybe_read_more(s);
                return self.r(s).can_push_more();
            }
        }
        let r = self.rm(s);
        if r.ended {
            self.push_after_eof(s);
            return false;
        }
        if r.destroyed || r.errored.is_some() {
            return false;
        }
        r.reading = false;
        self.add_chunk(s, chunk);
        self.r(s).can_push_more()
    }

    /// push() after push(null): ERR_STREAM_PUSH_AFTER_EOF.
    #[cold]
    #[inline(never)]
    fn push_after_eof(&mut self, s: StreamId) {
        let e = self.new_error(Some("ERR_STREAM_PUSH_AFTER_EOF"), "stream.push() after EOF".into());
        self.error_or_destroy(s, e);
    }

    /// `readable.unshift(chunk)`: the chunk goes back to the front of the buffer.
    pub fn unshift(&mut self, s: StreamId, chunk: Chunk) -> bool {
        if self.is_halted() {
            return false;
        }
        let r = self.r(s);
        if r.end_emitted {
            let e =
                self.new_error(Some("ERR_STREAM_UNSHIFT_AFTER_END_EVENT"), "stream.unshift() after end event".into());
            self.error_or_destroy(s, e);
        } else if r.destroyed || r.errored.is_some() {
            return false;
        } else if r.object_mode || chunk.bytes > 0 {
            self.add_chunk_at(s, chunk, true);
        }
        self.r(s).can_push_more()
    }

    #[inline(always)]
    fn add_chunk(&mut self, s: StreamId, chunk: Chunk) {
        self.add_chunk_at(s, chunk, false);
    }

    #[inline(always)]
    fn add_chunk_at(&mut self, s: StreamId, chunk: Chunk, front: bool) {
        let r = self.rm(s);
        if r.flowing == Some(true) && !r.sync && r.data_listening && r.length == 0 {
            // The direct path: 'data' inside push(), the chunk never buffered.
            r.await_drain.clear();
            self.emit_data(s, chunk);
        } else {
            let len = r.chunk_len(&chunk);
            r.length += len;
            if front {
                // `state.buffer[--state.bufferIndex] = chunk` when a read slot is free.
                r.buffer_index = r.buffer_index.saturating_sub(1);
                r.buffer.push_front(chunk);
            } else {
                r.buffer.push_back(chunk);
            }
            let need_readable = r.need_readable;
            self.buffered_grew(s, len);
            if need_readable {
                self.emit_readable(s);
            }
        }
        self.maybe_read_more(s);
    }

    fn on_eof_chunk(&mut self, s: StreamId) {
        if self.r(s).ended {
            return;
        }
        self.rm(s).ended = true;
        if self.r(s).sync {
            self.emit_readable(s);
        } else {
            let r = self.rm(s);
            r.need_readable = false;
            r.emitted_readable = true;
            self.emit_readable_nt(s);
        }
    }

    pub fn emit_readable(&mut self, s: StreamId) {
        let r = self.rm(s);
        r.need_readable = false;
        if !r.emitted_readable {
            r.emitted_readable = true;
            self.next_tick(Tick::EmitReadableNT(s));
        }
    }

    /// `emitReadable_`: 'readable' (nobody listens here), then `flow()`.
    pub fn emit_readable_nt(&mut self, s: StreamId) {
        let r = self.r(s);
        if !r.destroyed && r.errored.is_none() && (r.length > 0 || r.ended) {
            self.emit(s, Event::Readable, Arg::None);
            self.rm(s).emitted_readable = false;
        }
        let r = self.rm(s);
        if r.flowing != Some(true) && !r.ended && r.length <= r.high_water_mark {
            r.need_readable = true;
        }
        self.flow(s);
    }

    #[inline(always)]
    pub fn maybe_read_more(&mut self, s: StreamId) {
        let node = self.node;
        let r = self.rm(s);
        // Node 22 also skips it while a `_read()` is in progress (kReading); Node 20 does not.
        let skip_reading = node >= 22 && r.reading;
        if !r.reading_more && !skip_reading {
            r.reading_more = true;
            self.next_tick(Tick::MaybeReadMoreNT(s));
        }
    }

    pub fn maybe_read_more_nt(&mut self, s: StreamId) {
        loop {
            let r = self.r(s);
            let wants =
                !r.reading && !r.ended && (r.length < r.high_water_mark || (r.flowing == Some(true) && r.length == 0));
            if !wants || self.is_halted() {
                break;
            }
            let len = r.length;
            self.read(s, ReadArg::Zero);
            if len == self.r(s).length {
                break;
            }
        }
        self.rm(s).reading_more = false;
    }

    #[inline(always)]
    fn how_much_to_read(r: &ReadableState, n: ReadArg) -> u64 {
        if n == ReadArg::Zero || (r.length == 0 && r.ended) {
            return 0;
        }
        if r.object_mode {
            return 1;
        }
        match n {
            ReadArg::Next if r.flowing == Some(true) && r.length > 0 => r.buffer.front().map_or(0, |c| c.bytes),
            ReadArg::Next => r.length,
            ReadArg::Size(n) if n <= r.length => n,
            ReadArg::Size(_) if r.ended => r.length,
            _ => 0,
        }
    }

    /// `readable.read()` / `read(0)` / `read(n)` as Node's internals call it: whether a chunk
    /// came out (it went to 'data').
    pub fn read(&mut self, s: StreamId, n: ReadArg) -> bool {
        matches!(self.read_n(s, n), Ok(Some(_)))
    }

    /// `readable.read(n)`: the chunk it returns (also emitted as 'data'), `None` for `null`, or
    /// the error it throws (a size past 1 GiB).
    pub fn read_n(&mut self, s: StreamId, n_orig: ReadArg) -> Result<Option<Chunk>, ErrId> {
        let n_orig = if n_orig == ReadArg::Size(0) { ReadArg::Zero } else { n_orig };
        if self.is_halted() {
            return Ok(None);
        }
        if let ReadArg::Size(n) = n_orig {
            if n > self.r(s).high_water_mark {
                self.raise_high_water_mark(s, n)?;
            }
        }
        // The state is borrowed once per stretch between calls out (each borrow is a bounds
        // and a side check).
        let r = self.rm(s);
        if n_orig != ReadArg::Zero {
            r.emitted_readable = false;
        } else if r.need_readable {
            let full = if r.high_water_mark != 0 { r.length >= r.high_water_mark } else { r.length > 0 };
            if full || r.ended {
                if r.length == 0 && r.ended {
                    self.end_readable(s);
                } else {
                    self.emit_readable(s);
                }
                return Ok(None);
            }
        }
        let mut n = Self::how_much_to_read(r, n_orig);
        if n == 0 && r.ended {
            if r.length == 0 {
                self.end_readable(s);
            }
            return Ok(None);
        }
        let mut do_read = r.need_readable;
        if r.length == 0 || r.length.saturating_sub(n) < r.high_water_mark {
            do_read = true;
        }
        let can_read = !(r.reading || r.ended || r.destroyed || r.errored.is_some());
        if can_read && do_read {
            r.reading = true;
            r.sync = true;
            if r.length == 0 {
                r.need_readable = true;
            }
            let rl = r.length;
            self.call_read(s, rl);
            let r = self.rm(s);
            r.sync = false;
            if !r.reading {
                n = Self::how_much_to_read(r, n_orig);
            }
        }
        let mut ret: Option<Chunk> = None;
        if n > 0 {
            ret = self.take_from_list(s, n);
        }
        let r = self.rm(s);
        match ret {
            None => {
                if r.length <= r.high_water_mark {
                    r.need_readable = true;
                }
                n = 0;
            }
            Some(_) => {
                r.length -= n;
                r.await_drain.clear();
            }
        }
        if r.length == 0 {
            if !r.ended {
                r.need_readable = true;
            }
            // `nOrig !== n`: NaN never equals n, so read() emptying an ended buffer ends it.
            let n_orig_equals_n = match n_orig {
                ReadArg::Zero => n == 0,
                ReadArg::Size(k) => k == n,
                ReadArg::Next => false,
            };
            if !n_orig_equals_n && r.ended {
                self.end_readable(s);
            }
        }
        if let Some(c) = ret {
            self.buffered_shrank(s, n);
            let r = self.r(s);
            if !r.error_emitted && !r.close_emitted {
                self.emit_data(s, c);
            }
        }
        Ok(ret)
    }

    /// read(n) past the highWaterMark raises it to the next power of two, up to 1 GiB.
    #[cold]
    #[inline(never)]
    fn raise_high_water_mark(&mut self, s: StreamId, n: u64) -> Result<(), ErrId> {
        if n > MAX_HWM {
            return Err(self.new_error(
                Some("ERR_OUT_OF_RANGE"),
                format!("The value of \"size\" is out of range. It must be <= 1GiB. Received {n}"),
            ));
        }
        self.rm(s).high_water_mark = compute_new_high_water_mark(n);
        Ok(())
    }

    /// Node's `fromList`: takes `n` from the front of the buffer: one chunk, part of one, or
    /// several joined into one Buffer (object mode: always one chunk). Node 20.20 keeps its
    /// buffer in an array read from `bufferIndex`, dropping the read slots when all are read
    /// (or past 1024 of them): kept here as `buffer_index`.
    fn take_from_list(&mut self, s: StreamId, n: u64) -> Option<Chunk> {
        let r = self.r(s);
        let (index, live) = (r.buffer_index, r.buffer.len());
        let ret = self.take_from_array(s, n, index + live);
        let r = self.rm(s);
        let read = index + live.saturating_sub(r.buffer.len());
        r.buffer_index = if r.buffer.is_empty() || read > 1024 { 0 } else { read };
        ret
    }

    /// fromList on an array of `array_len` slots. Its usual case (the whole first chunk of a
    /// byte stream, or object mode) is inline; joining and splitting are not.
    #[inline(always)]
    fn take_from_array(&mut self, s: StreamId, n: u64, array_len: usize) -> Option<Chunk> {
        let r = self.rm(s);
        if let Some(&first) = r.buffer.front() {
            let whole = if n >= r.length { r.buffer.len() == 1 } else { n == first.bytes };
            if r.length != 0 && (r.object_mode || whole) {
                r.buffer.pop_front();
                return Some(first);
            }
        }
        self.take_from_array_slow(s, n, array_len)
    }

    /// The rest of fromList: everything from one chunk or several, joined or split.
    #[inline(never)]
    fn take_from_array_slow(&mut self, s: StreamId, n: u64, array_len: usize) -> Option<Chunk> {
        let node = self.node;
        let r = self.rm(s);
        if r.length == 0 {
            return None;
        }
        let Some(&first) = r.buffer.front() else {
            // Node 20's miscount below left `length` above what is buffered: reading it all
            // joins nothing, an empty string (only strings from setEncoding get there).
            return Some(Chunk { kind: ChunkKind::Text, bytes: 0, payload: self.empty_string() });
        };
        if r.object_mode {
            r.buffer.pop_front();
            return Some(first);
        }
        if n >= r.length {
            // Everything: one chunk as it is, or all of them joined.
            if r.buffer.len() == 1 {
                return r.buffer.pop_front();
            }
            let parts: Vec<u32> = r.buffer.drain(..).map(|c| c.payload).collect();
            let bytes = r.length;
            return Some(Chunk { kind: ChunkKind::Buffer, bytes, payload: self.join_payloads(&parts) });
        }
        if n < first.bytes {
            let (taken, rest) = self.split_payload(first, n);
            if let Some(front) = self.rm(s).buffer.front_mut() {
                front.bytes -= n;
                front.payload = rest;
            }
            return Some(Chunk { kind: first.kind, bytes: n, payload: taken });
        }
        if n == first.bytes {
            return self.rm(s).buffer.pop_front();
        }
        let mut left = n;
        let mut parts = Vec::new();
        let mut taken = 0;
        while left > 0 {
            let front = *self.rm(s).buffer.front()?;
            // Node 20.20, strings (setEncoding): where the rest fits in this string it tests
            // `n === buf.length`, the array's length, not the string's (fixed in Node 22): equal,
            // the whole string is taken; not, `str.slice(0, n)`, even when that is all of it.
            if node < 22 && front.kind == ChunkKind::Text && front.bytes >= left {
                if left as usize == array_len {
                    taken += front.bytes;
                    parts.push(front.payload);
                    self.rm(s).buffer.pop_front();
                } else {
                    let (part, rest) = self.split_payload(front, left);
                    taken += left;
                    parts.push(part);
                    if let Some(f) = self.rm(s).buffer.front_mut() {
                        f.bytes -= left;
                        f.payload = rest;
                    }
                }
                return Some(Chunk { kind: ChunkKind::Text, bytes: taken, payload: self.join_payloads(&parts) });
            }
            if front.bytes <= left {
                taken += front.bytes;
                left -= front.bytes;
                parts.push(front.payload);
                self.rm(s).buffer.pop_front();
            } else {
                let (part, rest) = self.split_payload(front, left);
                parts.push(part);
                if let Some(f) = self.rm(s).buffer.front_mut() {
                    f.bytes -= left;
                    f.payload = rest;
                }
                taken += left;
                left = 0;
            }
        }
        Some(Chunk { kind: ChunkKind::Buffer, bytes: n, payload: self.join_payloads(&parts) })
    }

    /// A program's chunk cut at `at` bytes (`buf.slice(0, n)`, `buf.slice(n)`), by its engine.
    #[inline(never)]
    fn split_payload(&self, c: Chunk, at: u64) -> (u32, u32) {
        match (&self.user, c.payload) {
            (Some(user), p) if p != 0 => (user.slice(p, 0, at), user.slice(p, at, c.bytes)),
            _ => (0, 0),
        }
    }

    /// An empty string as a program's chunk, by its engine.
    #[inline(never)]
    fn empty_string(&self) -> u32 {
        self.user.as_ref().map_or(0, |user| user.empty_string())
    }

    /// Program chunks joined into one Buffer (`Buffer.concat`), by its engine.
    #[inline(never)]
    fn join_payloads(&self, parts: &[u32]) -> u32 {
        match &self.user {
            Some(user) if parts.iter().any(|&p| p != 0) => user.concat(parts),
            _ => 0,
        }
    }

    /// Enters `_read()`: the trace's `read` event, then the stream's own implementation.
    #[inline(always)]
    fn call_read(&mut self, s: StreamId, rl: u64) {
        self.record(Ev::Read, Origin::Stream(s), 0, rl, false);
        if self.streams[s].transform.is_some() {
            self.transform_read(s);
        } else {
            if self.halted.is_none() {
                self.rec.counters.read_calls += 1;
            }
            self.source_read(s);
        }
    }

    pub fn flow(&mut self, s: StreamId) {
        while self.r(s).flowing == Some(true) && !self.is_halted() && self.read(s, ReadArg::Next) {}
    }

    /// `readable.resume()`: flowing, unless someone listens for 'readable' (then only the
    /// resume tick runs).
    pub fn resume(&mut self, s: StreamId) {
        let r = self.rm(s);
        if r.flowing != Some(true) {
            r.flowing = Some(!r.readable_listening);
            if !r.resume_scheduled {
                r.resume_scheduled = true;
                self.next_tick(Tick::ResumeNT(s));
            }
        }
        self.rm(s).paused = Some(false);
    }

    pub fn resume_nt(&mut self, s: StreamId) {
        if !self.r(s).reading {
            self.read(s, ReadArg::Zero);
        }
        self.rm(s).resume_scheduled = false;
        self.emit(s, Event::Resume, Arg::None);
        self.flow(s);
        let r = self.r(s);
        if r.flowing == Some(true) && !r.reading {
            self.read(s, ReadArg::Zero);
        }
    }

    pub fn pause(&mut self, s: StreamId) {
        let r = self.rm(s);
        r.paused = Some(true);
        if r.flowing != Some(false) {
            r.flowing = Some(false);
            self.emit(s, Event::Pause, Arg::None);
        }
    }

    /// `readable.isPaused()`.
    pub fn is_paused(&self, s: StreamId) -> bool {
        let r = self.r(s);
        r.paused == Some(true) || (r.flowing == Some(false) && r.paused.is_none())
    }

    /// Readable.prototype.on('readable'): paused mode, and a 'readable' as soon as there is data.
    pub fn on_readable_listener(&mut self, s: StreamId) {
        let r = self.rm(s);
        if r.end_emitted || r.readable_listening {
            return;
        }
        r.readable_listening = true;
        r.need_readable = true;
        r.flowing = Some(false);
        r.emitted_readable = false;
        if r.length > 0 {
            self.emit_readable(s);
        } else if !r.reading {
            self.next_tick(Tick::NReadingNextTick(s));
        }
    }

    /// `updateReadableListening`, a tick after a 'readable' listener went away.
    pub fn update_readable_listening(&mut self, s: StreamId) {
        let listening = self.listener_count(s, Event::Readable) > 0;
        let r = self.rm(s);
        r.readable_listening = listening;
        if r.paused == Some(false) && r.resume_scheduled {
            // resume() was called while 'readable' was listened to: the coming resume tick flows.
            r.flowing = Some(true);
        } else if r.data_listening {
            self.resume(s);
        } else if !r.readable_listening {
            r.flowing = None;
        }
    }

    #[inline(never)]
    pub fn end_readable(&mut self, s: StreamId) {
        let r = self.rm(s);
        if !r.end_emitted {
            r.ended = true;
            self.next_tick(Tick::EndReadableNT(s));
        }
    }

    pub fn end_readable_nt(&mut self, s: StreamId) {
        let r = self.r(s);
        if r.errored.is_some() || r.close_emitted || r.end_emitted || r.length != 0 {
            return;
        }
        self.rm(s).end_emitted = true;
        self.emit(s, Event::End, Arg::None);
        let writable = self.streams[s].w.as_ref().is_some_and(|w| w.is_writable());
        if writable && !self.streams[s].allow_half_open {
            self.next_tick(Tick::EndWritableNT(s));
        } else if self.r(s).auto_destroy {
            let auto = match &self.streams[s].w {
                None => true,
                Some(w) => w.auto_destroy && w.finished,
            };
            if auto {
                self.destroy(s, None);
            }
        }
    }

    /// Duplex with `allowHalfOpen: false`: `stream.end()` unless already ended or destroyed.
    pub fn end_writable_nt(&mut self, s: StreamId) {
        let w = self.w(s);
        if w.is_writable() && !w.ended && !w.destroyed {
            self.end(s);
        }
    }

    /// Readable.prototype.unpipe(dest).
    pub fn unpipe(&mut self, s: StreamId, dest: StreamId) {
        let r = self.rm(s);
        if r.pipes.is_empty() {
            return;
        }
        let Some(i) = r.pipes.iter().position(|&d| d == dest) else { return };
        r.pipes.remove(i);
        if r.pipes.is_empty() {
            self.pause(s);
        }
        self.emit(dest, Event::Unpipe, Arg::Source(s));
    }
}
