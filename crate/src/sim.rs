//! Running a scenario: building the streams, the set-up macrotask at t=0, then one timer
//! callback after another on the virtual clock (SCENARIO.md "The clock"), with samples.
//!
//! [`Simulation`] is the stepping handle: the native runner drives it to the end at once; the
//! page drives it a little per animation frame.

use crate::readable::ReadableState;
use crate::scenario::{Connect, Scenario};
use crate::transform::TransformState;
use crate::world::{Event, Halt, Listener, Stream, StreamId, World};
use crate::writable::WritableState;

/// A traced run stops at the event after this many (the trace's memory): a run of exactly this
/// many events gives its result (SCENARIO.md: a runner may stop a run that passes a budget of
/// at least 5,000,000 events).
pub const EVENT_BUDGET: u64 = 5_000_000;
/// With the trace off memory stays flat, so only time bounds a run. Natively that is a
/// wall-clock budget ([`Deadline`]; every valid scenario measured so far ends well inside it);
/// where no clock is given (wasm, whose caller runs it in a Worker it can stop), this count.
pub const EVENT_BUDGET_UNTRACED: u64 = 100_000_000;
/// The native runner's default wall-clock budget for a run with the trace off.
pub const DEFAULT_SECONDS: f64 = 60.0;

/// A wall-clock budget: a clock (milliseconds) and when the run started.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    pub clock: fn() -> f64,
    pub started_ms: f64,
    pub budget_ms: f64,
}

impl Deadline {
    pub fn new(clock: fn() -> f64, budget_ms: f64) -> Deadline {
        Deadline { clock, started_ms: clock(), budget_ms }
    }

    /// The limit message once the budget is spent.
    pub fn passed(&self, events: u64) -> Option<String> {
        let spent = (self.clock)() - self.started_ms;
        (spent > self.budget_ms).then(|| {
            format!(
                "stopped after {events} events and {:.1} s: past the runner's time budget of {} s (the scenario is valid, but too long to simulate in that time; fewer chunks or transforms, or a larger budget: streamlab run --max-seconds N)",
                spent / 1000.0,
                self.budget_ms / 1000.0
            )
        })
    }
}
/// ... or past this many samples.
pub const SAMPLE_BUDGET: usize = 1_000_000;

/// One sample: the buffered amount of each stream, in stream order, at virtual time `t`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub t: u64,
    pub buffered: Vec<u64>,
}

/// Lays out the scenario's streams: source, t0, t1, …, sink (or the sink alone for the write
/// loop), each with the runner's own 'error' listener.
pub fn build_streams(world: &mut World, sc: &Scenario) {
    let hwm = |explicit: Option<u64>, object_mode: bool| explicit.unwrap_or_else(|| sc.default_hwm(object_mode));
    if let Some(src) = &sc.source {
        let r = ReadableState::new(src.object_mode, hwm(src.high_water_mark, src.object_mode));
        world.streams.push(Stream::new("source".into(), Some(r), None));
        world.source = Some(0);
    }
    for (i, t) in sc.transforms.iter().enumerate() {
        let h = hwm(t.high_water_mark, t.object_mode);
        let mut r = ReadableState::new(t.object_mode, h);
        // Transform's constructor clears the readable side's sync flag.
        r.sync = false;
        let mut stream = Stream::new(format!("t{i}"), Some(r), Some(WritableState::new(t.object_mode, h)));
        stream.transform = Some(TransformState::default());
        stream.behaviour = i;
        world.streams.push(stream);
    }
    let w = WritableState::new(sc.sink.object_mode, hwm(sc.sink.high_water_mark, sc.sink.object_mode));
    world.streams.push(Stream::new("sink".into(), None, Some(w)));
    world.sink = world.streams.len() - 1;
    for s in 0..world.streams.len() {
        if world.streams[s].transform.is_some() {
            world.on(s, Event::Prefinish, Listener::TransformPrefinish);
        }
        world.on(s, Event::Error, Listener::RunnerError);
    }
}

impl World {
    /// Adds a stream with the runner's own 'error' listener; returns its id.
    pub fn add_stream(&mut self, stream: Stream) -> StreamId {
        self.streams.push(stream);
        let s = self.streams.len() - 1;
        self.on(s, Event::Error, Listener::RunnerError);
        s
    }

    /// The event loop after a set-up the caller did itself: the queued ticks and microtasks,
    /// then timer after timer (each followed by its own), until nothing is left or the run halts.
    pub fn run_timers(&mut self) {
        self.drain_queues();
        while !self.is_halted() {
            let Some((duration, callback)) = self.el.next_due() else {
                match self.el.next_expiry() {
                    Some(at) => {
                        self.el.advance_clock(at);
                        continue;
                    }
                    None => return,
                }
            };
            self.run_timer(callback);
            self.el.settle_list(duration);
            self.drain_queues();
        }
    }
}

#[derive(Debug)]
pub struct Simulation {
    pub world: World,
    pub scenario: Scenario,
    pub samples: Vec<Sample>,
    /// Past this many samples the run stops ([`SAMPLE_BUDGET`]; tests and the fuzzer lower it).
    pub sample_budget: usize,
    next_sample_at: u64,
    started: bool,
    finished: bool,
}

