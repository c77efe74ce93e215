//! The evaluation report: definitions, counts from the database, and the figures computed
//! from them.

pub mod definition;
pub mod figures;
pub mod stats;

pub use definition::{Block, FigureSpec, ReportDefinition};
pub mod text_table;
