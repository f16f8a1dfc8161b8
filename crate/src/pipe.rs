//! `readable.pipe(dest, {end})` (readable.js): the 'data' → `write()` bridge, pausing on a
//! false write and resuming on the destination's 'drain'. NODE-STREAMS.md §8.

use crate::readable::AwaitDrain;
use crate::world::{Arg, ErrId, Event, Listener, PipeId, StreamId, World};

#[derive(Clone, Copy, Debug)]
pub struct Pipe {
    pub src: StreamId,
    pub dest: StreamId,
    /// `end !== false`: the source's 'end' ends the destination.
    pub do_end: bool,
    pub ondrain_added: bool,
    pub cleaned_up: bool,
}

impl World {
    pub fn pipe(&mut self, src: StreamId, dest: StreamId, do_end: bool) -> PipeId {
        let p = self.pipes.len();
        self.pipes.push(Pipe { src, dest, do_end, ondrain_added: false, cleaned_up: false });
        let r = self.rm(src);
        // A second destination turns the awaited writer into a set of them.
        if r.pipes.len() == 1 && !matches!(r.await_drain, AwaitDrain::Set(_)) {
            r.await_drain = match r.await_drain {
                AwaitDrain::One(w) => AwaitDrain::Set(vec![w]),
                _ => AwaitDrain::Set(Vec::new()),
            };
        }
        r.pipes.push(dest);
        if self.r(src).end_emitted {
            self.next_tick(crate::world::Tick::PipeEndFn(p));
        } else {
            self.once(src, Event::End, Listener::PipeOnEnd(p));
        }
        self.on(dest, Event::Unpipe, Listener::PipeOnUnpipe(p));
        self.on(src, Event::Data, Listener::PipeOnData(p));
        self.prepend_listener(dest, Event::Error, Listener::PipeOnError(p));
        self.once(dest, Event::Close, Listener::PipeOnClose(p));
        self.once(dest, Event::Finish, Listener::PipeOnFinish(p));
        // dest.emit('pipe', src): nobody listens.
        if self.w(dest).writable_need_drain() {
            self.pipe_pause(p);
        } else if self.r(src).flowing != Some(true) {
            self.resume(src);
        }
        p
    }

    #[inline(always)]
    pub fn pipe_ondata(&mut self, p: PipeId, chunk: crate::world::Chunk) {
        let dest = self.pipes[p].dest;
        let replaced = self.streams[dest].program.and_then(|p| p.write_method).is_some();
        let written = match (replaced, self.user.clone()) {
            // A `write` method of the program's own: it decides what happens (it may throw,
            // and then the program has ended).
            (true, Some(user)) => Ok(user.write_method(self, dest, chunk)),
            _ => self.write(dest, chunk),
        };
        if self.is_halted() {
            return;
        }
        match written {
            Ok(false) => self.pipe_pause(p),
            Ok(true) => {}
            Err(e) => self.throw_uncaught(e),
        }
    }

    /// pipe's own `pause()` helper.
    fn pipe_pause(&mut self, p: PipeId) {
        let Pipe { src, dest, cleaned_up, .. } = self.pipes[p];
        if !cleaned_up {
            let r = self.rm(src);
            if r.pipes.len() == 1 && r.pipes[0] == dest {
                r.await_drain = AwaitDrain::One(dest);
            } else if r.pipes.len() > 1 && r.pipes.contains(&dest) {
                if let AwaitDrain::Set(v) = &mut r.await_drain {
                    if !v.contains(&dest) {
                        v.push(dest);
                    }
                }
            }
            self.pause(src);
        }
        if !self.pipes[p].ondrain_added {
            self.pipes[p].ondrain_added = true;
            self.on(dest, Event::Drain, Listener::PipeOnDrain(p));
        }
    }

    pub fn pipe_ondrain(&mut self, p: PipeId) {
        let Pipe { src, dest, .. } = self.pipes[p];
        let r = self.rm(src);
        match &mut r.await_drain {
            AwaitDrain::One(w) if *w == dest => r.await_drain = AwaitDrain::Nobody,
            AwaitDrain::Set(v) => v.retain(|&w| w != dest),
            _ => {}
        }
        if r.await_drain.is_done() && r.data_listening {
            self.resume(src);
        }
    }

    pub fn pipe_onend(&mut self, p: PipeId) {
        let Pipe { src, dest, do_end, .. } = self.pipes[p];
        if do_end {
            self.end(dest);
        } else {
            self.unpipe(src, dest);
        }
    }

    pub fn pipe_onunpipe(&mut self, p: PipeId, readable: StreamId) {
        if readable == self.pipes[p].src {
            self.pipe_cleanup(p);
        }
    }

    fn pipe_cleanup(&mut self, p: PipeId) {
        let Pipe { src, dest, ondrain_added, .. } = self.pipes[p];
        self.remove_listener(dest, Event::Close, Listener::PipeOnClose(p));
        self.remove_listener(dest, Event::Finish, Listener::PipeOnFinish(p));
        if ondrain_added {
            self.remove_listener(dest, Event::Drain, Listener::PipeOnDrain(p));
        }
        self.remove_listener(dest, Event::Error, Listener::PipeOnError(p));
        self.remove_listener(dest, Event::Unpipe, Listener::PipeOnUnpipe(p));
        self.remove_listener(src, Event::End, Listener::PipeOnEnd(p));
        self.remove_listener(src, Event::Data, Listener::PipeOnData(p));
        self.pipes[p].cleaned_up = true;
        if ondrain_added && self.r(src).await_drain != AwaitDrain::Nobody && self.w(dest).need_drain {
            self.pipe_ondrain(p);
        }
    }

    /// pipe's `onerror`: unpipe, and if nobody else listens for 'error', hand the error back
    /// to the destination (destroying it, or re-emitting it, which then throws).
    pub fn pipe_onerror(&mut self, p: PipeId, e: ErrId) {
        let Pipe { src, dest, .. } = self.pipes[p];
        self.unpipe(src, dest);
        self.remove_listener(dest, Event::Error, Listener::PipeOnError(p));
        if self.listener_count(dest, Event::Error) == 0 {
            let st = &self.streams[dest];
            let error_emitted = match (&st.w, &st.r) {
                (Some(w), _) => w.error_emitted,
                (None, Some(r)) => r.error_emitted,
                (None, None) => false,
            };
            if error_emitted {
                self.emit(dest, Event::Error, Arg::Error(e));
            } else {
                self.error_or_destroy(dest, e);
            }
        }
    }

    pub fn pipe_onclose(&mut self, p: PipeId) {
        let Pipe { src, dest, .. } = self.pipes[p];
        self.remove_listener(dest, Event::Finish, Listener::PipeOnFinish(p));
        self.unpipe(src, dest);
    }

    pub fn pipe_onfinish(&mut self, p: PipeId) {
        let Pipe { src, dest, .. } = self.pipes[p];
        self.remove_listener(dest, Event::Close, Listener::PipeOnClose(p));
        self.unpipe(src, dest);
    }
}
