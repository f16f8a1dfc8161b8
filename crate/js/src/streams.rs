//! Stream handles: a program's `Readable`, `Writable`, `Duplex` and `Transform` objects are
//! ids on the core's streams (stream.js builds the classes). The natives here are their
//! methods, each a call into the core; [`Host::stream_call`] goes the other way, running the
//! program's `_read`, `_write`, `_transform`, `_final`, `_flush`, `_destroy` and listeners
//! where the core (Node) calls them.
//!
//! The core counts chunks (kind, bytes); the JavaScript value of each chunk waits here in a
//! payload table under the id the chunk carries. Values the core no longer holds are let go
//! between macrotasks ([`Host::sweep_payloads`]).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use boa_engine::object::builtins::JsArray;
use boa_engine::{js_string, Context, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeFunction};
use streamlab::eos::EosCallback;
use streamlab::readable::{ReadArg, ReadableState};
use streamlab::transform::TransformState;
use streamlab::user_code::{UserCall, UserFn};
use streamlab::world::{Arg, Chunk, ChunkKind, ErrId, Event, Listener, ProgramImpl, Stream, StreamId, World};
use streamlab::writable::WritableState;

use crate::host::Host;
use crate::natives::stop;
use crate::report::Fatal;

/// The host's tables for the program's streams.
#[derive(Default)]
pub struct StreamTables {
    /// Each core stream's JavaScript object, by `StreamId`.
    pub objects: RefCell<Vec<JsObject>>,
    payloads: RefCell<HashMap<u32, JsValue>>,
    /// The encoding `write(chunk, encoding)` decided for a chunk, as `_write` receives it.
    pub encodings: RefCell<HashMap<u32, JsValue>>,
    next_payload: Cell<u32>,
    live_after_sweep: Cell<usize>,
    /// Bytes of chunks taken in since the last sweep.
    bytes_since_sweep: Cell<u64>,
    /// The program's functions the core holds (listeners, write and end callbacks), by id:
    /// one function, one id, since Node compares callbacks by identity.
    fn_ids: RefCell<HashMap<JsObject, u32>>,
    fns: RefCell<Vec<JsObject>>,
    /// The JavaScript value of each core error, and the core error of each JavaScript one.
    err_values: RefCell<HashMap<ErrId, JsValue>>,
    err_ids: RefCell<HashMap<JsObject, ErrId>>,
    /// stream.js's `dispatch(what, stream, ...args)`: calls `_read`, `_write`, … on a stream.
    pub dispatch: RefCell<Option<JsObject>>,
    /// Each stream object's core id (methods.rs finds `this` here).
    pub ids: RefCell<HashMap<JsObject, StreamId>>,
    /// The streams whose readable side decodes (setEncoding): their pushes go to stream.js.
    pub decoding: RefCell<HashSet<StreamId>>,
    /// stream.js's own `push` and `write`, for what the natives leave to it.
    pub push_slow: RefCell<Option<JsObject>>,
    pub write_slow: RefCell<Option<JsObject>>,
    /// Each stream's callback for `_write` (false) and `_transform` (true), made once.
    pub callbacks: RefCell<HashMap<(StreamId, bool), JsObject>>,
    /// The prelude's `makeError(code, message)`, for the errors the core raises.
    pub make_error: RefCell<Option<JsObject>>,
}

/// Chunk bytes taken in between sweeps that make the next sweep happen (and a collection).
const SWEEP_BYTES: u64 = 32 << 20;

/// The events the core emits (their listeners live in the core's lists, in order).
fn event_of(name: &str) -> Option<Event> {
    Some(match name {
        "data" => Event::Data,
        "end" => Event::End,
        "finish" => Event::Finish,
        "close" => Event::Close,
        "error" => Event::Error,
        "drain" => Event::Drain,
        "pause" => Event::Pause,
        "resume" => Event::Resume,
        "prefinish" => Event::Prefinish,
        "unpipe" => Event::Unpipe,
        "readable" => Event::Readable,
        _ => return None,
    })
}

impl Host {
    pub fn payload_in(&self, value: JsValue) -> u32 {
        let t = &self.streams;
        let id = t.next_payload.get().wrapping_add(1).max(1);
        t.next_payload.set(id);
        t.payloads.borrow_mut().insert(id, value);
        id
    }

    pub fn payload_out(&self, id: u32) -> JsValue {
        self.streams.payloads.borrow().get(&id).cloned().unwrap_or_default()
    }

    /// Lets go of the values of chunks no stream holds any more (between macrotasks): after
    /// many chunks, or many bytes of them (1,024 chunks of 1 MiB would otherwise be held).
    /// After many bytes the engine collects too: its collector counts its own objects, not
    /// the bytes behind a Buffer, so it would not run for a program of few large chunks.
    pub fn sweep_payloads(&self, world: &World) {
        let t = &self.streams;
        let n = t.payloads.borrow().len();
        let many_bytes = t.bytes_since_sweep.get() >= SWEEP_BYTES;
        if !many_bytes && (n < 1024 || n < 2 * t.live_after_sweep.get()) {
            return;
        }
        let mut live = HashSet::new();
        world.live_payloads(&mut live);
        t.payloads.borrow_mut().retain(|id, _| live.contains(id));
        t.encodings.borrow_mut().retain(|id, _| live.contains(id));
        t.live_after_sweep.set(live.len());
        t.bytes_since_sweep.set(0);
        if many_bytes {
            boa_gc::force_collect();
        }
    }

