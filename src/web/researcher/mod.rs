//! The researcher's pages (`/onderzoek`), one file per concern: signing in (`login`), the list
//! and a new survey (`surveys`), a survey's dashboard with fieldwork (`dashboard`), the review
//! of open answers (`review`), the report's own texts (`texts`), the report, its publication and
//! the exports (`report`), the report definition as text (`report_definition`) and in the
//! editor (`report_editor`), the team (`team`) and what respondents will see, walked through as
//! a respondent (`preview`).
//! Server-rendered, no script; every form carries the session's CSRF value. A handler takes a
//! `Researcher` (the role is in its signature) and answers errors worded for staff.

pub mod blank;
pub mod dashboard;
pub mod editor;
pub mod login;
pub mod preview;
pub mod question_editor;
pub mod report;
pub mod report_definition;
pub mod report_editor;
pub mod review;
pub mod surveys;
pub mod team;
pub mod texts;

use super::errors::PageError;
use super::staff::fields;
use super::{State, auth};
use crate::accounts::SignedIn;
use crate::store::StoreError;
use crate::store::surveys::Survey;
use crate::teams;

/// A page of a researcher's survey: the answer, or the error worded for staff.
use super::staff::Answer;

/// What every form post on a survey starts with: the session's CSRF value, the fields and the
/// survey.
pub(super) async fn posted(
    state: &State,
    user: &SignedIn,
    slug: &str,
    body: &[u8],
) -> Result<(Vec<(String, String)>, Survey), PageError> {
    let fields = fields(body)?;
    auth::check(user, &fields)?;
    let survey = survey(state, user, slug).await?;
    Ok((fields, survey))
}

/// The survey `slug`, if `user` may work on it; the page of an unknown address otherwise.
pub(super) async fn survey(state: &State, user: &SignedIn, slug: &str) -> Result<Survey, PageError> {
    teams::survey_for(&state.db, &user.into(), slug).await.map_err(|e| match e {
        StoreError::SurveyNotFound(_) => PageError::NotFound,
        other => PageError::Store(other),
    })
}
