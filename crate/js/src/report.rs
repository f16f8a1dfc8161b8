//! How a program ends, and the text Node prints when it ends badly.

use boa_engine::{Context, JsError, JsValue};

use crate::host::Host;

/// Why a program stopped before its natural end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fatal {
    /// An exception nothing caught (or an unhandled rejection): Node's report, exit code 1.
    Uncaught(String),
    /// A syntax error: exit code 2.
    Syntax(String),
    /// An import or require of a module Streamlab has not: exit code 2.
    Unsupported(String),
    /// A runner limit: exit code 3.
    Limit(String),
    /// `process.exit(code)`.
    Exit(i32),
    /// A bug in the host, reported rather than panicking: exit code 70.
    Internal(String),
}

impl Fatal {
    pub fn exit_code(&self) -> i32 {
        match self {
            Fatal::Uncaught(_) => 1,
            Fatal::Syntax(_) | Fatal::Unsupported(_) => 2,
            Fatal::Limit(_) => 3,
            Fatal::Exit(c) => *c,
            Fatal::Internal(_) => 70,
        }
    }
}

/// The versions Streamlab models (`process.version` without the `v`): Node 20's and Node 22's,
/// the releases the differential tests run (tests/node22/package.json pins Node 22's).
pub const NODE20_VERSION: &str = "20.20.2";
pub const NODE22_VERSION: &str = "22.23.3";

/// The last line of Node's report of an uncaught error.
fn version_line(host: &Host) -> String {
    format!("Node.js v{}", host.node_version())
}

/// `file:line` + the line + a caret, as Node heads an uncaught error.
pub fn header(host: &Host, line: usize, col: usize) -> String {
    let source = host.source.borrow();
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    format!("{}:{line}\n{text}\n{}^\n", host.filename.borrow(), " ".repeat(col.saturating_sub(1)))
}

/// The first `path:line:col` of a Boa stack that points into the program.
fn position(stack: &str, filename: &str) -> Option<(usize, usize)> {
    for frame in stack.lines() {
        let Some(at) = frame.find(filename) else { continue };
        let rest = &frame[at + filename.len()..];
        let mut parts = rest.trim_start_matches(':').split(|c: char| !c.is_ascii_digit());
        let line = parts.next()?.parse().ok()?;
        let col = parts.next()?.parse().ok()?;
        return Some((line, col));
    }
    None
}

fn inspect(host: &Host, value: &JsValue, ctx: &mut Context) -> String {
    let f = host.inspect.borrow().clone();
    match f.map(|f| f.call(&JsValue::undefined(), std::slice::from_ref(value), ctx)) {
        Some(Ok(v)) => v.to_string(ctx).map(|s| s.to_std_string_escaped()).unwrap_or_default(),
        _ => value.display().to_string(),
    }
}

/// A limit error from the engine (not catchable in JS), by name.
pub fn limit_of(e: &JsError) -> Option<Fatal> {
    use boa_engine::error::{EngineError, RuntimeLimitError};
    match e.as_engine()? {
        EngineError::RuntimeLimit(RuntimeLimitError::LoopIteration) => {
            Some(Fatal::Limit("a loop ran more than the runner's limit of iterations (an infinite loop?)".into()))
        }
        EngineError::RuntimeLimit(RuntimeLimitError::Recursion) => {
            Some(Fatal::Limit("Maximum call stack size exceeded: calls nested deeper than the runner's limit".into()))
        }
        EngineError::RuntimeLimit(RuntimeLimitError::StackSize) => {
            Some(Fatal::Limit("the runner's stack size limit was passed".into()))
        }
        other => Some(Fatal::Limit(format!("the engine stopped the program: {other}"))),
    }
}

/// The limit named in an engine panic's text, said as [`limit_of`] says it.
pub fn limit_in_panic(what: &str) -> Option<&'static str> {
    if what.contains("RuntimeLimit(Recursion)") {
        Some("Maximum call stack size exceeded: calls nested deeper than the runner's limit")
    } else if what.contains("RuntimeLimit(LoopIteration)") {
        Some("a loop ran more than the runner's limit of iterations (an infinite loop?)")
    } else if what.contains("RuntimeLimit(StackSize)") {
        Some("the runner's stack size limit was passed")
    } else {
        None
    }
}

