//! A list that grows in fixed segments and never moves what it already holds.
//!
//! A traced run appends a few records per chunk for millions of chunks. A `Vec` grows by
//! doubling, and each doubling copies everything so far: in wasm, where `realloc` cannot remap
//! pages, that copying was about a seventh of a traced run's time. Here the first segment grows
//! as a `Vec` does up to [`SEGMENT`] items (so a short trace stays small), and every later
//! segment is allocated once at that size and filled in place. The page reads a segment at a
//! time as a typed-array view over wasm memory (`Simulation.traceSegment`).

/// Items per segment: a power of two, so an index splits into segment and offset by shifting.
/// Small enough that the last segment's unused room (at most 4,095 items, 96 KiB of trace
/// records and changes) stays a small share of even the page's 20,000-event traces, and a
/// multiple of the page's pull of 2,048 events, so that its batches end where segments do.
pub const SEGMENT: usize = 1 << SEGMENT_BITS;
pub const SEGMENT_BITS: u32 = 12;

#[derive(Clone, Debug)]
pub struct Segmented<T> {
    /// The full segments, each of [`SEGMENT`] items.
    full: Vec<Vec<T>>,
    /// The segment being filled, held here so that a push reaches it without a lookup.
    open: Vec<T>,
    len: usize,
}

impl<T> Default for Segmented<T> {
    fn default() -> Self {
        Segmented { full: Vec::new(), open: Vec::new(), len: 0 }
    }
}

impl<T: Copy> Segmented<T> {
    #[inline]
    pub fn push(&mut self, item: T) {
        if self.open.len() == SEGMENT {
            self.seal();
        }
        self.open.push(item);
        self.len += 1;
    }

    /// The open segment is full: it joins the full ones, and the next is made at its full
    /// size, so it never moves (the first grew by doubling: a short trace stays small).
    #[cold]
    #[inline(never)]
    fn seal(&mut self) {
        let next = Vec::with_capacity(SEGMENT);
        self.full.push(std::mem::replace(&mut self.open, next));
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<T> {
        self.segment(i >> SEGMENT_BITS).get(i & (SEGMENT - 1)).copied()
    }

    /// Segment `k`: items `k * SEGMENT ..` (empty past the end).
    pub fn segment(&self, k: usize) -> &[T] {
        match k.cmp(&self.full.len()) {
            std::cmp::Ordering::Less => &self.full[k],
            std::cmp::Ordering::Equal => &self.open,
            std::cmp::Ordering::Greater => &[],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.full.iter().flatten().chain(&self.open).copied()
    }

    /// The bytes the items take.
    pub fn used_bytes(&self) -> usize {
        self.len * std::mem::size_of::<T>()
    }

    /// The heap memory the segments hold.
    pub fn heap_bytes(&self) -> usize {
        (self.full.iter().map(|p| p.capacity()).sum::<usize>() + self.open.capacity()) * std::mem::size_of::<T>()
            + self.full.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_in_order_across_segment_boundaries() {
        let mut list = Segmented::default();
        let n = 2 * SEGMENT + 5;
        for i in 0..n {
            list.push(i as u32);
        }
        assert_eq!(list.len(), n);
        assert_eq!(list.get(SEGMENT - 1), Some(SEGMENT as u32 - 1));
        assert_eq!(list.get(SEGMENT), Some(SEGMENT as u32));
        assert_eq!(list.get(n), None);
        assert!(list.iter().eq(0..n as u32));
        let base = 2 * SEGMENT as u32;
        assert_eq!(list.segment(2), &[base, base + 1, base + 2, base + 3, base + 4][..]);
        assert!(list.segment(3).is_empty());
    }

    #[test]
    fn a_full_segment_never_moves() {
        let mut list = Segmented::default();
        for i in 0..SEGMENT + 1 {
            list.push(i as u8);
        }
        let second = list.segment(1).as_ptr();
        for i in 0..SEGMENT - 1 {
            list.push(i as u8);
        }
        assert_eq!(list.segment(1).as_ptr(), second, "the second segment was allocated at its full size");
        assert_eq!(list.heap_bytes() - list.full.capacity() * std::mem::size_of::<Vec<u8>>(), 2 * SEGMENT);
    }

    #[test]
    fn a_short_list_holds_little() {
        let mut list = Segmented::default();
        for i in 0..10u64 {
            list.push(i);
        }
        assert!(list.heap_bytes() < 1024, "{} bytes for 10 items", list.heap_bytes());
    }
}
