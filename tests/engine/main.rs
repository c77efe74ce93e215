//! The questionnaire engine and the invitee import on their own: no database, no web.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod anonymise;
mod answers;
mod clean_text;
mod definition;
mod limits;
mod off_scale;
mod properties;
mod routing;

use peiling::questionnaire::{self, Questionnaire};

pub fn reference() -> Questionnaire {
    questionnaire::parse(peiling::bundled::MAATWERKBUDGET_2021.definition).expect("the bundled definition is valid")
}

/// A valid definition around the given questions, for small focused cases.
pub fn with_questions(questions: &str) -> String {
    format!("id = \"t\"\ntitle = \"Test\"\n\n[[groups]]\ncode = \"A\"\nname = \"Team A\"\n\n{questions}")
}
