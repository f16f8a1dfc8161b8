//! Node's mechanism where programs reach it and scenarios do not: several destinations on one
//! source, callbacks of the program's own, streams already done when watched, half-open
//! duplexes, errors nobody handles, and what changed in Node 22.
//!
//! Each test builds a small world by hand and drives it with a test host that stands in for the
//! program (its functions log a line, or do what the program would). The expected lines are
//! what real Node printed for the JavaScript quoted above each test (Node 20.20 and 22.23 alike
//! unless the test says otherwise).

use std::cell::RefCell;
use std::rc::Rc;

use streamlab::behaviour::SinkBehaviour;
use streamlab::eos::EosCallback;
use streamlab::readable::{ReadArg, ReadableState};
use streamlab::trace::Origin;
use streamlab::user_code::{UserCall, UserCode, UserFn};
use streamlab::world::{
    Arg, Chunk, ChunkKind, Event, Halt, Listener, Microtask, ProgramImpl, Stream, Tick, TimerCb, World,
};
use streamlab::writable::WritableState;
use streamlab::Scenario;

type Action = Box<dyn Fn(&mut World, Arg)>;

/// The program: named functions that log their call and may act on the world.
#[derive(Default)]
struct Program {
    functions: RefCell<Vec<(String, Option<Rc<Action>>)>>,
    log: Rc<RefCell<Vec<String>>>,
    /// Each log line with the number of trace events recorded before it.
    marks: Rc<RefCell<Vec<(usize, String)>>>,
    /// What the program does for the core's other calls (its `_read`, `_write`, timers).
    #[allow(clippy::type_complexity)]
    other: RefCell<Option<Rc<dyn Fn(&Program, &mut World, UserCall)>>>,
}

impl Program {
    fn new() -> Rc<Program> {
        Rc::new(Program::default())
    }

    /// A function that only logs `name` and its argument.
    fn logger(&self, name: &str) -> UserFn {
        self.add(name, None)
    }

    /// A function that logs, then acts.
    fn action(&self, name: &str, act: impl Fn(&mut World, Arg) + 'static) -> UserFn {
        self.add(name, Some(Rc::new(Box::new(act))))
    }

    fn add(&self, name: &str, act: Option<Rc<Action>>) -> UserFn {
        let mut f = self.functions.borrow_mut();
        f.push((name.to_string(), act));
        UserFn(f.len() as u32 - 1)
    }

    fn lines(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// Logs a line of the program's own (what its `console.log` would print).
    fn say(&self, w: &World, line: String) {
        self.marks.borrow_mut().push((w.rec.events.len(), line.clone()));
        self.log.borrow_mut().push(line);
    }

    /// The program's lines with the trace's `_read` calls (as "_read <readableLength>") between them.
    fn with_reads(&self, w: &World) -> Vec<String> {
        self.merged(w, |e| (e.ev.name() == "read").then(|| format!("_read {}", e.length)))
    }

    /// The program's lines with the trace events that `show` names, in the order they happened.
    fn merged(&self, w: &World, show: impl Fn(&streamlab::trace::TraceEvent) -> Option<String>) -> Vec<String> {
        let marks = self.marks.borrow();
        let mut out = Vec::new();
        let mut m = 0;
        for (i, e) in w.rec.events.iter().enumerate() {
            while m < marks.len() && marks[m].0 <= i {
                out.push(marks[m].1.clone());
                m += 1;
            }
            out.extend(show(&e));
        }
        out.extend(marks[m..].iter().map(|(_, l)| l.clone()));
        out
    }
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Program")
    }
}