    fn count_payload_bytes(&self, bytes: u64) {
        let t = &self.streams;
        t.bytes_since_sweep.set(t.bytes_since_sweep.get().saturating_add(bytes));
    }

    pub fn fn_id(&self, f: &JsObject) -> UserFn {
        let t = &self.streams;
        if let Some(&id) = t.fn_ids.borrow().get(f) {
            return UserFn(id);
        }
        let mut fns = t.fns.borrow_mut();
        let id = fns.len() as u32;
        fns.push(f.clone());
        t.fn_ids.borrow_mut().insert(f.clone(), id);
        UserFn(id)
    }

    fn fn_of(&self, f: UserFn) -> Option<JsObject> {
        self.streams.fns.borrow().get(f.0 as usize).cloned()
    }

    /// A JavaScript error as a core error (the same object keeps its id).
    pub fn err_in(&self, value: &JsValue, ctx: &mut Context) -> JsResult<Option<ErrId>> {
        if value.is_null_or_undefined() {
            return Ok(None);
        }
        if let Some(o) = value.as_object() {
            if let Some(&e) = self.streams.err_ids.borrow().get(&o) {
                return Ok(Some(e));
            }
        }
        let (code, message) = match value.as_object() {
            Some(o) => {
                let code = o.get(js_string!("code"), ctx)?;
                let code = code.as_string().map(|c| c.to_std_string_escaped());
                let message = o.get(js_string!("message"), ctx)?.to_string(ctx)?.to_std_string_escaped();
                (code, message)
            }
            None => (None, value.to_string(ctx)?.to_std_string_escaped()),
        };
        let Some(e) = self.world.with(|w| w.new_error(code.as_deref(), message)) else {
            return Err(JsNativeError::error().with_message("no world").into());
        };
        self.streams.err_values.borrow_mut().insert(e, value.clone());
        if let Some(o) = value.as_object() {
            self.streams.err_ids.borrow_mut().insert(o, e);
        }
        Ok(Some(e))
    }

    /// A core error as the JavaScript value the program sees (made once, then kept).
    fn err_out(&self, world: &World, e: ErrId, ctx: &mut Context) -> JsResult<JsValue> {
        if let Some(v) = self.streams.err_values.borrow().get(&e) {
            return Ok(v.clone());
        }
        let err = &world.errors[e as usize];
        let make = self.streams.make_error.borrow().clone();
        let value = match make {
            Some(f) => {
                let code = err.code.as_deref().map_or(JsValue::undefined(), |c| JsString::from(c).into());
                f.call(&JsValue::undefined(), &[code, JsString::from(err.message.as_str()).into()], ctx)?
            }
            None => JsString::from(err.message.as_str()).into(),
        };
        self.streams.err_values.borrow_mut().insert(e, value.clone());
        if let Some(o) = value.as_object() {
            self.streams.err_ids.borrow_mut().insert(o, e);
        }
        Ok(value)
    }

    fn arg_out(&self, world: &World, arg: Arg, ctx: &mut Context) -> JsResult<Vec<JsValue>> {
        Ok(match arg {
            Arg::None => Vec::new(),
            Arg::Null => vec![JsValue::null()],
            Arg::Chunk(c) => vec![self.payload_out(c.payload)],
            Arg::Error(e) => vec![self.err_out(world, e, ctx)?],
            Arg::Source(s) => {
                vec![self.streams.objects.borrow().get(s).cloned().map(JsValue::from).unwrap_or_default()]
            }
        })
    }

    /// Runs a stream call of the core's (`UserCall::Read` … `Listener`, `Function`) in the
    /// context, with the world lent back for what the program calls in turn.
    pub fn stream_call(&self, world: &mut World, call: UserCall) {
        let result = self.ctx_call(world, call);
        match result {
            None => self.set_fatal(Fatal::Internal("no context was lent to run a stream call".into())),
            Some(Err(f)) => self.set_fatal(f),
            Some(Ok(())) => {}
        }
    }

    fn ctx_call(&self, world: &mut World, call: UserCall) -> Option<Result<(), Fatal>> {
        self.ctx.with(|ctx| {
            if let Some(done) = self.call_directly(world, call, ctx) {
                return done;
            }
            // The JavaScript values of the call's arguments are made before the world is lent.
            let prepared = self.prepare(world, call, ctx);
            match prepared {
                Err(e) => Err(self.fatal_of(e, ctx)),
                Ok(None) => Ok(()),
                Ok(Some((this, f, args))) => {
                    let r = self.world.lend(world, || f.call(&this, &args, ctx).map(|_| ()));
                    r.map_err(|e| self.fatal_of(e, ctx))
                }
            }
        })
    }