/// An exception escaped: Node prints where it was thrown, then the error, then its version.
pub fn uncaught(host: &Host, e: JsError, ctx: &mut Context) -> Fatal {
    if let Some(f) = limit_of(&e) {
        return f;
    }
    let value = e.into_opaque(ctx).unwrap_or_default();
    Fatal::Uncaught(report_value(host, &value, ctx, false))
}

/// The prelude's `reportParts(value)`: (a header replacing the program's line, lines after).
fn parts(host: &Host, value: &JsValue, ctx: &mut Context) -> (Option<String>, String) {
    let f = host.report_parts.borrow().clone();
    let Some(Ok(v)) = f.map(|f| f.call(&JsValue::undefined(), std::slice::from_ref(value), ctx)) else {
        return (None, String::new());
    };
    let Some(arr) = v.as_object() else { return (None, String::new()) };
    let text =
        |i: u32, ctx: &mut Context| arr.get(i, ctx).ok().and_then(|x| x.as_string().map(|s| s.to_std_string_escaped()));
    (text(0, ctx), text(1, ctx).unwrap_or_default())
}

fn report_value(host: &Host, value: &JsValue, ctx: &mut Context, from_promise: bool) -> String {
    let stack = value
        .as_object()
        .and_then(|o| o.get(boa_engine::js_string!("stack"), ctx).ok())
        .and_then(|s| s.as_string().map(|s| s.to_std_string_escaped()));
    let is_error = value.as_object().is_some_and(|o| o.is::<boa_engine::builtins::error::Error>());
    if !is_error && from_promise {
        // Node wraps a rejection that is not an Error; the reason is shown as String(reason).
        let reason = value.to_string(ctx).map(|s| s.to_std_string_escaped()).unwrap_or_default();
        return format!(
            "node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\nUnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"{reason}\".\n    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7) {{\n  code: 'ERR_UNHANDLED_REJECTION'\n}}\n\n{}\n",
            version_line(host)
        );
    }
    // Node prints a thrown string as it is.
    let shown = match value.as_string() {
        Some(s) if !is_error => s.to_std_string_escaped(),
        _ => inspect(host, value, ctx),
    };
    let (internal_header, trailer) = parts(host, value, ctx);
    let head = internal_header.or_else(|| {
        stack.as_deref().and_then(|s| position(s, &host.filename.borrow())).map(|(l, c)| header(host, l, c))
    });
    if is_error {
        format!("{}\n{shown}{trailer}\n\n{}\n", head.unwrap_or_default(), version_line(host))
    } else {
        format!(
            "{}{shown}\n(Use `node --trace-uncaught ...` to show where the exception was thrown)\n\n{}\n",
            // Boa gives no position for a thrown non-Error: the file alone.
            head.map(|h| format!("\n{h}")).unwrap_or_else(|| format!("\n{}\n", host.filename.borrow())),
            version_line(host)
        )
    }
}

pub fn unhandled_rejection(host: &Host, reason: JsValue, ctx: &mut Context) -> Fatal {
    Fatal::Uncaught(report_value(host, &reason, ctx, true))
}

/// A parse error: Boa's message names the line and column.
pub fn syntax(host: &Host, e: &JsError) -> Fatal {
    let message = e.to_string();
    // Boa: "... at line 3, col 7"
    let pos = message.rfind("at line ").and_then(|i| {
        let rest = &message[i + 8..];
        let mut nums = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        Some((nums.next()?.parse::<usize>().ok()?, nums.next()?.parse::<usize>().ok()?))
    });
    let text = message.trim_start_matches("SyntaxError: ");
    match pos {
        Some((l, c)) => {
            Fatal::Syntax(format!("{}\nSyntaxError: {text}\n\n{}\n", header(host, l, c), version_line(host)))
        }
        None => Fatal::Syntax(format!("{}\nSyntaxError: {text}\n\n{}\n", host.filename.borrow(), version_line(host))),
    }
}
