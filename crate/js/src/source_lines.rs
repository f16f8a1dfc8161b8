//! Which line of the learner's program caused each trace event, for the page's player to
//! highlight: the line of the call into the streams (`this.push(…)`, `sink.write(…)`,
//! `callback()`, `pipe`, …) that was running when the core recorded the event.
//!
//! Every stream call from JavaScript passes through one place (`streams::in_world`), which
//! notes the learner's innermost line on entry and the line it returns to on exit. Calls nest
//! (the core calls `_write`, which pushes), so the lines form a stack; what is kept is a list
//! of runs: from event `from[k]` on, the line is `line[k]` (0: no program code was running,
//! as when Node's own ticks run).

use boa_engine::vm::SourcePath;
use boa_engine::Context;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceLines {
    pub from: Vec<u32>,
    pub line: Vec<u32>,
    stack: Vec<u32>,
}

impl SourceLines {
    /// A stream call from `line` begins when the trace holds `at` events.
    pub fn enter(&mut self, at: usize, line: u32) {
        self.stack.push(line);
        self.mark(at, line);
    }

    /// That call returned when the trace held `at` events: the line is the caller's again.
    pub fn exit(&mut self, at: usize) {
        self.stack.pop();
        let line = self.stack.last().copied().unwrap_or(0);
        self.mark(at, line);
    }

    fn mark(&mut self, at: usize, line: u32) {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        if self.line.last() == Some(&line) {
            return;
        }
        // A run no event fell into is replaced.
        if self.from.last() == Some(&at) {
            self.from.pop();
            self.line.pop();
            if self.line.last() == Some(&line) {
                return;
            }
        }
        self.from.push(at);
        self.line.push(line);
    }

    /// The line that was running at event `i` (0 when none).
    pub fn line_at(&self, i: usize) -> u32 {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        match self.from.partition_point(|&f| f <= i) {
            0 => 0,
            k => self.line[k - 1],
        }
    }
}

/// The line (1-based) of the innermost frame of the learner's program: the first frame that
/// came from a file (the prelude's and the stream classes' code has no path). 0 when none.
pub fn program_line(ctx: &Context) -> u32 {
    ctx.stack_trace()
        .map(|f| f.position())
        .find(|at| matches!(at.path, SourcePath::Path(_)))
        .and_then(|at| at.position)
        .map_or(0, |p| p.line_number())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_calls_return_to_the_callers_line() {
        let mut s = SourceLines::default();
        s.enter(0, 10); // sink.write(…) on line 10
        s.enter(2, 4); // the core calls _write, which calls callback() on line 4
        s.exit(3);
        s.exit(5);
        assert_eq!((s.line_at(0), s.line_at(1)), (10, 10));
        assert_eq!(s.line_at(2), 4);
        assert_eq!((s.line_at(3), s.line_at(4)), (10, 10));
        assert_eq!(s.line_at(5), 0, "Node's own ticks: no line");
    }

    #[test]
    fn calls_that_record_nothing_leave_no_run() {
        let mut s = SourceLines::default();
        s.enter(0, 3);
        s.exit(0);
        s.enter(0, 7);
        s.exit(1);
        assert_eq!(s.from, vec![0, 1]);
        assert_eq!(s.line, vec![7, 0]);
    }
}
