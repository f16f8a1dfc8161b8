//! The result (SCENARIO.md "Result"), written as JSON at the edge. The writer is plain string
//! building: a trace of millions of events is written in one pass without an intermediate tree.

use std::fmt::Write;

use crate::sim::Simulation;
use crate::trace::{Ev, Origin, TraceEvent};
use crate::world::{Halt, NodeError};

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

fn error_json(out: &mut String, e: &NodeError, uncaught: bool) {
    out.push_str("{\"code\":");
    match &e.code {
        Some(c) => json_string(out, c),
        None => out.push_str("null"),
    }
    out.push_str(",\"message\":");
    json_string(out, &e.message);
    if uncaught {
        out.push_str(",\"uncaught\":true");
    }
    out.push('}');
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

    pub fn summary_json(&self, out: &mut String) {
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
            None => out.push_str("null"),
        }
        out.push('}');
    }

    pub fn event_json(&self, out: &mut String, e: &TraceEvent) {
        let stream = match e.origin {
            Origin::Stream(s) => self.world.streams[s].name.as_str(),
            Origin::Loop => "loop",
        };
        let _ = write!(out, "{{\"t\":{},\"ev\":\"{}\",\"stream\":\"{}\"", e.t, e.ev.name(), stream);
        match e.ev {
            Ev::Read => {
                let _ = write!(out, ",\"rl\":{}", e.length);
            }
            Ev::Push => {
                let _ = write!(out, ",\"len\":{},\"ret\":{},\"rl\":{}", e.len, e.ret, e.length);
                if e.eof {
                    out.push_str(",\"eof\":true");
                }
            }
            Ev::Write => {
                let _ = write!(out, ",\"len\":{},\"ret\":{},\"wl\":{}", e.len, e.ret, e.length);
            }
            Ev::UnderscoreWrite => {
                let _ = write!(out, ",\"len\":{},\"wl\":{}", e.len, e.length);
            }
            Ev::Cb => {
                let _ = write!(out, ",\"wl\":{}", e.length);
            }
            Ev::Error => {
                out.push_str(",\"code\":");
                match &self.world.errors[e.error as usize].code {
                    Some(c) => json_string(out, c),
                    None => out.push_str("null"),
                }
            }
            _ => {}
        }
        out.push('}');
    }

    pub fn samples_json(&self, out: &mut String) {
        let names = self.stream_names();
        out.push('[');
        for (i, s) in self.samples.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"t\":{},\"buffered\":{{", s.t);
            for (j, (name, b)) in names.iter().zip(&s.buffered).enumerate() {
                if j > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"{name}\":{b}");
            }
            let _ = write!(out, "}},\"total\":{}}}", s.buffered.iter().sum::<u64>());
        }
        out.push(']');
    }

    /// The whole result@1 as JSON.
    pub fn result_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.world.rec.events.len() * 64);
        out.push_str("{\"schema\":\"streamlab/result@1\",\"name\":");
        json_string(&mut out, &self.scenario.name);
        out.push_str(",\"summary\":");
        self.summary_json(&mut out);
        out.push_str(",\"trace\":[");
        for (i, e) in self.world.rec.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('\n');
            self.event_json(&mut out, e);
        }
        out.push_str("],\"samples\":");
        self.samples_json(&mut out);
        if !self.world.rec.keep_trace {
            out.push_str(",\"traceOmitted\":true");
        }
        out.push_str("}\n");
        out
    }
}
