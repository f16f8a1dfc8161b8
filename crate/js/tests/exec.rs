//! The code lab's runner, end to end: programs in, Node's output and exit codes out.
//! (The differential test, tests/node/program-differential.test.mjs, compares with real Node.)

use streamlab_js::host::Limits;
use streamlab_js::{exec, Options, ProgramResult};

fn run(name: &str, source: &str) -> ProgramResult {
    exec(source, name, &Options::default())
}

fn run_limited(name: &str, source: &str, limits: Limits) -> ProgramResult {
    exec(source, name, &Options { limits, ..Default::default() })
}

#[test]
fn commonjs_runs_ticks_before_promises_after_the_main_script() {
    let r = run(
        "main.cjs",
        "Promise.resolve().then(() => console.log('promise'));\nprocess.nextTick(() => console.log('tick'));\nconsole.log('main');",
    );
    assert_eq!(r.stdout(), "main\ntick\npromise\n");
    assert_eq!(r.exit_code, 0);
}

#[test]
fn an_es_module_body_runs_in_a_microtask_so_promises_come_before_ticks() {
    let r = run(
        "main.mjs",
        "process.nextTick(() => console.log('tick'));\nPromise.resolve().then(() => console.log('promise'));",
    );
    assert_eq!(r.stdout(), "promise\ntick\n");
}

#[test]
fn timers_run_in_virtual_time_in_nodes_list_order() {
    // NODE-STREAMS.md §1.5: a@0 (100 ms), x@30 (100 ms), b@60 (70 ms): Node runs a, b, x.
    let r = run(
        "main.cjs",
        "setTimeout(() => console.log('a', performance.now()), 100);\n\
         setTimeout(() => setTimeout(() => console.log('x', performance.now()), 100), 30);\n\
         setTimeout(() => setTimeout(() => console.log('b', performance.now()), 70), 60);",
    );
    assert_eq!(r.stdout(), "a 100\nb 130\nx 130\n");
    assert_eq!(r.ended_at, 130);
}

#[test]
fn natives_reach_the_world_from_nested_callbacks() {
    // JS → core (promise job) → JS → native nextTick → core → JS → native setTimeout/setImmediate.
    let r = run(
        "main.cjs",
        "Promise.resolve().then(() => process.nextTick(() => {\n\
           setTimeout(() => console.log('timer', performance.now()), 5);\n\
           setImmediate(() => console.log('immediate', performance.now()));\n\
           const i = setInterval(() => { console.log('interval'); clearInterval(i); }, 2);\n\
         }));",
    );
    assert_eq!(r.stdout(), "immediate 1\ninterval\ntimer 5\n");
}

#[test]
fn an_uncaught_error_prints_nodes_report_with_the_programs_line() {
    let r = run("prog.cjs", "console.log('a');\nsetTimeout(() => {\n  throw new Error('boom');\n}, 1);");
    assert_eq!(r.exit_code, 1);
    assert!(r.message.starts_with("prog.cjs:3\n  throw new Error('boom');\n"), "{}", r.message);
    assert!(r.message.contains("\nError: boom\n    at "), "{}", r.message);
    assert!(r.message.ends_with("Node.js v20.20.2\n"));
    assert_eq!(r.stdout(), "a\n");
}

#[test]
fn an_unsupported_module_is_refused_with_its_line_and_exit_code_2() {
    let r = run("prog.mjs", "// a comment\nimport net from 'node:net';\n");
    assert_eq!(r.exit_code, 2);
    assert!(
        r.message.starts_with("prog.mjs:2:17\nERR_UNSUPPORTED: node:net is not available in Streamlab"),
        "{}",
        r.message
    );
    let r = run("prog.cjs", "try { require('fs'); } catch {}\nconsole.log('not reached');");
    assert_eq!(r.exit_code, 2);
    assert_eq!(r.stdout(), "");
}

