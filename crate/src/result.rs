//! The result (SCENARIO.md "Result"), written as JSON at the edge. The writer is plain string
//! building into any `fmt::Write`: a trace of millions of events is written in one pass without
//! an intermediate tree, and can be measured ([`Simulation::result_len`]) before it is written.

use std::fmt::Write;

use crate::sim::Simulation;
use crate::trace::{Ev, Origin, TraceEvent};
use crate::world::{Halt, NodeError, World};

/// The native runner's output limit: a result whose JSON would be longer is refused before
/// anything is written (README, SCENARIO.md "Defaults and limits"). 256 MiB holds about
/// 5,000,000 trace events with small numbers (54 bytes each); large times and
/// lengths make events longer, and a million samples of 18 streams holding near 2^30 bytes
/// each pass it even with the trace off.
pub const MAX_RESULT_BYTES: u64 = 256 * 1024 * 1024;

/// Counts the bytes written through it and keeps none.
#[derive(Default)]
pub struct ByteCount(pub u64);

impl Write for ByteCount {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len() as u64;
        Ok(())
    }
}

fn json_string<W: Write + ?Sized>(out: &mut W, s: &str) {
    let _ = out.write_char('"');
    for c in s.chars() {
        let _ = match c {
            '"' => out.write_str("\\\""),
            '\\' => out.write_str("\\\\"),
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            '\t' => out.write_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32),
            c => out.write_char(c),
        };
    }
    let _ = out.write_char('"');
}

/// A non-negative integer in decimal.
fn num<W: Write + ?Sized>(out: &mut W, n: u64) {
    let mut buf = itoa::Buffer::new();
    let _ = out.write_str(buf.format(n));
}

/// `key` (already quoted, with its colon) and its value.
fn field<W: Write + ?Sized>(out: &mut W, key: &str, n: u64) {
    let _ = out.write_str(key);
    num(out, n);
}

fn error_json<W: Write + ?Sized>(out: &mut W, e: &NodeError, uncaught: bool) {
    let _ = out.write_str("{\"code\":");
    match &e.code {
        Some(c) => json_string(out, c),
        None => {
            let _ = out.write_str("null");
        }
    }
    let _ = out.write_str(",\"message\":");
    json_string(out, &e.message);
    if uncaught {
        let _ = out.write_str(",\"uncaught\":true");
    }
    let _ = out.write_char('}');
}

impl Simulation {
    /// The error the result reports: pipeline's rejection, or the first 'error' for pipe and
    /// the write loop, or an uncaught exception.
    pub fn summary_error(&self) -> Option<(&NodeError, bool)> {
        let w = &self.world;
        if let Some(Halt::Uncaught(e)) = &w.halted {
            return Some((&w.errors[*e as usize], true));
        }
        let id = match self.scenario.connect {
            crate::scenario::Connect::Pipeline => w.pipeline_error(),
            _ => w.first_error,
        };
        id.map(|e| (&w.errors[e as usize], false))
    }

    pub fn summary_json<W: Write + ?Sized>(&self, out: &mut W) {
        let c = &self.world.rec.counters;
        let _ = write!(
            out,
            "{{\"produced\":{},\"readCalls\":{},\"consumed\":{},\"writeFalse\":{},\"drainEvents\":{},\"backpressurePauses\":{},\"maxWritableLengthInWrite\":{},\"maxBufferedBytes\":{},\"endedAtMs\":{},\"error\":",
            c.produced,
            c.read_calls,
            c.consumed,
            c.write_false,
            c.drain_events,
            c.backpressure_pauses,
            c.max_writable_length_in_write,
            c.max_buffered_bytes,
            c.ended_at_ms
        );
        match self.summary_error() {
            Some((e, uncaught)) => error_json(out, e, uncaught),
            None => {
                let _ = out.write_str("null");
            }
        }
        let _ = out.write_char('}');
    }

    pub fn event_json<W: Write + ?Sized>(&self, out: &mut W, e: &TraceEvent) {
        write_event(out, &self.world, e);
    }

