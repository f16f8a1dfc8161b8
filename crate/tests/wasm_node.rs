//! The wasm build under Node (wasm-bindgen-test): every public scenario, run through the
//! browser entry point `runScenario`, gives what real Node gave (the same check the native
//! runner passes), and bad input comes back as an Error that names the field.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! public_scenario {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../tests/scenarios/", $name, ".json")),
            include_str!(concat!("../../tests/scenarios/", $name, ".expected.json")),
        )
    };
}

const SCENARIOS: &[(&str, &str, &str)] = &[
    public_scenario!("seeing-backpressure"),
    public_scenario!("seeing-backpressure-node22"),
    public_scenario!("manual-backpressure"),
    public_scenario!("with-backpressure"),
    public_scenario!("without-backpressure"),
    public_scenario!("object-mode"),
    public_scenario!("hwm-tuning-64"),
    public_scenario!("hwm-tuning-1024"),
    public_scenario!("hwm-tuning-16384"),
    public_scenario!("hwm-tuning-65536"),
    public_scenario!("challenge-large-file"),
    public_scenario!("challenge-small-transform-hwm"),
    public_scenario!("challenge-throttle"),
    public_scenario!("key-insight-10gib"),
];

fn section(result: &JsValue, key: &str) -> serde_json::Value {
    let v = Reflect::get(result, &JsValue::from_str(key)).expect("the result has the section");
    let text: String = JSON::stringify(&v).expect("stringify").into();
    serde_json::from_str(&text).expect("parse")
}

#[wasm_bindgen_test]
fn every_public_scenario_matches_node_through_run_scenario() {
    for (name, scenario, expected) in SCENARIOS {
        let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
        let omitted = expected.get("traceOmitted") == Some(&serde_json::Value::Bool(true));
        let options = js_sys::Object::new();
        Reflect::set(&options, &"trace".into(), &JsValue::from_bool(!omitted)).unwrap();
        let result = streamlab::wasm::run_scenario(&JsValue::from_str(scenario), &options)
            .unwrap_or_else(|_| panic!("{name}: runScenario threw"));
        let sections: &[&str] = if omitted { &["summary", "samples"] } else { &["summary", "trace", "samples"] };
        for key in sections {
            assert_eq!(section(&result, key), expected[*key], "{name}: {key} differs from Node's");
        }
    }
}

#[wasm_bindgen_test]
fn a_scenario_object_works_as_well_as_json_text() {
    let (_, scenario, expected) = SCENARIOS[0];
    let object = JSON::parse(scenario).unwrap();
    let result = streamlab::wasm::run_scenario(&object, &JsValue::UNDEFINED).unwrap();
    let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
    assert_eq!(section(&result, "summary"), expected["summary"]);
}

#[wasm_bindgen_test]
fn a_malformed_scenario_throws_an_error_naming_the_field() {
    let bad = r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":3,"chunk":{"bytes":1}},"sink":{"highWaterMark":-1}}"#;
    let err = streamlab::wasm::run_scenario(&JsValue::from_str(bad), &JsValue::UNDEFINED).unwrap_err();
    let message: String = Reflect::get(&err, &"message".into()).unwrap().as_string().unwrap();
    assert_eq!(message, "sink.highWaterMark: expected an integer from 0 to 1073741824, got -1");
    assert_eq!(
        streamlab::wasm::validate_scenario(&JsValue::from_str("{"))
            .map(|m| m.starts_with("the scenario is not valid JSON")),
        Some(true)
    );
}

#[wasm_bindgen_test]
fn the_stepping_handle_reaches_the_same_summary_as_a_whole_run() {
    let (_, scenario, expected) = SCENARIOS[0];
    let mut sim = streamlab::wasm::WasmSimulation::new(&JsValue::from_str(scenario), &JsValue::UNDEFINED).unwrap();
    let first = sim.step_events(1).unwrap();
    assert!(first >= 1);
    assert!(!sim.done());
    assert!(!sim.advance_to(40.0).unwrap());
    assert_eq!(sim.now(), 40.0);
    while !sim.advance_to(sim.now() + 10.0).unwrap() {}
    let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
    assert_eq!(section(&sim.result().unwrap(), "summary"), expected["summary"]);
    assert_eq!(sim.trace_length() as usize, expected["trace"].as_array().unwrap().len());
}

