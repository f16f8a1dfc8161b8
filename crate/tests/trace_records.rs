//! The trace's records: what goes in comes back out, wide values included, and a traced run
//! keeps at most 32 bytes per event at any number of streams.

use serde_json::json;
use streamlab::trace::{Ev, Origin, Trace, TraceEvent};

fn event(t: u64, ev: Ev, origin: Origin, len: u64, length: u64) -> TraceEvent {
    TraceEvent { t, ev, origin, len, length, ret: false, eof: false, error: 0 }
}

#[test]
fn events_come_back_as_they_went_in_wide_values_and_all() {
    let wide = u32::MAX as u64;
    let events = vec![
        event(0, Ev::Read, Origin::Stream(0), 0, 0),
        TraceEvent { ret: true, eof: true, ..event(0, Ev::Push, Origin::Stream(0), 1024, 1024) },
        event(0, Ev::Write, Origin::Loop, wide, wide),
        event(7, Ev::UnderscoreWrite, Origin::Stream(3), wide - 1, 1 << 40),
        TraceEvent { error: 5, ..event(7, Ev::Error, Origin::Stream(3), 0, 0) },
        event(1 << 45, Ev::Cb, Origin::Stream(3), 0, u64::MAX),
        event(1 << 45, Ev::Wake, Origin::Loop, 0, 0),
        event((1 << 45) + 1, Ev::Drain, Origin::Stream(70_000), 0, 0),
    ];
    let mut trace = Trace::default();
    for e in &events {
        trace.push(*e);
    }
    assert_eq!(trace.len(), events.len());
    assert_eq!(trace.iter().collect::<Vec<_>>(), events);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(trace.get(i).as_ref(), Some(e), "event {i}");
    }
    assert_eq!(trace.get(events.len()), None);
    // Three distinct times: three runs, not one entry per event.
    assert_eq!(trace.time_at.len(), 4);
    // Only the values that do not fit 4 bytes go to the side lists.
    assert_eq!(trace.len_wide.value.len(), 1);
    assert_eq!(trace.length_wide.value.len(), 3);
}

fn traced_bytes_per_event(transforms: usize) -> (f64, f64, usize) {
    let sc = json!({"schema": "streamlab/scenario@1", "connect": "pipeline",
        "source": {"chunks": 2000, "chunk": {"bytes": 1024}, "highWaterMark": 16384},
        "transforms": vec![json!({"highWaterMark": 16384}); transforms],
        "sink": {"highWaterMark": 16384, "delayMs": 1}});
    let sim =
        streamlab::run_scenario(streamlab::scenario::Scenario::from_json(&sc.to_string()).unwrap(), true).unwrap();
    let rec = &sim.world.rec;
    let n = rec.events.len();
    let used = rec.events.used_bytes() + rec.buffered_after.used_bytes();
    let held = rec.events.heap_bytes() + rec.buffered_after.heap_bytes();
    (used as f64 / n as f64, held as f64 / n as f64, n)
}

#[test]
fn a_traced_run_keeps_at_most_32_bytes_an_event_at_any_number_of_transforms() {
    for transforms in [0, 4, 16] {
        let (used, held, n) = traced_bytes_per_event(transforms);
        eprintln!("{transforms} transforms: {n} events, {used:.1} bytes/event used, {held:.1} held");
        assert!(n > 10_000, "{transforms} transforms: only {n} events");
        assert!(used <= 32.0, "{transforms} transforms: {used:.1} bytes per event");
    }
}