    /// The function to call for a stream call, its `this` and its arguments.
    #[allow(clippy::type_complexity)]
    fn prepare(
        &self,
        world: &World,
        call: UserCall,
        ctx: &mut Context,
    ) -> JsResult<Option<(JsValue, JsObject, Vec<JsValue>)>> {
        let object = |s: StreamId| self.streams.objects.borrow().get(s).cloned();
        let dispatch = self.streams.dispatch.borrow().clone();
        // stream.js's dispatch(what, stream, ...rest)
        let on_stream = |what: &str, s: StreamId, rest: Vec<JsValue>| {
            let (d, o) = (dispatch.clone()?, object(s)?);
            let mut args = vec![JsString::from(what).into(), o.into()];
            args.extend(rest);
            Some((JsValue::undefined(), d, args))
        };
        Ok(match call {
            UserCall::Read { stream, .. } => on_stream("read", stream, vec![]),
            UserCall::Write { stream, chunk, .. } => on_stream("write", stream, self.chunk_and_encoding(chunk)),
            UserCall::Transform { stream, chunk, .. } => on_stream("transform", stream, self.chunk_and_encoding(chunk)),
            UserCall::Writev { stream, .. } => {
                // [[value, decided, encoding, callback], …]: the writes clearBuffer hands over.
                let writes = world.streams.get(stream).and_then(|st| st.w.as_ref()).map(|w| w.writev_chunks.clone());
                let mut entries = Vec::new();
                for (chunk, cb) in writes.unwrap_or_default() {
                    let mut entry = self.chunk_and_encoding(chunk);
                    entry.resize(3, JsValue::undefined());
                    entry.push(cb.and_then(|f| self.fn_of(f)).map(JsValue::from).unwrap_or_default());
                    entries.push(JsArray::from_iter(entry, ctx).into());
                }
                on_stream("writev", stream, vec![JsArray::from_iter(entries, ctx).into()])
            }
            UserCall::Final { stream, .. } => on_stream("final", stream, vec![]),
            UserCall::Flush { stream, .. } => on_stream("flush", stream, vec![]),
            UserCall::Destroy { stream, err, .. } => {
                let e = match err {
                    Some(e) => self.err_out(world, e, ctx)?,
                    None => JsValue::null(),
                };
                on_stream("destroy", stream, vec![e])
            }
            UserCall::Listener { stream, f, arg } => {
                let args = self.arg_out(world, arg, ctx)?;
                let this = object(stream).map(JsValue::from).unwrap_or_default();
                self.fn_of(f).map(|f| (this, f, args))
            }
            UserCall::Function(f, arg) => {
                let args = self.arg_out(world, arg, ctx)?;
                self.fn_of(f).map(|f| (JsValue::undefined(), f, args))
            }
            UserCall::Tick(_) | UserCall::Microtask(_) | UserCall::Macrotask(_) => None,
        })
    }

    /// An 'error' nobody listened to halted the world: it becomes the program's exception
    /// (Node's `emit` throws it), marked as emitted on its stream for the report.
    pub fn take_uncaught(&self, world: &mut World, from_tick: bool, ctx: &mut Context) -> Option<JsValue> {
        let Some(streamlab::world::Halt::Uncaught(e)) = world.halted else { return None };
        world.halted = None;
        let stream = world.uncaught_on.take().and_then(|s| self.streams.objects.borrow().get(s).cloned());
        let value = self.err_out(world, e, ctx).unwrap_or_default();
        let d = self.streams.dispatch.borrow().clone();
        let args = [
            JsString::from("uncaught").into(),
            stream.map(JsValue::from).unwrap_or_default(),
            value.clone(),
            from_tick.into(),
        ];
        Some(d.and_then(|d| d.call(&JsValue::undefined(), &args, ctx).ok()).unwrap_or(value))
    }

    /// pipe's `dest.write(chunk)` on a stream whose `write` the program replaced.
    pub fn call_write_method(&self, world: &mut World, s: StreamId, chunk: Chunk) -> bool {
        let Some(obj) = self.streams.objects.borrow().get(s).cloned() else { return true };
        let value = self.payload_out(chunk.payload);
        let result = self.ctx.with(|ctx| {
            let r = self.world.lend(world, || {
                let f = obj.get(js_string!("write"), ctx)?;
                let f =
                    f.as_callable().ok_or_else(|| JsNativeError::typ().with_message("dest.write is not a function"))?;
                f.call(&obj.clone().into(), &[value], ctx)
            });
            r.map(|v| v.to_boolean()).map_err(|e| self.fatal_of(e, ctx))
        });
        match result {
            Some(Ok(ret)) => ret,
            Some(Err(f)) => {
                self.set_fatal(f);
                false
            }
            None => {
                self.set_fatal(Fatal::Internal("no context to call a write method".into()));
                false
            }
        }
    }

    /// A written chunk's value, whether `write()` decided its encoding, and that encoding.
    pub(crate) fn chunk_and_encoding(&self, c: Chunk) -> Vec<JsValue> {
        let value = self.payload_out(c.payload);
        match self.streams.encodings.borrow().get(&c.payload) {
            Some(e) => vec![value, true.into(), e.clone()],
            None => vec![value, false.into()],
        }
    }