impl UserCode for Program {
    fn call(&self, world: &mut World, call: UserCall) {
        let (f, arg) = match call {
            UserCall::Function(f, arg) | UserCall::Listener { f, arg, .. } => (f, arg),
            _ => {
                let other = self.other.borrow().clone();
                if let Some(other) = other {
                    other(self, world, call);
                }
                return;
            }
        };
        let (name, act) = self.functions.borrow()[f.0 as usize].clone();
        let shown = match arg {
            Arg::Error(e) => {
                world.errors[e as usize].code.clone().unwrap_or_else(|| world.errors[e as usize].message.clone())
            }
            _ => "null".to_string(),
        };
        self.log.borrow_mut().push(format!("{name} {shown}"));
        self.marks.borrow_mut().push((world.rec.events.len(), name.clone()));
        if let Some(act) = act {
            act(world, arg);
        }
    }
}

fn world(scenario: &str, program: &Rc<Program>) -> World {
    let sc = Scenario::from_json(scenario).expect("a valid scenario");
    let mut w = World::new(&sc, true);
    w.set_user(program.clone());
    w
}

fn pipe_scenario(node: u8, source: &str, sink: &str) -> String {
    format!(
        r#"{{"schema":"streamlab/scenario@1","node":{node},"connect":"pipe","source":{source},"transforms":[],"sink":{sink}}}"#
    )
}

/// The trace as "stream event" lines, for the kinds asked.
fn story(w: &World, kinds: &[&str]) -> Vec<String> {
    w.rec
        .events
        .iter()
        .filter(|e| kinds.contains(&e.ev.name()))
        .map(|e| {
            let who = match e.origin {
                Origin::Stream(s) => w.streams[s].name.as_str(),
                Origin::Loop => "loop",
            };
            format!("{who} {}", e.ev.name())
        })
        .collect()
}

fn bytes(n: u64) -> Chunk {
    Chunk::new(ChunkKind::Buffer, n)
}

/// A plain Writable whose `_write` calls back at once (no listeners of the runner's).
fn plain_writable(w: &mut World, name: &str, hwm: u64) -> usize {
    let mut st = Stream::new(name.into(), None, Some(WritableState::new(false, hwm)));
    st.behaviour = w.behaviours.sinks.len();
    w.behaviours.sinks.push(SinkBehaviour { delay_ms: None, fail_at: None, writes: 0 });
    w.streams.push(st);
    w.streams.len() - 1
}

// const src = new Readable({highWaterMark: 8, read() { i < 6 ? this.push(Buffer.alloc(8)) : this.push(null); i++ }});
// const a = slowWritable(1 ms), b = slowWritable(5 ms);   // highWaterMark 8, setTimeout(cb, ms)
// src.pipe(a); src.pipe(b);
#[test]
fn a_source_piped_twice_resumes_only_when_every_destination_has_drained() {
    let p = Program::new();
    let mut w = world(
        &pipe_scenario(
            20,
            r#"{"chunks":6,"chunk":{"bytes":8},"highWaterMark":8}"#,
            r#"{"highWaterMark":8,"delayMs":1}"#,
        ),
        &p,
    );
    w.streams[1].name = "a".into();
    let mut b = Stream::new("b".into(), None, Some(WritableState::new(false, 8)));
    b.behaviour = 1;
    w.behaviours.sinks.push(SinkBehaviour { delay_ms: Some(5.0), fail_at: None, writes: 0 });
    let b = w.add_stream(b);
    w.pipe(0, 1, true);
    w.pipe(0, b, true);
    w.run_timers();
    let once =
        ["a _write", "source pause", "b _write", "a cb", "a drain", "b cb", "b drain", "source resume", "source read"];
    let mut want: Vec<String> = vec!["source read".into(), "source resume".into(), "source read".into()];
    for _ in 0..5 {
        want.extend(once.iter().map(|s| s.to_string()));
    }
    want.extend(["a _write", "source pause", "b _write", "a cb", "a finish", "b cb", "b finish"].map(String::from));
    let got = story(&w, &["read", "_write", "cb", "drain", "pause", "resume", "finish"]);
    assert_eq!(got, want);
}

