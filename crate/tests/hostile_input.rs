//! Bad input never panics: every public scenario, with each of its numbers replaced by
//! absurd values (and each field removed, and the text cut short), is either refused with a
//! message that names a field, or runs to a result or to a runner-limit message.

use serde_json::Value;
use streamlab::{Scenario, Simulation};

fn public_scenarios() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("tests/scenarios: cannot read {dir}: {e}")) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".json") && !name.ends_with(".expected.json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push((name, v));
        }
    }
    out
}

/// Every path to a leaf of the JSON tree.
fn leaves(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let mut p = path.clone();
                p.push(k.clone());
                leaves(c, p.clone(), out);
                out.push(p);
            }
        }
        _ => out.push(path),
    }
}

fn set(v: &mut Value, path: &[String], new: Option<Value>) {
    let (last, init) = path.split_last().unwrap();
    let mut cur = v;
    for k in init {
        cur = cur.get_mut(k.as_str()).unwrap();
    }
    let obj = cur.as_object_mut().unwrap();
    match new {
        Some(n) => {
            obj.insert(last.clone(), n);
        }
        None => {
            obj.remove(last);
        }
    }
}

/// Runs with a small budget so that huge valid scenarios stop quickly.
fn run_small(json: &str) -> Result<(), String> {
    let sc = Scenario::from_json(json)?;
    let mut sim = Simulation::new(sc, true);
    sim.world.event_budget = 5_000;
    sim.run_to_end();
    let _ = sim.result_json();
    Ok(())
}

#[test]
fn absurd_values_in_every_field_are_refused_by_name_or_run_without_panicking() {
    let absurd: Vec<Value> = serde_json::from_str(
        r#"[0, -1, 1.5, 1e308, -1e308, 2147483648, 1073741825, 10000001, "5", "NaN", null, true, [], {}, "<img src=x onerror=alert(1)>"]"#,
    )
    .unwrap();
    let mut tried = 0;
    for (name, scenario) in public_scenarios() {
        let mut paths = Vec::new();
        leaves(&scenario, Vec::new(), &mut paths);
        for path in &paths {
            for value in absurd.iter().cloned().map(Some).chain([None]) {
                let mut s = scenario.clone();
                set(&mut s, path, value.clone());
                tried += 1;
                if let Err(message) = run_small(&s.to_string()) {
                    let field = path.last().unwrap();
                    let named =
                        message.contains(field.as_str()) || message.contains(&path[0]) || message.contains("missing");
                    assert!(named, "{name}: {path:?} = {value:?} gave a message that names no field: {message}");
                }
            }
        }
        let text = scenario.to_string();
        for cut in (0..text.len()).step_by(7) {
            if let Err(message) = run_small(&text[..cut]) {
                assert!(message.contains("line") && message.contains("column"), "{message}");
            }
        }
    }
    assert!(tried > 500, "tried {tried} variants");
}

#[test]
fn nesting_thousands_deep_is_refused_by_depth_then_a_valid_scenario_runs() {
    for open in ["[", "{\"a\":"] {
        let deep = format!("{{\"schema\":\"streamlab/scenario@1\",\"x\":{}", open.repeat(6000));
        let err = Scenario::from_json(&deep).unwrap_err();
        assert!(
            err.starts_with("the scenario nests arrays and objects more than 32 levels deep (line 1, column "),
            "{err}"
        );
    }
    // Brackets inside strings are text, not nesting.
    let in_text = r#"{"schema":"streamlab/scenario@1","connect":"pipe","source":{"chunks":1,"chunk":{"text":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"{{{{"}},"sink":{}}"#;
    Scenario::from_json(in_text).expect("brackets in a string are not nesting");
    let (_, valid) = &public_scenarios()[0];
    Scenario::from_json(&valid.to_string()).expect("a valid scenario after the deep one");
}

#[test]
fn an_unknown_field_name_is_escaped_and_cut_in_the_message() {
    let key = format!("\u{1b}]0;pwned\u{7}\u{1b}[2J{}", "k".repeat(1_000_000));
    let text = serde_json::json!({ "schema": "streamlab/scenario@1", key: 1 }).to_string();
    let err = Scenario::from_json(&text).unwrap_err();
    assert!(!err.chars().any(|c| c.is_control()), "control characters reach the message: {err:?}");
    assert!(err.starts_with("\\u001b]0;pwned\\u0007\\u001b[2Jkkk"), "{err}");
    assert!(err.len() < 400, "a {}-byte message for a 1 MB key", err.len());
    assert!(err.contains("…: unknown field"), "{err}");
}

#[test]
fn invalid_utf8_is_located_by_byte_offset_line_and_column() {
    let mut bytes = b"{\"schema\":\n  \"caf".to_vec();
    bytes.push(0xff);
    let err = streamlab::scenario::text_from_bytes(bytes).unwrap_err();
    assert_eq!(err, "the scenario is not valid UTF-8: invalid byte 0xff at byte offset 17 (line 2, column 7)");
}

