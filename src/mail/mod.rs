//! Email: composing invitations and reminders, the outbox and the worker that sends it, and the
//! transports that deliver the messages.

pub mod compose;
pub mod delivery;
pub mod outbox;
#[cfg(feature = "bench")]
pub mod sink;
pub mod stopped;
pub mod transport;