// const w = new Writable({write(c, e, cb) { cb() }});
// w.destroy(); console.log('ret', w.write('x', err => console.log('cb', err.code)));
// process.nextTick(() => console.log('tick'));      // → ret false, close, cb ERR_STREAM_DESTROYED, tick
#[test]
fn a_write_with_a_callback_after_destroy_gets_err_stream_destroyed_in_a_tick() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
    let s = plain_writable(&mut w, "w", 16);
    w.on(s, Event::Close, Listener::User(p.logger("close")));
    let cb = p.logger("cb");
    w.destroy(s, None);
    assert_eq!(w.write_cb(s, bytes(1), Some(cb)), Ok(false));
    w.next_tick(Tick::Call(p.logger("tick"), Arg::None));
    w.run_timers();
    assert_eq!(p.lines(), ["close null", "cb ERR_STREAM_DESTROYED", "tick null"]);
}

// w.end(); console.log('ret', w.write('x', cb))   // → ret false, cb WRITE_AFTER_END, error, close, tick
#[test]
fn a_write_after_end_calls_its_callback_before_the_error_event() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
    let s = plain_writable(&mut w, "w", 16);
    w.on(s, Event::Error, Listener::User(p.logger("error")));
    w.on(s, Event::Close, Listener::User(p.logger("close")));
    w.on(s, Event::Finish, Listener::User(p.logger("finish")));
    w.end(s);
    assert_eq!(w.write_cb(s, bytes(1), Some(p.logger("cb"))), Ok(false));
    w.next_tick(Tick::Call(p.logger("tick"), Arg::None));
    w.run_timers();
    assert_eq!(
        p.lines(),
        ["cb ERR_STREAM_WRITE_AFTER_END", "error ERR_STREAM_WRITE_AFTER_END", "close null", "tick null"]
    );
}

// const f = err => log('f', err), g = err => log('g', err);      // highWaterMark 100, sync _write
// w.write('a', f); w.write('bb', f); w.write('ccc', g); w.write('dddd', f);  // → f f g f, then tick
#[test]
fn synchronous_writes_with_the_same_callback_share_one_after_write_tick() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
    let s = plain_writable(&mut w, "w", 100);
    let (f, g) = (p.logger("f"), p.logger("g"));
    for (n, cb) in [(1, f), (2, f), (3, g), (4, f)] {
        assert_eq!(w.write_cb(s, bytes(n), Some(cb)), Ok(true));
    }
    assert_eq!(w.el.ticks.len(), 3, "f twice in one tick, then g, then f");
    w.next_tick(Tick::Call(p.logger("tick"), Arg::None));
    w.run_timers();
    assert_eq!(p.lines(), ["f null", "f null", "g null", "f null", "tick null"]);
}

// w.write('a'); w.end(() => log('end cb')); w.end(() => log('end cb 2'));   // _write: setTimeout(cb, 2)
// → end cb, end cb 2, finish, close
#[test]
fn end_callbacks_run_just_before_finish() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, r#"{"delayMs":2}"#), &p);
    let s = 1;
    w.on(s, Event::Finish, Listener::User(p.logger("finish")));
    w.on(s, Event::Close, Listener::User(p.logger("close")));
    w.write(s, bytes(1)).unwrap();
    w.end_cb(s, Some(p.logger("end cb")));
    w.end_cb(s, Some(p.logger("end cb 2")));
    w.run_timers();
    assert_eq!(p.lines(), ["end cb null", "end cb 2 null", "finish null", "close null"]);
}

// const r = new Readable({read() { this.push(null) }}); r.resume();
// r.on('close', () => { finished(r, err => log('finished', err)); process.nextTick(() => log('tick')) });
// → finished (no error), then tick: eos on a closed stream calls back in a tick queued at once
#[test]
fn eos_on_a_stream_already_closed_calls_back_in_a_tick() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":0,"chunk":{"bytes":1}}"#, "{}"), &p);
    let finished_cb = p.logger("finished");
    let tick = p.logger("tick");
    let on_close = p.action("close", move |w, _| {
        w.eos(0, true, false, EosCallback::User(finished_cb));
        w.next_tick(Tick::Call(tick, Arg::None));
    });
    w.on(0, Event::Close, Listener::User(on_close));
    w.resume(0);
    w.run_timers();
    assert_eq!(p.lines(), ["close null", "finished null", "tick null"]);
}

