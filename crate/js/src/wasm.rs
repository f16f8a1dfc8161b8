//! The browser's entry: `runProgram(source, options)` → `{output, exitCode, message, endedAt,
//! streams, summary, trace, buffered, samples, traceTruncated}`: the program's output, and its
//! streams as the page's charts and timeline draw a scenario's (trace events as result@1 has
//! them, each stream's buffered amount after each event, samples at the end of loop turns).
//! Options: `filename`, `module`, `trace` (default true), `node` (20, the default, or 22).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RunOptions {
    filename: Option<String>,
    module: Option<bool>,
    /// Keep the streams' trace (default true).
    trace: Option<bool>,
    /// The Node to behave as: 22, or 20 (the default).
    node: Option<u8>,
    /// The trace as its JSON text (`traceJson`) instead of parsed into `trace`: a Worker hands
    /// the page one string far faster than 20,000 objects (each cloned across).
    trace_json: Option<bool>,
}

#[derive(Serialize)]
struct SampleJs<'a> {
    t: u64,
    buffered: BTreeMap<&'a str, u64>,
    total: u64,
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
    samples: Vec<SampleJs<'a>>,
    trace_truncated: bool,
    /// The program's line behind each trace event, as runs: from event `from[k]` on, `line[k]`
    /// (0: Node's own code was running).
    lines: LinesJs<'a>,
}

#[derive(Serialize)]
struct LinesJs<'a> {
    from: &'a [u32],
    line: &'a [u32],
}

#[wasm_bindgen]
extern "C" {
    /// The page's clock, for the run's real-time budget.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    /// The trace is written as result@1's JSON by the core's own writer, and read here once.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
}

fn clock_ms() -> f64 {
    date_now()
}

thread_local! {
    /// The engine `prepareProgram` made, for the next run.
    static PREPARED: std::cell::RefCell<Option<crate::Prepared>> = const { std::cell::RefCell::new(None) };
}

/// Makes the next run's engine now, with Node's globals (`options.node`: 20 or 22): a Worker
/// waiting for a program calls it, so that Run starts with the program.
#[wasm_bindgen(js_name = prepareProgram)]
pub fn prepare_program(options: JsValue) -> Result<(), JsValue> {
    let opts: RunOptions = if options.is_undefined() || options.is_null() {
        RunOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| JsValue::from_str(&format!("options: {e}")))?
    };
    let prepared =
        crate::prepare(opts.node.unwrap_or(20), Default::default()).map_err(|r| JsValue::from_str(&r.message))?;
    PREPARED.with(|p| *p.borrow_mut() = Some(prepared));
    Ok(())
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
    let trace = opts.trace.unwrap_or(true);
    let node = opts.node.unwrap_or(20);
    let options = crate::Options { module: opts.module, clock: Some(clock_ms), trace, node, ..Default::default() };
    let result = match PREPARED.with(|p| p.borrow_mut().take()).filter(|p| p.fits(&options)) {
        Some(prepared) => crate::exec_prepared(prepared, source, &filename, &options),
        None => crate::exec(source, &filename, &options),
    };
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
        samples: result
            .samples
            .t
            .iter()
            .zip(&result.samples.buffered)
            .map(|(&t, row)| SampleJs { t, buffered: by_name(&result.streams, row), total: row.iter().sum() })
            .collect(),
        trace_truncated: result.recording.as_ref().is_some_and(|r| r.truncated),
        lines: LinesJs {
            from: result.recording.as_ref().map_or(&[], |r| &r.lines.from),
            line: result.recording.as_ref().map_or(&[], |r| &r.lines.line),
        },
    };
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let value = out.serialize(&serializer).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let events_json = result.recording.as_ref().map_or("[]", |r| r.events_json.as_str());
    if opts.trace_json == Some(true) {
        set(&value, "traceJson", &JsValue::from_str(events_json))?;
    } else {
        set(&value, "trace", &json_parse(events_json)?)?;
    }
    // Each stream's buffered amount after each event, row by row (event-major, streams in
    // `streams` order), as one typed array: 20,000 events of 15 streams as objects took the
    // page longer to make than the run itself.
    let rows: Vec<f64> = result
        .recording
        .as_ref()
        .map(|r| r.buffered.iter().flat_map(|row| row.iter().map(|&v| v as f64)).collect())
        .unwrap_or_default();
    set(&value, "bufferedRows", &js_sys::Float64Array::from(rows.as_slice()).into())?;
    Ok(value)
}

/// Each stream's amount by its name.
fn by_name<'a>(streams: &'a [crate::StreamInfo], row: &[u64]) -> BTreeMap<&'a str, u64> {
    streams.iter().enumerate().map(|(i, s)| (s.name.as_str(), row.get(i).copied().unwrap_or(0))).collect()
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;
}

fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsValue> {
    reflect_set(target, &JsValue::from_str(key), value).map(|_| ())
}
