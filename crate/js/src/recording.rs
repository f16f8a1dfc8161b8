//! What a program's run leaves for the page and for `streamlab-exec --trace-out`: its streams'
//! trace (the first [`TRACE_CAP`] events, as scenarios record them), each stream's buffered
//! amount after every kept event, and samples of the buffered amounts at the end of each turn
//! of the event loop (over the whole run, thinned to at most [`SAMPLE_CAP`]).

use std::fmt::Write;

use streamlab::trace::BufferedLog;
use streamlab::world::World;

use crate::{ProgramResult, Stream, StreamInfo};

/// Trace events kept for the page (what its charts and timeline draw at once).
pub const TRACE_CAP: usize = 20_000;
/// Samples kept: past this, every other one is dropped and the rest taken half as often.
pub const SAMPLE_CAP: usize = 10_000;

/// Each stream's buffered amount at the end of loop turns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Samples {
    pub t: Vec<u64>,
    /// Per sample, per stream (in creation order; streams made later read 0 before).
    pub buffered: Vec<Vec<u64>>,
    /// Take one turn's sample in `every` (doubles each time the samples are thinned).
    every: u64,
    turns: u64,
}

impl Samples {
    /// The buffered amounts now, as one sample (replacing one taken at the same virtual time).
    pub fn take(&mut self, world: &World) {
        self.every = self.every.max(1);
        self.turns += 1;
        if !self.turns.is_multiple_of(self.every) {
            return;
        }
        let now = world.now();
        let row: Vec<u64> = world.streams.iter().map(|s| s.buffered()).collect();
        if self.t.last() == Some(&now) {
            if let Some(last) = self.buffered.last_mut() {
                *last = row;
            }
            return;
        }
        self.t.push(now);
        self.buffered.push(row);
        if self.t.len() > SAMPLE_CAP {
            self.t = self.t.iter().copied().step_by(2).collect();
            self.buffered = std::mem::take(&mut self.buffered).into_iter().step_by(2).collect();
            self.every *= 2;
        }
    }
}

/// The kept trace: result@1's events as JSON, and the buffered amounts after each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recording {
    /// `[{"t":…,"ev":…,"stream":…}, …]`
    pub events_json: String,
    /// Per kept event, per stream.
    pub buffered: Vec<Vec<u64>>,
    /// More events happened than were kept.
    pub truncated: bool,
    /// The program's line behind each event, as runs.
    pub lines: crate::source_lines::SourceLines,
}

impl Recording {
    pub fn of(world: &World) -> Recording {
        let n = world.streams.len();
        let mut events_json = String::with_capacity(world.rec.events.len() * 64 + 2);
        events_json.push('[');
        for (i, e) in world.rec.events.iter().enumerate() {
            if i > 0 {
                events_json.push(',');
            }
            streamlab::result::write_event(&mut events_json, world, &e);
        }
        let buffered = rows_after(&world.rec.buffered_after, world.rec.events.len(), n);
        events_json.push(']');
        Recording { events_json, buffered, truncated: world.trace_truncated, lines: Default::default() }
    }
}

/// `log.after(i, streams)` for every event `i < events`, in one pass: each `after` replays the
/// changes since its block's snapshot, which for a whole trace cost about 512 steps an event.
pub fn rows_after(log: &BufferedLog, events: usize, streams: usize) -> Vec<Vec<u64>> {
    let every = BufferedLog::SNAPSHOT_EVERY;
    let mut rows = Vec::with_capacity(events);
    let mut row = vec![0; streams];
    let mut more = 0;
    for i in 0..events {
        let Some(snapshot) = log.snapshots.get(i / every) else {
            rows.push(vec![0; streams]);
            continue;
        };
        if i % every == 0 {
            row.fill(0);
            for (r, v) in row.iter_mut().zip(snapshot) {
                *r = *v;
            }
            more = log.more_at.partition_point(|&e| (e as usize) <= i);
        } else if i < log.changes.len() {
            let (s, amount) = log.change(i);
            if let Some(r) = row.get_mut(s as usize) {
                *r = amount;
            }
            while more < log.more_at.len() && log.more_at[more] as usize == i {
                if let Some(r) = row.get_mut(log.more_stream[more] as usize) {
                    *r = log.more_amount(more);
                }
                more += 1;
            }
        }
        rows.push(row.clone());
    }
    rows
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "null".into(), |v| v.to_string())
}

