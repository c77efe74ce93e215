//! A new wave of an earlier survey: the same evaluation asked again, of new invitees. The copy
//! takes the earlier survey's definition text with a new code and title (the rest, comments
//! and layout included, as the researcher wrote it), so the same questions and groups, and its
//! report definition; it starts as a draft without invitees, responses, reviewed texts or
//! report texts, which belong to the earlier wave's fieldwork. Only a survey the copier may
//! work on can be copied (`teams`); any other "does not exist", as everywhere.

use crate::audit::{self, Action, Actor};
use crate::questionnaire::definition::{valid_code, with_id_and_title};
use crate::questionnaire::model::MAX_TEXT_CHARS;
use crate::questionnaire::{self, DefinitionErrors, Questionnaire};
use crate::report::definition::ReportDefinitionErrors;
use crate::report::source;
use crate::store::{self, StoreError, surveys::Survey};
use crate::teams;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

/// Who makes the new wave: which surveys they may copy, and who owns the copy.
#[derive(Debug, Clone, Copy)]
pub enum Copier<'a> {
    /// A researcher on the pages or the API: copies a survey they work on, and owns the copy.
    Researcher(&'a teams::Researcher),
    /// Someone at the server's command line, who can reach the database anyway and so may copy
    /// any survey; the copy has `owner` as its owner, or none (then only admins see it), as
    /// `peiling survey create`.
    CommandLine { owner: Option<&'a entity::user::Model> },
}

impl Copier<'_> {
    fn actor(self) -> Actor {
        match self {
            Copier::Researcher(who) => who.actor(),
            Copier::CommandLine { .. } => Actor::CommandLine,
        }
    }

    fn owner(&self) -> Option<&entity::user::Model> {
        match self {
            Copier::Researcher(who) => Some(&who.user),
            Copier::CommandLine { owner } => *owner,
        }
    }
}

/// What the copier gives the new wave, as typed.
#[derive(Debug, Clone, Copy)]
pub struct Wave<'a> {
    /// The earlier survey's code.
    pub from: &'a str,
    /// The new survey's code (its `id`).
    pub code: &'a str,
    pub title: &'a str,
}

/// The field of the form an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Earlier,
    Code,
    Title,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("geef de nieuwe ronde een code, bijvoorbeeld maatwerkbudget-2025")]
    NoCode,
    #[error("code '{0}' is ongeldig: gebruik letters, cijfers, '_' of '-', beginnend met een letter")]
    BadCode(String),
    #[error("de code is {0} tekens lang; hoogstens {MAX_TEXT_CHARS}")]
    CodeTooLong(usize),
    #[error("geef de nieuwe ronde een titel")]
    NoTitle,
    #[error("de titel moet op één regel passen: zonder regeleinden, tabs of andere stuurtekens")]
    TitleNotOneLine,
    #[error("de titel is {0} tekens lang; hoogstens {MAX_TEXT_CHARS}")]
    TitleTooLong(usize),
    /// The earlier definition was stored before a check that a new definition now gets.
    #[error("de vragenlijst van '{from}' voldoet niet aan de controles voor een nieuwe definitie; {errors}")]
    Definition { from: String, errors: DefinitionErrors },
    #[error("de rapportdefinitie van '{from}' past niet bij de nieuwe ronde; {errors}")]
    Report { from: String, errors: ReportDefinitionErrors },
    #[error("het controleren van de definitie stopte onverwacht: {0}")]
    Stopped(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for CopyError {
    fn from(e: sea_orm::DbErr) -> CopyError {
        CopyError::Store(e.into())
    }
}

impl CopyError {
    /// The field to show the message beside; none for a failure of the server itself.
    pub fn field(&self) -> Option<Field> {
        match self {
            CopyError::NoCode
            | CopyError::BadCode(_)
            | CopyError::CodeTooLong(_)
            | CopyError::Store(StoreError::SurveyExists(_)) => Some(Field::Code),
            CopyError::NoTitle | CopyError::TitleNotOneLine | CopyError::TitleTooLong(_) => Some(Field::Title),
            CopyError::Store(StoreError::SurveyNotFound(_))
            | CopyError::Definition { .. }
            | CopyError::Report { .. } => Some(Field::Earlier),
            CopyError::Stopped(_) | CopyError::Store(_) => None,
        }
    }
}

/// The code and title as they are stored: trimmed, and checked as a definition's `id` and a
/// one-line text.
fn checked<'a>(wave: &Wave<'a>) -> Result<(&'a str, &'a str), CopyError> {
    let code = wave.code.trim();
    if code.is_empty() {
        return Err(CopyError::NoCode);
    }
    if !valid_code(code) {
        return Err(CopyError::BadCode(code.to_string()));
    }
    let chars = code.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(CopyError::CodeTooLong(chars));
    }
    let title = wave.title.trim();
    if title.is_empty() {
        return Err(CopyError::NoTitle);
    }
    if title.chars().any(char::is_control) {
        return Err(CopyError::TitleNotOneLine);
    }
    let chars = title.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(CopyError::TitleTooLong(chars));
    }
    Ok((code, title))
}

