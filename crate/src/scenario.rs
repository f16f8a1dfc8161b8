//! The scenario (SCENARIO.md "Scenario"): parsed from JSON and checked field by field, so
//! that a malformed one is refused with a message naming the field, before anything runs.

use serde_json::{Map, Value};

pub const MAX_HWM: u64 = 1 << 30;
pub const MAX_COUNT: u64 = 10_000_000;
pub const MAX_CHUNK_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_DELAY_MS: f64 = 86_400_000.0;
pub const MAX_TRANSFORMS: usize = 16;
pub const MAX_THROTTLE: f64 = 1e12;
pub const MAX_SAMPLE_EVERY: u64 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connect {
    Pipeline,
    Pipe,
    WriteLoop,
}

/// How each chunk is made.
#[derive(Clone, Debug, PartialEq)]
pub enum ChunkSpec {
    /// A string with `{n}` (1-based) and `{i}` (0-based) placeholders.
    Text {
        template: String,
        base_bytes: u64,
        n_count: u64,
        i_count: u64,
    },
    Bytes(u64),
    Object(u64),
}

impl ChunkSpec {
    /// UTF-8 length of the text of chunk `i` (0-based), or the byte count.
    pub fn bytes_of(&self, i: u64) -> u64 {
        match self {
            ChunkSpec::Text { base_bytes, n_count, i_count, .. } => {
                base_bytes + n_count * digits(i + 1) + i_count * digits(i)
            }
            ChunkSpec::Bytes(n) | ChunkSpec::Object(n) => *n,
        }
    }
}

fn digits(mut v: u64) -> u64 {
    let mut d = 1;
    while v >= 10 {
        v /= 10;
        d += 1;
    }
    d
}

