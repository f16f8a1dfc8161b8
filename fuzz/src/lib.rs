//! What the fuzz targets share: a decoder from the fuzzer's bytes to valid scenarios (every
//! feature of docs/SCENARIO.md), the runner's tight limits, and the invariants a run must keep.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};
use streamlab::scenario::{
    Connect, MAX_CHUNK_BYTES, MAX_COUNT, MAX_DELAY_MS, MAX_HWM, MAX_SAMPLE_EVERY, MAX_TRANSFORMS,
};
use streamlab::trace::{Ev, Origin};
use streamlab::{RunError, Scenario, Simulation};

/// Events per fuzzed run: enough for back-pressure to build and drain a few times over, small
/// enough for about a thousand runs a second (each scenario runs twice, trace on and off).
pub const EVENT_BUDGET: u64 = 400;
pub const SAMPLE_BUDGET: usize = 200;

/// A message the core gives for bad input: no raw control character (it may be printed on a
/// terminal) and short, whatever the input's size.
pub fn check_message(msg: &str) {
    assert!(!msg.is_empty(), "an empty message");
    assert!(!msg.chars().any(char::is_control), "a control character in the message: {msg:?}");
    assert!(msg.chars().count() <= 600, "a message of {} characters: {msg:?}", msg.chars().count());
}

#[derive(Arbitrary, Debug)]
enum Hwm {
    Absent,
    Zero,
    One,
    Small(u8),
    Mid(u16),
    Max,
    Any(u32),
}

impl Hwm {
    fn put(&self, obj: &mut Map<String, Value>) {
        let v = match *self {
            Hwm::Absent => return,
            Hwm::Zero => 0,
            Hwm::One => 1,
            Hwm::Small(n) => u64::from(n),
            Hwm::Mid(n) => u64::from(n),
            Hwm::Max => MAX_HWM,
            Hwm::Any(n) => u64::from(n).min(MAX_HWM),
        };
        obj.insert("highWaterMark".into(), json!(v));
    }
}

/// A delay as the contract allows it: absent, null, 0, fractions (below 1 and above), small
/// and large whole numbers, the maximum.
#[derive(Arbitrary, Debug)]
enum Delay {
    Absent,
    Null,
    Zero,
    Tenths(u8),
    Small(u8),
    Mid(u16),
    Max,
}

impl Delay {
    fn value(&self) -> Option<Value> {
        Some(match *self {
            Delay::Absent => return None,
            Delay::Null => Value::Null,
            Delay::Zero => json!(0),
            Delay::Tenths(n) => json!(f64::from(n) / 10.0),
            Delay::Small(n) => json!(n % 20),
            Delay::Mid(n) => json!(n),
            Delay::Max => json!(MAX_DELAY_MS),
        })
    }
    fn is_set(&self) -> bool {
        !matches!(self, Delay::Absent | Delay::Null)
    }
}

/// Chunk and item counts: mostly small; the budget stops the large ones.
#[derive(Arbitrary, Debug)]
enum Count {
    Small(u8),
    Mid(u16),
    Max,
}

