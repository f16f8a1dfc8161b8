//! The write loop (`connect: "write-loop"`), written as the lesson writes it:
//!
//! ```js
//! for (let i = 0; i < items; i++) {
//!   if (!sink.write(chunk(i)) && respectBackpressure) await once(sink, 'drain');
//! }
//! sink.end();
//! await once(sink, 'finish');
//! ```
//!
//! It is a Rust `async fn` on a tiny executor built on the `futures` crate. The future never
//! touches the world itself: each step it wants (write, wait for 'drain', end) is a request
//! left in a mailbox, which the world carries out on its own stack and answers before polling
//! again. Waiting for 'drain' registers `once` listeners for 'drain' and 'error' on the sink
//! (as `events.once` does); when one fires, a promise reaction is queued that polls the loop
//! again, so the loop resumes where Node's `await` would: after the ticks, among the
//! microtasks.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::behaviour::make_chunk;
use crate::scenario::WriteLoopSpec;
use crate::trace::{Ev, Origin};
use crate::world::{Event, Listener, Microtask, StreamId, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Request {
    Write(u64),
    WaitForDrain,
    End,
    WaitForFinish,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reply {
    Wrote(bool),
    Drained,
    Rejected,
    Ended,
    Finished,
}

#[derive(Default, Debug)]
struct Mailbox {
    request: Option<Request>,
    reply: Option<Reply>,
}

/// The loop's handle on the outside world: every method is one round trip through the
/// mailbox.
#[derive(Clone)]
struct LoopIo {
    mailbox: Rc<RefCell<Mailbox>>,
}

/// A future that posts a request, yields once, and completes with the world's reply.
struct Ask {
    mailbox: Rc<RefCell<Mailbox>>,
    request: Option<Request>,
}

impl Future for Ask {
    type Output = Reply;
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Reply> {
        if let Some(req) = self.request.take() {
            self.mailbox.borrow_mut().request = Some(req);
            return Poll::Pending;
        }
        match self.mailbox.borrow_mut().reply.take() {
            Some(reply) => Poll::Ready(reply),
            None => Poll::Pending,
        }
    }
}

impl LoopIo {
    fn ask(&self, request: Request) -> Ask {
        Ask { mailbox: self.mailbox.clone(), request: Some(request) }
    }
}

async fn write_loop(io: LoopIo, items: u64, respect_backpressure: bool) {
    for i in 0..items {
        let ok = matches!(io.ask(Request::Write(i)).await, Reply::Wrote(true));
        if !ok && respect_backpressure {
            // `await once(sink, 'drain')` rejects on 'error', which ends the loop.
            if io.ask(Request::WaitForDrain).await == Reply::Rejected {
                return;
            }
        }
    }
    io.ask(Request::End).await;
    io.ask(Request::WaitForFinish).await;
}

/// `await once(…)` resumes two promise reactions after the event: one settles the promise
/// that the async `once()` returned, one runs the code after the `await`.
const ONCE_HOPS: u8 = 1;

pub struct WriteLoopState {
    spec: WriteLoopSpec,
    mailbox: Rc<RefCell<Mailbox>>,
    future: Option<Pin<Box<dyn Future<Output = ()>>>>,
}

impl std::fmt::Debug for WriteLoopState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteLoopState").field("spec", &self.spec).field("running", &self.future.is_some()).finish()
    }
}

impl World {
    /// Starts the loop: it runs synchronously up to its first wait, as an async function does.
    pub fn start_write_loop(&mut self, spec: &WriteLoopSpec) {
        let mailbox = Rc::new(RefCell::new(Mailbox::default()));
        let io = LoopIo { mailbox: mailbox.clone() };
        let future = Box::pin(write_loop(io, spec.items, spec.respect_backpressure));
        self.write_loop = Some(WriteLoopState { spec: spec.clone(), mailbox, future: Some(future) });
        self.poll_write_loop();
    }

    /// Polls the loop and carries out what it asks, until it waits or ends.
    pub fn poll_write_loop(&mut self) {
        let sink = self.sink;
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            if self.is_halted() {
                return;
            }
            let Some(state) = self.write_loop.as_mut() else { return };
            let Some(future) = state.future.as_mut() else { return };
            if future.as_mut().poll(&mut cx).is_ready() {
                state.future = None;
                return;
            }
            let request = state.mailbox.borrow_mut().request.take();
            let mailbox = state.mailbox.clone();
            match request {
                Some(Request::Write(i)) => {
                    let chunk = make_chunk(&state.spec.chunk, i);
                    if self.halted.is_none() {
                        self.rec.counters.produced += 1;
                    }
                    let reply = match self.write(sink, chunk) {
                        Ok(ret) => Reply::Wrote(ret),
                        Err(e) => {
                            self.throw_uncaught(e);
                            return;
                        }
                    };
                    mailbox.borrow_mut().reply = Some(reply);
                }
                Some(Request::WaitForDrain) => {
                    self.record(Ev::Wait, Origin::Loop, 0, 0, false);
                    if self.halted.is_none() {
                        self.rec.counters.backpressure_pauses += 1;
                    }
                    self.once(sink, Event::Drain, Listener::LoopDrainResolve);
                    self.once(sink, Event::Error, Listener::LoopDrainReject);
                    return;
                }
                Some(Request::End) => {
                    self.end(sink);
                    mailbox.borrow_mut().reply = Some(Reply::Ended);
                }
                Some(Request::WaitForFinish) => {
                    self.once(sink, Event::Finish, Listener::LoopFinishResolve);
                    self.once(sink, Event::Error, Listener::LoopFinishReject);
                    return;
                }
                None => return,
            }
        }
    }

    /// One of the loop's `once()` promises settled: its twin listener goes (as `events.once`
    /// removes it), the loop gets `reply`, and the `await` resumes in a promise reaction (with
    /// a `wake` only after 'drain').
    fn write_loop_once_settled(&mut self, sink: StreamId, twin: (Event, Listener), reply: Reply) {
        self.remove_listener(sink, twin.0, twin.1);
        if let Some(state) = self.write_loop.as_ref() {
            state.mailbox.borrow_mut().reply = Some(reply);
        }
        let resume = if reply == Reply::Drained { Microtask::WakeWriteLoop } else { Microtask::PollWriteLoop };
        self.queue_microtask(resume(ONCE_HOPS));
    }

    /// 'drain' came: the `once` promise resolves; the loop goes on in a promise reaction.
    pub fn write_loop_drain_resolved(&mut self, sink: StreamId) {
        self.write_loop_once_settled(sink, (Event::Error, Listener::LoopDrainReject), Reply::Drained);
    }

    /// 'error' came first: the `once` promise rejects and the loop ends (no `wake`).
    pub fn write_loop_drain_rejected(&mut self, sink: StreamId) {
        self.write_loop_once_settled(sink, (Event::Drain, Listener::LoopDrainResolve), Reply::Rejected);
    }

    /// 'finish' came: `await once(sink, 'finish')` returns and the loop is done.
    pub fn write_loop_finish_resolved(&mut self, sink: StreamId) {
        self.write_loop_once_settled(sink, (Event::Error, Listener::LoopFinishReject), Reply::Finished);
    }

    /// 'error' came after `end()`: the awaited `once()` rejects and the loop ends.
    pub fn write_loop_finish_rejected(&mut self, sink: StreamId) {
        self.write_loop_once_settled(sink, (Event::Finish, Listener::LoopFinishResolve), Reply::Rejected);
    }

    pub fn wake_write_loop(&mut self) {
        self.record(Ev::Wake, Origin::Loop, 0, 0, false);
        self.poll_write_loop();
    }
}
