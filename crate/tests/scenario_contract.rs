//! The scenario contract (docs/SCENARIO.md) at its edges, where the core once differed from
//! Node and from the oracle (tests/node/oracle.cjs): nested text templates, lone surrogates,
//! the event budget's boundary, and fields that must be absent rather than null.

use serde_json::{json, Value};
use streamlab::{run, RunError, Scenario, Simulation};

const SCHEMA: &str = "streamlab/scenario@1";

fn result(scenario: &str) -> Value {
    let sim = run(scenario, true).unwrap_or_else(|e| panic!("{e}: {scenario}"));
    serde_json::from_str(&sim.result_json()).expect("valid JSON")
}

/// `len` of every `push` of a data chunk by the source.
fn pushed_lengths(r: &Value) -> Vec<u64> {
    let trace = r["trace"].as_array().unwrap();
    let pushes = trace.iter().filter(|e| e["stream"] == "source" && e["ev"] == "push" && e.get("eof").is_none());
    pushes.map(|e| e["len"].as_u64().unwrap()).collect()
}

fn text_pipeline(text: &str, chunks: u64) -> Value {
    json!({"schema": SCHEMA, "name": "t", "connect": "pipeline",
           "source": {"chunks": chunks, "chunk": {"text": text}}, "sink": {"delayMs": null}})
}

fn refusal(scenario: &Value) -> String {
    match run(&scenario.to_string(), false) {
        Err(RunError::Invalid(m)) => m,
        Err(RunError::Limit(m)) => panic!("a limit, not a refusal: {m}"),
        Ok(_) => panic!("accepted: {scenario}"),
    }
}

// ---- 1. templates: one pass over the original text ---------------------------------------

#[test]
fn nested_placeholders_expand_in_one_pass_like_javascript_replace() {
    // Node: '{i{n}}'.replace(/\{([ni])\}/g, …) for chunk 1 is '{i1}' (4 bytes), not '0'.
    let r = result(&text_pipeline("{i{n}}", 12).to_string());
    let mut want = vec![4; 9]; // chunks 1..9: "{i" + one digit + "}"
    want.extend([5, 5, 5]); // chunks 10..12: two digits
    assert_eq!(pushed_lengths(&r), want);
    // Side by side and inside each other's braces: '{n{i}}{{n}i}' for chunk 3 is '{n2}{3i}'.
    let r = result(&text_pipeline("{n{i}}{{n}i}", 3).to_string());
    assert_eq!(pushed_lengths(&r), [8, 8, 8]);
    // A placeholder's own braces are never reused: '{{n}}' is '{' + digits + '}'.
    let sc = Scenario::from_json(&text_pipeline("{{n}}{i}}", 1).to_string()).unwrap();
    assert_eq!(sc.source.unwrap().chunk.bytes_of(0), 5); // "{1}0}"
}

// ---- 2. lone surrogates: valid JSON, U+FFFD as Node writes them --------------------------

