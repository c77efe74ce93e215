//! Which report definition a survey's report is made of: the one the researcher stored with
//! the survey (from a file with `peiling report set`, the API or the report definition page,
//! checked against the questionnaire before it is stored), else the one built into the binary
//! for a bundled survey, else a plain one made from the questionnaire. Never a file in the
//! folder the server was started in: every instance prints the same report of a survey.

use super::definition::{ReportDefinition, ReportDefinitionErrors, plain_source};
use crate::audit::{self, Action, Actor};
use crate::store::{self, StoreError, surveys::Survey};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;

/// The largest report definition taken in; the bundled one is about 10 kB.
pub const MAX_BYTES: usize = 1024 * 1024;

/// "1 sectie, 9 figuren": what a definition holds, as the command line, the pages, the API's
/// callers and the audit trail read it.
pub fn contents(definition: &ReportDefinition) -> String {
    let count = |n: usize, one: &str, more: &str| format!("{n} {}", if n == 1 { one } else { more });
    format!(
        "{}, {}",
        count(definition.sections.len(), "sectie", "secties"),
        count(definition.figures().count(), "figuur", "figuren")
    )
}

/// Where a survey's report definition comes from; in the API `stored`, `bundled` or `plain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Stored,
    Bundled,
    Plain,
}

impl Origin {
    /// As the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Stored => "stored",
            Origin::Bundled => "bundled",
            Origin::Plain => "plain",
        }
    }

    /// In Dutch, for the pages and the command line.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Stored => "eigen rapportdefinitie van dit onderzoek",
            Origin::Bundled => "meegeleverde rapportdefinitie",
            Origin::Plain => "standaarddefinitie, gemaakt uit de vragenlijst",
        }
    }
}

/// The report definition's text and where it comes from.
pub fn of(survey: &Survey) -> (String, Origin) {
    match &survey.report {
        Some(stored) => (stored.clone(), Origin::Stored),
        None => without_own(&survey.questionnaire),
    }
}

/// What a survey without a definition of its own gets: the bundled one, else the plain one.
fn without_own(questionnaire: &crate::questionnaire::Questionnaire) -> (String, Origin) {
    match crate::bundled::find(&questionnaire.id) {
        Some(bundled) => (bundled.report.to_string(), Origin::Bundled),
        None => (plain_source(questionnaire), Origin::Plain),
    }
}

/// The report definition a new wave of `earlier` takes along (`crate::waves`), checked against
/// the wave's `questionnaire`: its own, or the bundled one, which the wave would lose under its
/// new code; with the new code and title in it (`definition::for_new_wave`). None when
/// `earlier` has the plain one: the wave makes that from its own questionnaire.
pub fn for_new_wave(
    earlier: &Survey,
    questionnaire: &crate::questionnaire::Questionnaire,
) -> Result<Option<(String, ReportDefinition)>, ReportDefinitionErrors> {
    let (text, origin) = of(earlier);
    if origin == Origin::Plain {
        return Ok(None);
    }
    let text = super::definition::for_new_wave(&text, &earlier.questionnaire.title, questionnaire)?;
    let definition = ReportDefinition::parse(&text, questionnaire)?;
    Ok(Some((text, definition)))
}

/// The survey's report definition, checked against its questionnaire. A stored one was
/// checked when it was stored; it can still fail if the bundled questionnaire it refers to
/// changed with a new version of peiling.
pub fn definition(survey: &Survey) -> Result<ReportDefinition, ReportDefinitionErrors> {
    ReportDefinition::parse(&of(survey).0, &survey.questionnaire)
}

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Invalid(#[from] ReportDefinitionErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for SetError {
    fn from(e: sea_orm::DbErr) -> Self {
        SetError::Store(e.into())
    }
}

/// Checks `source` against the survey's questionnaire and stores it as its report definition,
/// with a line in the audit trail; nothing is stored when any check fails.
pub async fn set(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    source: &str,
    now: DateTime<Utc>,
) -> Result<ReportDefinition, SetError> {
    if source.len() > MAX_BYTES {
        let problem = format!("de rapportdefinitie is {} kB; hoogstens {} kB", source.len() / 1024, MAX_BYTES / 1024);
        return Err(ReportDefinitionErrors(vec![problem]).into());
    }
    let definition = ReportDefinition::parse(source, &survey.questionnaire)?;
    let txn = db.begin().await?;
    store::report_definitions::put(&txn, survey.row.id, source, &actor.name(), now).await?;
    let detail = contents(&definition);
    audit::record(&txn, actor, Some(&survey.row), Action::ReportDefinitionSet, &detail, now).await?;
    txn.commit().await?;
    Ok(definition)
}

/// Removes the survey's own definition, so that it gets the bundled or the plain one again.
pub async fn reset(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    now: DateTime<Utc>,
) -> Result<(), SetError> {
    let txn = db.begin().await?;
    if store::report_definitions::remove(&txn, survey.row.id).await? {
        let detail = format!("terug naar de {}", without_own(&survey.questionnaire).1.label());
        audit::record(&txn, actor, Some(&survey.row), Action::ReportDefinitionSet, &detail, now).await?;
    }
    txn.commit().await?;
    Ok(())
}