async fn earlier(db: &DatabaseConnection, copier: Copier<'_>, code: &str) -> Result<Survey, StoreError> {
    match copier {
        Copier::Researcher(who) => teams::survey_for(db, who, code).await,
        Copier::CommandLine { .. } => store::surveys::load(db, code).await,
    }
}

/// The earlier definition under the new code and title, read by the engine as any definition
/// handed in; on the blocking pool, since reading takes time in proportion to its size.
async fn renamed(earlier: &Survey, code: &str, title: &str) -> Result<(String, Questionnaire), CopyError> {
    let from = earlier.row.slug.clone();
    let source = with_id_and_title(earlier.source(), code, title)
        .map_err(|errors| CopyError::Definition { from: from.clone(), errors })?;
    tokio::task::spawn_blocking(move || questionnaire::validate(&source).map(|q| (source, q)))
        .await
        .map_err(|e| CopyError::Stopped(e.to_string()))?
        .map_err(|errors| CopyError::Definition { from, errors })
}

/// Makes a new draft survey of `wave.from` under `wave.code` and `wave.title`, owned by the
/// copier, with its report definition (its own or the bundled one) stored with it in the same
/// transaction, and audit lines naming the earlier survey.
pub async fn copy(
    db: &DatabaseConnection,
    copier: Copier<'_>,
    wave: Wave<'_>,
    now: DateTime<Utc>,
) -> Result<Survey, CopyError> {
    // The survey first: to whoever may not see it, every request about it is one about a code
    // nobody used, whatever else it holds.
    let earlier = earlier(db, copier, wave.from.trim()).await?;
    let (code, title) = checked(&wave)?;
    let (source, questionnaire) = renamed(&earlier, code, title).await?;
    let report = source::for_new_wave(&earlier, &questionnaire)
        .map_err(|errors| CopyError::Report { from: earlier.row.slug.clone(), errors })?;

    let actor = copier.actor();
    let txn = crate::db::begin_write(db).await?;
    let mut survey = store::surveys::insert_draft(&txn, &source, questionnaire, copier.owner(), now).await?;
    let from = &earlier.row.slug;
    audit::record(&txn, &actor, Some(&survey.row), Action::SurveyCreated, &format!("nieuwe ronde van {from}"), now)
        .await?;
    if let Some(owner) = copier.owner() {
        audit::record(&txn, &actor, Some(&survey.row), Action::OwnerSet, &owner.email, now).await?;
    }
    if let Some((text, definition)) = report {
        store::report_definitions::put(&txn, survey.row.id, &text, &actor.name(), now).await?;
        let detail = format!("{}, overgenomen van {from}", source::contents(&definition));
        audit::record(&txn, &actor, Some(&survey.row), Action::ReportDefinitionSet, &detail, now).await?;
        survey.report = Some(text);
    }
    txn.commit().await?;
    Ok(survey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave<'a>(code: &'a str, title: &'a str) -> Wave<'a> {
        Wave { from: "eerder", code, title }
    }

    #[test]
    fn the_code_and_title_are_trimmed_and_checked() {
        assert_eq!(checked(&wave(" ronde-2 ", " Ronde 2 ")).ok(), Some(("ronde-2", "Ronde 2")));
        let error = |code: &str, title: &str| checked(&wave(code, title)).err().map(|e| (e.field(), e.to_string()));
        assert_eq!(error(" ", "T").map(|e| e.0), Some(Some(Field::Code)));
        let (field, message) = error("2025-ronde", "T").unwrap_or((None, String::new()));
        assert_eq!(field, Some(Field::Code));
        assert_eq!(
            message,
            "code '2025-ronde' is ongeldig: gebruik letters, cijfers, '_' of '-', beginnend met een letter"
        );
        assert_eq!(error("a b", "T").map(|e| e.0), Some(Some(Field::Code)));
        assert_eq!(error(&"x".repeat(MAX_TEXT_CHARS + 1), "T").map(|e| e.0), Some(Some(Field::Code)));
        assert_eq!(error("r2", "  ").map(|e| e.1), Some("geef de nieuwe ronde een titel".into()));
        assert_eq!(error("r2", "Ronde\n2").map(|e| e.0), Some(Some(Field::Title)));
        assert_eq!(error("r2", &"x".repeat(MAX_TEXT_CHARS + 1)).map(|e| e.0), Some(Some(Field::Title)));
    }
}