#[test]
fn the_native_runner_refuses_invalid_utf8_with_its_position() {
    let dir = std::env::temp_dir().join(format!("streamlab-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(&file, b"{\"name\": \"\xc3\x28\"}").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_streamlab")).arg("run").arg(&file).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not valid UTF-8: invalid byte 0xc3 at byte offset 10 (line 1, column 11)"), "{stderr}");
}

/// A write loop that ignores backpressure buffers every item at once: the sink keeps them as
/// runs of equal writes, so memory follows the distinct chunk sizes, not the item count
/// (natively, 10,000,000 such items peaked at 2.1 MB resident instead of 236 MB).
#[test]
fn a_write_loop_ignoring_backpressure_buffers_runs_of_equal_chunks_not_each_chunk() {
    let json = r#"{"schema":"streamlab/scenario@1","connect":"write-loop","sink":{"delayMs":1},"writeLoop":{"items":200000,"chunk":{"text":"Chunk {n}\n"},"respectBackpressure":false}}"#;
    let mut sim = streamlab::Simulation::new(streamlab::Scenario::from_json(json).unwrap(), false);
    sim.step(); // the set-up: every write happens now, one is in _write, the rest wait
    let sink = sim.world.sink;
    let w = sim.world.w(sink);
    // "Chunk 2\n" … "Chunk 200000\n": one run per digit count
    assert!(w.buffered.run_count() <= 6, "{} runs", w.buffered.run_count());
    let want: u64 = (2..=200_000u64).map(|n| 7 + n.to_string().len() as u64).sum::<u64>() + 8;
    assert_eq!(w.length, want, "every byte is still counted");
    sim.run_to_end();
    assert_eq!(sim.world.rec.counters.consumed, 200_000);
}

// Found by the fuzzer (fuzz/, target scenario_parse): serde_json writes DEL and the C1
// controls raw, so a value quoted in a message carried them to the terminal.
#[test]
fn a_quoted_value_has_del_and_c1_controls_escaped() {
    for (raw, escaped) in [("\u{7f}", "\\u007f"), ("\u{9b}", "\\u009b"), ("\u{85}", "\\u0085")] {
        let text = format!(r#"{{"schema":"streamlab/scenario@1","connect":"{raw}rite-loop"}}"#);
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(!err.chars().any(char::is_control), "a control character reaches the message: {err:?}");
        assert!(
            err.starts_with(&format!(
                "connect: expected \"pipeline\", \"pipe\" or \"write-loop\", got \"{escaped}rite-loop\""
            )),
            "{err}"
        );
    }
}

#[test]
fn an_unknown_chunk_kind_is_escaped_and_cut_in_the_message() {
    let kind = format!("\u{1b}[2J{}", "k".repeat(100_000));
    let text = serde_json::json!({
        "schema": "streamlab/scenario@1", "connect": "pipe",
        "source": { "chunks": 1, "chunk": { kind: 1 } }, "sink": {}
    })
    .to_string();
    let err = Scenario::from_json(&text).unwrap_err();
    assert!(!err.chars().any(char::is_control), "a control character reaches the message: {err:?}");
    assert!(err.starts_with("source.chunk.\\u001b[2Jkkk"), "{err}");
    assert!(err.ends_with("…: unknown chunk kind (expected text, bytes or object)"), "{err}");
    assert!(err.len() < 200, "a {}-byte message for a 100 kB key", err.len());
}

#[test]
fn the_result_length_is_measured_without_writing_it() {
    for (name, scenario) in public_scenarios() {
        let mut sim = Simulation::new(Scenario::from_value(&scenario).unwrap(), true);
        sim.world.event_budget = 20_000;
        sim.run_to_end();
        assert_eq!(sim.result_len(), sim.result_json().len() as u64, "{name}");
    }
}

/// Valid, and under every event and sample budget (about 180,000 events, 999,000 samples),
/// but its samples alone are 330 MB of JSON: 18 streams held near 2^30 bytes each while the
/// sink takes one 64 MiB chunk a day.
fn scenario_with_a_huge_result() -> String {
    let gib = 1u64 << 30;
    serde_json::json!({
        "schema": "streamlab/scenario@1", "connect": "pipeline",
        "source": { "chunks": 2000, "chunk": { "bytes": 64 * 1024 * 1024 }, "highWaterMark": gib },
        "transforms": vec![serde_json::json!({ "highWaterMark": gib }); 16],
        "sink": { "highWaterMark": gib, "delayMs": 86_400_000 },
        "sampleEveryMs": 173_000
    })
    .to_string()
}

#[test]
fn the_native_runner_refuses_a_result_past_its_output_limit_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("streamlab-output-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("huge.json");
    std::fs::write(&file, scenario_with_a_huge_result()).unwrap();
    for args in [&["run"][..], &["run", "--no-trace"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_streamlab")).args(args).arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {} bytes written to stdout", out.stdout.len());
        assert!(
            stderr.contains("past the runner's output limit of 268435456 bytes (256 MiB); nothing was written"),
            "{args:?}: {stderr}"
        );
        let len: u64 =
            stderr.split("the result would be ").nth(1).and_then(|s| s.split(' ').next()?.parse().ok()).unwrap();
        assert!(len > streamlab::result::MAX_RESULT_BYTES, "{len}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
