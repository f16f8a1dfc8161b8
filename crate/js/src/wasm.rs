//! The browser's entry: `runProgram(source, options)` → `{output, exitCode, message, endedAt}`.

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
struct ResultJs<'a> {
    output: Vec<OutputJs<'a>>,
    exit_code: i32,
    message: &'a str,
    ended_at: u64,
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
    let result = crate::exec(source, &filename, &crate::Options { module: opts.module, ..Default::default() });
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
    };
    serde_wasm_bindgen::to_value(&out).map_err(|e| JsValue::from_str(&e.to_string()))
}
