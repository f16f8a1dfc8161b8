//! Buffer's byte work done in Rust: making a Buffer, UTF-8 both ways. In the engine, a loop over
//! bytes in JavaScript costs hundreds of instructions a byte (`Buffer.alloc(1024, 0x41)` and
//! `toString()` were most of a stream lesson's run); here it is a memset or a memcpy.
//! buffer.js keeps the rest of Buffer (the other encodings, the class itself) and calls these.

use boa_engine::builtins::array_buffer::AlignedVec;
use boa_engine::object::builtins::{JsArrayBuffer, JsUint8Array};
use boa_engine::{Context, JsObject, JsResult, JsString, JsValue, NativeFunction};

use crate::natives::stop;
use crate::report::Fatal;
use crate::streams::host;

/// The largest Buffer made here: past it buffer.js makes it, with the engine's own checks.
const MAX_BYTES: usize = 1 << 30;

/// A Buffer (a Uint8Array whose prototype is Buffer.prototype) over `bytes`.
pub fn buffer_of(bytes: AlignedVec<u8>, ctx: &mut Context) -> JsResult<JsObject> {
    let h = host(ctx)?;
    let array = JsUint8Array::from_array_buffer(JsArrayBuffer::from_byte_block(bytes, ctx)?, ctx)?;
    let object: JsObject = array.into();
    if let Some(proto) = h.buffer_prototype.borrow().clone() {
        object.set_prototype(Some(proto));
    }
    Ok(object)
}

/// The bytes of a Uint8Array (a Buffer or a view), copied.
pub fn bytes_of(value: &JsValue, ctx: &mut Context) -> JsResult<Option<Vec<u8>>> {
    let Some(object) = value.as_object() else { return Ok(None) };
    let Ok(array) = JsUint8Array::from_object(object) else { return Ok(None) };
    let offset = array.byte_offset(ctx)?;
    let length = array.length(ctx)?;
    let buffer = array.buffer(ctx)?;
    let Some(buffer) = buffer.as_object().and_then(|b| JsArrayBuffer::from_object(b).ok()) else { return Ok(None) };
    let data = buffer.data();
    Ok(data.and_then(|d| d.get(offset..offset + length).map(<[u8]>::to_vec)))
}

/// `bufferInit(Buffer.prototype)`: the prototype the Buffers made here get.
fn buffer_init(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    *h.buffer_prototype.borrow_mut() = args.first().and_then(JsValue::as_object);
    Ok(JsValue::undefined())
}

/// `bufferAlloc(size, byte)`: a Buffer of `size` bytes, each `byte`; `undefined` for a size
/// buffer.js must check itself (not a whole number in range).
fn buffer_alloc(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let size = args.first().and_then(JsValue::as_number).unwrap_or(-1.0);
    if !(0.0..=MAX_BYTES as f64).contains(&size) || size.fract() != 0.0 {
        return Ok(JsValue::undefined());
    }
    let byte = args.get(1).and_then(JsValue::as_number).unwrap_or(0.0) as i64 as u8;
    let mut bytes = AlignedVec::with_capacity(0, size as usize);
    bytes.resize(size as usize, byte);
    Ok(buffer_of(bytes, ctx)?.into())
}

/// The UTF-16 of a JavaScript string as UTF-8, lone surrogates as U+FFFD (as Node encodes).
fn utf8_of(s: &JsString) -> String {
    String::from_utf16_lossy(&s.iter().collect::<Vec<u16>>())
}

/// The UTF-8 length of a JavaScript string (a lone surrogate is U+FFFD's 3 bytes).
pub fn utf8_length_of(s: &JsString) -> u64 {
    let mut n = 0u64;
    let mut units = s.iter().peekable();
    while let Some(u) = units.next() {
        n += match u {
            0..=0x7f => 1,
            0x80..=0x7ff => 2,
            0xd800..=0xdbff if units.peek().is_some_and(|d| (0xdc00..=0xdfff).contains(d)) => {
                units.next();
                4
            }
            _ => 3,
        };
    }
    n
}

/// `utf8Bytes(string)`: `Buffer.from(string, 'utf8')`.
fn utf8_bytes(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = args.first().and_then(JsValue::as_string).map(|s| utf8_of(&s)).unwrap_or_default();
    let mut bytes = AlignedVec::with_capacity(0, text.len());
    bytes.extend_from_slice(text.as_bytes());
    Ok(buffer_of(bytes, ctx)?.into())
}

/// `utf8Length(string)`: `Buffer.byteLength(string, 'utf8')`.
fn utf8_length(_: &JsValue, args: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let n = args.first().and_then(JsValue::as_string).map_or(0, |s| utf8_length_of(&s));
    Ok(JsValue::from(n as f64))
}

/// `utf8Text(bytes, start, end)`: the bytes `[start, end)` decoded as Node decodes UTF-8 (each
/// maximal invalid sequence becomes one U+FFFD).
fn utf8_text(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let bytes = bytes_of(&args.first().cloned().unwrap_or_default(), ctx)?.unwrap_or_default();
    let num = |i: usize, default: usize| {
        args.get(i).and_then(JsValue::as_number).map_or(default, |n| n.clamp(0.0, bytes.len() as f64) as usize)
    };
    let (start, end) = (num(1, 0), num(2, bytes.len()));
    let text = String::from_utf8_lossy(bytes.get(start..end.max(start)).unwrap_or_default());
    let units: Vec<u16> = text.encode_utf16().collect();
    let h = host(ctx)?;
    if units.len() > h.limits.string_chars {
        h.set_fatal(Fatal::Limit(format!(
            "a string longer than {} characters (the runner's limit)",
            h.limits.string_chars
        )));
        return stop();
    }
    Ok(JsString::from(&units[..]).into())
}

/// The natives buffer.js builds Buffer on.
pub fn natives() -> [(&'static str, NativeFunction, usize); 5] {
    [
        ("bufferInit", NativeFunction::from_fn_ptr(buffer_init), 1),
        ("bufferAlloc", NativeFunction::from_fn_ptr(buffer_alloc), 2),
        ("utf8Bytes", NativeFunction::from_fn_ptr(utf8_bytes), 1),
        ("utf8Length", NativeFunction::from_fn_ptr(utf8_length), 1),
        ("utf8Text", NativeFunction::from_fn_ptr(utf8_text), 3),
    ]
}
