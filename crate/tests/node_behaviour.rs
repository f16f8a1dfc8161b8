//! Behaviour tests named after the Node states they exercise. Each runs a small scenario
//! through the public API and checks one rule of NODE-STREAMS.md in the trace or summary.
//! (The differential test under tests/node/ checks whole traces against real Node.)

use serde_json::{json, Value};
use streamlab::{run, RunError, Scenario, Simulation};

fn result(scenario: Value) -> Value {
    let sim = run(&scenario.to_string(), true).expect("runs");
    serde_json::from_str(&sim.result_json()).expect("valid JSON")
}

fn events<'a>(r: &'a Value, stream: &str, ev: &str) -> Vec<&'a Value> {
    r["trace"].as_array().unwrap().iter().filter(|e| e["stream"] == stream && e["ev"] == ev).collect()
}

fn pipeline(source: Value, transforms: Value, sink: Value) -> Value {
    json!({"schema": "streamlab/scenario@1", "connect": "pipeline", "source": source, "transforms": transforms, "sink": sink})
}

#[test]
fn write_returns_true_at_hwm_0_when_the_callback_is_synchronous() {
    let r = result(pipeline(
        json!({"chunks": 3, "chunk": {"bytes": 8}}),
        json!([]),
        json!({"highWaterMark": 0, "delayMs": null}),
    ));
    let writes = events(&r, "sink", "write");
    assert_eq!(writes.len(), 3);
    assert!(writes.iter().all(|w| w["ret"] == true && w["wl"] == 0));
}

#[test]
fn write_returns_false_at_hwm_0_when_the_callback_is_asynchronous() {
    let r = result(pipeline(
        json!({"chunks": 3, "chunk": {"bytes": 8}}),
        json!([]),
        json!({"highWaterMark": 0, "delayMs": 5}),
    ));
    let writes = events(&r, "sink", "write");
    assert!(writes.iter().all(|w| w["ret"] == false), "{writes:?}");
    assert_eq!(r["summary"]["writeFalse"], 3);
}

#[test]
fn drain_is_emitted_only_when_the_sink_buffer_is_empty_and_never_after_end() {
    let r = result(pipeline(
        json!({"chunks": 20, "chunk": {"text": "Chunk {n}\n"}, "highWaterMark": 64}),
        json!([]),
        json!({"highWaterMark": 32, "delayMs": 10}),
    ));
    let trace = r["trace"].as_array().unwrap();
    for (i, e) in trace.iter().enumerate() {
        if e["ev"] == "drain" {
            // the callback just before drain took the last buffered chunk
            let cb = trace[..i].iter().rev().find(|p| p["ev"] == "cb").unwrap();
            assert_eq!(cb["wl"], trace[..i].iter().rev().find(|p| p["ev"] == "_write").unwrap()["len"]);
        }
    }
    // five false writes but four drains: the fifth is suppressed by end()
    assert_eq!(r["summary"]["writeFalse"], 5);
    assert_eq!(r["summary"]["drainEvents"], 4);
    assert_eq!(r["summary"]["readCalls"], 21);
    assert_eq!(r["summary"]["endedAtMs"], 200);
}

#[test]
fn a_transform_holds_its_callback_while_its_readable_side_is_full() {
    // Sink never drains before t=100: the transform's readable side fills to its hwm, then
    // it holds the write callback, so its writable side buffers instead of transforming.
    let r = result(pipeline(
        json!({"chunks": 10, "chunk": {"bytes": 8}, "highWaterMark": 8}),
        json!([{"highWaterMark": 16}]),
        json!({"highWaterMark": 8, "delayMs": 100}),
    ));
    let at_zero: Vec<_> = events(&r, "t0", "_write").into_iter().filter(|e| e["t"] == 0).collect();
    let pushes: Vec<_> = events(&r, "t0", "push").into_iter().filter(|e| e["t"] == 0).collect();
    assert!(at_zero.len() < 10, "the transform must stop transforming: {}", at_zero.len());
    assert_eq!(pushes.last().unwrap()["rl"], 16, "it stops once its readable side reaches its hwm");
}

#[test]
fn an_object_mode_source_into_a_byte_sink_is_an_uncaught_error_that_stops_the_run() {
    let r = result(pipeline(
        json!({"chunks": 3, "chunk": {"object": 4}, "objectMode": true}),
        json!([]),
        json!({"delayMs": 1}),
    ));
    let err = &r["summary"]["error"];
    assert_eq!(err["code"], "ERR_INVALID_ARG_TYPE");
    assert_eq!(err["uncaught"], true);
    assert_eq!(r["summary"]["endedAtMs"], 0);
    assert!(events(&r, "sink", "write").is_empty(), "write() threw, so it never returned");
}