    /// `read(n)` cut or joined the program's chunks: stream.js's `dispatch('slice' | 'concat')`.
    pub fn payload_op(&self, what: &str, args: Vec<JsValue>) -> u32 {
        let Some(d) = self.streams.dispatch.borrow().clone() else { return 0 };
        let mut all = vec![JsString::from(what).into(), JsValue::undefined()];
        all.extend(args);
        let value = self.ctx.with(|ctx| d.call(&JsValue::undefined(), &all, ctx));
        match value {
            Some(Ok(v)) => self.payload_in(v),
            _ => 0,
        }
    }
}

pub(crate) fn host(ctx: &Context) -> JsResult<Rc<Host>> {
    ctx.downcast_job_executor::<Host>().ok_or_else(|| JsNativeError::error().with_message("no host").into())
}

fn id_arg(args: &[JsValue], i: usize) -> StreamId {
    args.get(i).and_then(JsValue::as_number).unwrap_or(0.0) as StreamId
}

fn num_arg(args: &[JsValue], i: usize) -> f64 {
    args.get(i).and_then(JsValue::as_number).unwrap_or(0.0)
}

fn fn_arg(h: &Host, args: &[JsValue], i: usize) -> Option<UserFn> {
    args.get(i).and_then(JsValue::as_callable).map(|f| h.fn_id(&f))
}

/// The chunk stream.js describes as `(value, kind, bytes)`: kind 0 Buffer, 1 string, 2 object.
fn chunk_arg(h: &Host, args: &[JsValue], i: usize) -> Chunk {
    let value = args.get(i).cloned().unwrap_or_default();
    let kind = match num_arg(args, i + 1) as u32 {
        0 => ChunkKind::Buffer,
        1 => ChunkKind::Text,
        _ => ChunkKind::Object,
    };
    chunk_of(h, value, kind, num_arg(args, i + 2) as u64)
}

/// A chunk for the core, its value kept in the payload table.
pub(crate) fn chunk_of(h: &Host, value: JsValue, kind: ChunkKind, bytes: u64) -> Chunk {
    if kind != ChunkKind::Object {
        h.count_payload_bytes(bytes);
    }
    Chunk { kind, bytes, payload: h.payload_in(value) }
}

/// Runs `f` on the world with the context lent (the core may call the program back), then
/// unwinds if the program ended meanwhile.
/// While the trace is kept, the events the call causes are put down to the program's line.
pub(crate) fn in_world<R>(h: &Host, ctx: &mut Context, f: impl FnOnce(&mut World) -> R) -> JsResult<R> {
    let traced = |w: &World| w.rec.keep_trace.then(|| w.rec.events.len());
    let entered = h.world.with(|w| traced(w)).flatten();
    if let Some(at) = entered {
        h.lines.borrow_mut().enter(at, crate::source_lines::program_line(ctx));
    }
    let r = h.ctx.lend(ctx, || h.world.with(f));
    if entered.is_some() {
        // Past the trace's cap the events are not kept: the last run reaches to its end.
        let at = h.world.with(|w| w.rec.events.len()).unwrap_or(0);
        h.lines.borrow_mut().exit(at);
    }
    // A budget the call passed ends the program here: a synchronous loop of writes would
    // otherwise go on calling a halted world.
    crate::check_budget(h);
    if h.is_fatal() {
        stop()?;
    }
    // An 'error' with no listener throws from the call that emitted it.
    if let Some(Some(v)) = h.world.with(|w| h.take_uncaught(w, false, ctx)) {
        return Err(boa_engine::JsError::from_opaque(v));
    }
    r.ok_or_else(|| JsNativeError::error().with_message("the world was not reachable").into())
}

/// Throws the core's error as the program sees it.
pub(crate) fn throw(h: &Host, e: ErrId, ctx: &mut Context) -> JsResult<JsValue> {
    let value = h.world.with(|w| w.errors[e as usize].clone());
    let v = match value {
        Some(_) => {
            // err_out needs the world by reference: take it briefly.
            let mut out = Ok(JsValue::undefined());
            h.world.with(|w| out = h.err_out(w, e, ctx));
            out?
        }
        None => JsValue::undefined(),
    };
    Err(boa_engine::JsError::from_opaque(v))
}