// w.on('finish', () => { finished(w, cb); process.nextTick(() => log('tick')) }); w.end('x')
// → finish, tick, close, finished: a finished stream that will still emit 'close' waits for it
#[test]
fn eos_on_a_finished_stream_that_will_close_waits_for_close() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":0,"chunk":{"bytes":1}}"#, "{}"), &p);
    let s = plain_writable(&mut w, "w", 16);
    let finished_cb = p.logger("finished");
    let tick = p.logger("tick");
    let on_finish = p.action("finish", move |w, _| {
        w.eos(s, false, true, EosCallback::User(finished_cb));
        w.next_tick(Tick::Call(tick, Arg::None));
    });
    w.on(s, Event::Finish, Listener::User(on_finish));
    w.on(s, Event::Close, Listener::User(p.logger("close")));
    w.write(s, bytes(1)).unwrap();
    w.end(s);
    w.run_timers();
    assert_eq!(p.lines(), ["finish null", "tick null", "close null", "finished null"]);
}

// new Transform({allowHalfOpen, transform(c, e, cb) { cb(null, c) }}); t.push(null); t.resume()
// allowHalfOpen false → end, prefinish, finish, close;  true (the default) → end only
#[test]
fn a_duplex_without_allow_half_open_ends_its_writable_side_after_end() {
    for allow_half_open in [false, true] {
        let p = Program::new();
        let mut w = world(
            r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":0,"chunk":{"bytes":1}},"transforms":[{}],"sink":{}}"#,
            &p,
        );
        let t = 1;
        w.streams[t].allow_half_open = allow_half_open;
        for (ev, name) in
            [(Event::End, "end"), (Event::Prefinish, "prefinish"), (Event::Finish, "finish"), (Event::Close, "close")]
        {
            w.on(t, ev, Listener::User(p.logger(name)));
        }
        w.push(t, None);
        w.resume(t);
        w.run_timers();
        let want: &[&str] =
            if allow_half_open { &["end null"] } else { &["end null", "prefinish null", "finish null", "close null"] };
        assert_eq!(p.lines(), want, "allowHalfOpen {allow_half_open}");
    }
}

// const dst = new Writable({write(c, e, cb) { cb(new Error('boom')) }}); src.pipe(dst); src.push('x')
// (no 'error' listener of the program's) → dst unpipe, then the error is thrown: uncaught
#[test]
fn pipe_hands_an_unhandled_destination_error_back_so_that_it_throws() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, r#"{"failAt":1}"#), &p);
    // The program listens for nothing: drop the runner's own 'error' listeners.
    for st in &mut w.streams {
        st.listeners[Event::Error as usize].clear();
    }
    w.on(1, Event::Unpipe, Listener::User(p.logger("dst unpipe")));
    w.pipe(0, 1, true);
    w.run_timers();
    assert_eq!(p.lines(), ["dst unpipe null"]);
    let Some(Halt::Uncaught(e)) = w.halted.clone() else { panic!("expected an uncaught error, got {:?}", w.halted) };
    assert_eq!(w.errors[e as usize].message, "sink failAt: _write #1 failed");
}

#[test]
fn pipe_resumes_rather_than_waits_for_a_destination_that_needs_drain_but_is_ending() {
    // writableNeedDrain is needDrain && !ending && !destroyed: an ending destination never drains.
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
    w.wm(1).need_drain = true;
    w.wm(1).ending = true;
    w.pipe(0, 1, true);
    assert_eq!(w.r(0).flowing, Some(true));
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
    w.wm(1).need_drain = true;
    w.pipe(0, 1, true);
    assert_eq!(w.r(0).flowing, Some(false), "a destination that needs drain pauses the source at once");
}

