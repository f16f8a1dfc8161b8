//! Valid scenarios run under tight limits (a 400-event budget). Input that is a valid
//! scenario as JSON (the seeds are the public scenarios) runs as it is; any other input is
//! decoded into a valid scenario covering every feature of docs/SCENARIO.md. Never a panic;
//! every run ends with a result or a limit, and the result keeps the invariants of
//! `run_and_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streamlab::Scenario;
use streamlab_fuzz::{run_and_check, FuzzScenario};

fuzz_target!(|data: &[u8]| {
    if let Some(scenario) = std::str::from_utf8(data).ok().and_then(|t| Scenario::from_json(t).ok()) {
        run_and_check(&scenario);
        return;
    }
    let Ok(fuzz) = arbitrary::Unstructured::new(data).arbitrary::<FuzzScenario>() else { return };
    let json = fuzz.to_json();
    let scenario =
        Scenario::from_json(&json).unwrap_or_else(|e| panic!("the decoder made an invalid scenario: {e}\n{json}"));
    run_and_check(&scenario);
});
