//! Email: composing invitations and reminders, and the transports that deliver them.

pub mod compose;
pub mod outbox;
pub mod sink;
pub mod transport;
