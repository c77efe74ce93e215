//! Values that are checked once, at the edge, and trusted from then on, and the one normal
//! form of every text people type (`text`).

mod client_address;
mod email;
mod local_path;
pub mod serde_words;
pub mod stored;
pub mod text;
mod token;
pub mod toml_text;

pub use client_address::{ClientAddress, InvalidClientAddress};
pub use email::EmailAddress;
pub use local_path::LocalPath;
pub use token::Token;
