//! `streamlab-exec FILE.mjs|FILE.js|-`: runs a Node.js program on Streamlab's core and prints
//! its stdout and stderr as Node would; exits with the program's exit code.

use std::io::{Read, Write};

/// Milliseconds since the first call: the clock of the time budget.
fn clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn main() {
    // exec reports an engine panic itself (as a limit or an internal error): the default hook
    // would print Rust's panic text over the program's output.
    std::panic::set_hook(Box::new(|_| {}));
    let usage = "usage: streamlab-exec FILE.mjs|FILE.cjs|FILE.js|- [--no-trace] [--trace-out FILE] [--max-seconds N] [--node 20|22]\n  (- reads a CommonJS program from stdin; --trace-out writes the streams' result@1 JSON;\n   --node 22 behaves as Node 22, as a scenario's \"node\": 22 does)";
    let mut path = None;
    let mut trace_out = None;
    let mut trace = true;
    let mut node = 20;
    let mut limits = streamlab_js::host::Limits::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--no-trace" => trace = false,
            "--trace-out" => match args.next() {
                Some(f) => trace_out = Some(f),
                None => {
                    eprintln!("streamlab-exec: --trace-out needs a file\n{usage}");
                    std::process::exit(64);
                }
            },
            "--max-seconds" => match args.next().map(|v| v.parse::<f64>()) {
                Some(Ok(v)) if v > 0.0 && v.is_finite() => limits.seconds = v,
                _ => {
                    eprintln!("streamlab-exec: --max-seconds needs a positive number of seconds\n{usage}");
                    std::process::exit(64);
                }
            },
            "--node" => match args.next().as_deref() {
                Some("20") => node = 20,
                Some("22") => node = 22,
                _ => {
                    eprintln!("streamlab-exec: --node needs 20 or 22\n{usage}");
                    std::process::exit(64);
                }
            },
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            _ if path.is_none() && (a == "-" || !a.starts_with('-')) => path = Some(a),
            _ => {
                eprintln!("streamlab-exec: unexpected argument {a}\n{usage}");
                std::process::exit(64);
            }
        }
    }
    let Some(path) = path else {
        eprintln!("{usage}");
        std::process::exit(64);
    };
    let path = &path;
    let (source, name) = if path == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("streamlab-exec: stdin: {e}");
            std::process::exit(66);
        }
        (s, "[stdin]".to_string())
    } else {
        match std::fs::read_to_string(path) {
            Ok(s) => (s, path.clone()),
            Err(e) => {
                eprintln!("streamlab-exec: {path}: {e}");
                std::process::exit(66);
            }
        }
    };
    let options = streamlab_js::Options {
        clock: Some(clock_ms),
        trace: trace && trace_out.is_some(),
        limits,
        node,
        ..Default::default()
    };
    let result = streamlab_js::exec(&source, &name, &options);
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    for o in &result.output {
        let _ = match o.stream {
            streamlab_js::Stream::Stdout => out.write_all(o.text.as_bytes()).and_then(|_| out.flush()),
            streamlab_js::Stream::Stderr => err.write_all(o.text.as_bytes()).and_then(|_| err.flush()),
        };
    }
    if let Some(file) = trace_out {
        let json = streamlab_js::recording::result_json(&result, &name);
        if let Err(e) = std::fs::write(&file, json) {
            eprintln!("streamlab-exec: --trace-out {file}: {e}");
            std::process::exit(74);
        }
    }
    std::process::exit(result.exit_code);
}
