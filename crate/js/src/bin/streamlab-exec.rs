//! `streamlab-exec FILE.mjs|FILE.js|-`: runs a Node.js program on Streamlab's core and prints
//! its stdout and stderr as Node would; exits with the program's exit code.

use std::io::{Read, Write};

/// Milliseconds since the first call: the clock of the time budget.
fn clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: streamlab-exec FILE.mjs|FILE.cjs|FILE.js|-   (- reads a CommonJS program from stdin)");
        std::process::exit(64);
    };
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
    let options = streamlab_js::Options { clock: Some(clock_ms), ..Default::default() };
    let result = streamlab_js::exec(&source, &name, &options);
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    for o in &result.output {
        let _ = match o.stream {
            streamlab_js::Stream::Stdout => out.write_all(o.text.as_bytes()).and_then(|_| out.flush()),
            streamlab_js::Stream::Stderr => err.write_all(o.text.as_bytes()).and_then(|_| err.flush()),
        };
    }
    std::process::exit(result.exit_code);
}
