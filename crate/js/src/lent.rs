//! A value lent for the length of a call, reachable from code that the call runs.
//!
//! The core calls the program's code with `&mut World`; the program's natives (Boa calls them
//! with `&mut Context` only) must reach that same world. [`Lent::lend`] makes a `&mut T`
//! reachable for the length of a closure; [`Lent::with`] takes it for the length of another.
//! While `with` holds it the slot is empty, so two `&mut T` never coexist: a nested `with`
//! gets `None` unless something inside lent a (re-borrowed) `&mut T` again. This is the
//! pattern of the `scoped-tls` crate without the thread-local.

use std::cell::Cell;
use std::ptr::NonNull;

pub struct Lent<T>(Cell<Option<NonNull<T>>>);

/// Puts the slot back as it was when a lend or a take ends, unwinding included.
struct Restore<'a, T>(&'a Cell<Option<NonNull<T>>>, Option<NonNull<T>>);

impl<T> Drop for Restore<'_, T> {
    fn drop(&mut self) {
        self.0.set(self.1);
    }
}

impl<T> Default for Lent<T> {
    fn default() -> Self {
        Lent(Cell::new(None))
    }
}

impl<T> Lent<T> {
    /// Makes `value` reachable through [`Lent::with`] while `f` runs.
    pub fn lend<R>(&self, value: &mut T, f: impl FnOnce() -> R) -> R {
        let previous = self.0.replace(Some(NonNull::from(value)));
        let _restore = Restore(&self.0, previous);
        f()
    }

    /// Runs `f` on the lent value; `None` if nothing is lent or it is already taken.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let pointer = self.0.take()?;
        let _restore = Restore(&self.0, Some(pointer));
        // SAFETY: the pointer came from a `&mut T` in `lend`, whose frame is still running
        // (`lend` clears the slot before it returns) and does not use its `&mut T` meanwhile:
        // it is inside `f`. The slot is empty while this reference lives, so no other `with`
        // can make a second one; a `lend` inside `f` stores a pointer re-borrowed from this
        // one and restores the empty slot before `f` uses this one again.
        Some(f(unsafe { &mut *pointer.as_ptr() }))
    }
}

#[cfg(test)]
mod tests {
    use super::Lent;

    #[test]
    fn a_lent_value_is_reachable_once_at_a_time_and_gone_after_the_lend() {
        let slot: Lent<u32> = Lent::default();
        let mut n = 1;
        assert!(slot.with(|_| ()).is_none());
        slot.lend(&mut n, || {
            slot.with(|v| {
                *v += 1;
                // Taken: a second taker finds nothing …
                assert!(slot.with(|_| ()).is_none());
                // … unless the holder lends it on, as a native does when it calls the core.
                slot.lend(v, || slot.with(|w| *w += 10));
                *v += 100;
            });
            assert_eq!(slot.with(|v| *v), Some(112));
        });
        assert!(slot.with(|_| ()).is_none());
        assert_eq!(n, 112);
    }
}
