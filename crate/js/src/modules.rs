//! Node's built-in modules for `import` and `require`: the ones Streamlab has, and a clear
//! refusal (exit code 2, with the line) for the ones it has not.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::module::{ModuleLoader, Referrer};
use boa_engine::{Context, JsNativeError, JsObject, JsResult, JsString, JsValue, Module, Source};

use crate::host::Host;
use crate::report::Fatal;

/// What `import`/`require` can load (with or without `node:`).
pub const SUPPORTED: &[&str] = &[
    "events",
    "timers",
    "timers/promises",
    "util",
    "process",
    "console",
    "perf_hooks",
    "buffer",
    "stream",
    "stream/promises",
];

/// Node's other built-ins: refused by name rather than "not found".
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "fs",
    "fs/promises",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "stream/promises",
    "stream/web",
    "string_decoder",
    "test",
    "tls",
    "trace_events",
    "tty",
    "url",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// The built-in module objects the prelude made, kept by the context.
pub struct Builtins(pub JsObject);

fn bare(spec: &str) -> &str {
    spec.strip_prefix("node:").unwrap_or(spec)
}

/// The 1-based line and column where the program names `spec` in quotes, if it does.
pub fn locate(source: &str, spec: &str) -> Option<(usize, usize)> {
    let at = [format!("\"{spec}\""), format!("'{spec}'"), format!("`{spec}`")]
        .iter()
        .filter_map(|q| source.find(q.as_str()))
        .min()?;
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, col))
}

/// The fatal refusal of a module Streamlab has not.
pub fn unsupported(host: &Host, spec: &str) -> Fatal {
    let name = bare(spec);
    let what = if NODE_BUILTINS.contains(&name) || spec.starts_with("node:") {
        format!("node:{name} is not available in Streamlab (streams, events, timers and Buffer are)")
    } else {
        format!("'{spec}' is not available in Streamlab: programs can import only Node's built-in modules")
    };
    let filename = host.filename.borrow().clone();
    let at = locate(&host.source.borrow(), spec).map(|(l, c)| format!("{filename}:{l}:{c}")).unwrap_or(filename);
    Fatal::Unsupported(format!("{at}\nERR_UNSUPPORTED: {what}"))
}

fn builtin(ctx: &mut Context, name: &str) -> JsResult<Option<JsValue>> {
    let Some(Builtins(modules)) = ctx.get_data::<Builtins>() else { return Ok(None) };
    let modules = modules.clone();
    let value = modules.get(JsString::from(bare(name)), ctx)?;
    Ok(if value.is_undefined() { None } else { Some(value) })
}

/// `require(name)`.
pub fn require(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let spec =
        args.first().map(|v| v.to_string(ctx)).transpose()?.map(|s| s.to_std_string_escaped()).unwrap_or_default();
    if SUPPORTED.contains(&bare(&spec)) {
        if let Some(m) = builtin(ctx, &spec)? {
            return Ok(m);
        }
    }
    if let Some(host) = ctx.downcast_job_executor::<Host>() {
        host.set_fatal(unsupported(&host, &spec));
    }
    crate::natives::stop()
}

/// Loads `import`ed modules: built-ins as small ES modules re-exporting the prelude's objects.
pub struct Loader {
    pub host: Rc<Host>,
}

impl ModuleLoader for Loader {
    async fn load_imported_module(
        self: Rc<Self>,
        _referrer: Referrer,
        request: boa_engine::module::ModuleRequest,
        context: &RefCell<&mut Context>,
    ) -> JsResult<Module> {
        let spec = request.specifier().to_std_string_escaped();
        let name = bare(&spec).to_string();
        let ctx = &mut **context.borrow_mut();
        let object = if SUPPORTED.contains(&name.as_str()) { builtin(ctx, &name)? } else { None };
        let Some(object) = object else {
            self.host.set_fatal(unsupported(&self.host, &spec));
            return Err(JsNativeError::error().with_message(format!("Cannot find module '{spec}'")).into());
        };
        let mut names = Vec::new();
        if let Some(o) = object.as_object() {
            for key in o.own_property_keys(ctx)? {
                let key = key.to_string();
                let is_identifier = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
                if is_identifier && key != "default" && key != "prototype" && key != "length" && key != "name" {
                    names.push(key);
                }
            }
        }
        let text = format!(
            "const m = globalThis[Symbol.for(\"streamlab.require\")]({name:?});\nexport default m;\n{}",
            if names.is_empty() { String::new() } else { format!("export const {{ {} }} = m;\n", names.join(", ")) }
        );
        Module::parse(Source::from_bytes(text.as_bytes()), None, ctx)
    }
}
