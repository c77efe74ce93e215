//! Publishing a report to the reading room, and the minimum number of responses under which
//! a report is neither published nor shown there: with a handful of responses every figure
//! is one person's answers. The researcher can still make the PDF for themselves; it then
//! says on its cover that it is not fit to publish.
//!
//! The minimum is the report definition's `disclosure.min_base`, the same number under which
//! a group is left out of a breakdown. It is checked again when the reading room shows a
//! version, so versions published before the rule existed are withheld as well.

use super::definition::{Disclosure, ReportDefinitionErrors};
use super::{ReportError, stats};
use crate::audit::{self, Action, Actor};
use crate::store::surveys::{Status, Survey};
use chrono::{DateTime, Utc};
use entity::{publication, survey, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use std::fmt;

/// Too few responses to publish or show a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooFew {
    pub responses: u64,
    pub needed: u64,
}

fn filled_in(n: u64) -> String {
    if n == 1 { "is 1 vragenlijst ingevuld".into() } else { format!("zijn {n} vragenlijsten ingevuld") }
}

impl fmt::Display for TooFew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Er {}; voor een rapport in de leeskamer zijn er minstens {} nodig. Met zo weinig antwoorden zijn \
             de uitkomsten naar personen te herleiden.",
            filled_in(self.responses),
            self.needed
        )
    }
}

impl TooFew {
    /// The line on the cover of a PDF that may not be published.
    pub fn cover_note(&self) -> String {
        format!(
            "Niet geschikt om te publiceren: er {} (minder dan {}). Alleen voor eigen gebruik.",
            filled_in(self.responses),
            self.needed
        )
    }
}

/// Whether a report on `responses` responses may be published and shown.
pub fn minimum(responses: u64, disclosure: &Disclosure) -> Result<(), TooFew> {
    if responses < disclosure.min_base { Err(TooFew { responses, needed: disclosure.min_base }) } else { Ok(()) }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("vragenlijst '{0}' is nog niet gesloten; een rapport wordt gepubliceerd nadat de vragenlijst is gesloten")]
    NotClosed(String),
    #[error("{0}")]
    TooFew(TooFew),
    #[error(transparent)]
    Definition(#[from] ReportDefinitionErrors),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The survey's report definition's minimum; the default where the definition cannot be read,
/// so that a broken definition never lowers it.
pub fn disclosure_of(survey: &Survey) -> Disclosure {
    super::source::definition(survey).map(|d| d.disclosure).unwrap_or_default()
}

/// The report definition a survey is published with (`source::of`).
pub fn source_of(survey: &Survey) -> Result<String, PublishError> {
    Ok(super::source::of(survey).0)
}

/// Renders the report of a closed survey with the definition `source` and stores it as the
/// survey's next version.
pub async fn publish(
    db: &impl ConnectionTrait,
    survey: &Survey,
    source: &str,
    published_by: i32,
    now: DateTime<Utc>,
) -> Result<publication::Model, PublishError> {
    if survey.status() != Status::Closed {
        return Err(PublishError::NotClosed(survey.row.slug.clone()));
    }
    let definition = super::ReportDefinition::parse(source, &survey.questionnaire)?;
    minimum(stats::responses(db, survey.row.id).await?, &definition.disclosure).map_err(PublishError::TooFew)?;
    let generated = super::generate(db, survey, source, now.date_naive()).await?;
    // A new version each time. Two publishes at once (a double click, two researchers) read the
    // same latest version; the unique (survey, version) index lets one insert win, and the
    // other hands back the winner's version instead of failing.
    let latest = publication::Entity::find()
        .filter(publication::Column::SurveyId.eq(survey.row.id))
        .order_by_desc(publication::Column::Version)
        .one(db)
        .await?
        .map_or(0, |p| p.version);
    let inserted = publication::ActiveModel {
        survey_id: Set(survey.row.id),
        version: Set(latest + 1),
        title: Set(definition.title),
        summary: Set(generated.summary.join("\n")),
        pdf: Set(generated.pdf),
        html: Set(generated.html),
        published_at: Set(now),
        published_by: Set(published_by),
        ..Default::default()
    }
    .insert(db)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if crate::db::is_unique_violation(&e) => {
            let winner = publication::Entity::find()
                .filter(publication::Column::SurveyId.eq(survey.row.id))
                .filter(publication::Column::Version.eq(latest + 1))
                .one(db)
                .await?;
            return winner.ok_or(PublishError::Db(e));
        }
        Err(e) => return Err(e.into()),
    };
    let by = user::Entity::find_by_id(published_by).one(db).await?;
    let actor = by.as_ref().map_or(Actor::System, Actor::account);
    audit::record(db, &actor, Some(&survey.row), Action::Published, &format!("versie {}", row.version), now).await?;
    Ok(row)
}

