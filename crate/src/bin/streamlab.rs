//! `streamlab run FILE|- [--no-trace] [--max-seconds N]`: runs a scenario and prints its result
//! JSON. With the trace off a run is bounded by wall time (N seconds, default 60), not events.
//! Exit 0 with a result (also when Node itself would fail: the error is in the result),
//! 2 for a malformed scenario or a usage error, 3 when a runner limit stopped the run or the
//! result would pass the output limit (`MAX_RESULT_BYTES`, 256 MiB; then nothing is written).
//!
//! `streamlab exec FILE.mjs|FILE.js|- [options]`: runs a Node.js program (the code lab). The
//! JavaScript engine is not linked into this runner, which stays small: `exec` hands over to
//! `streamlab-exec` beside it (`cargo build -p streamlab-js`), with the same arguments.

use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;

use streamlab::result::MAX_RESULT_BYTES;

/// The result's text goes to standard output as it is made, never whole in memory; the first
/// write error stops the writing and is kept.
struct Output<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for Output<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

const USAGE: &str =
    "usage: streamlab run FILE|- [--no-trace] [--max-seconds N]\n       streamlab exec FILE.mjs|FILE.js|- [--no-trace] [--trace-out FILE]";

/// `streamlab exec …`: runs `streamlab-exec` from this runner's folder with the rest of the
/// arguments, and exits as it does.
fn exec(rest: &[String]) -> ExitCode {
    let exe = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join("streamlab-exec")));
    let Some(exe) = exe.filter(|p| p.exists()) else {
        eprintln!("streamlab exec: the code lab's runner `streamlab-exec` is not built next to this one (run `cargo build -p streamlab-js --bin streamlab-exec`)");
        return ExitCode::from(2);
    };
    match std::process::Command::new(&exe).args(rest).status() {
        Ok(status) => ExitCode::from(status.code().unwrap_or(70).clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("streamlab exec: could not start {}: {e}", exe.display());
            ExitCode::from(70)
        }
    }
}

/// Milliseconds since the first call: the clock of the time budget.
fn clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("exec") {
        return exec(&args[1..]);
    }
    let mut file = None;
    let mut keep_trace = true;
    let mut saw_run = false;
    let mut max_seconds = streamlab::sim::DEFAULT_SECONDS;
    let mut args_iter = args.iter();
    while let Some(a) = args_iter.next() {
        match a.as_str() {
            "run" if !saw_run => saw_run = true,
            "--no-trace" => keep_trace = false,
            "--max-seconds" => match args_iter.next().map(|v| v.parse::<f64>()) {
                Some(Ok(v)) if v > 0.0 && v.is_finite() => max_seconds = v,
                _ => {
                    eprintln!("streamlab: --max-seconds needs a positive number of seconds\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if other.starts_with("--") => {
                eprintln!("streamlab: unknown option {other}\n{USAGE}");
                return ExitCode::from(2);
            }
            other if saw_run && file.is_none() => file = Some(other.to_string()),
            other => {
                eprintln!("streamlab: unexpected argument {other}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file.filter(|_| saw_run) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    // Bytes first, so that text that is not UTF-8 is refused with its position.
    let bytes = if file == "-" {
        let mut b = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut b) {
            eprintln!("streamlab: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        b
    } else {
        match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("streamlab: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let text = match streamlab::scenario::text_from_bytes(bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("streamlab: {e}");
            return ExitCode::from(2);
        }
    };
    match streamlab::run_within(&text, keep_trace, clock_ms, max_seconds) {
        Ok(sim) => {
            // Measured first (a pass that keeps nothing), so a result past the limit is refused
            // before a byte of it is written.
            let len = sim.result_len();
            if len > MAX_RESULT_BYTES {
                eprintln!(
                    "streamlab: runner limit: the result would be {len} bytes of JSON, past the runner's output limit of {MAX_RESULT_BYTES} bytes (256 MiB); nothing was written (--no-trace, or a larger sampleEveryMs, gives a smaller result)"
                );
                return ExitCode::from(3);
            }
            let mut out = Output { inner: BufWriter::with_capacity(1 << 16, std::io::stdout().lock()), error: None };
            sim.write_result(&mut out);
            if let Some(e) = out.error.take().map(Err).unwrap_or_else(|| out.inner.flush()).err() {
                eprintln!("streamlab: cannot write the result: {e}");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(streamlab::RunError::Invalid(msg)) => {
            eprintln!("streamlab: invalid scenario: {msg}");
            ExitCode::from(2)
        }
        Err(streamlab::RunError::Limit(msg)) => {
            eprintln!("streamlab: runner limit: {msg}");
            ExitCode::from(3)
        }
    }
}