#[derive(Clone, Debug, PartialEq)]
pub struct SourceSpec {
    pub chunks: u64,
    pub chunk: ChunkSpec,
    pub high_water_mark: Option<u64>,
    pub object_mode: bool,
    pub read_delay_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TransformSpec {
    pub high_water_mark: Option<u64>,
    pub object_mode: bool,
    pub delay_ms: Option<f64>,
    pub throttle_bytes_per_sec: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SinkSpec {
    pub high_water_mark: Option<u64>,
    pub object_mode: bool,
    pub delay_ms: Option<f64>,
    pub fail_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WriteLoopSpec {
    pub items: u64,
    pub chunk: ChunkSpec,
    pub respect_backpressure: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub connect: Connect,
    pub source: Option<SourceSpec>,
    pub transforms: Vec<TransformSpec>,
    pub sink: SinkSpec,
    pub write_loop: Option<WriteLoopSpec>,
    pub sample_every_ms: Option<u64>,
    pub node: u8,
}

impl Scenario {
    /// Node's default highWaterMark for a side in this scenario's Node version.
    pub fn default_hwm(&self, object_mode: bool) -> u64 {
        if object_mode {
            16
        } else if self.node == 22 {
            65536
        } else {
            16384
        }
    }

    /// Parses scenario JSON text; syntax errors carry line and column.
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        check_nesting(text)?;
        let text = lone_surrogates_to_replacement(text);
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "the scenario is not valid JSON: {} (line {}, column {})",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            )
        })?;
        Scenario::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Scenario, String> {
        let top = object(value, "scenario")?;
        known_fields(
            top,
            "",
            &["schema", "name", "connect", "source", "transforms", "sink", "writeLoop", "sampleEveryMs", "node"],
        )?;
        match top.get("schema") {
            None => return Err("schema: missing (expected \"streamlab/scenario@1\")".into()),
            Some(schema) if schema.as_str() != Some("streamlab/scenario@1") => {
                return Err(format!("schema: expected \"streamlab/scenario@1\", got {}", show(schema)))
            }
            Some(_) => {}
        }
        let name = match top.get("name") {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => return Err(format!("name: expected a string (or no field), got {}", show(other))),
        };
        let connect = match top.get("connect") {
            None => return Err("connect: missing (expected \"pipeline\", \"pipe\" or \"write-loop\")".into()),
            Some(v) => match v.as_str() {
                Some("pipeline") => Connect::Pipeline,
                Some("pipe") => Connect::Pipe,
                Some("write-loop") => Connect::WriteLoop,
                _ => {
                    return Err(format!("connect: expected \"pipeline\", \"pipe\" or \"write-loop\", got {}", show(v)))
                }
            },
        };
        let node = match top.get("node") {
            None => 20,
            Some(v) => match v.as_f64() {
                Some(n) if n == 20.0 && v.is_number() => 20,
                Some(n) if n == 22.0 && v.is_number() => 22,
                _ => return Err(format!("node: expected 20 or 22, got {}", show(v))),
            },
        };
        let sink_value = top.get("sink").ok_or("sink: missing")?;
        let sink_obj = object(sink_value, "sink")?;
        known_fields(sink_obj, "sink", &["highWaterMark", "objectMode", "delayMs", "failAt"])?;
        let sink = SinkSpec {
            high_water_mark: hwm(sink_obj, "sink")?,
            object_mode: flag(sink_obj, "sink", "objectMode")?,
            delay_ms: delay(sink_obj, "sink", "delayMs")?,
            fail_at: match sink_obj.get("failAt") {
                None | Some(Value::Null) => None,
                Some(v) => Some(integer(v, "sink.failAt", 1, MAX_COUNT)?),
            },
        };
        let sample_every_ms = match top.get("sampleEveryMs") {
            None => None,
            Some(Value::Null) => return Err(null_optional("sampleEveryMs", "no samples")),
            Some(v) => Some(integer(v, "sampleEveryMs", 1, MAX_SAMPLE_EVERY)?),
        };

        let (source, transforms, write_loop) = if connect == Connect::WriteLoop {
            // Absent means absent: null, [] or {} here is still a field the loop cannot use.
            if top.contains_key("source") {
                return Err(
                    "source: not allowed with connect \"write-loop\" (the loop is the producer; leave the field out)"
                        .into(),
                );
            }
            if top.contains_key("transforms") {
                return Err("transforms: not allowed with connect \"write-loop\" (the loop writes straight into the sink; leave the field out)".into());
            }
            let wl = object(
                top.get("writeLoop").ok_or("writeLoop: missing (required for connect \"write-loop\")")?,
                "writeLoop",
            )?;
            known_fields(wl, "writeLoop", &["items", "chunk", "respectBackpressure"])?;
            let items = integer(wl.get("items").ok_or("writeLoop.items: missing")?, "writeLoop.items", 0, MAX_COUNT)?;
            let chunk = chunk_spec(
                wl.get("chunk").ok_or("writeLoop.chunk: missing")?,
                "writeLoop.chunk",
                sink.object_mode,
                items,
                "the sink",
            )?;
            let respect = match wl.get("respectBackpressure") {
                Some(Value::Bool(b)) => *b,
                None => return Err("writeLoop.respectBackpressure: missing (true or false)".into()),
                Some(v) => {
                    return Err(format!("writeLoop.respectBackpressure: expected true or false, got {}", show(v)))
                }
            };
            (None, Vec::new(), Some(WriteLoopSpec { items, chunk, respect_backpressure: respect }))
        } else {
            if top.contains_key("writeLoop") {
                return Err("writeLoop: only allowed with connect \"write-loop\" (leave the field out)".into());
            }
            let src = object(top.get("source").ok_or("source: missing (required for pipe and pipeline)")?, "source")?;
            known_fields(src, "source", &["chunks", "chunk", "highWaterMark", "objectMode", "readDelayMs"])?;
            let chunks = integer(src.get("chunks").ok_or("source.chunks: missing")?, "source.chunks", 0, MAX_COUNT)?;
            let object_mode = flag(src, "source", "objectMode")?;
            let source = SourceSpec {
                chunks,
                chunk: chunk_spec(
                    src.get("chunk").ok_or("source.chunk: missing")?,
                    "source.chunk",
                    object_mode,
                    chunks,
                    "the source",
                )?,
                high_water_mark: hwm(src, "source")?,
                object_mode,
                read_delay_ms: delay(src, "source", "readDelayMs")?,
            };
            let mut transforms = Vec::new();
            match top.get("transforms") {
                None => {}
                Some(Value::Array(items)) => {
                    if items.len() > MAX_TRANSFORMS {
                        return Err(format!("transforms: at most {} transforms, got {}", MAX_TRANSFORMS, items.len()));
                    }
                    for (i, t) in items.iter().enumerate() {
                        let path = format!("transforms[{i}]");
                        let t = object(t, &path)?;
                        known_fields(t, &path, &["highWaterMark", "objectMode", "delayMs", "throttleBytesPerSec"])?;
                        let spec = TransformSpec {
                            high_water_mark: hwm(t, &path)?,
                            object_mode: flag(t, &path, "objectMode")?,
                            delay_ms: delay(t, &path, "delayMs")?,
                            throttle_bytes_per_sec: match t.get("throttleBytesPerSec") {
                                None | Some(Value::Null) => None,
                                Some(v) => match v.as_f64() {
                                    Some(x) if x > 0.0 && x <= MAX_THROTTLE => Some(x),
                                    _ => {
                                        return Err(format!(
                                            "{path}.throttleBytesPerSec: expected a number above 0 and at most 1e12, got {}",
                                            show(v)
                                        ))
                                    }
                                },
                            },
                        };
                        if spec.delay_ms.is_some() && spec.throttle_bytes_per_sec.is_some() {
                            return Err(format!("{path}.throttleBytesPerSec: cannot be combined with {path}.delayMs (set one of them to null)"));
                        }
                        transforms.push(spec);
                    }
                }
                Some(v) => {
                    return Err(format!("transforms: expected an array (or no field for none), got {}", show(v)))
                }
            }
            (Some(source), transforms, None)
        };
        Ok(Scenario { name, connect, source, transforms, sink, write_loop, sample_every_ms, node })
    }
}