/// `streamNew(object, spec)`: a core stream for a new JavaScript stream object; its id.
fn stream_new(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let obj =
        args.first().and_then(JsValue::as_object).ok_or_else(|| JsNativeError::typ().with_message("no object"))?;
    let spec = args.get(1).and_then(JsValue::as_object).ok_or_else(|| JsNativeError::typ().with_message("no spec"))?;
    let get = |k: &str, ctx: &mut Context| spec.get(JsString::from(k), ctx);
    let flag = |k: &str, ctx: &mut Context| -> JsResult<bool> { Ok(get(k, ctx)?.to_boolean()) };
    let name = get("name", ctx)?.to_string(ctx)?.to_std_string_escaped();
    let readable = flag("readable", ctx)?;
    let writable = flag("writable", ctx)?;
    let transform = flag("transform", ctx)?;
    let r_object = flag("readableObjectMode", ctx)?;
    let w_object = flag("writableObjectMode", ctx)?;
    let r_hwm = get("readableHighWaterMark", ctx)?.to_number(ctx)? as u64;
    let w_hwm = get("writableHighWaterMark", ctx)?.to_number(ctx)? as u64;
    let emit_close = flag("emitClose", ctx)?;
    let auto_destroy = flag("autoDestroy", ctx)?;
    let allow_half_open = flag("allowHalfOpen", ctx)?;
    let marker = Some(UserFn(u32::MAX));
    let program = ProgramImpl {
        read: marker,
        write: marker,
        transform: marker,
        final_: flag("final", ctx)?.then_some(UserFn(u32::MAX)),
        flush: flag("flush", ctx)?.then_some(UserFn(u32::MAX)),
        destroy: flag("destroy", ctx)?.then_some(UserFn(u32::MAX)),
        write_method: flag("writeMethod", ctx)?.then_some(UserFn(u32::MAX)),
        writev: flag("writev", ctx)?.then_some(UserFn(u32::MAX)),
    };
    let r = readable.then(|| {
        let mut r = ReadableState::new(r_object, r_hwm);
        r.emit_close = emit_close;
        r.auto_destroy = auto_destroy;
        // Transform's constructor clears the readable side's sync flag.
        if transform {
            r.sync = false;
        }
        r
    });
    let w = writable.then(|| {
        let mut w = WritableState::new(w_object, w_hwm);
        w.emit_close = emit_close;
        w.auto_destroy = auto_destroy;
        w
    });
    let mut stream = Stream::new(name, r, w);
    stream.allow_half_open = allow_half_open;
    stream.program = Some(program);
    if transform {
        stream.transform = Some(TransformState::default());
    }
    let id = in_world(&h, ctx, |w| {
        w.streams.push(stream);
        let s = w.streams.len() - 1;
        if transform {
            w.on(s, Event::Prefinish, Listener::TransformPrefinish);
        }
        s
    })?;
    let mut objects = h.streams.objects.borrow_mut();
    if objects.len() <= id {
        objects.resize(id + 1, obj.clone());
    }
    objects[id] = obj.clone();
    h.streams.ids.borrow_mut().insert(obj, id);
    Ok(JsValue::from(id as f64))
}

/// `streamPush(id, value, kind, bytes, front)`; `value` null is the end; `front`: unshift.
fn stream_push(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let chunk = if args.get(1).is_none_or(JsValue::is_null) { None } else { Some(chunk_arg(&h, args, 1)) };
    let front = args.get(4).is_some_and(JsValue::to_boolean);
    let ret = in_world(&h, ctx, |w| match (front, chunk) {
        (true, Some(c)) => w.unshift(s, c),
        _ => w.push_traced(s, chunk),
    })?;
    Ok(ret.into())
}

/// `streamPushEnd(id, rest, kind, bytes)`: push(null) on a decoding stream, with what its
/// decoder still held (`rest`, maybe empty).
fn stream_push_end(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let rest = chunk_arg(&h, args, 1);
    Ok(in_world(&h, ctx, |w| w.push_eof_traced(s, rest))?.into())
}

/// `streamBuffered(id)`: the values of the chunks a readable holds, oldest first.
fn stream_buffered(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let payloads: Vec<u32> = h
        .world
        .with(|w| {
            let r = w.streams.get(s).and_then(|st| st.r.as_ref());
            r.map(|r| r.buffer.iter().map(|c| c.payload).collect()).unwrap_or_default()
        })
        .unwrap_or_default();
    let values: Vec<JsValue> = payloads.into_iter().map(|p| h.payload_out(p)).collect();
    Ok(JsArray::from_iter(values, ctx).into())
}

/// `streamReplaceBuffer(id, text)`: setEncoding's decoded buffer (an empty string: none).
fn stream_replace_buffer(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let text = args.get(1).and_then(JsValue::as_string).map(|t| t.len()).unwrap_or(0);
    let content = (text > 0).then(|| chunk_arg(&h, args, 1));
    h.world.with(|w| {
        if w.streams.get(s).is_some_and(|st| st.r.is_some()) {
            w.replace_buffer(s, content);
        }
    });
    Ok(JsValue::undefined())
}

/// `streamRead(id, n)`: `n` undefined is `read()`.
fn stream_read(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let n = match args.get(1) {
        None => ReadArg::Next,
        Some(v) if v.is_undefined() || v.as_number().is_some_and(f64::is_nan) => ReadArg::Next,
        Some(v) => {
            let n = v.to_number(ctx)?;
            if n <= 0.0 {
                ReadArg::Zero
            } else {
                ReadArg::Size(n as u64)
            }
        }
    };
    match in_world(&h, ctx, |w| w.read_n(s, n))? {
        Ok(Some(c)) => Ok(h.payload_out(c.payload)),
        Ok(None) => Ok(JsValue::null()),
        Err(e) => throw(&h, e, ctx),
    }
}

