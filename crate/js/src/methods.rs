//! The per-chunk crossings between a program and the core, done without stream.js: the
//! program's `push(chunk)` and `write(chunk, encoding, cb)`, and the core's calls of the
//! program's `_read(size)` and `_write(chunk, encoding, callback)`. In the engine each
//! JavaScript step costs a thousand instructions or more, so a chunk that went through
//! stream.js's argument checks both ways cost about 80,000; these paths take the common
//! cases (a Buffer in a byte stream, any chunk in an object-mode one) and hand everything
//! else to stream.js, which keeps Node's checks, conversions and errors.

use boa_engine::object::builtins::JsUint8Array;
use boa_engine::object::FunctionObjectBuilder;
use boa_engine::{js_string, Context, JsObject, JsResult, JsString, JsValue, NativeFunction};
use streamlab::user_code::UserCall;
use streamlab::world::{Chunk, ChunkKind, StreamId, World};

use crate::host::Host;
use crate::report::Fatal;
use crate::streams::{chunk_of, host, in_world, stream_error_or_destroy, throw};

impl Host {
    /// The core id of a stream object (`this` in a method).
    fn stream_of(&self, this: &JsValue) -> Option<StreamId> {
        this.as_object().and_then(|o| self.streams.ids.borrow().get(&o).copied())
    }

    /// A Buffer's length (a Uint8Array with Buffer.prototype, as `instanceof Buffer` asks).
    fn buffer_length(&self, value: &JsValue, ctx: &mut Context) -> Option<u64> {
        let o = value.as_object()?;
        let proto = self.buffer_prototype.borrow().clone()?;
        if o.prototype().as_ref() != Some(&proto) {
            return None;
        }
        let array = JsUint8Array::from_object(o).ok()?;
        array.length(ctx).ok().map(|n| n as u64)
    }

    /// What stream.js's `objectChunk` makes of a chunk in object mode: a string counts its
    /// UTF-8 bytes when a byte stream takes it, a Uint8Array its length, anything else 1.
    fn object_chunk(&self, value: &JsValue, ctx: &mut Context) -> (ChunkKind, u64) {
        if let Some(s) = value.as_string() {
            return (ChunkKind::Text, crate::buffers::utf8_length_of(&s));
        }
        if let Some(o) = value.as_object() {
            if let Ok(array) = JsUint8Array::from_object(o) {
                return (ChunkKind::Buffer, array.length(ctx).unwrap_or(0) as u64);
            }
        }
        (ChunkKind::Object, 1)
    }

    /// Calls stream.js's own method (`push_slow` or `write_slow`) with the same arguments.
    fn call_slow(
        &self,
        slow: &std::cell::RefCell<Option<JsObject>>,
        this: &JsValue,
        args: &[JsValue],
        ctx: &mut Context,
    ) -> JsResult<JsValue> {
        let f = slow.borrow().clone();
        match f {
            Some(f) => f.call(this, args, ctx),
            None => Ok(JsValue::undefined()),
        }
    }

