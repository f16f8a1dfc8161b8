//! Prints the scenario each core_run input stands for, so that a failing input can be run by
//! the native runner and by real Node (tests/node/oracle.cjs):
//!     cd fuzz && cargo +nightly run -q --example decode -- artifacts/core_run/crash-… > s.json
use streamlab::Scenario;
use streamlab_fuzz::FuzzScenario;

fn main() {
    for file in std::env::args().skip(1) {
        let data = std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        match std::str::from_utf8(&data).ok().filter(|t| Scenario::from_json(t).is_ok()) {
            Some(text) => println!("{}", text.trim_end()),
            None => match arbitrary::Unstructured::new(&data).arbitrary::<FuzzScenario>() {
                Ok(fuzz) => println!("{}", fuzz.to_json()),
                Err(e) => eprintln!("{file}: decodes to no scenario ({e}): core_run skips it"),
            },
        }
    }
}