/// pipeline(src, dst, cb) with a late `dst.destroy(err)`: in Node 20 the stream's 'error'
/// listener counts as one of the completions pipeline waits for; in Node 22 it only records the
/// error (`finishOnlyHandleError`), so the callback waits for the source's eos too. With an
/// asynchronous `_destroy` on the source this changes when the callback runs (real Node 20:
/// "pipeline cb" before "src close", Node 22: after); here the count shows it.
#[test]
fn a_late_pipeline_error_counts_toward_completion_in_node_20_but_not_in_node_22() {
    for (node, remaining_after_error) in [(20u8, 0i64), (22, 1)] {
        let p = Program::new();
        let mut w = world(
            &format!(
                r#"{{"schema":"streamlab/scenario@1","node":{node},"connect":"pipeline","source":{{"chunks":1,"chunk":{{"bytes":1}},"readDelayMs":100}},"transforms":[],"sink":{{}}}}"#
            ),
            &p,
        );
        w.pipeline(&[0, 1]);
        w.drain_queues();
        let count = Rc::new(RefCell::new(None));
        let seen = count.clone();
        let after_error = p.action("dst error", move |w, _| {
            *seen.borrow_mut() = Some(w.pipelines[0].finish_count);
        });
        w.on(1, Event::Error, Listener::User(after_error));
        let e = w.new_error(None, "late".into());
        w.destroy(1, Some(e));
        w.run_timers();
        // Node 20: the catcher and the pair's eos both count (2 → 0); Node 22: only the eos.
        assert_eq!(*count.borrow(), Some(remaining_after_error), "node {node}");
        assert_eq!(w.pipeline_error(), Some(e), "node {node}: the pipeline rejects with the late error");
    }
}

