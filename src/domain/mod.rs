//! Values that are checked once, at the edge, and trusted from then on.

mod email;

pub use email::EmailAddress;
