//! Node's event loop, as far as streams can see it: timer lists, the nextTick queue and the
//! microtask (promise reaction) queue, on a virtual clock.
//!
//! Timers are kept the way Node 20 keeps them (lib/internal/timers.js): one list per whole
//! millisecond duration, each list with an expiry and an id; the list with the smallest
//! (expiry, id) runs first. A list that still holds a not-yet-due timer after a callback is
//! re-armed with a fresh id *before* that callback's ticks run, which is why "due time, then
//! order set" is not Node's order when durations are mixed (NODE-STREAMS.md §1.5).
//!
//! The loop holds callbacks as plain data (`T`); running them is the world's business. The
//! world asks for the next due timer with [`EventLoop::next_due`] and tells the loop when a
//! callback has returned with [`EventLoop::settle_list`].

use std::collections::VecDeque;

/// A pending `setTimeout`.
#[derive(Clone, Debug)]
struct Timer<T> {
    start: u64,
    callback: T,
}

/// One of Node's `TimersList`s: every pending timer of one duration, in the order set.
#[derive(Clone, Debug)]
struct TimerList<T> {
    duration: u64,
    expiry: u64,
    id: u64,
    timers: VecDeque<Timer<T>>,
}

#[derive(Clone, Debug)]
pub struct EventLoop<T, K, M> {
    now: u64,
    lists: Vec<TimerList<T>>,
    next_list_id: u64,
    pub ticks: VecDeque<K>,
    pub microtasks: VecDeque<M>,
    /// The check phase's queue: `setImmediate` callbacks, in the order set.
    pub immediates: VecDeque<T>,
    /// Emptied lists' queues, kept for reuse so that a steady run allocates nothing.
    spare: Vec<VecDeque<Timer<T>>>,
}

/// Node's `setTimeout` delay coercion: below 1 (or not a number) waits 1 ms; fractions drop.
pub fn timeout_duration(delay_ms: f64) -> u64 {
    if !(1.0..=2_147_483_647.0).contains(&delay_ms) {
        1
    } else {
        delay_ms.trunc() as u64
    }
}

impl<T, K, M> EventLoop<T, K, M> {
    pub fn new() -> Self {
        EventLoop {
            now: 0,
            lists: Vec::new(),
            next_list_id: 1,
            ticks: VecDeque::new(),
            microtasks: VecDeque::new(),
            immediates: VecDeque::new(),
            spare: Vec::new(),
        }
    }

    #[inline(always)]
    pub fn now(&self) -> u64 {
        self.now
    }

    /// `setTimeout(callback, duration)` at the current virtual time.
    pub fn set_timeout(&mut self, duration: u64, callback: T) {
        let now = self.now;
        let timer = Timer { start: now, callback };
        if let Some(list) = self.lists.iter_mut().find(|l| l.duration == duration) {
            list.timers.push_back(timer);
            return;
        }
        let id = self.fresh_id();
        let mut timers = self.spare.pop().unwrap_or_default();
        timers.push_back(timer);
        self.lists.push(TimerList { duration, expiry: now + duration, id, timers });
    }

    fn fresh_id(&mut self) -> u64 {
        let id = self.next_list_id;
        self.next_list_id += 1;
        id
    }

    /// The index of the list that runs next: smallest (expiry, id).
    fn first_list(&self) -> Option<usize> {
        // One duration in use (the usual case): no comparing.
        if self.lists.len() == 1 {
            return Some(0);
        }
        let mut best: Option<usize> = None;
        for (i, l) in self.lists.iter().enumerate() {
            match best {
                Some(b) if (self.lists[b].expiry, self.lists[b].id) <= (l.expiry, l.id) => {}
                _ => best = Some(i),
            }
        }
        best
    }

    /// When the next list expires, if any timer is pending.
    pub fn next_expiry(&self) -> Option<u64> {
        self.first_list().map(|i| self.lists[i].expiry)
    }

    pub fn has_timers(&self) -> bool {
        !self.lists.is_empty()
    }

    /// Moves the clock forward (never back).
    pub fn advance_clock(&mut self, to: u64) {
        if to > self.now {
            self.now = to;
        }
    }

    /// Takes the next due timer of the list that runs first, as Node's `listOnTimeout` does:
    /// returns its duration (to settle the list afterwards) and its callback. `None` when no list
    /// is due at the current time. A list whose head is not yet due is re-armed here.
    pub fn next_due(&mut self) -> Option<(u64, T)> {
        loop {
            let i = self.first_list()?;
            if self.lists[i].expiry > self.now {
                return None;
            }
            let now = self.now;
            let list = &mut self.lists[i];
            let head_start = list.timers.front().map(|t| t.start);
            match head_start {
                None => {
                    self.lists.swap_remove(i);
                }
                Some(start) if now - start < list.duration => self.rearm(i, start),
                Some(_) => {
                    let timer = list.timers.pop_front().expect("head exists");
                    return Some((list.duration, timer.callback));
                }
            }
        }
    }

