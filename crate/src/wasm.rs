//! The browser's entry points: a thin wasm-bindgen layer over the same core the native runner
//! uses. Long-lived state (a [`Simulation`]) stays in Rust behind an opaque handle; the page's
//! shim owns the animation loop and asks for what is new since its last frame.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::readable::ReadableState;
use crate::scenario::Scenario;
use crate::segments::SEGMENT;
use crate::sim::Simulation;
use crate::trace::{BufferedLog, Ev, Trace, Wide};
use crate::writable::WritableState;

/// Accepts a scenario as a JS object or as JSON text. An object's nesting is checked on its
/// JSON text before serde-wasm-bindgen recurses over it: thousands of levels would overflow the
/// wasm stack, and a trap leaves the instance unusable for every later call on the page.
fn scenario_from_js(value: &JsValue) -> Result<Scenario, String> {
    if let Some(text) = value.as_string() {
        return Scenario::from_json(&text);
    }
    let text = JSON::stringify(value)
        .map_err(|e| {
            let max = crate::scenario::MAX_NESTING;
            format!(
                "the scenario is not plain JSON data: {} (arrays and objects nest at most {max} levels)",
                js_message(&e)
            )
        })?
        .as_string()
        .ok_or("the scenario is not a JSON object (got undefined or a function)")?;
    crate::scenario::check_nesting(&text)?;
    let json: serde_json::Value =
        serde_wasm_bindgen::from_value(value.clone()).map_err(|e| format!("the scenario is not a JSON object: {e}"))?;
    Scenario::from_value(&json)
}

/// An exception's message (JSON.stringify throws RangeError or TypeError).
fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "cannot be read".into())
}

/// `options.trace === false` turns the trace off.
fn keep_trace(options: &JsValue) -> bool {
    if options.is_object() {
        if let Ok(v) = Reflect::get(options, &JsValue::from_str("trace")) {
            return v.as_bool() != Some(false);
        }
    }
    true
}

fn parse(json: &str) -> Result<JsValue, JsValue> {
    JSON::parse(json).map_err(|_| JsError::new("internal: the core wrote JSON the browser cannot read").into())
}

/// Runs a scenario to the end: `runScenario(scenario, {trace}) -> result@1`. Throws an Error
/// whose message names the field of a malformed scenario, or the runner limit that was hit.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(scenario: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let sc = scenario_from_js(scenario).map_err(|m| JsError::new(&m))?;
    let sim = crate::run_scenario(sc, keep_trace(options)).map_err(|e| JsError::new(&e.to_string()))?;
    parse(&sim.result_json())
}

/// The trace's event kinds, in the order of a record's kind byte.
#[wasm_bindgen(js_name = traceKinds)]
pub fn trace_kinds() -> Array {
    Ev::ALL.iter().map(|e| JsValue::from_str(e.name())).collect()
}

/// Events per trace segment (`Simulation.traceSegment`).
#[wasm_bindgen(js_name = traceSegmentEvents)]
pub fn trace_segment_events() -> u32 {
    SEGMENT as u32
}

/// Where segment `k` of the trace is in wasm memory, as [pointer, length] pairs (lengths in
/// items): the segment's records (16 bytes each, trace.rs `Record`) and buffered changes (8
/// bytes, `Change`), then the whole run's side lists: len's wide indices (u32) and values
/// (u64), length's two, time_from (u32), time_at (u64), amount's wide two, more_at (u32),
/// more_stream (u32), more_amount (u32) and its wide two: 15 pairs.
fn segment_layout(t: &Trace, b: &BufferedLog, k: usize) -> Vec<u32> {
    fn pair<T>(out: &mut Vec<u32>, v: &[T]) {
        out.push(v.as_ptr() as usize as u32);
        out.push(v.len() as u32);
    }
    fn wide(out: &mut Vec<u32>, w: &Wide) {
        pair(out, &w.at);
        pair(out, &w.value);
    }
    let mut out = Vec::with_capacity(30);
    pair(&mut out, t.records.segment(k));
    pair(&mut out, b.changes.segment(k));
    wide(&mut out, &t.len_wide);
    wide(&mut out, &t.length_wide);
    pair(&mut out, &t.time_from);
    pair(&mut out, &t.time_at);
    wide(&mut out, &b.amount_wide);
    pair(&mut out, &b.more_at);
    pair(&mut out, &b.more_stream);
    pair(&mut out, &b.more_amount);
    wide(&mut out, &b.more_amount_wide);
    out
}