/// Why the reading room does not show a published version, if it does not.
pub async fn withheld(db: &impl ConnectionTrait, survey_id: i32) -> Result<Option<TooFew>, DbErr> {
    let Some(row) = survey::Entity::find_by_id(survey_id).one(db).await? else { return Ok(None) };
    match crate::store::surveys::load(db, &row.slug).await {
        Ok(survey) => too_few(db, &survey).await,
        // A survey that no longer reads is held to the default minimum.
        Err(_) => Ok(minimum(stats::responses(db, survey_id).await?, &Disclosure::default()).err()),
    }
}

/// Why `survey`'s report may not be published (nor earlier versions shown), if so: what the
/// dashboard says before the button is pressed.
pub async fn too_few(db: &impl ConnectionTrait, survey: &Survey) -> Result<Option<TooFew>, DbErr> {
    Ok(minimum(stats::responses(db, survey.row.id).await?, &disclosure_of(survey)).err())
}

/// The published versions the reading room shows, newest first.
pub async fn shown(db: &impl ConnectionTrait) -> Result<Vec<publication::Model>, DbErr> {
    let rows = publication::Entity::find().order_by_desc(publication::Column::PublishedAt).all(db).await?;
    let mut verdict: HashMap<i32, bool> = HashMap::new();
    let mut out = Vec::new();
    for p in rows {
        let ok = match verdict.get(&p.survey_id) {
            Some(ok) => *ok,
            None => {
                let ok = withheld(db, p.survey_id).await?.is_none();
                verdict.insert(p.survey_id, ok);
                ok
            }
        };
        if ok {
            out.push(p);
        }
    }
    Ok(out)
}

/// The versions of one survey, oldest first, as its dashboard lists them (withheld ones too:
/// the dashboard says why they are not in the reading room).
pub async fn versions(db: &impl ConnectionTrait, survey_id: i32) -> Result<Vec<publication::Model>, DbErr> {
    publication::Entity::find()
        .filter(publication::Column::SurveyId.eq(survey_id))
        .order_by_asc(publication::Column::Version)
        .all(db)
        .await
}

/// A published version for the reading room: the version, or why it is withheld.
pub enum Reading {
    Shown(Box<publication::Model>),
    Withheld(TooFew),
    Missing,
}

pub async fn read(db: &impl ConnectionTrait, id: i32) -> Result<Reading, DbErr> {
    let Some(p) = publication::Entity::find_by_id(id).one(db).await? else { return Ok(Reading::Missing) };
    Ok(match withheld(db, p.survey_id).await? {
        Some(too_few) => Reading::Withheld(too_few),
        None => Reading::Shown(Box::new(p)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_is_min_base_and_the_message_gives_both_numbers() {
        let d = Disclosure::default();
        assert_eq!(minimum(10, &d), Ok(()));
        let e = minimum(1, &d).unwrap_err();
        assert_eq!(e, TooFew { responses: 1, needed: 10 });
        assert!(
            e.to_string().starts_with(
                "Er is 1 vragenlijst ingevuld; voor een rapport in de leeskamer zijn er minstens 10 nodig."
            ),
            "{e}"
        );
        assert!(minimum(9, &d).unwrap_err().to_string().starts_with("Er zijn 9 vragenlijsten ingevuld"));
        assert!(minimum(0, &d).unwrap_err().cover_note().contains("er zijn 0 vragenlijsten ingevuld (minder dan 10)"));
    }
}