/// result@1 for a program: the streams' trace and samples as a scenario's, the program's
/// summary, and its output lines with their virtual times (`program`).
pub fn result_json(result: &ProgramResult, filename: &str) -> String {
    let mut out = String::from("{\"schema\":\"streamlab/result@1\",\"name\":");
    json_string(&mut out, filename);
    let _ = write!(
        out,
        ",\"summary\":{{\"events\":{},\"maxBufferedBytes\":{},\"endedAtMs\":{},\"exitCode\":{}}}",
        result.events, result.max_buffered, result.ended_at, result.exit_code
    );
    out.push_str(",\"trace\":");
    match &result.recording {
        Some(r) => out.push_str(&r.events_json),
        None => out.push_str("[]"),
    }
    out.push_str(",\"samples\":[");
    for (i, (t, row)) in result.samples.t.iter().zip(&result.samples.buffered).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"t\":{t},\"buffered\":{{");
        for (j, s) in result.streams.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            json_string(&mut out, &s.name);
            let _ = write!(out, ":{}", row.get(j).copied().unwrap_or(0));
        }
        let _ = write!(out, "}},\"total\":{}}}", row.iter().sum::<u64>());
    }
    out.push(']');
    match &result.recording {
        None => out.push_str(",\"traceOmitted\":true"),
        Some(r) if r.truncated => out.push_str(",\"traceTruncated\":true"),
        Some(_) => {}
    }
    out.push_str(",\"program\":{\"exitCode\":");
    let _ = write!(out, "{}", result.exit_code);
    out.push_str(",\"streams\":[");
    for (i, s) in result.streams.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        stream_json(&mut out, s);
    }
    out.push_str("],\"output\":[");
    for (i, o) in result.output.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let stream = if o.stream == Stream::Stdout { "stdout" } else { "stderr" };
        let _ = write!(out, "{{\"t\":{},\"stream\":\"{stream}\",\"text\":", o.t);
        json_string(&mut out, &o.text);
        out.push('}');
    }
    out.push_str("]}}\n");
    out
}

fn stream_json(out: &mut String, s: &StreamInfo) {
    out.push_str("{\"name\":");
    json_string(out, &s.name);
    let _ = write!(
        out,
        ",\"kind\":\"{}\",\"readableHighWaterMark\":{},\"writableHighWaterMark\":{},\"objectMode\":{}}}",
        s.kind,
        opt(s.readable_hwm),
        opt(s.writable_hwm),
        s.object_mode
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of `events` events over 3 streams, as the core keeps one: a full row every
    /// SNAPSHOT_EVERY events, one change per event, and now and then a second one.
    fn log_of(events: usize) -> BufferedLog {
        let mut log = BufferedLog::default();
        let mut now = [0u64; 3];
        for i in 0..events {
            let s = i % 3;
            now[s] = (i as u64 * 7919) % 5000;
            let mut more = vec![];
            if i % 5 == 0 {
                let other = (s + 1) % 3;
                now[other] = i as u64;
                more.push(other);
            }
            log.log(i, &now, s as u32, &mut more);
        }
        log
    }

    #[test]
    fn rows_in_one_pass_are_what_after_gives_for_each_event_across_snapshots() {
        let log = log_of(2500);
        let rows = rows_after(&log, 2500, 3);
        let expected: Vec<Vec<u64>> = (0..2500).map(|i| log.after(i, 3)).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn rows_past_the_logged_events_are_what_after_gives_there_too() {
        let log = log_of(1030);
        let rows = rows_after(&log, 2100, 4);
        let expected: Vec<Vec<u64>> = (0..2100).map(|i| log.after(i, 4)).collect();
        assert_eq!(rows, expected);
    }
}