impl Simulation {
    pub fn new(scenario: Scenario, keep_trace: bool) -> Simulation {
        let mut world = World::new(&scenario, keep_trace);
        if !keep_trace {
            world.event_budget = EVENT_BUDGET_UNTRACED;
        }
        Simulation::from_world(world, scenario)
    }

    /// Bounds an untraced run by wall time instead of by its event count.
    pub fn set_time_budget(&mut self, clock: fn() -> f64, seconds: f64) {
        if !self.world.rec.keep_trace {
            self.world.event_budget = u64::MAX;
            self.world.deadline = Some(Deadline::new(clock, seconds * 1000.0));
        }
    }

    fn from_world(world: World, scenario: Scenario) -> Simulation {
        Simulation {
            world,
            scenario,
            samples: Vec::new(),
            sample_budget: SAMPLE_BUDGET,
            next_sample_at: 0,
            started: false,
            finished: false,
        }
    }

    pub fn stream_names(&self) -> Vec<String> {
        self.world.streams.iter().map(|s| s.name.clone()).collect()
    }

    pub fn now(&self) -> u64 {
        self.world.now()
    }

    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// When the next timer is due, if the run goes on.
    pub fn next_timer_at(&self) -> Option<u64> {
        if self.finished {
            None
        } else if !self.started {
            Some(0)
        } else {
            self.world.el.next_expiry()
        }
    }

    /// The set-up macrotask at t=0: connect the streams (or start the loop), then drain.
    fn set_up(&mut self) {
        self.started = true;
        let w = &mut self.world;
        let all: Vec<StreamId> = (0..w.streams.len()).collect();
        match self.scenario.connect {
            Connect::Pipeline => {
                w.pipeline(&all);
            }
            Connect::Pipe => {
                for pair in all.windows(2) {
                    w.pipe(pair[0], pair[1], true);
                }
            }
            Connect::WriteLoop => {
                let spec = self.scenario.write_loop.clone().expect("a write loop");
                w.start_write_loop(&spec);
            }
        }
        w.drain_queues();
        if self.scenario.sample_every_ms.is_some() {
            self.take_sample(0);
        }
        self.next_sample_at = self.scenario.sample_every_ms.unwrap_or(0);
    }

    fn take_sample(&mut self, t: u64) {
        if self.samples.len() >= self.sample_budget {
            if self.world.halted.is_none() {
                self.world.halted = Some(Halt::Budget(format!(
                    "stopped after {} samples: past the runner's sample budget (raise sampleEveryMs)",
                    self.sample_budget
                )));
            }
            return;
        }
        let buffered = (0..self.world.streams.len()).map(|s| self.world.buffered(s)).collect();
        self.samples.push(Sample { t, buffered });
    }

    /// Samples every multiple of sampleEveryMs below `t` (or up to it, `inclusive`).
    fn sample_until(&mut self, t: u64, inclusive: bool) {
        let Some(every) = self.scenario.sample_every_ms else { return };
        while (self.next_sample_at < t || (inclusive && self.next_sample_at == t)) && self.world.halted.is_none() {
            self.take_sample(self.next_sample_at);
            self.next_sample_at += every;
        }
    }

    fn finish(&mut self) {
        self.finished = true;
        if matches!(self.world.halted, Some(Halt::Budget(_))) {
            return;
        }
        if self.scenario.sample_every_ms.is_some() {
            let end = self.world.rec.counters.ended_at_ms;
            self.sample_until(end, true);
            if self.samples.last().is_none_or(|s| s.t != end) {
                self.take_sample(end);
            }
        }
    }

    /// Runs one macrotask: the set-up, or the next timer callback and the ticks and promise
    /// reactions after it. Returns false once the run is over.
    pub fn step(&mut self) -> bool {
        if self.finished {
            return false;
        }
        if !self.started {
            self.set_up();
            if self.world.is_halted() {
                self.finish();
            }
            return !self.finished;
        }
        if self.world.is_halted() {
            self.finish();
            return false;
        }
        let w = &mut self.world;
        let due = match w.el.next_due() {
            Some(d) => Some(d),
            None => match w.el.next_expiry() {
                None => None,
                Some(at) => {
                    self.sample_until(at, false);
                    self.world.el.advance_clock(at);
                    self.world.el.next_due()
                }
            },
        };
        let Some((duration, callback)) = due else {
            self.finish();
            return false;
        };
        let w = &mut self.world;
        w.run_timer(callback);
        w.el.settle_list(duration);
        if w.halted.is_none() || matches!(w.halted, Some(Halt::Uncaught(_))) {
            w.rec.counters.ended_at_ms = w.now();
        }
        w.drain_queues();
        if self.world.is_halted() {
            self.finish();
            return false;
        }
        true
    }

    /// Runs every macrotask due at or before virtual time `t`. Returns false once over.
    pub fn advance_to(&mut self, t: u64) -> bool {
        while !self.finished {
            match self.next_timer_at() {
                Some(at) if at <= t => {
                    self.step();
                }
                Some(_) => break,
                None => {
                    self.step();
                }
            }
        }
        !self.finished
    }

    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// The message of a runner limit that stopped this run, if one did.
    pub fn budget_exceeded(&self) -> Option<&str> {
        match &self.world.halted {
            Some(Halt::Budget(msg)) => Some(msg),
            _ => None,
        }
    }
}