#[test]
fn a_syntax_error_exits_2_with_the_line() {
    let r = run("prog.cjs", "let ok = 1;\nlet x = ;\n");
    assert_eq!(r.exit_code, 2);
    assert!(r.message.starts_with("prog.cjs:2\nlet x = ;\n        ^\n\nSyntaxError: "), "{}", r.message);
}

#[test]
fn limits_end_runaway_programs_with_exit_code_3_and_their_name() {
    let small = Limits { loop_iterations: 100_000, callbacks: 10_000, pending: 1_000, ..Limits::default() };
    let cases = [
        ("loop.cjs", "while (true) {}", "a loop ran more than"),
        ("rec.cjs", "function f() { return f() + 1 }\nf();", "Maximum call stack size exceeded"),
        ("await.mjs", "for (;;) await null;", "callbacks run"),
        ("ticks.cjs", "function t() { process.nextTick(t) }\nt();", "callbacks run"),
        ("timers.cjs", "for (let i = 0; i < 1e8; i++) setTimeout(() => {}, 10);", "callbacks waiting at once"),
        ("string.cjs", "'ab'.repeat(2 ** 29);", "a string longer than"),
    ];
    for (name, source, expected) in cases {
        let r = run_limited(name, source, small);
        assert_eq!(r.exit_code, 3, "{name}: {}", r.message);
        assert!(r.message.contains(expected), "{name}: {}", r.message);
    }
}

#[test]
fn process_exit_ends_at_once_with_its_code() {
    let r = run("p.cjs", "console.log(1);\nsetTimeout(() => { process.exit(7); console.log('no'); }, 3);\nsetTimeout(() => console.log('no'), 9);");
    assert_eq!(r.exit_code, 7);
    assert_eq!(r.stdout(), "1\n");
    assert_eq!(r.message, "");
}

#[test]
fn an_unsettled_top_level_await_exits_13() {
    let r = run("p.mjs", "await new Promise(() => {});");
    assert_eq!(r.exit_code, 13);
    assert!(r.stderr().starts_with("Warning: Detected unsettled top-level await"));
}

#[test]
fn console_formats_like_util_inspect() {
    let r = run(
        "p.cjs",
        "console.log('%s=%d %j', 'n', 42, { a: [1] }, { b: 'x', c: { d: { e: {} } } }, [1, 2, 3, 4, 5, 6, 7]);",
    );
    assert_eq!(r.stdout(), "n=42 {\"a\":[1]} { b: 'x', c: { d: { e: {} } } } [\n  1, 2, 3, 4,\n  5, 6, 7\n]\n");
}

#[test]
fn each_traced_event_is_put_down_to_the_program_line_that_caused_it() {
    let source = "const { Readable, Writable } = require('stream');
const src = new Readable({ read() {
  this.push('ab');
  this.push(null);
} });
const sink = new Writable({ write(chunk, enc, cb) {
  setTimeout(cb, 1);
} });
src.pipe(sink);
";
    let r = exec(source, "lines.cjs", &Options { trace: true, ..Default::default() });
    assert_eq!(r.exit_code, 0, "{}", r.message);
    let rec = r.recording.expect("a trace");
    let events: Vec<&str> = rec.events_json.split("},{").collect();
    let line_of = |needle: &str| {
        let i = events.iter().position(|e| e.contains(needle)).unwrap_or_else(|| panic!("no {needle}"));
        rec.lines.line_at(i)
    };
    assert_eq!(line_of("\"ev\":\"push\""), 3, "the first push is line 3's");
    assert_eq!(line_of("\"len\":0"), 4, "push(null) is line 4's");
    // pipe() resumes the source on a tick of Node's: the read that starts the flow has no line.
    assert_eq!(line_of("\"ev\":\"read\""), 0);
    // The timer calls cb itself (setTimeout(cb, 1)): Node's code, not a line of the program.
    assert_eq!(line_of("\"ev\":\"cb\""), 0);
}

