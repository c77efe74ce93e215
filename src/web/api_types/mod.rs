//! The bodies the JSON API answers with. Each handler builds one of these and serialises it,
//! and the OpenAPI document (`openapi`) is derived from the same types, so the document cannot
//! describe a field the answer lacks. Each has an example; `tests/db/api_examples.rs` checks
//! that every example has the shape of a live answer of its operation.
//!
//! Values that are domain types (progress, review items, accounts, audit events, questions)
//! are those types themselves, not copies.

pub mod accounts;
mod error;
pub mod params;
pub mod respondent;
pub mod surveys;

pub use error::ErrorBody;