    /// The core calls `_read(size)` or `_write(chunk, encoding, callback)` on the program's
    /// object itself, as Node's `Readable.read` and `Writable`'s `doWrite` do; `None` when
    /// stream.js's `dispatch` must (a chunk whose encoding it decides).
    pub(crate) fn call_directly(
        &self,
        world: &mut World,
        call: UserCall,
        ctx: &mut Context,
    ) -> Option<Result<(), Fatal>> {
        let object = |s: StreamId| self.streams.objects.borrow().get(s).cloned();
        let result = match call {
            UserCall::Read { stream, .. } => {
                let obj = object(stream)?;
                let size = world.streams.get(stream)?.r.as_ref()?.high_water_mark;
                self.world.lend(world, || {
                    let f = obj.get(js_string!("_read"), ctx)?;
                    let Some(f) = f.as_callable() else { return self.dispatch_js("read", &obj, vec![], ctx) };
                    match f.call(&obj.clone().into(), &[JsValue::from(size as f64)], ctx) {
                        // stream.js's `try { _read() } catch (err) { errorOrDestroy(err) }`;
                        // the engine's own errors (limits, the program's end) go on up.
                        Err(e) if e.as_engine().is_none() && !self.is_fatal() => {
                            let err = e.into_opaque(ctx)?;
                            let args = [JsValue::from(stream as f64), err];
                            stream_error_or_destroy(&JsValue::undefined(), &args, ctx).map(|_| ())
                        }
                        other => other.map(|_| ()),
                    }
                })
            }
            UserCall::Write { stream, chunk, .. } | UserCall::Transform { stream, chunk, .. } => {
                let transform = matches!(call, UserCall::Transform { .. });
                let obj = object(stream)?;
                let value = self.payload_out(chunk.payload);
                let decided = self.streams.encodings.borrow().get(&chunk.payload).cloned();
                // callWritten: the encoding write() decided, none in object mode, 'buffer'
                // for a Buffer pipe wrote; a string pipe wrote is stream.js's to convert.
                let encoding = match decided {
                    Some(e) => e,
                    None if world.streams.get(stream)?.w.as_ref()?.object_mode => JsValue::undefined(),
                    None => {
                        self.buffer_length(&value, ctx)?;
                        js_string!("buffer").into()
                    }
                };
                let (name, what) = if transform { ("_transform", "transform") } else { ("_write", "write") };
                let cb = self.callback(stream, transform, ctx);
                self.world.lend(world, || {
                    let f = obj.get(JsString::from(name), ctx)?;
                    match f.as_callable() {
                        Some(f) => f.call(&obj.clone().into(), &[value, encoding, cb.into()], ctx).map(|_| ()),
                        None => self.dispatch_js(what, &obj, self.chunk_and_encoding(chunk), ctx),
                    }
                })
            }
            _ => return None,
        };
        Some(result.map_err(|e| self.fatal_of(e, ctx)))
    }

    /// stream.js's `dispatch(what, stream, ...rest)`.
    fn dispatch_js(&self, what: &str, obj: &JsObject, rest: Vec<JsValue>, ctx: &mut Context) -> JsResult<()> {
        let Some(d) = self.streams.dispatch.borrow().clone() else { return Ok(()) };
        let mut args = vec![js_string!(what).into(), obj.clone().into()];
        args.extend(rest);
        d.call(&JsValue::undefined(), &args, ctx).map(|_| ())
    }

    /// The callback `_write` or `_transform` gets: one function per stream, as Node's
    /// `state.onwrite` (the core itself tells a second call for the same chunk).
    fn callback(&self, s: StreamId, transform: bool, ctx: &mut Context) -> JsObject {
        if let Some(f) = self.streams.callbacks.borrow().get(&(s, transform)) {
            return f.clone();
        }
        let done = if transform {
            NativeFunction::from_copy_closure(move |_, args, ctx| transform_done(s, args, ctx))
        } else {
            NativeFunction::from_copy_closure(move |_, args, ctx| {
                let h = host(ctx)?;
                let err = h.err_in(&args.first().cloned().unwrap_or_default(), ctx)?;
                in_world(&h, ctx, |w| w.sink_callback(s, err))?;
                Ok(JsValue::undefined())
            })
        };
        let f: JsObject =
            FunctionObjectBuilder::new(ctx.realm(), done).length(if transform { 2 } else { 1 }).build().into();
        self.streams.callbacks.borrow_mut().insert((s, transform), f.clone());
        f
    }
}

/// `_transform`'s `callback(err, data)`: `data` pushed as `push(data)` would push it, then the
/// next chunk; data the push native would leave to stream.js goes to its `transformCallback`.
fn transform_done(s: StreamId, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let (err, data) = (args.first().cloned().unwrap_or_default(), args.get(1).cloned().unwrap_or_default());
    if !err.is_null_or_undefined() || data.is_null_or_undefined() {
        let err = h.err_in(&err, ctx)?;
        in_world(&h, ctx, |w| w.transform_done(s, err, None))?;
        return Ok(JsValue::undefined());
    }
    if let Some(chunk) = h.readable_chunk(s, &data, ctx).flatten() {
        in_world(&h, ctx, |w| w.transform_done(s, None, Some(chunk)))?;
        return Ok(JsValue::undefined());
    }
    let obj = h.streams.objects.borrow().get(s).cloned();
    if let Some(obj) = obj {
        h.dispatch_js("transformDone", &obj, vec![err, data], ctx)?;
    }
    Ok(JsValue::undefined())
}