#[test]
fn a_lone_surrogate_escape_is_accepted_and_counts_as_u_fffd() {
    // Buffer.byteLength('\ud800') === 3, Buffer.byteLength('\udc00x\ud83d\ude00') === 8.
    let text = r#"{"schema":"streamlab/scenario@1","name":"a\ud800b","connect":"pipeline",
        "source":{"chunks":2,"chunk":{"text":"\ud800"}},"sink":{"delayMs":null}}"#;
    let r = result(text);
    assert_eq!(pushed_lengths(&r), [3, 3]);
    assert_eq!(r["name"], "a\u{FFFD}b");
    let pair = text.replace(r#""text":"\ud800""#, r#""text":"\udc00x\ud83d\ude00""#);
    assert_eq!(pushed_lengths(&result(&pair)), [8, 8]);
    // reversed halves are two lone surrogates; a high one before a non-surrogate escape too
    let reversed = text.replace(r#""text":"\ud800""#, r#""text":"\uDC00\uD800\u0041""#);
    assert_eq!(pushed_lengths(&result(&reversed)), [7, 7]);
    // an escaped backslash is not an escape: "\\ud800" is the 6 characters \ud800
    let literal = text.replace(r#""text":"\ud800""#, r#""text":"\\ud800""#);
    assert_eq!(pushed_lengths(&result(&literal)), [6, 6]);
}

#[test]
fn a_json_error_after_a_rewritten_surrogate_keeps_its_line_and_column() {
    let plain = "{\"name\":\"\\u0041\",\n  oops}";
    let lone = "{\"name\":\"\\ud800\",\n  oops}";
    let (a, b) = (Scenario::from_json(plain).unwrap_err(), Scenario::from_json(lone).unwrap_err());
    assert!(b.contains("line 2, column 3"), "{b}");
    assert_eq!(a, b);
}

// ---- 3. the event budget: a run of exactly the budget gives its result --------------------

fn events_with_budget(budget: u64) -> Result<u64, String> {
    let text = text_pipeline("Chunk {n}\n", 50).to_string();
    let mut sim = Simulation::new(Scenario::from_json(&text).unwrap(), true);
    sim.world.event_budget = budget;
    sim.run_to_end();
    match sim.budget_exceeded() {
        Some(msg) => Err(msg.to_string()),
        None => Ok(sim.world.rec.event_count),
    }
}

#[test]
fn a_run_of_exactly_the_event_budget_is_not_stopped() {
    let n = events_with_budget(u64::MAX).unwrap();
    assert!(n > 100, "{n} events");
    assert_eq!(events_with_budget(n), Ok(n));
    let stopped = events_with_budget(n - 1).unwrap_err();
    assert!(stopped.contains(&format!("stopped after {n} events")), "{stopped}");
    assert!(stopped.contains(&format!("event budget of {}", n - 1)), "{stopped}");
}

// ---- 4. validation: absent and null are not the same --------------------------------------

fn pipeline() -> Value {
    json!({"schema": SCHEMA, "name": "x", "connect": "pipeline",
           "source": {"chunks": 2, "chunk": {"text": "a"}}, "transforms": [{}], "sink": {"delayMs": 1}})
}

fn write_loop() -> Value {
    json!({"schema": SCHEMA, "name": "x", "connect": "write-loop", "sink": {"delayMs": 1},
           "writeLoop": {"items": 2, "chunk": {"text": "a"}, "respectBackpressure": true}})
}

fn with(mut scenario: Value, path: &[&str], value: Option<Value>) -> Value {
    let (last, init) = path.split_last().unwrap();
    let mut at = &mut scenario;
    for k in init {
        at = if let Ok(i) = k.parse::<usize>() { &mut at[i] } else { &mut at[*k] };
    }
    let obj = at.as_object_mut().unwrap();
    match value {
        Some(v) => obj.insert(last.to_string(), v),
        None => obj.remove(*last),
    };
    scenario
}

#[test]
fn the_bases_of_the_cases_below_are_well_formed() {
    for s in [pipeline(), write_loop(), with(pipeline(), &["transforms"], None), with(pipeline(), &["name"], None)] {
        run(&s.to_string(), true).unwrap_or_else(|e| panic!("{e}: {s}"));
    }
    // null keeps its documented meaning where the contract gives it one
    let mut s = pipeline();
    s["source"]["readDelayMs"] = Value::Null;
    s["transforms"][0] = json!({"delayMs": null, "throttleBytesPerSec": null});
    s["sink"] = json!({"delayMs": null, "failAt": null});
    run(&s.to_string(), true).unwrap();
}

#[test]
fn missing_or_null_fields_that_the_contract_does_not_allow_are_refused_by_name() {
    let null = Some(Value::Null);
    let cases: Vec<(Value, &str)> = vec![
        (with(pipeline(), &["schema"], None), "schema: missing"),
        (with(pipeline(), &["name"], null.clone()), "name: expected a string"),
        (with(pipeline(), &["transforms"], null.clone()), "transforms: expected an array"),
        (with(pipeline(), &["writeLoop"], null.clone()), "writeLoop: only allowed with connect \"write-loop\""),
        (with(write_loop(), &["source"], null.clone()), "source: not allowed with connect \"write-loop\""),
        (with(write_loop(), &["transforms"], Some(json!([]))), "transforms: not allowed with connect \"write-loop\""),
        (with(write_loop(), &["transforms"], null.clone()), "transforms: not allowed with connect \"write-loop\""),
        (with(pipeline(), &["sampleEveryMs"], null.clone()), "sampleEveryMs: null is not a value"),
        (with(pipeline(), &["source", "highWaterMark"], null.clone()), "source.highWaterMark: null is not a value"),
        (with(pipeline(), &["source", "objectMode"], null.clone()), "source.objectMode: null is not a value"),
        (with(pipeline(), &["transforms", "0", "highWaterMark"], null.clone()), "transforms[0].highWaterMark: null"),
        (with(pipeline(), &["transforms", "0", "objectMode"], null.clone()), "transforms[0].objectMode: null"),
        (with(pipeline(), &["sink", "highWaterMark"], null.clone()), "sink.highWaterMark: null is not a value"),
        (with(write_loop(), &["sink", "objectMode"], null.clone()), "sink.objectMode: null is not a value"),
    ];
    for (scenario, start) in cases {
        let message = refusal(&scenario);
        assert!(message.starts_with(start), "{scenario}\nwanted: {start}…\ngot: {message}");
    }
}

#[test]
fn a_text_chunk_of_exactly_64_mib_after_expansion_is_accepted_and_one_byte_more_is_refused() {
    // Item 12 is the largest: '{n}' becomes "12" and '{i}' "11", 4 bytes for the 6 of the template.
    let at = |text: String| {
        json!({"schema": SCHEMA, "connect": "write-loop", "sink": {},
               "writeLoop": {"items": 12, "chunk": {"text": text}, "respectBackpressure": true}})
        .to_string()
    };
    let fill = "y".repeat(64 * 1024 * 1024 - 4);
    assert!(Scenario::from_json(&at(format!("{fill}{{n}}{{i}}"))).is_ok());
    let e = Scenario::from_json(&at(format!("y{fill}{{n}}{{i}}"))).unwrap_err();
    assert!(e.starts_with("writeLoop.chunk.text: a chunk would be 67108865 bytes"), "{e}");
}

// ---- 4. an untraced run is bounded by wall time, not by its event count -------------------

/// A clock that moves one second each time it is read.
fn racing_clock() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static MS: AtomicU64 = AtomicU64::new(0);
    MS.fetch_add(1000, Ordering::Relaxed) as f64
}

fn frozen_clock() -> f64 {
    0.0
}

const LONG_UNTRACED: &str = r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":10000000,"chunk":{"bytes":1}},"transforms":[{},{}],"sink":{}}"#;

#[test]
fn an_untraced_run_past_its_time_budget_stops_with_a_message_naming_it() {
    let Err(RunError::Limit(msg)) = streamlab::run_within(LONG_UNTRACED, false, racing_clock, 0.5) else {
        panic!("expected the time budget to stop the run")
    };
    assert!(msg.contains("time budget of 0.5 s"), "{msg}");
    assert!(msg.contains("stopped after 65536 events"), "the clock is read every 65,536 events: {msg}");
    assert!(msg.contains("--max-seconds"), "the message says how to change it: {msg}");
}

#[test]
fn a_time_budget_lifts_the_untraced_event_count_budget_but_not_the_traced_one() {
    let sc = |json: &str| Scenario::from_json(json).unwrap();
    let mut untraced = Simulation::new(sc(LONG_UNTRACED), false);
    untraced.set_time_budget(frozen_clock, 60.0);
    assert_eq!(untraced.world.event_budget, u64::MAX);
    let mut traced = Simulation::new(sc(LONG_UNTRACED), true);
    traced.set_time_budget(frozen_clock, 60.0);
    assert_eq!(traced.world.event_budget, streamlab::sim::EVENT_BUDGET, "the trace's memory still bounds a traced run");
}