    pub fn samples_json<W: Write + ?Sized>(&self, out: &mut W) {
        let names = self.stream_names();
        let _ = out.write_char('[');
        for (i, s) in self.samples.iter().enumerate() {
            if i > 0 {
                let _ = out.write_char(',');
            }
            field(out, "{\"t\":", s.t);
            let _ = out.write_str(",\"buffered\":{");
            for (j, (name, b)) in names.iter().zip(&s.buffered).enumerate() {
                let _ = out.write_str(if j > 0 { ",\"" } else { "\"" });
                let _ = out.write_str(name);
                let _ = out.write_str("\":");
                num(out, *b);
            }
            field(out, "},\"total\":", s.buffered.iter().sum::<u64>());
            let _ = out.write_char('}');
        }
        let _ = out.write_char(']');
    }

    /// Writes the whole result@1 as JSON.
    pub fn write_result<W: Write + ?Sized>(&self, out: &mut W) {
        let _ = out.write_str("{\"schema\":\"streamlab/result@1\",\"name\":");
        json_string(out, &self.scenario.name);
        let _ = out.write_str(",\"summary\":");
        self.summary_json(out);
        let _ = out.write_str(",\"trace\":[");
        for (i, e) in self.world.rec.events.iter().enumerate() {
            let _ = out.write_str(if i > 0 { ",\n" } else { "\n" });
            self.event_json(out, &e);
        }
        let _ = out.write_str("],\"samples\":");
        self.samples_json(out);
        if !self.world.rec.keep_trace {
            let _ = out.write_str(",\"traceOmitted\":true");
        }
        let _ = out.write_str("}\n");
    }

    /// The length in bytes of [`Simulation::result_json`], found without keeping the text.
    pub fn result_len(&self) -> u64 {
        let mut count = ByteCount::default();
        self.write_result(&mut count);
        count.0
    }

    /// The whole result@1 as JSON.
    pub fn result_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.world.rec.events.len() * 64);
        self.write_result(&mut out);
        out
    }
}

/// One trace event as result@1 writes it (a scenario's run or a program's).
pub fn write_event<W: Write + ?Sized>(out: &mut W, world: &World, e: &TraceEvent) {
    let stream = match e.origin {
        Origin::Stream(s) => world.streams[s].name.as_str(),
        Origin::Loop => "loop",
    };
    // Plain writes and itoa: this runs once per event, and `write!` formatting was most of
    // a traced run's time.
    let _ = out.write_str("{\"t\":");
    num(out, e.t);
    let _ = out.write_str(",\"ev\":\"");
    let _ = out.write_str(e.ev.name());
    let _ = out.write_str("\",\"stream\":\"");
    let _ = out.write_str(stream);
    let _ = out.write_char('"');
    match e.ev {
        Ev::Read => field(out, ",\"rl\":", e.length),
        Ev::Push => {
            field(out, ",\"len\":", e.len);
            let _ = out.write_str(if e.ret { ",\"ret\":true" } else { ",\"ret\":false" });
            field(out, ",\"rl\":", e.length);
            if e.eof {
                let _ = out.write_str(",\"eof\":true");
            }
        }
        Ev::Write => {
            field(out, ",\"len\":", e.len);
            let _ = out.write_str(if e.ret { ",\"ret\":true" } else { ",\"ret\":false" });
            field(out, ",\"wl\":", e.length);
        }
        Ev::UnderscoreWrite => {
            field(out, ",\"len\":", e.len);
            field(out, ",\"wl\":", e.length);
        }
        Ev::Cb => field(out, ",\"wl\":", e.length),
        Ev::Error => {
            let _ = out.write_str(",\"code\":");
            match &world.errors[e.error as usize].code {
                Some(c) => json_string(out, c),
                None => {
                    let _ = out.write_str("null");
                }
            }
        }
        _ => {}
    }
    let _ = out.write_char('}');
}
