//! `cargo bench -p streamlab`: time per simulated chunk and peak heap for the lesson's
//! heaviest scenarios, summary-only and with the trace. A benchmark, not a test: it prints
//! numbers and asserts nothing about time.
//!
//! Peak heap comes from a counting global allocator (bytes live at the high-water mark of
//! this process's allocations during one run), so it shows whether memory depends on the
//! chunk count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios");
    let names = [
        "key-insight-10gib",
        "hwm-tuning-64",
        "hwm-tuning-1024",
        "hwm-tuning-16384",
        "hwm-tuning-65536",
        "challenge-small-transform-hwm",
    ];
    println!(
        "{:<32} {:>7} {:>10} {:>12} {:>10} {:>13} {:>12}",
        "scenario", "trace", "chunks", "events", "ms/run", "ns/chunk", "peak heap B"
    );
    for name in names {
        let text = std::fs::read_to_string(format!("{dir}/{name}.json"))
            .unwrap_or_else(|e| panic!("tests/scenarios/{name}.json: {e}"));
        let scenario = streamlab::Scenario::from_json(&text).expect("valid");
        let chunks = scenario.source.as_ref().map_or(0, |s| s.chunks);
        for keep_trace in [false, true] {
            // best of several runs: the machine may be busy
            let runs = if chunks > 100_000 { 5 } else { 20 };
            let mut best = f64::MAX;
            let mut peak = 0;
            let mut events = 0;
            for _ in 0..runs {
                let base = LIVE.load(Ordering::Relaxed);
                PEAK.store(base, Ordering::Relaxed);
                let started = Instant::now();
                let sim = streamlab::run_scenario(scenario.clone(), keep_trace).expect("runs");
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                peak = PEAK.load(Ordering::Relaxed) - base;
                events = sim.world.rec.event_count;
                best = best.min(ms);
                drop(sim);
            }
            println!(
                "{:<32} {:>7} {:>10} {:>12} {:>10.2} {:>13.1} {:>12}",
                name,
                if keep_trace { "on" } else { "off" },
                chunks,
                events,
                best,
                best * 1e6 / chunks.max(1) as f64,
                peak
            );
        }
    }
}
