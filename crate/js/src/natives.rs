//! The host object the prelude builds Node's globals on: timers, ticks, microtasks, output,
//! the clock. Each native finds the host through Boa's job executor (no captures).

use std::rc::Rc;

use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::{JsArray, JsPromise};
use boa_engine::object::ObjectInitializer;
use boa_engine::property::Attribute;
use boa_engine::{js_string, Context, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeFunction};
use streamlab::event_loop::timeout_duration;
use streamlab::world::TimerCb;

use crate::host::{queue_tick, Callback, Host, EPOCH_MS};
use crate::report::Fatal;
use crate::Stream;

fn host(ctx: &Context) -> JsResult<Rc<Host>> {
    ctx.downcast_job_executor::<Host>().ok_or_else(|| JsNativeError::error().with_message("no host").into())
}

fn function_arg(args: &[JsValue], i: usize) -> JsResult<JsObject> {
    args.get(i)
        .and_then(JsValue::as_callable)
        .ok_or_else(|| JsNativeError::typ().with_message("callback is not a function").into())
}

fn array_arg(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<Vec<JsValue>> {
    match args.get(i).and_then(JsValue::as_object) {
        Some(o) => {
            let arr = JsArray::from_object(o)?;
            let n = arr.length(ctx)?;
            (0..n).map(|k| arr.get(k, ctx)).collect()
        }
        None => Ok(Vec::new()),
    }
}

thread_local! {
    /// While a module's body runs its first, synchronous part (`Module::evaluate`).
    static IN_MODULE_BODY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` as a module's body, where [`stop`] must throw an ordinary error.
pub fn as_module_body<R>(f: impl FnOnce() -> R) -> R {
    let was = IN_MODULE_BODY.with(|b| b.replace(true));
    let r = f();
    IN_MODULE_BODY.with(|b| b.set(was));
    r
}

/// Unwinds the JS stack after the host decided the program ends (a limit, process.exit, an
/// unsupported module): an engine error, which JS `try`/`catch` cannot catch. In the first
/// part of a module's body an ordinary error instead: the engine panics when an engine error
/// leaves a module with top-level await there (and a panic in wasm is a trap); the host has
/// already decided, and ends the run when the body returns, even if the program catches it.
pub fn stop() -> JsResult<JsValue> {
    if IN_MODULE_BODY.with(std::cell::Cell::get) {
        return Err(JsNativeError::error().with_message("Streamlab stopped the program").into());
    }
    Err(boa_engine::error::PanicError::new("the program ended").into())
}

fn set_timer(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let f = function_arg(args, 0)?;
    let delay = args.get(1).map(|v| v.to_number(ctx)).transpose()?.unwrap_or(1.0);
    let duration = timeout_duration(delay);
    let repeat = args.get(2).is_some_and(JsValue::to_boolean).then_some(duration);
    let call_args = array_arg(args, 3, ctx)?;
    let Some(id) = h.add_callback(Callback::Func { f, args: call_args, repeat }) else { return stop() };
    h.on_world(|w| w.el.set_timeout(duration, TimerCb::User(id)));
    Ok(JsValue::from(id))
}

fn clear_timer(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let id = args.first().map(|v| v.to_number(ctx)).transpose()?.unwrap_or(0.0);
    if id >= 1.0 && id <= u32::MAX as f64 {
        let id = id as u32;
        // Only a timer's id: immediates and ticks have their own clear (or none).
        let is_timer = matches!(h.callbacks.borrow().get(&id), Some(Callback::Func { .. }));
        if is_timer && h.world.with(|w| w.clear_user_timer(id)).unwrap_or(false) {
            h.callbacks.borrow_mut().remove(&id);
        } else if is_timer {
            // An interval clearing itself while it runs: it is off the list already.
            let running_interval =
                matches!(h.callbacks.borrow().get(&id), Some(Callback::Func { repeat: Some(_), .. }));
            if running_interval {
                h.callbacks.borrow_mut().remove(&id);
            }
        }
    }
    Ok(JsValue::undefined())
}

fn set_immediate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let f = function_arg(args, 0)?;
    let call_args = array_arg(args, 1, ctx)?;
    let Some(id) = h.add_callback(Callback::Func { f, args: call_args, repeat: None }) else { return stop() };
    h.on_world(|w| w.set_immediate(id));
    Ok(JsValue::from(id))
}

fn clear_immediate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let id = args.first().map(|v| v.to_number(ctx)).transpose()?.unwrap_or(0.0);
    if id >= 1.0 && id <= u32::MAX as f64 {
        let id = id as u32;
        h.world.with(|w| w.clear_immediate(id));
        // One in the running check phase's batch finds no callback and does nothing.
        h.callbacks.borrow_mut().remove(&id);
    }
    Ok(JsValue::undefined())
}

fn next_tick(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let f = function_arg(args, 0)?;
    let call_args = array_arg(args, 1, ctx)?;
    let Some(id) = h.add_callback(Callback::Func { f, args: call_args, repeat: None }) else { return stop() };
    queue_tick(&h, id);
    Ok(JsValue::undefined())
}

fn queue_microtask(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let f = function_arg(args, 0)?;
    let Some(id) = h.add_callback(Callback::Func { f, args: Vec::new(), repeat: None }) else { return stop() };
    h.on_world(|w| w.queue_microtask(streamlab::world::Microtask::User(id)));
    Ok(JsValue::undefined())
}

fn write(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let fd = args.first().map(|v| v.to_number(ctx)).transpose()?.unwrap_or(1.0);
    let text = args.get(1).map(|v| v.to_string(ctx)).transpose()?.unwrap_or_default();
    let stream = if fd == 2.0 { Stream::Stderr } else { Stream::Stdout };
    h.write(stream, text.to_std_string_escaped());
    if h.is_fatal() {
        return stop();
    }
    Ok(JsValue::undefined())
}

fn now(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let t = h.world.with(|w| w.now()).unwrap_or_else(|| h.now.get());
    Ok(JsValue::from(t as f64))
}

fn exit(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let code = args.first().map(|v| v.to_number(ctx)).transpose()?.unwrap_or(0.0);
    h.set_fatal(Fatal::Exit(if code.is_finite() { code as i32 } else { 0 }));
    stop()
}

fn string_limit(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let max = args.first().map(|v| v.to_number(ctx)).transpose()?.unwrap_or(0.0);
    h.set_fatal(Fatal::Limit(format!("a string longer than {max} characters (the runner's limit)")));
    stop()
}

fn promise_state(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let p =
        args.first().and_then(JsValue::as_object).ok_or_else(|| JsNativeError::typ().with_message("not a promise"))?;
    let (state, value) = match JsPromise::from_object(p)?.state() {
        PromiseState::Pending => ("pending", JsValue::undefined()),
        PromiseState::Fulfilled(v) => ("fulfilled", v),
        PromiseState::Rejected(v) => ("rejected", v),
    };
    Ok(JsArray::from_iter([JsValue::from(JsString::from(state)), value], ctx).into())
}

/// The object the prelude receives as `host`.
pub fn host_object(
    ctx: &mut Context,
    filename: &str,
    node_version: &str,
    modules: [JsValue; 3],
    max_string: usize,
) -> JsObject {
    let [events_module, buffer_module, stream_module] = modules;
    let mut init = ObjectInitializer::new(ctx);
    let fns: [(&str, NativeFunction, usize); 12] = [
        ("stringLimit", NativeFunction::from_fn_ptr(string_limit), 1),
        ("setTimer", NativeFunction::from_fn_ptr(set_timer), 4),
        ("clearTimer", NativeFunction::from_fn_ptr(clear_timer), 1),
        ("setImmediate", NativeFunction::from_fn_ptr(set_immediate), 2),
        ("clearImmediate", NativeFunction::from_fn_ptr(clear_immediate), 1),
        ("nextTick", NativeFunction::from_fn_ptr(next_tick), 2),
        ("queueMicrotask", NativeFunction::from_fn_ptr(queue_microtask), 1),
        ("write", NativeFunction::from_fn_ptr(write), 2),
        ("now", NativeFunction::from_fn_ptr(now), 0),
        ("exit", NativeFunction::from_fn_ptr(exit), 1),
        ("promiseState", NativeFunction::from_fn_ptr(promise_state), 1),
        ("require", NativeFunction::from_fn_ptr(crate::modules::require), 1),
    ];
    let streams = crate::streams::natives()
        .into_iter()
        .chain(crate::streams::more_natives())
        .chain(crate::buffers::natives())
        .chain(crate::methods::natives());
    for (name, f, len) in fns.into_iter().chain(streams) {
        init.function(f, JsString::from(name), len);
    }
    init.property(js_string!("filename"), JsString::from(filename), Attribute::all());
    init.property(js_string!("nodeVersion"), JsString::from(node_version), Attribute::all());
    init.property(js_string!("epoch"), EPOCH_MS as f64, Attribute::all());
    init.property(js_string!("maxString"), max_string as f64, Attribute::all());
    init.property(js_string!("eventsModule"), events_module, Attribute::all());
    init.property(js_string!("bufferModule"), buffer_module, Attribute::all());
    init.property(js_string!("streamModule"), stream_module, Attribute::all());
    init.build()
}