#[test]
fn node_22_does_not_schedule_read_more_while_a_read_is_in_progress() {
    for (node, scheduled) in [(20u8, true), (22, false)] {
        let p = Program::new();
        let mut w = world(&pipe_scenario(node, r#"{"chunks":1,"chunk":{"bytes":1}}"#, "{}"), &p);
        let r = w.add_stream(Stream::new("r".into(), Some(ReadableState::new(false, 16)), None));
        w.rm(r).reading = true;
        w.maybe_read_more(r);
        assert_eq!(w.r(r).reading_more, scheduled, "node {node}");
    }
}

/// A source of five 3-byte chunks at highWaterMark 8, read in paused mode from 'readable'.
fn paused_reader(size: ReadArg) -> (Rc<Program>, World) {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":5,"chunk":{"bytes":3},"highWaterMark":8}"#, "{}"), &p);
    let prog = Rc::downgrade(&p);
    let on_readable = p.action("readable", move |w, _| {
        let p = prog.upgrade().expect("the program");
        while let Ok(Some(c)) = w.read_n(0, size) {
            p.say(w, format!("read {} {}", c.bytes, w.r(0).length));
        }
        p.say(w, format!("null {}", w.r(0).length));
    });
    w.on(0, Event::Readable, Listener::User(on_readable));
    w.on(0, Event::End, Listener::User(p.logger("end")));
    (p, w)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

// r.on('readable', () => { let c; while ((c = r.read(4)) !== null) log('read', c.length, r.readableLength);
//                          log('null', r.readableLength) })
#[test]
fn read_n_in_paused_mode_splits_and_joins_chunks() {
    let (p, mut w) = paused_reader(ReadArg::Size(4));
    w.run_timers();
    let want = "_read 0\n_read 3\nread 4 2\n_read 2\nread 4 1\n_read 1\nread 4 0\n_read 0\nnull 3\n_read 3\n\
                read 3 0\nnull 0\nnull 0\nnull 0\nend";
    let got: Vec<String> = p.with_reads(&w).into_iter().filter(|l| l != "readable").collect();
    assert_eq!(got, lines(want));
}

// the same with r.read(): whatever is buffered, joined into one Buffer
#[test]
fn read_without_a_size_in_paused_mode_takes_everything_buffered() {
    let (p, mut w) = paused_reader(ReadArg::Next);
    w.run_timers();
    let want = "_read 0\n_read 3\nread 6 0\n_read 0\nread 3 0\n_read 0\nread 3 0\n_read 0\nread 3 0\n_read 0\n\
                null 0\nnull 0\nnull 0\nnull 0\nnull 0\nnull 0\nend";
    let got: Vec<String> = p.with_reads(&w).into_iter().filter(|l| l != "readable").collect();
    assert_eq!(got, lines(want));
}

// r.once('readable', () => { log('readable', r.readableLength, r.readableFlowing); r.on('data', c => log('data', c.length)) })
// (three 5-byte chunks, highWaterMark 8): once 'readable' is gone, a 'data' listener makes it flow
#[test]
fn a_data_listener_added_after_a_once_readable_listener_starts_the_flow() {
    let p = Program::new();
    let mut w = world(&pipe_scenario(20, r#"{"chunks":3,"chunk":{"bytes":5},"highWaterMark":8}"#, "{}"), &p);
    let prog = Rc::downgrade(&p);
    let on_data = p.action("data", |_, _| {});
    let on_readable = p.action("readable", move |w, _| {
        let p = prog.upgrade().expect("the program");
        let flowing = match w.r(0).flowing {
            None => "null",
            Some(true) => "true",
            Some(false) => "false",
        };
        p.say(w, format!("readable {} {flowing}", w.r(0).length));
        w.on(0, Event::Data, Listener::User(on_data));
    });
    w.once(0, Event::Readable, Listener::User(on_readable));
    w.on(0, Event::End, Listener::User(p.logger("end")));
    w.run_timers();
    let got: Vec<String> = p.with_reads(&w).into_iter().filter(|l| l != "readable").collect();
    assert_eq!(got, lines("_read 0\nreadable 5 false\n_read 5\n_read 10\ndata\n_read 10\ndata\ndata\nend"));
}

// (async () => { for (...) if (!sink.write(c)) { await once(sink, 'drain'); log('wake') } })()
// sink.on('drain', () => Promise.resolve().then(h1).then(h2).then(h3))   // registered first
// → drain, h1, h2, wake, h3: `await once()` resumes two reactions after the event
#[test]
fn await_once_drain_resumes_two_promise_reactions_after_the_event() {
    let p = Program::new();
    let mut w = world(
        r#"{"schema":"streamlab/scenario@1","connect":"write-loop","sink":{"highWaterMark":1,"delayMs":1},"writeLoop":{"items":2,"chunk":{"bytes":1},"respectBackpressure":true}}"#,
        &p,
    );
    let h3 = p.logger("h3");
    let h2 = p.action("h2", move |w, _| w.queue_microtask(Microtask::Call(h3, Arg::None)));
    let h1 = p.action("h1", move |w, _| w.queue_microtask(Microtask::Call(h2, Arg::None)));
    let on_drain = p.action("drain", move |w, _| w.queue_microtask(Microtask::Call(h1, Arg::None)));
    w.on(0, Event::Drain, Listener::User(on_drain));
    let spec = Scenario::from_json(
        r#"{"schema":"streamlab/scenario@1","connect":"write-loop","sink":{},"writeLoop":{"items":2,"chunk":{"bytes":1},"respectBackpressure":true}}"#,
    )
    .unwrap()
    .write_loop
    .unwrap();
    w.start_write_loop(&spec);
    w.run_timers();
    let got = p.merged(&w, |e| (e.ev.name() == "wake").then(|| "wake".to_string()));
    assert_eq!(got, ["drain", "h1", "h2", "wake", "h3", "drain", "h1", "h2", "wake", "h3"]);
}

// await pipeline(src, dst); log('after')   with end/finish/close listeners that queue a microtask each
// → src end, dst finish, src close, dst close, the four microtasks, after
#[test]
fn the_code_after_await_pipeline_runs_in_the_reaction_after_the_callback_tick() {
    let p = Program::new();
    let mut w = world(
        r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":2,"chunk":{"bytes":4}},"transforms":[],"sink":{}}"#,
        &p,
    );
    for (s, who) in [(0, "src"), (1, "dst")] {
        for (ev, name) in [(Event::End, "end"), (Event::Finish, "finish"), (Event::Close, "close")] {
            if (s == 0 && ev == Event::Finish) || (s == 1 && ev == Event::End) {
                continue;
            }
            let micro = p.logger(&format!("micro after {who} {name}"));
            let f =
                p.action(&format!("{who} {name}"), move |w, _| w.queue_microtask(Microtask::Call(micro, Arg::None)));
            w.on(s, ev, Listener::User(f));
        }
    }
    w.pipeline(&[0, 1]);
    w.pipelines[0].on_settle = Some(p.logger("after"));
    w.run_timers();
    let want = [
        "src end",
        "dst finish",
        "src close",
        "dst close",
        "micro after src end",
        "micro after dst finish",
        "micro after src close",
        "micro after dst close",
        "after",
    ];
    let got: Vec<String> = p.lines().into_iter().map(|l| l.trim_end_matches(" null").to_string()).collect();
    assert_eq!(got, want);
}

// const w = new Writable({highWaterMark: 3, write(c, e, cb) { log('_write', c.length); setTimeout(cb, 1) }});
// for (4 times) log('write', w.write(Buffer.alloc(2))); w.end(); log('sync done')
// → _write 2, write true, write false ×3, sync done, _write 2 ×3, finish, close
#[test]
fn a_program_writable_gets_its_write_called_with_a_callback_it_calls_later() {
    let p = Program::new();
    let mut w = World::for_program(p.clone());
    let mut st = Stream::new("w".into(), None, Some(WritableState::new(false, 3)));
    st.program = Some(ProgramImpl { write: Some(UserFn(9_000)), ..Default::default() });
    w.streams.push(st);
    for (ev, name) in [(Event::Drain, "drain"), (Event::Finish, "finish"), (Event::Close, "close")] {
        w.on(0, ev, Listener::User(p.logger(name)));
    }
    // _write logs, then setTimeout(cb, 1); the timer (id 7000 + n) calls the write's callback.
    *p.other.borrow_mut() = Some(Rc::new(|p: &Program, w: &mut World, call: UserCall| match call {
        UserCall::Write { chunk, .. } => {
            p.say(w, format!("_write {}", chunk.bytes));
            w.el.set_timeout(1, TimerCb::User(7_000));
        }
        UserCall::Macrotask(7_000) => w.sink_callback(0, None),
        _ => {}
    }));
    for _ in 0..4 {
        let ret = w.write(0, bytes(2)).unwrap();
        p.say(&w, format!("write {ret}"));
    }
    w.end(0);
    p.say(&w, "sync done".into());
    w.run_timers();
    let want = "_write 2\nwrite true\nwrite false\nwrite false\nwrite false\nsync done\n_write 2\n_write 2\n_write 2\nfinish\nclose";
    let got: Vec<String> = p.marks.borrow().iter().map(|(_, l)| l.clone()).collect();
    assert_eq!(got, lines(want));
}

// const r = new Readable({highWaterMark: 4, read() { log('_read', r.readableLength);
//   i++ < 3 ? this.push(Buffer.alloc(3)) : this.push(null) }});
// r.on('data', c => log('data', c.length)); … log('sync done')
// → sync done, _read 0, _read 3, data 3, _read 3, data 3, _read 3, data 3, end, close
#[test]
fn a_program_readable_gets_its_read_called_and_pushes_from_it() {
    let p = Program::new();
    let mut w = World::for_program(p.clone());
    let mut st = Stream::new("r".into(), Some(ReadableState::new(false, 4)), None);
    st.program = Some(ProgramImpl { read: Some(UserFn(9_000)), ..Default::default() });
    w.streams.push(st);
    let pushed = Rc::new(RefCell::new(0));
    *p.other.borrow_mut() = Some(Rc::new(move |p: &Program, w: &mut World, call: UserCall| {
        if let UserCall::Read { stream, .. } = call {
            p.say(w, format!("_read {}", w.r(stream).length));
            let n = *pushed.borrow();
            *pushed.borrow_mut() += 1;
            w.push_traced(stream, (n < 3).then(|| bytes(3)));
        }
    }));
    let prog = Rc::downgrade(&p);
    let on_data = p.action("data", move |w, arg| {
        if let (Some(p), Arg::Chunk(c)) = (prog.upgrade(), arg) {
            p.say(w, format!("{} bytes", c.bytes));
        }
    });
    w.on(0, Event::Data, Listener::User(on_data));
    w.on(0, Event::End, Listener::User(p.logger("end")));
    w.on(0, Event::Close, Listener::User(p.logger("close")));
    p.say(&w, "sync done".into());
    w.run_timers();
    let got: Vec<String> = p.marks.borrow().iter().map(|(_, l)| l.clone()).collect();
    let want = "sync done\n_read 0\n_read 3\ndata\n3 bytes\n_read 3\ndata\n3 bytes\n_read 3\ndata\n3 bytes\nend\nclose";
    assert_eq!(got, lines(want));
}

// const t = new Transform({highWaterMark: 2, transform(c, e, cb) { log('_transform', c.length);
//   setTimeout(() => cb(null, c), 1) }});
// t.on('data', …); write 1, 2 and 3 bytes; t.end(); log('sync done')
// → _transform 1, write true, write false, write false, sync done, data 1, _transform 2, data 2,
//   _transform 3, data 3, end, finish, close
#[test]
fn a_program_transform_gets_its_transform_called_and_its_callback_passes_the_chunk_on() {
    let p = Program::new();
    let mut w = World::for_program(p.clone());
    let mut r = ReadableState::new(false, 2);
    r.sync = false; // Transform's constructor clears it
    let mut st = Stream::new("t".into(), Some(r), Some(WritableState::new(false, 2)));
    st.transform = Some(Default::default());
    st.program = Some(ProgramImpl { transform: Some(UserFn(9_000)), ..Default::default() });
    w.streams.push(st);
    w.on(0, Event::Prefinish, Listener::TransformPrefinish);
    let waiting = Rc::new(RefCell::new(std::collections::VecDeque::new()));
    *p.other.borrow_mut() = Some(Rc::new(move |p: &Program, w: &mut World, call: UserCall| match call {
        UserCall::Transform { chunk, .. } => {
            p.say(w, format!("_transform {}", chunk.bytes));
            waiting.borrow_mut().push_back(chunk);
            w.el.set_timeout(1, TimerCb::User(7_000));
        }
        UserCall::Macrotask(7_000) => {
            let chunk = waiting.borrow_mut().pop_front();
            w.transform_done(0, None, chunk);
        }
        _ => {}
    }));
    let prog = Rc::downgrade(&p);
    let on_data = p.action("data", move |w, arg| {
        if let (Some(p), Arg::Chunk(c)) = (prog.upgrade(), arg) {
            p.say(w, format!("{} bytes", c.bytes));
        }
    });
    w.on(0, Event::Data, Listener::User(on_data));
    for (ev, name) in [(Event::End, "end"), (Event::Finish, "finish"), (Event::Close, "close")] {
        w.on(0, ev, Listener::User(p.logger(name)));
    }
    for n in 1..=3 {
        let ret = w.write(0, bytes(n)).unwrap();
        p.say(&w, format!("write {ret}"));
    }
    w.end(0);
    p.say(&w, "sync done".into());
    w.run_timers();
    let got: Vec<String> = p.marks.borrow().iter().map(|(_, l)| l.clone()).collect();
    let want =
        "_transform 1\nwrite true\nwrite false\nwrite false\nsync done\ndata\n1 bytes\n_transform 2\ndata\n2 bytes\n\
                _transform 3\ndata\n3 bytes\nend\nfinish\nclose";
    assert_eq!(got, lines(want));
}
