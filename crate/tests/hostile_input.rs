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
