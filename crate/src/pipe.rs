//! `readable.pipe(dest, {end})` (readable.js): the 'data' → `write()` bridge, pausing on a
//! false write and resuming on the destination's 'drain'. NODE-STREAMS.md §8.

use crate::world::{ErrId, Event, Listener, PipeId, StreamId, World};

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
        self.rm(src).pipes.push(dest);
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
        if self.w(dest).need_drain {
            self.pipe_pause(p);
        } else if self.r(src).flowing != Some(true) {
            self.resume(src);
        }
        p
    }

    pub fn pipe_ondata(&mut self, p: PipeId, chunk: crate::world::Chunk) {
        let dest = self.pipes[p].dest;
        match self.write(dest, chunk) {
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
                r.await_drain_writer = Some(dest);
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
        if r.await_drain_writer == Some(dest) {
            r.await_drain_writer = None;
        }
        if r.await_drain_writer.is_none() && r.data_listening {
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
        if ondrain_added && self.r(src).await_drain_writer.is_some() && self.w(dest).need_drain {
            self.pipe_ondrain(p);
        }
    }

    pub fn pipe_onerror(&mut self, p: PipeId, _e: ErrId) {
        let Pipe { src, dest, .. } = self.pipes[p];
        self.unpipe(src, dest);
        self.remove_listener(dest, Event::Error, Listener::PipeOnError(p));
        // The runner always listens to 'error' too, so nothing is re-thrown here.
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
