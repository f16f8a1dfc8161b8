//! A program's stream trace as real Node records it (tests/node/program-trace.cjs records
//! Node's; program-streams.test.mjs compares the two for the whole corpus). Each test pins one
//! state where streamlab-exec once recorded differently; the expected traces are Node 20's.

use streamlab_js::{exec, Options, ProgramResult};

fn run(source: &str, node: u8) -> ProgramResult {
    exec(source, "main.cjs", &Options { trace: true, node, ..Default::default() })
}

fn trace(source: &str) -> String {
    let r = run(source, 20);
    assert_eq!(r.exit_code, 0, "{}", r.stderr());
    r.recording.expect("a trace").events_json
}

#[test]
fn end_with_a_chunk_writes_it_without_a_write_event() {
    // Writable.prototype.end calls the module's _write(stream, chunk), not write().
    let t = trace(
        "const { Writable } = require('stream');\n\
         const w = new Writable({ highWaterMark: 4, write(c, e, cb) { cb(); } });\n\
         w.write('ab');\n\
         w.end('cde');",
    );
    assert_eq!(
        t,
        r#"[{"t":0,"ev":"_write","stream":"new Writable 1","len":2,"wl":2},{"t":0,"ev":"cb","stream":"new Writable 1","wl":2},{"t":0,"ev":"write","stream":"new Writable 1","len":2,"ret":true,"wl":0},{"t":0,"ev":"_write","stream":"new Writable 1","len":3,"wl":3},{"t":0,"ev":"cb","stream":"new Writable 1","wl":3},{"t":0,"ev":"finish","stream":"new Writable 1"},{"t":0,"ev":"close","stream":"new Writable 1"}]"#
    );
}

#[test]
fn a_push_refused_for_its_chunk_type_is_a_push_that_counted_nothing() {
    let t = trace(
        "const { Readable } = require('stream');\n\
         const r = new Readable({ read() {} });\n\
         r.on('error', (e) => console.log(e.code));\n\
         console.log(r.push(5));",
    );
    assert_eq!(
        t,
        r#"[{"t":0,"ev":"push","stream":"new Readable 1","len":0,"ret":false,"rl":0},{"t":0,"ev":"error","stream":"new Readable 1","code":"ERR_INVALID_ARG_TYPE"},{"t":0,"ev":"close","stream":"new Readable 1"}]"#
    );
}

#[test]
fn a_string_kept_by_decode_strings_false_counts_its_utf16_length() {
    let src = "const { Writable } = require('stream');\n\
               const w = new Writable({ decodeStrings: false, write(c, e, cb) {} });\n\
               w.write('h\u{e9}llo');\n\
               console.log(w.writableLength);";
    assert_eq!(run(src, 20).stdout(), "5\n");
    assert_eq!(
        trace(src),
        r#"[{"t":0,"ev":"_write","stream":"new Writable 1","len":5,"wl":5},{"t":0,"ev":"write","stream":"new Writable 1","len":5,"ret":true,"wl":5}]"#
    );
}

#[test]
fn process_stdout_takes_no_number_from_the_programs_streams() {
    let r = run(
        "process.stdout.write('hi\\n');\n\
         const { Readable } = require('stream');\n\
         new Readable({ read() {} });",
        20,
    );
    let names: Vec<&str> = r.streams.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["process.stdout", "new Readable 1"]);
}

#[test]
fn node_22_byte_streams_default_to_a_64_kib_high_water_mark() {
    let src = "const { Readable, Writable } = require('stream');\n\
               console.log(process.version, new Readable().readableHighWaterMark, new Writable().writableHighWaterMark,\n\
                 new Readable({ objectMode: true }).readableHighWaterMark);";
    assert_eq!(run(src, 22).stdout(), "v22.23.3 65536 65536 16\n");
    assert_eq!(run(src, 20).stdout(), "v20.20.2 16384 16384 16\n");
}

#[test]
fn node_22_reports_an_unhandled_error_event_from_its_own_events_line() {
    let src = "const { Writable } = require('stream');\n\
               const w = new Writable({ write(c, e, cb) { cb(new Error('boom')); } });\n\
               w.write('x');";
    let (r20, r22) = (run(src, 20), run(src, 22));
    assert_eq!((r20.exit_code, r22.exit_code), (1, 1));
    assert!(r20.stderr().starts_with("node:events:502\n"), "{}", r20.stderr());
    assert!(r22.stderr().starts_with("node:events:497\n"), "{}", r22.stderr());
    assert!(r22.stderr().ends_with("Node.js v22.23.3\n"), "{}", r22.stderr());
}

#[test]
fn read_n_across_decoded_strings_takes_a_whole_string_where_node_20_miscounts() {
    // Buffer [" ", "more "], read(3): " " then 2 to go, and Node 20.20's fromList tests
    // `n === buf.length` (the array's 2 slots) where it means the string's: it takes "more "
    // whole and still counts 3 off readableLength; the next read(3) returns "". Node 22 reads 3.
    let src = "const { Readable } = require('stream');\n\
               const r = new Readable({ highWaterMark: 16, read() {} });\n\
               r.setEncoding('utf8');\n\
               r.push(Buffer.from('and '));\n\
               console.log(JSON.stringify(r.read(3)), r.readableLength);\n\
               r.push(Buffer.from('more '));\n\
               console.log(JSON.stringify(r.read(3)), r.readableLength);\n\
               console.log(JSON.stringify(r.read(3)), r.readableLength);";
    assert_eq!(run(src, 20).stdout(), "\"and\" 1\n\" more \" 3\n\"\" 0\n");
    assert_eq!(run(src, 22).stdout(), "\"and\" 1\n\" mo\" 3\n\"re \" 0\n");
}
