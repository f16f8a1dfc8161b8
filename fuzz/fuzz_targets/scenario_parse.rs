//! Arbitrary bytes into the scenario parser, by the native runner's path: bytes to UTF-8
//! text (refused with its position), then the JSON and its fields. Never a panic; every
//! refusal is a short message with no raw control character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streamlab::scenario::text_from_bytes;
use streamlab::Scenario;
use streamlab_fuzz::check_message;

fuzz_target!(|data: &[u8]| {
    let text = match text_from_bytes(data.to_vec()) {
        Ok(text) => text,
        Err(msg) => {
            check_message(&msg);
            let at = std::str::from_utf8(data).unwrap_err().valid_up_to();
            assert!(msg.contains(&format!("at byte offset {at} (line ")), "{msg}");
            return;
        }
    };
    match Scenario::from_json(&text) {
        Ok(scenario) => {
            // What parses once parses the same again.
            assert_eq!(Scenario::from_json(&text).as_ref(), Ok(&scenario));
        }
        Err(msg) => check_message(&msg),
    }
});