impl Count {
    fn value(&self) -> u64 {
        match *self {
            Count::Small(n) => u64::from(n % 40),
            Count::Mid(n) => u64::from(n),
            Count::Max => MAX_COUNT,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Size {
    Small(u8),
    Mid(u16),
    Max,
}

impl Size {
    fn value(&self) -> u64 {
        match *self {
            Size::Small(n) => u64::from(n % 100),
            Size::Mid(n) => u64::from(n),
            Size::Max => MAX_CHUNK_BYTES,
        }
    }
}

/// Pieces of a text template: text (any Unicode), the placeholders, and braces that may make
/// or break placeholders (`{i{n}}`).
#[derive(Arbitrary, Debug)]
enum Piece {
    Text(String),
    N,
    I,
    Open,
    Close,
    Letter(bool),
}

#[derive(Arbitrary, Debug)]
enum Chunk {
    Text(Vec<Piece>),
    Bytes(Size),
    Object(Size),
}

impl Chunk {
    /// `object_mode`: whether the stream may take object chunks (else they become bytes).
    fn value(&self, object_mode: bool) -> Value {
        match self {
            Chunk::Text(pieces) => {
                let mut t = String::new();
                for p in pieces.iter().take(16) {
                    match p {
                        Piece::Text(s) => t.extend(s.chars().take(32)),
                        Piece::N => t.push_str("{n}"),
                        Piece::I => t.push_str("{i}"),
                        Piece::Open => t.push('{'),
                        Piece::Close => t.push('}'),
                        Piece::Letter(n) => t.push(if *n { 'n' } else { 'i' }),
                    }
                }
                json!({ "text": t })
            }
            Chunk::Bytes(n) => json!({ "bytes": n.value() }),
            Chunk::Object(n) if object_mode => json!({ "object": n.value() }),
            Chunk::Object(n) => json!({ "bytes": n.value() }),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Flag {
    Absent,
    False,
    True,
}

impl Flag {
    fn put(&self, obj: &mut Map<String, Value>) -> bool {
        match self {
            Flag::Absent => false,
            Flag::False => {
                obj.insert("objectMode".into(), json!(false));
                false
            }
            Flag::True => {
                obj.insert("objectMode".into(), json!(true));
                true
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Throttle {
    Absent,
    Null,
    /// Bytes (or chunks) per second as n / 16: fractions, and rates below 1.
    Sixteenths(u32),
    Max,
}

#[derive(Arbitrary, Debug)]
struct Transform {
    hwm: Hwm,
    object_mode: Flag,
    delay: Delay,
    throttle: Throttle,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Absent,
    Text(String),
    /// A lone surrogate escape, which JavaScript reads as U+FFFD.
    LoneSurrogate,
}

#[derive(Arbitrary, Debug)]
enum SampleEvery {
    Absent,
    Small(u8),
    Mid(u16),
    Max,
}

#[derive(Arbitrary, Debug)]
enum ConnectKind {
    Pipeline,
    Pipe,
    WriteLoop,
}

/// A scenario decoded from fuzzer bytes; [`FuzzScenario::to_json`] always gives a valid one.
#[derive(Arbitrary, Debug)]
pub struct FuzzScenario {
    name: Name,
    connect: ConnectKind,
    chunks: Count,
    chunk: Chunk,
    source_hwm: Hwm,
    source_object_mode: Flag,
    read_delay: Delay,
    transforms: Vec<Transform>,
    sink_hwm: Hwm,
    sink_object_mode: Flag,
    sink_delay: Delay,
    fail_at: Option<Option<u8>>,
    respect_backpressure: bool,
    sample_every: SampleEvery,
    node22: Option<bool>,
}

impl FuzzScenario {
    pub fn to_json(&self) -> String {
        let mut top = Map::new();
        top.insert("schema".into(), json!("streamlab/scenario@1"));
        if let Name::Text(s) = &self.name {
            top.insert("name".into(), json!(s));
        }
        let mut sink = Map::new();
        self.sink_hwm.put(&mut sink);
        let sink_object_mode = self.sink_object_mode.put(&mut sink);
        if let Some(d) = self.sink_delay.value() {
            sink.insert("delayMs".into(), d);
        }
        match self.fail_at {
            None => {}
            Some(None) => {
                sink.insert("failAt".into(), Value::Null);
            }
            Some(Some(k)) => {
                sink.insert("failAt".into(), json!(u64::from(k) % 30 + 1));
            }
        }
        top.insert("sink".into(), sink.into());
        match self.connect {
            ConnectKind::WriteLoop => {
                top.insert("connect".into(), json!("write-loop"));
                top.insert(
                    "writeLoop".into(),
                    json!({
                        "items": self.chunks.value(),
                        "chunk": self.chunk.value(sink_object_mode),
                        "respectBackpressure": self.respect_backpressure,
                    }),
                );
            }
            ConnectKind::Pipeline | ConnectKind::Pipe => {
                let kind = if matches!(self.connect, ConnectKind::Pipe) { "pipe" } else { "pipeline" };
                top.insert("connect".into(), json!(kind));
                let mut src = Map::new();
                src.insert("chunks".into(), json!(self.chunks.value()));
                self.source_hwm.put(&mut src);
                let object_mode = self.source_object_mode.put(&mut src);
                src.insert("chunk".into(), self.chunk.value(object_mode));
                if let Some(d) = self.read_delay.value() {
                    src.insert("readDelayMs".into(), d);
                }
                top.insert("source".into(), src.into());
                if !self.transforms.is_empty() {
                    let ts: Vec<Value> = self.transforms.iter().take(MAX_TRANSFORMS).map(transform_json).collect();
                    top.insert("transforms".into(), ts.into());
                }
            }
        }
        match self.sample_every {
            SampleEvery::Absent => {}
            SampleEvery::Small(n) => {
                top.insert("sampleEveryMs".into(), json!(u64::from(n % 20) + 1));
            }
            SampleEvery::Mid(n) => {
                top.insert("sampleEveryMs".into(), json!(u64::from(n) + 1));
            }
            SampleEvery::Max => {
                top.insert("sampleEveryMs".into(), json!(MAX_SAMPLE_EVERY));
            }
        }
        match self.node22 {
            None => {}
            Some(false) => {
                top.insert("node".into(), json!(20));
            }
            Some(true) => {
                top.insert("node".into(), json!(22));
            }
        }
        let text = Value::Object(top).to_string();
        if let Name::LoneSurrogate = self.name {
            // After "{", so the key order of the map does not matter.
            return format!("{{\"name\":\"a\\ud800b\\udc00\",{}", &text[1..]);
        }
        text
    }
}

fn transform_json(t: &Transform) -> Value {
    let mut obj = Map::new();
    t.hwm.put(&mut obj);
    t.object_mode.put(&mut obj);
    let throttle = match t.throttle {
        Throttle::Absent => None,
        Throttle::Null => Some(Value::Null),
        Throttle::Sixteenths(n) => Some(json!(f64::from(n.max(1)) / 16.0)),
        Throttle::Max => Some(json!(1e12)),
    };
    let throttled = matches!(&throttle, Some(v) if !v.is_null());
    // Both a delay and a throttle are refused: keep the throttle.
    if !(throttled && t.delay.is_set()) {
        if let Some(d) = t.delay.value() {
            obj.insert("delayMs".into(), d);
        }
    }
    if let Some(v) = throttle {
        obj.insert("throttleBytesPerSec".into(), v);
    }
    obj.into()
}

/// Runs a valid scenario under the fuzz limits, trace on, and checks everything that must
/// hold of the run; then again with the trace off, which must give the same summary.
pub fn run_and_check(scenario: &Scenario) {
    let traced = run_limited(scenario.clone(), true);
    let untraced = run_limited(scenario.clone(), false);
    match (&traced, &untraced) {
        (Ok(a), Ok(b)) => {
            let (mut sa, mut sb) = (String::new(), String::new());
            a.summary_json(&mut sa);
            b.summary_json(&mut sb);
            assert_eq!(sa, sb, "trace on and off give different summaries");
            assert_eq!(a.samples, b.samples, "trace on and off give different samples");
            check_result(a);
        }
        // The untraced run records the same events, so it passes the budget at the same one.
        (Err(RunError::Limit(a)), Err(RunError::Limit(b))) => {
            check_message(a);
            check_message(b);
        }
        (a, b) => panic!(
            "trace on and off end differently: {:?} / {:?}",
            a.as_ref().map(|_| "a result"),
            b.as_ref().map(|_| "a result")
        ),
    }
}

fn run_limited(scenario: Scenario, keep_trace: bool) -> Result<Simulation, RunError> {
    let mut sim = Simulation::new(scenario, keep_trace);
    sim.world.event_budget = EVENT_BUDGET;
    sim.sample_budget = SAMPLE_BUDGET;
    sim.run_to_end();
    assert!(sim.is_done(), "run_to_end returned before the run was over");
    assert!(!sim.step(), "a finished run stepped again");
    if let Some(msg) = sim.budget_exceeded() {
        return Err(RunError::Limit(msg.to_string()));
    }
    Ok(sim)
}

/// The invariants of a finished run with its trace: the result is JSON and says what the
/// simulation holds, and every summary counter is what its trace shows.
fn check_result(sim: &Simulation) {
    let w = &sim.world;
    let rec = &w.rec;
    let c = &rec.counters;
    let n = w.streams.len();
    assert_eq!(rec.event_count, rec.events.len() as u64);
    // (The rows are the state after each event; lengths may still change after the last one,
    // e.g. a destroyed stream's buffered writes failed in a tick, so the last row need not be
    // the final state. The rows are checked against maxBufferedBytes below.)

    // The whole result is JSON (checked without building a tree: that would cost more than
    // the run), of the length the native runner measures before writing it.
    let json = sim.result_json();
    serde_json::from_str::<serde::de::IgnoredAny>(&json).unwrap_or_else(|e| panic!("the result is not JSON: {e}"));
    assert_eq!(sim.result_len(), json.len() as u64, "result_len");
    let mut text = String::new();
    sim.summary_json(&mut text);
    let summary: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("the summary is not JSON: {e}"));
    for (field, want) in [
        ("produced", c.produced),
        ("readCalls", c.read_calls),
        ("consumed", c.consumed),
        ("writeFalse", c.write_false),
        ("drainEvents", c.drain_events),
        ("backpressurePauses", c.backpressure_pauses),
        ("maxWritableLengthInWrite", c.max_writable_length_in_write),
        ("maxBufferedBytes", c.max_buffered_bytes),
        ("endedAtMs", c.ended_at_ms),
    ] {
        assert_eq!(summary[field].as_u64(), Some(want), "summary.{field}");
    }
    if let Some(err) = summary.get("error").filter(|e| !e.is_null()) {
        assert!(err["message"].is_string(), "an error without a message: {err}");
    }

    let on = |e: &streamlab::trace::TraceEvent, s: Option<usize>| e.origin == s.map_or(Origin::Loop, Origin::Stream);
    let sink = Some(w.sink);
    let count = |f: &dyn Fn(&streamlab::trace::TraceEvent) -> bool| rec.events.iter().filter(|e| f(e)).count() as u64;
    assert_eq!(c.read_calls, count(&|e| e.ev == Ev::Read && on(e, w.source)), "readCalls vs the trace");
    assert_eq!(c.consumed, count(&|e| e.ev == Ev::UnderscoreWrite && on(e, sink)), "consumed vs the trace");
    assert_eq!(c.write_false, count(&|e| e.ev == Ev::Write && !e.ret && on(e, sink)), "writeFalse vs the trace");
    assert_eq!(c.drain_events, count(&|e| e.ev == Ev::Drain && on(e, sink)), "drainEvents vs the trace");
    assert_eq!(c.backpressure_pauses, count(&|e| e.ev == Ev::Wait), "backpressurePauses vs the trace");
    let max_wl = rec.events.iter().filter(|e| e.ev == Ev::UnderscoreWrite && on(e, sink)).map(|e| e.length).max();
    assert_eq!(c.max_writable_length_in_write, max_wl.unwrap_or(0), "maxWritableLengthInWrite vs the trace");
    let produced = match sim.scenario.connect {
        Connect::WriteLoop => count(&|e| e.ev == Ev::Write && on(e, sink)),
        _ => count(&|e| e.ev == Ev::Push && !e.eof && on(e, w.source)),
    };
    assert_eq!(c.produced, produced, "produced vs the trace");
    let max_total = (0..rec.events.len()).map(|i| rec.buffered_after.after(i, n).iter().sum::<u64>()).max();
    assert_eq!(c.max_buffered_bytes, max_total.unwrap_or(0), "maxBufferedBytes vs the buffered rows");
    if let Some(wl) = &sim.scenario.write_loop {
        assert!(c.produced <= wl.items, "the loop wrote {} of {} items", c.produced, wl.items);
    }
    if let Some(src) = &sim.scenario.source {
        assert!(c.produced <= src.chunks, "the source pushed {} of {} chunks", c.produced, src.chunks);
    }

    // Time: events in order, none after the end; samples from 0 to the end, in order.
    assert!(rec.events.iter().zip(rec.events.iter().skip(1)).all(|(a, b)| a.t <= b.t), "trace times go back");
    assert!(rec.events.iter().all(|e| e.t <= c.ended_at_ms), "an event after endedAtMs");
    if sim.scenario.sample_every_ms.is_some() {
        assert_eq!(sim.samples.first().map(|s| s.t), Some(0), "the first sample is not at 0");
        assert_eq!(sim.samples.last().map(|s| s.t), Some(c.ended_at_ms), "the last sample is not at the end");
        assert!(sim.samples.windows(2).all(|p| p[0].t < p[1].t), "sample times not increasing");
        assert!(sim.samples.iter().all(|s| s.buffered.len() == n));
    } else {
        assert!(sim.samples.is_empty());
    }
}