/// JSON allows a `\uD800`–`\uDFFF` escape that is not half of a pair, and JavaScript's
/// JSON.parse gives a string holding that lone surrogate, which Node converts to U+FFFD (3
/// bytes in UTF-8). serde_json refuses such escapes, so each one is rewritten to `\uFFFD`
/// first: the same six characters, so the line and column of any later error stay right.
fn lone_surrogates_to_replacement(text: &str) -> std::borrow::Cow<'_, str> {
    // A `\u` escape's code unit at byte i (the backslash), if four hex digits follow.
    fn unit_at(b: &[u8], i: usize) -> Option<u16> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let hex = b.get(i + 2..i + 6)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }
    if !text.contains("\\u") {
        return text.into();
    }
    let b = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        match b[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let lone = match unit_at(b, i) {
                    Some(0xD800..=0xDBFF) if matches!(unit_at(b, i + 6), Some(0xDC00..=0xDFFF)) => {
                        i += 12; // a valid pair: both halves stay
                        continue;
                    }
                    Some(0xD800..=0xDFFF) => true,
                    _ => false,
                };
                if lone {
                    out.get_or_insert_with(|| b.to_vec())[i + 2..i + 6].copy_from_slice(b"FFFD");
                    i += 6;
                } else {
                    i += 2; // any other escape, \\ and \" included
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    match out {
        // Only ASCII hex digits were replaced by ASCII, so the text is still UTF-8.
        Some(bytes) => String::from_utf8(bytes).expect("still UTF-8").into(),
        None => text.into(),
    }
}

/// How deep a scenario's arrays and objects may nest. A valid scenario needs 3 levels
/// (scenario → source → chunk, or scenario → transforms → transform); the limit is checked before
/// parsing, whose recursion would otherwise overflow the stack (a trap in wasm) on input
/// nested thousands deep.
pub const MAX_NESTING: usize = 32;

/// Refuses text nested deeper than [`MAX_NESTING`], naming the depth and where it is passed.
pub fn check_nesting(text: &str) -> Result<(), String> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &c) in text.as_bytes().iter().enumerate() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_column(text, i);
                    return Err(format!(
                        "the scenario nests arrays and objects more than {MAX_NESTING} levels deep (line {line}, column {column}); a scenario needs 3"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// Reads scenario bytes as UTF-8, or says where they stop being UTF-8 (byte offset, line, column).
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let (line, column) = line_column(valid, at);
        format!(
            "the scenario is not valid UTF-8: invalid byte 0x{:02x} at byte offset {at} (line {line}, column {column})",
            e.as_bytes()[at]
        )
    })
}