#[test]
fn a_pipeline_callback_keeps_the_outcome_of_its_last_completion_when_an_error_follows() {
    // The sink finishes (pipeline's last completion: Node calls process.nextTick(callback,
    // error) with no error yet), then its doubled write callback errors it: the callback
    // still gets undefined, in Node 20 and 22. (Found by program-streams, seed 20261203293.)
    let src = "const { Readable, Writable, pipeline } = require('stream');\n\
               const sink = new Writable({\n\
                 write(c, e, cb) { setImmediate(() => { cb(); cb(); }); },\n\
                 final(cb) { cb(); },\n\
               });\n\
               sink.on('finish', () => console.log('finish'));\n\
               sink.on('error', (e) => console.log('sink error', e.code));\n\
               pipeline(Readable.from(['a']), sink, (err) => console.log('callback', err && err.code));";
    for node in [20, 22] {
        let r = exec(src, "main.cjs", &Options { node, ..Default::default() });
        assert_eq!(r.stdout(), "finish\nsink error ERR_MULTIPLE_CALLBACK\ncallback undefined\n", "Node {node}");
    }
}

#[test]
fn a_synchronous_write_loop_ends_at_the_time_budget_not_after_its_last_iteration() {
    // Found by program-mangled.test.mjs: past the budget the world halts, and the loop must
    // stop there rather than go on calling a halted world a billion times.
    let start = std::time::Instant::now();
    fn clock() -> f64 {
        thread_local!(static T0: std::time::Instant = std::time::Instant::now());
        T0.with(|t| t.elapsed().as_secs_f64() * 1000.0)
    }
    let limits = Limits { seconds: 0.5, ..Limits::default() };
    let src = "const { Writable } = require('stream');\n\
               const w = new Writable({ write(c, e, cb) { cb(); } });\n\
               for (let i = 0; i < 1e9; i++) w.write('x');";
    let r = exec(src, "loop.cjs", &Options { limits, clock: Some(clock), trace: false, ..Default::default() });
    assert_eq!(r.exit_code, 3, "{}", r.message);
    assert!(r.message.contains("real time"), "{}", r.message);
    assert!(start.elapsed().as_secs() < 30, "ended after {:?}", start.elapsed());
}

#[test]
fn a_prepared_engine_runs_its_program_as_a_fresh_one_does_with_the_programs_file_name() {
    let source = "import { Readable } from 'stream';\n\
                  console.log(process.argv[1], Readable.from(['a']).readableHighWaterMark);\n\
                  null.x;\n";
    let options = Options::default();
    let prepared = streamlab_js::prepare(20, options.limits).expect("an engine");
    assert!(prepared.fits(&options));
    assert!(!prepared.fits(&Options { node: 22, ..Default::default() }));
    let from_prepared = streamlab_js::exec_prepared(prepared, source, "lesson.mjs", &options);
    let fresh = exec(source, "lesson.mjs", &options);
    assert_eq!(from_prepared.stdout(), "lesson.mjs 1\n");
    assert_eq!(from_prepared.stderr(), fresh.stderr());
    assert!(from_prepared.stderr().starts_with("lesson.mjs:3\nnull.x;\n"), "{}", from_prepared.stderr());
    assert_eq!(from_prepared.exit_code, 1);
}

#[test]
fn a_module_with_top_level_await_ends_cleanly_when_its_first_part_exits_or_throws_from_a_stream() {
    // The engine panicked ("async modules cannot directly throw") when the program's end left
    // the synchronous part of such a module: exit 70 natively, a trap in the page.
    let exited = run("main.mjs", "console.log(1);\nprocess.exit(3);\nawait 1;\n");
    assert_eq!((exited.stdout().as_str(), exited.exit_code, exited.stderr().as_str()), ("1\n", 3, ""));
    let thrown = run(
        "main.mjs",
        "import { Writable } from 'stream';\n\
         const w = new Writable({ write(c, e, cb) { null.x; } });\n\
         w.write('a');\n\
         await 1;\n",
    );
    assert_eq!(thrown.exit_code, 1, "{}", thrown.stderr());
    assert!(thrown.stderr().starts_with("main.mjs:2\n"), "{}", thrown.stderr());
    assert!(thrown.stderr().contains("TypeError"), "{}", thrown.stderr());
}