#[test]
fn a_failing_sink_destroys_the_whole_pipeline_with_its_error() {
    let r = result(pipeline(
        json!({"chunks": 50, "chunk": {"bytes": 4}, "highWaterMark": 8}),
        json!([{"highWaterMark": 8}]),
        json!({"highWaterMark": 8, "delayMs": 2, "failAt": 2}),
    ));
    assert_eq!(r["summary"]["error"]["code"], "FAIL_AT");
    assert_eq!(r["summary"]["error"]["message"], "sink failAt: _write #2 failed");
    let order: Vec<String> = r["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["ev"] == "error" || e["ev"] == "close")
        .map(|e| format!("{} {}", e["stream"].as_str().unwrap(), e["ev"].as_str().unwrap()))
        .collect();
    assert_eq!(order, ["sink error", "sink close", "source error", "source close", "t0 error", "t0 close"]);
}

#[test]
fn empty_byte_chunks_stall_the_pipeline_as_real_node_does() {
    let r = result(pipeline(json!({"chunks": 4, "chunk": {"bytes": 0}}), json!([]), json!({"delayMs": 1})));
    assert_eq!(r["summary"]["consumed"], 0);
    assert!(events(&r, "sink", "finish").is_empty());
    assert_eq!(r["summary"]["error"], Value::Null);
}

#[test]
fn the_write_loop_waits_for_drain_only_when_it_respects_backpressure() {
    let lp = |respect: bool| {
        json!({"schema": "streamlab/scenario@1", "connect": "write-loop", "sink": {"highWaterMark": 16, "delayMs": 1},
        "writeLoop": {"items": 5, "chunk": {"text": "1234567\n"}, "respectBackpressure": respect}})
    };
    let with = result(lp(true));
    let without = result(lp(false));
    assert_eq!(with["summary"]["backpressurePauses"], events(&with, "loop", "wait").len());
    assert_eq!(events(&with, "loop", "wait").len(), events(&with, "loop", "wake").len());
    assert!(with["summary"]["backpressurePauses"].as_u64().unwrap() > 0);
    assert_eq!(without["summary"]["backpressurePauses"], 0);
    assert_eq!(without["summary"]["drainEvents"], 0, "end() right after the writes suppresses drain");
}

#[test]
fn node_22_defaults_the_byte_hwm_to_64_kib() {
    let sc = |node: u8| {
        json!({"schema": "streamlab/scenario@1", "connect": "pipeline", "source": {"chunks": 20, "chunk": {"bytes": 5000}},
        "sink": {"delayMs": 10}, "node": node})
    };
    assert_eq!(result(sc(20))["summary"]["writeFalse"], 5);
    assert_eq!(result(sc(22))["summary"]["writeFalse"], 1);
}

#[test]
fn samples_cover_every_multiple_and_the_end_once() {
    let mut sc = pipeline(
        json!({"chunks": 20, "chunk": {"text": "Chunk {n}\n"}, "highWaterMark": 64}),
        json!([]),
        json!({"highWaterMark": 32, "delayMs": 10}),
    );
    sc["sampleEveryMs"] = json!(30);
    let r = result(sc);
    let ts: Vec<u64> = r["samples"].as_array().unwrap().iter().map(|s| s["t"].as_u64().unwrap()).collect();
    assert_eq!(ts, [0, 30, 60, 90, 120, 150, 180, 200]);
}

#[test]
fn a_run_past_the_event_budget_stops_with_a_message() {
    let sc = Scenario::from_json(r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":100000,"chunk":{"bytes":1}},"sink":{}}"#)
        .unwrap();
    let mut sim = Simulation::new(sc, false);
    sim.world.event_budget = 1000;
    sim.run_to_end();
    assert!(sim.budget_exceeded().unwrap().contains("event budget"));
    // and the public entry point turns a budget stop into an error, never a result
    assert!(matches!(run("{", false), Err(RunError::Invalid(_))));
}

#[test]
fn summary_only_runs_keep_no_trace_but_the_same_counters() {
    let sc = pipeline(
        json!({"chunks": 50, "chunk": {"bytes": 100}, "highWaterMark": 128}),
        json!([{"delayMs": 1}]),
        json!({"highWaterMark": 64, "delayMs": 3}),
    );
    let full = run(&sc.to_string(), true).unwrap();
    let lean = run(&sc.to_string(), false).unwrap();
    assert!(lean.world.rec.events.is_empty());
    assert_eq!(full.world.rec.counters, lean.world.rec.counters);
}

#[test]
fn the_buffered_log_rebuilds_every_stream_at_every_event_from_its_changes() {
    // 6 streams and 3,000+ events: several snapshots, and changes between them.
    let json = json!({"schema": "streamlab/scenario@1", "connect": "pipeline",
        "source": {"chunks": 300, "chunk": {"bytes": 10}, "highWaterMark": 25},
        "transforms": [{"highWaterMark": 15, "delayMs": 2}, {"highWaterMark": 40}, {}, {"highWaterMark": 7}],
        "sink": {"highWaterMark": 30, "delayMs": 3}});
    let sim = run(&json.to_string(), true).unwrap();
    let w = &sim.world;
    let n = w.streams.len();
    assert!(w.rec.events.len() > 3 * streamlab::trace::BufferedLog::SNAPSHOT_EVERY);
    // Replaying the trace: a stream's row changes only where the trace says its length did,
    // the peak of the rows' sums is the summary's maxBufferedBytes, and the last row is now.
    let mut peak = 0;
    for i in 0..w.rec.events.len() {
        let row = w.rec.buffered_after.after(i, n);
        peak = peak.max(row.iter().sum::<u64>());
        // The source holds only rl and the sink only wl: there the event's own length is the row's.
        let e = w.rec.events.get(i).unwrap();
        let exact = match (e.origin, e.ev.name()) {
            (streamlab::trace::Origin::Stream(0), "push" | "read") => Some(0),
            (streamlab::trace::Origin::Stream(s), "write" | "_write" | "cb") if s == w.sink => Some(s),
            _ => None,
        };
        if let Some(s) = exact {
            assert_eq!(row[s], e.length, "event {i} ({}) on stream {s}", e.ev.name());
        }
    }
    assert_eq!(peak, w.rec.counters.max_buffered_bytes);
    let last = w.rec.buffered_after.after(w.rec.events.len() - 1, n);
    assert_eq!(last, (0..n).map(|s| w.buffered(s)).collect::<Vec<_>>());
}
