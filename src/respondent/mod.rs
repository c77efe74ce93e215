//! Answering by personal link: the form's screens, its fields, and the respondent's saved
//! progress and single submission, and a researcher's walk through the same screens that
//! stores nothing (`preview`). The web layer only translates HTTP to these calls.

pub mod form;
pub mod preview;
pub mod saving;
pub mod screens;
pub mod session;
pub mod submitter;