/// A field name as it may appear in a message: control characters escaped (`\u001b`), so a
/// key cannot drive the terminal it is printed on, and cut to 64 characters.
fn field_name(key: &str) -> String {
    printable(key, 64)
}

/// `text` with every control character escaped (`\u001b`; C0, DEL and C1 alike: serde_json
/// leaves DEL and C1 raw, and C1's CSI drives some terminals), cut after `max` characters.
fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A short rendering of a JSON value for messages.
fn show(v: &Value) -> String {
    printable(&v.to_string(), 40)
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object().ok_or_else(|| {
        format!("{}: expected an object, got {}", if path.is_empty() { "scenario" } else { path }, show(v))
    })
}

fn known_fields(obj: &Map<String, Value>, path: &str, known: &[&str]) -> Result<(), String> {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            let key = field_name(key);
            let at = if path.is_empty() { key } else { format!("{path}.{key}") };
            return Err(format!("{at}: unknown field (known here: {})", known.join(", ")));
        }
    }
    Ok(())
}

fn integer(v: &Value, path: &str, min: u64, max: u64) -> Result<u64, String> {
    let bad = || format!("{path}: expected an integer from {min} to {max}, got {}", show(v));
    let x = v.as_f64().ok_or_else(bad)?;
    if x.fract() != 0.0 || x < min as f64 || x > max as f64 {
        return Err(bad());
    }
    Ok(x as u64)
}

/// The message for `null` in an optional field whose absence has a meaning but which has no
/// null value in the contract (SCENARIO.md "Defaults and limits").
fn null_optional(path: &str, absent: &str) -> String {
    format!("{path}: null is not a value of this field; leave the field out for {absent}")
}

fn hwm(obj: &Map<String, Value>, path: &str) -> Result<Option<u64>, String> {
    match obj.get("highWaterMark") {
        None => Ok(None),
        Some(Value::Null) => Err(null_optional(&format!("{path}.highWaterMark"), "Node's default")),
        Some(v) => integer(v, &format!("{path}.highWaterMark"), 0, MAX_HWM).map(Some),
    }
}

fn flag(obj: &Map<String, Value>, path: &str, key: &str) -> Result<bool, String> {
    match obj.get(key) {
        None => Ok(false),
        Some(Value::Null) => Err(null_optional(&format!("{path}.{key}"), "false")),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(format!("{path}.{key}: expected true or false, got {}", show(v))),
    }
}

fn delay(obj: &Map<String, Value>, path: &str, key: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(x) if (0.0..=MAX_DELAY_MS).contains(&x) => Ok(Some(x)),
            _ => Err(format!(
                "{path}.{key}: expected null or a number of milliseconds from 0 to 86400000, got {}",
                show(v)
            )),
        },
    }
}