impl Host {
    /// The chunk `push(value)` makes when the natives can make it: `Some(None)` the end,
    /// `None` a value stream.js must look at (a string to encode, setEncoding's decoding, a
    /// wrong type).
    fn readable_chunk(&self, s: StreamId, value: &JsValue, ctx: &mut Context) -> Option<Option<Chunk>> {
        let decoding = self.streams.decoding.borrow().contains(&s);
        if value.is_null() {
            // The end: a decoder's held bytes go first (stream.js's pushEnd).
            return if decoding { None } else { Some(None) };
        }
        let object_mode = self.world.with(|w| w.streams.get(s).and_then(|st| st.r.as_ref()).map(|r| r.object_mode));
        match object_mode.flatten()? {
            true => {
                let (kind, bytes) = self.object_chunk(value, ctx);
                Some(Some(chunk_of(self, value.clone(), kind, bytes)))
            }
            false if !decoding => {
                let n = self.buffer_length(value, ctx)?;
                Some(Some(chunk_of(self, value.clone(), ChunkKind::Buffer, n)))
            }
            false => None,
        }
    }
}

/// `readable.push(chunk, encoding)`.
fn push(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let value = args.first().cloned().unwrap_or_default();
    if let Some(s) = h.stream_of(this) {
        if let Some(chunk) = h.readable_chunk(s, &value, ctx) {
            return Ok(in_world(&h, ctx, |w| w.push_traced(s, chunk))?.into());
        }
    }
    h.call_slow(&h.streams.push_slow, this, args, ctx)
}

/// `writable.write(chunk, encoding, cb)`.
fn write(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let value = args.first().cloned().unwrap_or_default();
    let (mut encoding, mut cb) = (args.get(1).cloned().unwrap_or_default(), args.get(2).cloned().unwrap_or_default());
    if encoding.is_callable() {
        cb = encoding;
        encoding = JsValue::null();
    }
    if let Some(s) = h.stream_of(this).filter(|_| !value.is_null()) {
        let object_mode = h.world.with(|w| w.streams.get(s).and_then(|st| st.w.as_ref()).map(|w| w.object_mode));
        let chunk = match object_mode.flatten() {
            Some(true) => Some((ChunkKind::Object, 1, encoding)),
            Some(false) => h.buffer_length(&value, ctx).map(|n| (ChunkKind::Buffer, n, js_string!("buffer").into())),
            None => None,
        };
        if let Some((kind, bytes, encoding)) = chunk {
            let chunk = chunk_of(&h, value, kind, bytes);
            h.streams.encodings.borrow_mut().insert(chunk.payload, encoding);
            let cb = cb.as_callable().map(|f| h.fn_id(&f));
            return match in_world(&h, ctx, |w| w.write_cb(s, chunk, cb))? {
                Ok(ret) => Ok(ret.into()),
                Err(e) => throw(&h, e, ctx),
            };
        }
    }
    h.call_slow(&h.streams.write_slow, this, args, ctx)
}

/// `streamMethods(push, write)`: takes stream.js's own methods for the cases left to them and
/// gives back the native `push` and `write` the classes use.
fn stream_methods(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    *h.streams.push_slow.borrow_mut() = args.first().and_then(JsValue::as_object);
    *h.streams.write_slow.borrow_mut() = args.get(1).and_then(JsValue::as_object);
    type Method = fn(&JsValue, &[JsValue], &mut Context) -> JsResult<JsValue>;
    // Their names and lengths are Node's (a program may print them): Node assigns both to the
    // prototype as anonymous functions.
    let method = |f: Method, length: usize, ctx: &mut Context| -> JsObject {
        FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(f)).length(length).build().into()
    };
    let push = method(push, 2, ctx);
    let write = method(write, 3, ctx);
    Ok(boa_engine::object::builtins::JsArray::from_iter([push.into(), write.into()], ctx).into())
}

pub fn natives() -> [(&'static str, NativeFunction, usize); 1] {
    [("streamMethods", NativeFunction::from_fn_ptr(stream_methods), 2)]
}
