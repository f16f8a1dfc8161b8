//! The browser's entry: `runProgram(source, options)` → `{output, exitCode, message, endedAt,
//! streams, summary}`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RunOptions {
    filename: Option<String>,
    module: Option<bool>,
}

#[derive(Serialize)]
struct OutputJs<'a> {
    t: u64,
    stream: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StreamJs<'a> {
    name: &'a str,
    kind: &'a str,
    readable_high_water_mark: Option<u64>,
    writable_high_water_mark: Option<u64>,
    object_mode: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryJs {
    events: u64,
    max_buffered_bytes: u64,
    ended_at_ms: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultJs<'a> {
    output: Vec<OutputJs<'a>>,
    exit_code: i32,
    message: &'a str,
    ended_at: u64,
    streams: Vec<StreamJs<'a>>,
    summary: SummaryJs,
}

#[wasm_bindgen]
extern "C" {
    /// The page's clock, for the run's real-time budget.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

fn clock_ms() -> f64 {
    date_now()
}

/// Runs a program; `options.filename` (default "main.mjs") and `options.module` (default: by
/// the file name) are optional. Errors only when `options` is not an object of those fields.
#[wasm_bindgen(js_name = runProgram)]
pub fn run_program(source: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let opts: RunOptions = if options.is_undefined() || options.is_null() {
        RunOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| JsValue::from_str(&format!("options: {e}")))?
    };
    let filename = opts.filename.unwrap_or_else(|| "main.mjs".into());
    let options = crate::Options { module: opts.module, clock: Some(clock_ms), ..Default::default() };
    let result = crate::exec(source, &filename, &options);
    let out = ResultJs {
        output: result
            .output
            .iter()
            .map(|o| OutputJs {
                t: o.t,
                stream: match o.stream {
                    crate::Stream::Stdout => "stdout",
                    crate::Stream::Stderr => "stderr",
                },
                text: &o.text,
            })
            .collect(),
        exit_code: result.exit_code,
        message: &result.message,
        ended_at: result.ended_at,
        streams: result
            .streams
            .iter()
            .map(|s| StreamJs {
                name: &s.name,
                kind: s.kind,
                readable_high_water_mark: s.readable_hwm,
                writable_high_water_mark: s.writable_hwm,
                object_mode: s.object_mode,
            })
            .collect(),
        summary: SummaryJs {
            events: result.events,
            max_buffered_bytes: result.max_buffered,
            ended_at_ms: result.ended_at,
        },
    };
    serde_wasm_bindgen::to_value(&out).map_err(|e| JsValue::from_str(&e.to_string()))
}