/// `streamWrite(id, value, kind, bytes, cb, encoding, fromEnd)`; `fromEnd`: end(chunk)'s write.
fn stream_write(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let chunk = chunk_arg(&h, args, 1);
    let cb = fn_arg(&h, args, 4);
    if let Some(e) = args.get(5) {
        h.streams.encodings.borrow_mut().insert(chunk.payload, e.clone());
    }
    let from_end = args.get(6).is_some_and(JsValue::to_boolean);
    let written = in_world(&h, ctx, |w| if from_end { w.write_for_end(s, chunk) } else { w.write_cb(s, chunk, cb) })?;
    match written {
        Ok(ret) => Ok(ret.into()),
        Err(e) => throw(&h, e, ctx),
    }
}

fn stream_end(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let cb = fn_arg(&h, args, 1);
    in_world(&h, ctx, |w| w.end_cb(s, cb))?;
    Ok(JsValue::undefined())
}

fn stream_destroy(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let err = h.err_in(&args.get(1).cloned().unwrap_or_default(), ctx)?;
    in_world(&h, ctx, |w| w.destroy(s, err))?;
    Ok(JsValue::undefined())
}

/// `streamErrorOrDestroy(id, err, push)`; `push`: push() refused the chunk (and returns false).
pub(crate) fn stream_error_or_destroy(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let err = h.err_in(&args.get(1).cloned().unwrap_or_default(), ctx)?;
    let push = args.get(2).is_some_and(JsValue::to_boolean);
    if let Some(e) = err {
        in_world(&h, ctx, |w| if push { w.push_refused(s, e) } else { w.error_or_destroy(s, e) })?;
    }
    Ok(JsValue::undefined())
}

/// The callbacks the core handed the program: `_write`'s, `_transform`'s, `_final`'s,
/// `_flush`'s and `_destroy`'s (stream.js guards each against a second call where Node does).
pub(crate) fn stream_done(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let what = args.first().and_then(JsValue::as_string).map(|s| s.to_std_string_escaped()).unwrap_or_default();
    let s = id_arg(args, 1);
    let err = h.err_in(&args.get(2).cloned().unwrap_or_default(), ctx)?;
    let data = if args.get(3).is_none_or(JsValue::is_null_or_undefined) { None } else { Some(chunk_arg(&h, args, 3)) };
    in_world(&h, ctx, |w| match what.as_str() {
        "write" => w.sink_callback(s, err),
        "transform" => w.transform_done(s, err, data),
        "final" => w.final_done(s, err),
        "flush" => w.flush_done(s, err, data),
        "destroy" => w.on_destroy(s, err),
        _ => {}
    })?;
    Ok(JsValue::undefined())
}

/// `streamCall(what, id, other)`: the methods that take no value.
fn stream_call(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let what = args.first().and_then(JsValue::as_string).map(|s| s.to_std_string_escaped()).unwrap_or_default();
    let s = id_arg(args, 1);
    let other = id_arg(args, 2);
    let flag = args.get(2).is_some_and(JsValue::to_boolean);
    let out = in_world(&h, ctx, |w| -> JsValue {
        // A method of a side the stream does not have does nothing (never a panic).
        if s >= w.streams.len() || other >= w.streams.len() {
            return JsValue::undefined();
        }
        let (has_r, has_w) = (w.streams[s].r.is_some(), w.streams[s].w.is_some());
        let needs_r =
            matches!(what.as_str(), "pipe" | "unpipe" | "unpipeAll" | "pause" | "resume" | "isPaused" | "flowing");
        let needs_w = matches!(what.as_str(), "cork" | "uncork") || (what == "pipe" && w.streams[other].w.is_none());
        if (needs_r && !has_r) || (needs_w && !has_w) {
            return JsValue::undefined();
        }
        match what.as_str() {
            "pipe" => {
                w.pipe(s, other, args.get(3).is_none_or(JsValue::to_boolean));
            }
            "unpipe" => w.unpipe(s, other),
            "unpipeAll" => {
                let dests = w.streams[s].r.as_ref().map(|r| r.pipes.clone()).unwrap_or_default();
                for d in dests {
                    w.unpipe(s, d);
                }
            }
            "pause" => w.pause(s),
            "resume" => w.resume(s),
            "isPaused" => return w.is_paused(s).into(),
            "cork" => w.cork(s),
            "uncork" => w.uncork(s),
            "flowing" => w.rm(s).flowing = Some(flag),
            "decoding" => {
                h.streams.decoding.borrow_mut().insert(s);
            }
            "writeMethod" => {
                if let Some(p) = w.streams[s].program.as_mut() {
                    p.write_method = Some(UserFn(u32::MAX));
                }
            }
            _ => {}
        }
        JsValue::undefined()
    })?;
    Ok(out)
}

