//! A queue stored as runs of equal values: pushing the same value again only counts it.
//!
//! A Writable's buffer holds every write that waits its turn. A write loop that ignores
//! backpressure writes millions of equal chunks into it (same size, same callback), so the
//! buffer keeps each run once with its count: memory grows with the number of distinct
//! neighbouring chunks, not with the number of writes.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Runs<T> {
    runs: VecDeque<(T, u64)>,
}

impl<T> Default for Runs<T> {
    fn default() -> Self {
        Runs { runs: VecDeque::new() }
    }
}

impl<T: Copy + PartialEq> Runs<T> {
    pub fn push_back(&mut self, value: T) {
        match self.runs.back_mut() {
            Some((last, n)) if *last == value => *n += 1,
            _ => self.runs.push_back((value, 1)),
        }
    }

    pub fn pop_front(&mut self) -> Option<T> {
        let (value, n) = self.runs.front_mut()?;
        let value = *value;
        *n -= 1;
        if *n == 0 {
            self.runs.pop_front();
        }
        Some(value)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn clear(&mut self) {
        self.runs.clear();
    }

    /// Each stored run's value, oldest first (once per run, not once per value).
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.runs.iter().map(|(v, _)| v)
    }

    /// How many values are queued.
    pub fn len(&self) -> u64 {
        self.runs.iter().map(|(_, n)| n).sum()
    }

    /// How many runs are stored (the memory it takes), not how many values.
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Runs;

    #[test]
    fn equal_neighbours_share_one_run_and_come_out_in_order() {
        let mut q = Runs::default();
        for v in [1, 1, 1, 2, 2, 1] {
            q.push_back(v);
        }
        assert_eq!(q.run_count(), 3);
        let mut out = Vec::new();
        while let Some(v) = q.pop_front() {
            out.push(v);
        }
        assert_eq!(out, [1, 1, 1, 2, 2, 1]);
        assert!(q.is_empty());
    }

    #[test]
    fn a_million_equal_values_take_one_run() {
        let mut q = Runs::default();
        for _ in 0..1_000_000 {
            q.push_back((7u64, None::<u32>));
        }
        assert_eq!(q.run_count(), 1);
        q.pop_front();
        assert_eq!(q.run_count(), 1);
    }
}
