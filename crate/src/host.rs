//! The program's own functions, as the core sees them.
//!
//! Node calls user callbacks at exact points: a write's callback, an `end()` callback, a
//! listener, a `process.nextTick` callback. The core keeps each as an opaque id ([`UserFn`])
//! and, at that point, hands it to the run's [`Host`]: the code lab's JavaScript engine, or a
//! test's recorder. The host gets the world back, so the function it runs can call into the
//! streams again, as Node's re-entrant call chains do. Scenarios install no host: their user
//! code is `behaviour.rs`.

use std::rc::Rc;

use crate::world::{Arg, World};

/// A function of the program, by the id its host gave it. The same JavaScript function has
/// the same id (Node compares write callbacks by identity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserFn(pub u32);

pub trait Host {
    /// Calls `f` with `arg` (an error, a chunk, or nothing) at the moment Node would.
    fn call(&self, world: &mut World, f: UserFn, arg: Arg);
}

impl std::fmt::Debug for dyn Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Host")
    }
}

impl World {
    /// Runs one of the program's functions through the host (nothing happens without one).
    pub fn call_user(&mut self, f: UserFn, arg: Arg) {
        if self.is_halted() {
            return;
        }
        if let Some(host) = self.host.clone() {
            host.call(self, f, arg);
        }
    }

    pub fn set_host(&mut self, host: Rc<dyn Host>) {
        self.host = Some(host);
    }
}