/// `streamOn(id, event, f, once, prepend)`: a listener on one of the core's events.
fn stream_on(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let name = args.get(1).map(|v| v.to_string(ctx)).transpose()?.map(|s| s.to_std_string_escaped());
    let Some(event) = name.as_deref().and_then(event_of) else { return Ok(false.into()) };
    let Some(f) = fn_arg(&h, args, 2) else { return Ok(false.into()) };
    let once = args.get(3).is_some_and(JsValue::to_boolean);
    let prepend = args.get(4).is_some_and(JsValue::to_boolean);
    in_world(&h, ctx, |w| {
        if prepend {
            w.prepend_listener(s, event, Listener::User(f));
        } else if once {
            w.once(s, event, Listener::User(f));
        } else {
            w.on(s, event, Listener::User(f));
        }
    })?;
    Ok(true.into())
}

fn stream_off(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let name = args.get(1).map(|v| v.to_string(ctx)).transpose()?.map(|s| s.to_std_string_escaped());
    let Some(event) = name.as_deref().and_then(event_of) else { return Ok(false.into()) };
    let f = match args.get(2) {
        Some(v) => match v.as_callable() {
            Some(f) => Some(h.fn_id(&f)),
            None => return Ok(true.into()),
        },
        None => None,
    };
    in_world(&h, ctx, |w| match f {
        Some(f) => w.remove_listener(s, event, Listener::User(f)),
        // removeAllListeners(event): the program's own listeners.
        None => {
            let mine: Vec<Listener> = w.streams[s].listeners[event as usize]
                .iter()
                .map(|r| r.listener)
                .filter(|l| matches!(l, Listener::User(_)))
                .collect();
            for l in mine {
                w.remove_listener(s, event, l);
            }
        }
    })?;
    Ok(true.into())
}

/// `streamListeners(id, event)`: the count (Node counts its own listeners too) and the
/// program's functions, in order.
fn stream_listeners(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let name = args.get(1).map(|v| v.to_string(ctx)).transpose()?.map(|s| s.to_std_string_escaped());
    let Some(event) = name.as_deref().and_then(event_of) else { return Ok(JsValue::null()) };
    let (count, mine) = h
        .world
        .with(|w| {
            let list = &w.streams[s].listeners[event as usize];
            let mine: Vec<UserFn> =
                list.iter().filter_map(|r| if let Listener::User(f) = r.listener { Some(f) } else { None }).collect();
            (list.len(), mine)
        })
        .unwrap_or_default();
    let fns: Vec<JsValue> = mine.into_iter().filter_map(|f| h.fn_of(f)).map(JsValue::from).collect();
    let arr = JsArray::from_iter(fns, ctx);
    Ok(JsArray::from_iter([JsValue::from(count as f64), arr.into()], ctx).into())
}

/// `streamEmit(id, event, arg)`: the program emits one of the core's events itself.
fn stream_emit(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let name = args.get(1).map(|v| v.to_string(ctx)).transpose()?.map(|s| s.to_std_string_escaped());
    let Some(event) = name.as_deref().and_then(event_of) else { return Ok(false.into()) };
    let value = args.get(2).cloned().unwrap_or_default();
    let arg = match event {
        Event::Error => match h.err_in(&value, ctx)? {
            Some(e) => Arg::Error(e),
            None => Arg::None,
        },
        Event::Data => Arg::Chunk(Chunk { kind: ChunkKind::Object, bytes: 0, payload: h.payload_in(value) }),
        Event::Unpipe => {
            let src = value.as_object().and_then(|o| h.streams.objects.borrow().iter().position(|x| *x == o));
            src.map_or(Arg::None, Arg::Source)
        }
        _ => Arg::None,
    };
    let had = in_world(&h, ctx, |w| {
        let had = w.listener_count(s, event) > 0;
        w.emit(s, event, arg);
        had
    })?;
    Ok(had.into())
}

