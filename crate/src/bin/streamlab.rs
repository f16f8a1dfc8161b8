//! `streamlab run FILE|- [--no-trace] [--max-seconds N]`: runs a scenario and prints its result
//! JSON. With the trace off a run is bounded by wall time (N seconds, default 60), not events.
//! Exit 0 with a result (also when Node itself would fail: the error is in the result),
//! 2 for a malformed scenario or a usage error, 3 when a runner limit stopped the run.

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: streamlab run FILE|- [--no-trace] [--max-seconds N]";

/// Milliseconds since the first call: the clock of the time budget.
fn clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
            let out = sim.result_json();
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
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