/// The message that says what is wrong with a scenario, or `null` when it is well formed.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario: &JsValue) -> Option<String> {
    scenario_from_js(scenario).err()
}

/// The stepping handle the page's event-loop shim drives.
#[wasm_bindgen(js_name = Simulation)]
pub struct WasmSimulation {
    sim: Simulation,
}

#[wasm_bindgen(js_class = Simulation)]
impl WasmSimulation {
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: &JsValue, options: &JsValue) -> Result<WasmSimulation, JsValue> {
        let sc = scenario_from_js(scenario).map_err(|m| JsError::new(&m))?;
        Ok(WasmSimulation { sim: Simulation::new(sc, keep_trace(options)) })
    }

    /// Runs every macrotask due at or before virtual time `ms`; true once the run is over.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, ms: f64) -> Result<bool, JsValue> {
        let t = if ms.is_finite() && ms > 0.0 { ms as u64 } else { 0 };
        self.sim.advance_to(t);
        self.check_limit()?;
        Ok(self.sim.is_done())
    }

    /// Runs macrotasks until at least `n` more events have happened (counted whether or not
    /// the trace is kept) or the run ends; returns how many new events there are.
    #[wasm_bindgen(js_name = stepEvents)]
    pub fn step_events(&mut self, n: u32) -> Result<u32, JsValue> {
        let before = self.sim.world.rec.event_count;
        while self.sim.world.rec.event_count < before + n as u64 && self.sim.step() {}
        self.check_limit()?;
        Ok((self.sim.world.rec.event_count - before) as u32)
    }

    /// Runs at most `n` macrotasks (the set-up, or one timer callback with its ticks each);
    /// true once the run is over. Lets a page slice a long run across frames.
    #[wasm_bindgen(js_name = stepMacrotasks)]
    pub fn step_macrotasks(&mut self, n: u32) -> Result<bool, JsValue> {
        for _ in 0..n {
            if !self.sim.step() {
                break;
            }
        }
        self.check_limit()?;
        Ok(self.sim.is_done())
    }

    /// Runs to the end.
    #[wasm_bindgen(js_name = runToEnd)]
    pub fn run_to_end(&mut self) -> Result<(), JsValue> {
        self.sim.run_to_end();
        self.check_limit()
    }

    fn check_limit(&self) -> Result<(), JsValue> {
        match self.sim.budget_exceeded() {
            Some(msg) => Err(JsError::new(msg).into()),
            None => Ok(()),
        }
    }

    /// Events so far, counted whether or not the trace is kept: a page counts a run's events
    /// with the trace off before deciding whether it can trace it.
    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> f64 {
        self.sim.world.rec.event_count as f64
    }

    /// Lowers the run's event budget to `n` (never raises it): the run stops with the budget
    /// message at the event after `n`, even inside one macrotask. A page counts a run's events
    /// up to its trace limit this way without running the rest.
    #[wasm_bindgen(js_name = setEventBudget)]
    pub fn set_event_budget(&mut self, n: f64) {
        let n = if n.is_finite() && n > 0.0 { n as u64 } else { 0 };
        self.sim.world.event_budget = self.sim.world.event_budget.min(n);
    }

    pub fn now(&self) -> f64 {
        self.sim.now() as f64
    }

    pub fn done(&self) -> bool {
        self.sim.is_done()
    }

    #[wasm_bindgen(js_name = nextTimerAt)]
    pub fn next_timer_at(&self) -> Option<f64> {
        self.sim.next_timer_at().map(|t| t as f64)
    }

    #[wasm_bindgen(js_name = traceLength)]
    pub fn trace_length(&self) -> u32 {
        self.sim.world.rec.events.len() as u32
    }

    /// Where segment `k` of the trace is in wasm memory, for typed-array views
    /// (trace-columns.js): [pointer, length] pairs in the order of [`segment_layout`]. Valid until
    /// the next call that runs the simulation (a side list may move as it grows).
    #[wasm_bindgen(js_name = traceSegment)]
    pub fn trace_segment(&self, k: u32) -> Vec<u32> {
        segment_layout(&self.sim.world.rec.events, &self.sim.world.rec.buffered_after, k as usize)
    }

    /// The code of the error at index `i` of the run's error table (an `error` event's `len`
    /// column), or undefined.
    #[wasm_bindgen(js_name = errorCode)]
    pub fn error_code(&self, i: u32) -> Option<String> {
        self.sim.world.errors.get(i as usize).and_then(|e| e.code.clone())
    }

    /// Trace events from index `i` on, as objects shaped as in SCENARIO.md.
    #[wasm_bindgen(js_name = traceSince)]
    pub fn trace_since(&self, i: u32, max: Option<u32>) -> Result<JsValue, JsValue> {
        let events = &self.sim.world.rec.events;
        let from = (i as usize).min(events.len());
        // At most `max` events: a page fetching a million-event macrotask at once would hold
        // the main thread for seconds in formatting and parsing alone.
        let to = max.map_or(events.len(), |m| from.saturating_add(m as usize).min(events.len()));
        let mut out = String::from("[");
        for (k, e) in events.iter().skip(from).take(to - from).enumerate() {
            if k > 0 {
                out.push(',');
            }
            self.sim.event_json(&mut out, &e);
        }
        out.push(']');
        parse(&out)
    }

    /// `{stream: buffered}` just after trace event `i` (readableLength + writableLength).
    #[wasm_bindgen(js_name = bufferedAt)]
    pub fn buffered_at(&self, i: u32) -> Result<JsValue, JsValue> {
        let names = self.sim.stream_names();
        let row = self.sim.world.rec.buffered_after.after(i as usize, names.len());
        let obj = Object::new();
        for (name, v) in names.iter().zip(row) {
            Reflect::set(&obj, &JsValue::from_str(name), &JsValue::from_f64(v as f64))?;
        }
        Ok(obj.into())
    }

    /// Current `{stream: {rl, wl}}`.
    pub fn lengths(&self) -> Result<JsValue, JsValue> {
        self.per_side(("rl", |r| r.length), ("wl", |w| w.length))
    }

    /// Stream names in pipeline order.
    pub fn streams(&self) -> Array {
        self.sim.stream_names().iter().map(|n| JsValue::from_str(n)).collect()
    }

    /// `{source: {readable}, t0: {readable, writable}, sink: {writable}}`.
    #[wasm_bindgen(js_name = highWaterMarks)]
    pub fn high_water_marks(&self) -> Result<JsValue, JsValue> {
        self.per_side(("readable", |r| r.high_water_mark), ("writable", |w| w.high_water_mark))
    }

    /// The summary so far.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        let mut out = String::new();
        self.sim.summary_json(&mut out);
        parse(&out)
    }

    /// The samples so far.
    pub fn samples(&self) -> Result<JsValue, JsValue> {
        let mut out = String::new();
        self.sim.samples_json(&mut out);
        parse(&out)
    }

    /// The whole result@1 (complete once `done()`).
    pub fn result(&self) -> Result<JsValue, JsValue> {
        parse(&self.sim.result_json())
    }
}

impl WasmSimulation {
    /// `{stream: {READ_KEY: n, WRITE_KEY: n}}`, each key only where the stream has that side.
    fn per_side(
        &self,
        (read_key, read): (&str, fn(&ReadableState) -> u64),
        (write_key, write): (&str, fn(&WritableState) -> u64),
    ) -> Result<JsValue, JsValue> {
        let obj = Object::new();
        for s in &self.sim.world.streams {
            let o = Object::new();
            if let Some(r) = &s.r {
                Reflect::set(&o, &read_key.into(), &JsValue::from_f64(read(r) as f64))?;
            }
            if let Some(w) = &s.w {
                Reflect::set(&o, &write_key.into(), &JsValue::from_f64(write(w) as f64))?;
            }
            Reflect::set(&obj, &JsValue::from_str(&s.name), &o)?;
        }
        Ok(obj.into())
    }
}