/// `streamGet(id, name)`: the state behind the stream's properties.
fn stream_get(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let name = args.get(1).and_then(JsValue::as_string).map(|s| s.to_std_string_escaped()).unwrap_or_default();
    let mut err = None;
    let v = h
        .world
        .with(|w| -> JsValue {
            if name == "totalBuffered" {
                return JsValue::from(w.rec.total_buffered as f64);
            }
            let st = &w.streams[s];
            let (r, wr) = (st.r.as_ref(), st.w.as_ref());
            let num = |x: u64| JsValue::from(x as f64);
            let opt = |x: Option<bool>| x.map_or(JsValue::null(), JsValue::from);
            match name.as_str() {
                "readableLength" => r.map_or(JsValue::undefined(), |r| num(r.length)),
                "writableLength" => wr.map_or(JsValue::undefined(), |w| num(w.length)),
                "readableHighWaterMark" => r.map_or(JsValue::undefined(), |r| num(r.high_water_mark)),
                "writableHighWaterMark" => wr.map_or(JsValue::undefined(), |w| num(w.high_water_mark)),
                "readableObjectMode" => r.map_or(JsValue::undefined(), |r| r.object_mode.into()),
                "writableObjectMode" => wr.map_or(JsValue::undefined(), |w| w.object_mode.into()),
                "readableFlowing" => r.map_or(JsValue::undefined(), |r| opt(r.flowing)),
                "readableEnded" => r.map_or(JsValue::undefined(), |r| r.end_emitted.into()),
                "readableAborted" => r.map_or(JsValue::undefined(), |r| {
                    { (r.destroyed || r.errored.is_some()) && !r.end_emitted }.into()
                }),
                "readable" => r.map_or(JsValue::undefined(), |r| (!r.destroyed && r.is_readable()).into()),
                "writable" => wr.map_or(JsValue::undefined(), |w| w.is_writable().into()),
                "writableEnded" => wr.map_or(JsValue::undefined(), |w| w.ending.into()),
                "writableFinished" => wr.map_or(JsValue::undefined(), |w| w.finished.into()),
                "writableNeedDrain" => wr.map_or(JsValue::undefined(), |w| w.writable_need_drain().into()),
                "writableCorked" => wr.map_or(JsValue::undefined(), |w| num(w.corked as u64)),
                "destroyed" => (wr.is_some_and(|w| w.destroyed) || r.is_some_and(|r| r.destroyed)).into(),
                "closed" => (wr.is_some_and(|w| w.closed) || r.is_some_and(|r| r.closed)).into(),
                "errored" => {
                    err = wr.and_then(|w| w.errored).or_else(|| r.and_then(|r| r.errored));
                    JsValue::null()
                }
                // pipeline's pipe(): the source ended, neither errored nor emitting an error.
                "readableEndedNotErrored" => {
                    r.map_or(JsValue::undefined(), |r| (r.ended && r.errored.is_none() && !r.error_emitted).into())
                }
                "readableDidRead" => r.map_or(JsValue::undefined(), |r| (r.flowing.is_some() || r.ended).into()),
                _ => JsValue::undefined(),
            }
        })
        .unwrap_or_default();
    if let Some(e) = err {
        let mut out = Ok(JsValue::null());
        h.world.with(|w| out = h.err_out(w, e, ctx));
        return out;
    }
    Ok(v)
}

/// `streamPipeline(ids, callback)`: the streams' ids in order; `callback(err)` in its tick.
fn stream_pipeline(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let ids: Vec<StreamId> = match args.first().and_then(JsValue::as_object) {
        Some(o) => {
            let arr = JsArray::from_object(o)?;
            let n = arr.length(ctx)?;
            (0..n)
                .map(|k| arr.get(k, ctx).map(|v| v.as_number().unwrap_or(0.0) as StreamId))
                .collect::<JsResult<_>>()?
        }
        None => Vec::new(),
    };
    let cb = fn_arg(&h, args, 1);
    in_world(&h, ctx, |w| {
        w.pipeline_cb(&ids, cb);
    })?;
    Ok(JsValue::undefined())
}

/// `streamFinished(id, readable, writable, callback)`: eos with the program's callback.
fn stream_finished(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let s = id_arg(args, 0);
    let readable = args.get(1).is_some_and(JsValue::to_boolean);
    let writable = args.get(2).is_some_and(JsValue::to_boolean);
    let Some(cb) = fn_arg(&h, args, 3) else { return Ok(JsValue::undefined()) };
    in_world(&h, ctx, |w| {
        w.eos(s, readable, writable, EosCallback::User(cb));
    })?;
    Ok(JsValue::undefined())
}

/// The natives stream.js builds its classes on.
pub fn natives() -> [(&'static str, NativeFunction, usize); 14] {
    [
        ("streamNew", NativeFunction::from_fn_ptr(stream_new), 2),
        ("streamPush", NativeFunction::from_fn_ptr(stream_push), 5),
        ("streamRead", NativeFunction::from_fn_ptr(stream_read), 2),
        ("streamWrite", NativeFunction::from_fn_ptr(stream_write), 5),
        ("streamEnd", NativeFunction::from_fn_ptr(stream_end), 2),
        ("streamDestroy", NativeFunction::from_fn_ptr(stream_destroy), 2),
        ("streamErrorOrDestroy", NativeFunction::from_fn_ptr(stream_error_or_destroy), 2),
        ("streamDone", NativeFunction::from_fn_ptr(stream_done), 6),
        ("streamCall", NativeFunction::from_fn_ptr(stream_call), 4),
        ("streamOn", NativeFunction::from_fn_ptr(stream_on), 5),
        ("streamOff", NativeFunction::from_fn_ptr(stream_off), 3),
        ("streamListeners", NativeFunction::from_fn_ptr(stream_listeners), 2),
        ("streamEmit", NativeFunction::from_fn_ptr(stream_emit), 3),
        ("streamGet", NativeFunction::from_fn_ptr(stream_get), 2),
    ]
}

/// The natives beyond [`natives`]'s fourteen (arrays have fixed sizes).
pub fn more_natives() -> [(&'static str, NativeFunction, usize); 5] {
    [
        ("streamPipeline", NativeFunction::from_fn_ptr(stream_pipeline), 2),
        ("streamFinished", NativeFunction::from_fn_ptr(stream_finished), 4),
        ("streamPushEnd", NativeFunction::from_fn_ptr(stream_push_end), 4),
        ("streamBuffered", NativeFunction::from_fn_ptr(stream_buffered), 1),
        ("streamReplaceBuffer", NativeFunction::from_fn_ptr(stream_replace_buffer), 4),
    ]
}