    /// `clearTimeout`: takes the first pending timer whose callback matches off its list. As
    /// Node's `unenroll` does, a list left empty is deleted at once, so a later timer of that
    /// duration starts a new list with a new id. Returns whether a timer was found.
    pub fn clear_timeout(&mut self, matches: impl Fn(&T) -> bool) -> bool {
        for i in 0..self.lists.len() {
            let list = &mut self.lists[i];
            let Some(p) = list.timers.iter().position(|t| matches(&t.callback)) else { continue };
            list.timers.remove(p);
            if list.timers.is_empty() {
                let emptied = self.lists.swap_remove(i);
                self.spare.push(emptied.timers);
            }
            return true;
        }
        false
    }

    /// A list whose head (set at `start`) is not due yet waits for it, under a fresh id.
    fn rearm(&mut self, i: usize, start: u64) {
        let id = self.fresh_id();
        let now = self.now;
        let list = &mut self.lists[i];
        list.expiry = (start + list.duration).max(now + 1);
        list.id = id;
    }

    /// Right after a timer callback returns, before its ticks run: an emptied list is deleted
    /// (a later timer of that duration makes a new list with a new id), and a list whose head
    /// is not due yet is re-armed with a fresh id.
    pub fn settle_list(&mut self, duration: u64) {
        let now = self.now;
        let Some(i) = self.lists.iter().position(|l| l.duration == duration) else { return };
        let list = &mut self.lists[i];
        match list.timers.front().map(|t| t.start) {
            None => {
                let emptied = self.lists.swap_remove(i);
                self.spare.push(emptied.timers);
            }
            Some(start) if now - start < list.duration => self.rearm(i, start),
            Some(_) => {}
        }
    }
}

impl<T, K, M> Default for EventLoop<T, K, M> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Loop = EventLoop<&'static str, (), ()>;

    fn run_all(l: &mut Loop) -> Vec<&'static str> {
        let mut order = Vec::new();
        while let Some(t) = l.next_expiry() {
            l.advance_clock(t);
            while let Some((d, name)) = l.next_due() {
                order.push(name);
                l.settle_list(d);
            }
        }
        order
    }

    #[test]
    fn delays_below_one_and_fractions_coerce_like_node() {
        assert_eq!(timeout_duration(0.0), 1);
        assert_eq!(timeout_duration(0.5), 1);
        assert_eq!(timeout_duration(-5.0), 1);
        assert_eq!(timeout_duration(f64::NAN), 1);
        assert_eq!(timeout_duration(1.7), 1);
        assert_eq!(timeout_duration(2.0), 2);
        assert_eq!(timeout_duration(2_147_483_648.0), 1);
    }

    #[test]
    fn same_duration_runs_in_the_order_set() {
        let mut l = Loop::new();
        l.set_timeout(5, "a");
        l.set_timeout(5, "b");
        l.set_timeout(1, "c");
        assert_eq!(run_all(&mut l), vec!["c", "a", "b"]);
    }

    #[test]
    fn rearmed_list_gets_a_fresh_id_and_runs_after_an_older_list_with_equal_expiry() {
        // NODE-STREAMS.md §1.5: a@0 (100 ms), x@30 (100 ms), b@60 (70 ms): Node runs a, b, x.
        let mut l = Loop::new();
        l.set_timeout(100, "a");
        l.advance_clock(30);
        l.set_timeout(100, "x");
        l.advance_clock(60);
        l.set_timeout(70, "b");
        assert_eq!(run_all(&mut l), vec!["a", "b", "x"]);
    }

    #[test]
    fn clearing_takes_one_timer_off_and_deletes_an_emptied_list() {
        let mut l = Loop::new();
        l.set_timeout(2, "a");
        l.set_timeout(2, "b");
        assert!(l.clear_timeout(|c| *c == "a"));
        assert!(!l.clear_timeout(|c| *c == "a"));
        assert!(l.clear_timeout(|c| *c == "b"));
        assert!(!l.has_timers());
        l.set_timeout(1, "c");
        assert_eq!(run_all(&mut l), vec!["c"]);
    }

    #[test]
    fn emptied_list_is_deleted_so_a_new_one_gets_a_new_id() {
        let mut l = Loop::new();
        l.set_timeout(2, "two");
        l.set_timeout(1, "one");
        l.advance_clock(1);
        let (d, name) = l.next_due().unwrap();
        assert_eq!(name, "one");
        l.settle_list(d);
        assert!(l.next_due().is_none());
        // set in that callback's ticks: a new 1 ms list, due at 2, created after the 2 ms list
        l.set_timeout(1, "one-again");
        assert_eq!(run_all(&mut l), vec!["two", "one-again"]);
    }
}
