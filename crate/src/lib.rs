//! # Streamlab's core: Node.js 20 streams in virtual time
//!
//! A scenario (SCENARIO.md's scenario@1) describes a source, transforms and a sink, or a write
//! loop into a sink. [`run`] simulates it as Node.js 20 would run it, event for event, and
//! gives the result (result@1): the trace, the summary counters and the samples.
//!
//! The design, in one paragraph: one [`world::World`] owns everything (the event loop with
//! Node's timer lists, the nextTick and microtask queues, the streams, the recorder). Node's
//! closures are enum values (listeners, ticks, timer callbacks) dispatched by `match`, so
//! Node's re-entrant call chains (`push` → 'data' → `write` → `_write`) are plain recursion on
//! `&mut World`. Each Node concept lives in its own module under Node's names:
//!
//! | module | Node |
//! |---|---|
//! | [`event_loop`] | timers (lists per duration), `process.nextTick`, promise reactions |
//! | [`readable`] | `Readable`: push, read, flow, pause/resume |
//! | [`writable`] | `Writable`: write, onwrite, drain, end, finish |
//! | [`transform`] | `Transform`: `_write` holding its callback, `_read` releasing it |
//! | [`destroy`] | destroy, errorOrDestroy, the close/error ticks |
//! | [`pipe`] | `readable.pipe()` |
//! | [`eos`] | `finished()` / end-of-stream |
//! | [`pipeline`] | `pipeline()` from `stream/promises` |
//! | [`write_loop`] | the lesson's `write()` loop, an async fn on a `futures` executor |
//! | [`behaviour`] | the scenario's user code: `_read`, `_transform`, `_write` |
//! | [`scenario`], [`result`], [`trace`] | the contract's JSON in and out |
//! | [`sim`] | the run: set-up at t=0, then timer after timer, samples |
//! | [`user_code`] | a learner's program (the code lab): its callbacks, called when Node would |
//!
//!
//! Scenarios reach only part of this: programs (the code lab) also reach paused mode
//! (`'readable'`, `read(n)` splitting and joining chunks), several pipe destinations, write
//! and `end()` callbacks, `finished()` on streams already done and `allowHalfOpen: false`;
//! crate/tests/node_mechanism.rs checks each against what real Node printed.
//!
//! Non-features: `_writev`, cork, async `_construct`, `unshift`, encodings other than UTF-8.

pub mod behaviour;
pub mod destroy;
pub mod eos;
pub mod event_loop;
pub mod pipe;
pub mod pipeline;
pub mod readable;
pub mod result;
pub mod runs;
pub mod scenario;
pub mod segments;
pub mod sim;
pub mod trace;
pub mod transform;
pub mod user_code;
pub mod world;
pub mod writable;
pub mod write_loop;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use scenario::Scenario;
pub use sim::Simulation;

/// Why a run gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The scenario is malformed; the message names the field.
    Invalid(String),
    /// The run passed a runner limit (an event or sample budget).
    Limit(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Invalid(m) | RunError::Limit(m) => f.write_str(m),
        }
    }
}

/// Runs a scenario given as JSON text to the end; returns the finished simulation.
pub fn run(json: &str, keep_trace: bool) -> Result<Simulation, RunError> {
    let scenario = Scenario::from_json(json).map_err(RunError::Invalid)?;
    run_scenario(scenario, keep_trace)
}

pub fn run_scenario(scenario: Scenario, keep_trace: bool) -> Result<Simulation, RunError> {
    run_scenario_within(scenario, keep_trace, None)
}

/// Runs a scenario given as JSON text; an untraced run is bounded by `seconds` of wall time
/// (measured with `clock`, in milliseconds) instead of by its event count.
pub fn run_within(json: &str, keep_trace: bool, clock: fn() -> f64, seconds: f64) -> Result<Simulation, RunError> {
    let scenario = Scenario::from_json(json).map_err(RunError::Invalid)?;
    run_scenario_within(scenario, keep_trace, Some((clock, seconds)))
}

fn run_scenario_within(
    scenario: Scenario,
    keep_trace: bool,
    time_budget: Option<(fn() -> f64, f64)>,
) -> Result<Simulation, RunError> {
    let mut sim = Simulation::new(scenario, keep_trace);
    if let Some((clock, seconds)) = time_budget {
        sim.set_time_budget(clock, seconds);
    }
    sim.run_to_end();
    if let Some(msg) = sim.budget_exceeded() {
        return Err(RunError::Limit(msg.to_string()));
    }
    Ok(sim)
}