#[wasm_bindgen_test]
fn an_object_nested_6000_deep_is_refused_and_the_next_run_still_works() {
    let deep = format!("{{\"schema\":\"streamlab/scenario@1\",\"x\":{}{}}}", "[".repeat(6000), "]".repeat(6000));
    let object = JSON::parse(&deep).unwrap();
    let hundred = format!("{{\"schema\":\"streamlab/scenario@1\",\"x\":{}{}}}", "[".repeat(100), "]".repeat(100));
    let hundred_object = JSON::parse(&hundred).unwrap();
    for input in [object, JsValue::from_str(&deep), hundred_object] {
        let err = streamlab::wasm::run_scenario(&input, &JsValue::UNDEFINED).unwrap_err();
        let message: String = Reflect::get(&err, &"message".into()).unwrap().as_string().unwrap();
        // Text is refused by depth; an object so deep that JSON.stringify overflows is refused too.
        assert!(message.starts_with("the scenario") && message.contains("32 levels"), "{message}");
    }
    let (_, scenario, expected) = SCENARIOS[0];
    let result = streamlab::wasm::run_scenario(&JsValue::from_str(scenario), &JsValue::UNDEFINED).unwrap();
    let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
    assert_eq!(section(&result, "summary"), expected["summary"]);
}

#[wasm_bindgen_test]
fn trace_since_gives_at_most_max_events_from_its_index() {
    let (_, scenario, _) = SCENARIOS[0];
    let mut sim = streamlab::wasm::WasmSimulation::new(&JsValue::from_str(scenario), &JsValue::UNDEFINED).unwrap();
    sim.run_to_end().unwrap();
    let total = sim.trace_length();
    assert!(total > 20);
    let all = js_sys::Array::from(&sim.trace_since(0, None).unwrap());
    assert_eq!(all.length(), total);
    let some = js_sys::Array::from(&sim.trace_since(5, Some(10)).unwrap());
    assert_eq!(some.length(), 10);
    assert_eq!(JSON::stringify(&some.get(0)).unwrap(), JSON::stringify(&all.get(5)).unwrap());
    let tail = js_sys::Array::from(&sim.trace_since(total - 3, Some(10)).unwrap());
    assert_eq!(tail.length(), 3);
}

#[wasm_bindgen_test]
fn an_event_budget_stops_a_run_inside_one_macrotask_and_counts_its_events() {
    // 2,000 one-byte chunks through 16 synchronous transforms: one macrotask of ~138,000 events.
    let transforms = ["{}"; 16].join(",");
    let scenario = format!(
        "{{\"schema\":\"streamlab/scenario@1\",\"connect\":\"pipeline\",\"source\":{{\"chunks\":2000,\"chunk\":{{\"bytes\":1}}}},\"transforms\":[{transforms}],\"sink\":{{}}}}"
    );
    let options = JSON::parse("{\"trace\":false}").unwrap();
    let mut whole = streamlab::wasm::WasmSimulation::new(&JsValue::from_str(&scenario), &options).unwrap();
    whole.step_macrotasks(1).unwrap();
    let first = whole.event_count();
    whole.run_to_end().unwrap();
    assert_eq!(whole.event_count(), first, "the set-up macrotask holds every event");
    assert!(first > 100_000.0);

    let mut counted = streamlab::wasm::WasmSimulation::new(&JsValue::from_str(&scenario), &options).unwrap();
    counted.set_event_budget(1000.0);
    counted.set_event_budget(1e12); // a budget is only ever lowered
    let err = counted.step_macrotasks(1).unwrap_err();
    let message: String = Reflect::get(&err, &"message".into()).unwrap().as_string().unwrap();
    assert!(message.starts_with("stopped after 1001 events: past the runner's event budget of 1000"), "{message}");
    assert_eq!(counted.event_count(), 1001.0);
    assert!(counted.done());
}
