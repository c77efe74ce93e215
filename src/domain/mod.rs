//! Values that are checked once, at the edge, and trusted from then on.

mod email;
mod token;

pub use email::EmailAddress;
pub use token::Token;