fn chunk_spec(v: &Value, path: &str, object_mode: bool, count: u64, who: &str) -> Result<ChunkSpec, String> {
    let obj = object(v, path)?;
    if obj.len() != 1 {
        return Err(format!(
            "{path}: expected exactly one of {{\"text\": …}}, {{\"bytes\": N}} or {{\"object\": N}}, got {}",
            show(v)
        ));
    }
    let (key, val) = obj.iter().next().expect("one entry");
    let spec = match key.as_str() {
        "text" => {
            let template = val.as_str().ok_or_else(|| format!("{path}.text: expected a string, got {}", show(val)))?;
            // One pass over the original text, as JavaScript's replace(/\{([ni])\}/g, …): a
            // placeholder is exactly three characters, so `{n}` and `{i}` never overlap and
            // counting each alone finds the same ones; what replaces them is never read again.
            let n_count = template.matches("{n}").count() as u64;
            let i_count = template.matches("{i}").count() as u64;
            let base_bytes = template.len() as u64 - 3 * (n_count + i_count);
            ChunkSpec::Text { template: template.to_string(), base_bytes, n_count, i_count }
        }
        "bytes" => ChunkSpec::Bytes(integer(val, &format!("{path}.bytes"), 0, MAX_CHUNK_BYTES)?),
        "object" => {
            if !object_mode {
                return Err(format!("{path}.object: {who} is not in object mode, so it cannot take object chunks (use text or bytes, or set objectMode)"));
            }
            ChunkSpec::Object(integer(val, &format!("{path}.object"), 0, MAX_CHUNK_BYTES)?)
        }
        other => {
            return Err(format!("{path}.{}: unknown chunk kind (expected text, bytes or object)", field_name(other)))
        }
    };
    if let ChunkSpec::Text { .. } = spec {
        let largest = spec.bytes_of(count.saturating_sub(1)).max(spec.bytes_of(0));
        if largest > MAX_CHUNK_BYTES {
            return Err(format!(
                "{path}.text: a chunk would be {largest} bytes; the limit is {MAX_CHUNK_BYTES} (64 MiB)"
            ));
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        Scenario::from_json(json).unwrap_err()
    }

    const OK: &str = r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":3,"chunk":{"text":"Chunk {n}\n"}},"sink":{"delayMs":1}}"#;

    #[test]
    fn a_well_formed_scenario_parses_with_defaults() {
        let s = Scenario::from_json(OK).unwrap();
        assert_eq!(s.node, 20);
        assert_eq!(s.default_hwm(false), 16384);
        let src = s.source.unwrap();
        assert_eq!(src.chunk.bytes_of(0), 8);
        assert_eq!(src.chunk.bytes_of(9), 9);
    }

    #[test]
    fn a_negative_hwm_names_the_field_and_the_range() {
        let e = err(
            r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":3,"chunk":{"bytes":1}},"sink":{"highWaterMark":-1}}"#,
        );
        assert_eq!(e, "sink.highWaterMark: expected an integer from 0 to 1073741824, got -1");
    }

    #[test]
    fn json_syntax_errors_carry_line_and_column() {
        let e = err("{\n  \"connect\": \"pipe\",\n  oops\n}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("column"), "{e}");
    }

    #[test]
    fn unknown_fields_and_bad_node_versions_are_refused() {
        assert!(
            err(r#"{"schema":"streamlab/scenario@1","connect":"pipe","bogus":1}"#).starts_with("bogus: unknown field")
        );
        let base = OK.strip_suffix('}').unwrap();
        assert!(err(&format!("{base},\"node\":\"22\"}}")).starts_with("node: expected 20 or 22"));
        assert!(err(&format!("{base},\"node\":null}}")).starts_with("node: expected 20 or 22"));
    }

    #[test]
    fn absurd_sizes_are_refused_before_running() {
        let e = err(
            r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":1000000000,"chunk":{"bytes":1}},"sink":{}}"#,
        );
        assert!(e.starts_with("source.chunks: expected an integer from 0 to 10000000"), "{e}");
        let e = err(
            r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":1,"chunk":{"bytes":1}},"transforms":[{"delayMs":1,"throttleBytesPerSec":5}],"sink":{}}"#,
        );
        assert!(e.starts_with("transforms[0].throttleBytesPerSec: cannot be combined"), "{e}");
    }

    #[test]
    fn object_chunks_need_object_mode() {
        let e = err(
            r#"{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":1,"chunk":{"object":3}},"sink":{}}"#,
        );
        assert!(e.starts_with("source.chunk.object: the source is not in object mode"), "{e}");
    }
}
