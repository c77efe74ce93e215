//! Changing the questionnaire of a survey that is still a draft: from the editor, an uploaded
//! file, the command line or the API, one rule for all. Only a draft changes: once opened,
//! respondents answer the frozen copy, and a change would make earlier answers mean something
//! else. The code stays the survey's code (links, exports and the report name it). A team that
//! already has invitees stays, since they would otherwise belong to no team. A report
//! definition of the survey's own must still fit the new questions; the researcher hears what
//! no longer fits instead of finding a broken report after the fieldwork.

pub mod about;
pub mod blank;
pub mod question_form;

use crate::audit::{self, Action, Actor};
use crate::questionnaire::{self, DefinitionErrors, Questionnaire};
use crate::report::ReportDefinition;
use crate::report::definition::ReportDefinitionErrors;
use crate::store::StoreError;
use crate::store::surveys::{self, Status, Survey};
use chrono::{DateTime, Utc};
use entity::{invitee, invitee_group, survey};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("vragenlijst '{0}' is al geopend; alleen een concept kan nog veranderen")]
    NotDraft(String),
    #[error(transparent)]
    Definition(#[from] DefinitionErrors),
    #[error(
        "de code van de vragenlijst blijft '{kept}' (de definitie noemt '{given}'); maak een nieuwe ronde voor een andere code"
    )]
    CodeChanged { kept: String, given: String },
    #[error(
        "team '{code}' heeft al {invitees} genodigde(n) en kan niet weg; verwijder eerst de genodigden of houd het team"
    )]
    TeamInUse { code: String, invitees: u64 },
    #[error("er is geen vraag '{0}' in deze vragenlijst")]
    NoQuestion(String),
    /// A form field the definition cannot hold, with why.
    #[error("{0}")]
    Unreadable(String),
    #[error("de eigen rapportdefinitie past niet meer bij de nieuwe vragen: {0}")]
    Report(ReportDefinitionErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for DraftError {
    fn from(e: sea_orm::DbErr) -> DraftError {
        DraftError::Store(StoreError::Db(e))
    }
}

/// Checks `source` as the new questionnaire of the draft `survey`, without storing it: the
/// questionnaire, or every reason it cannot replace the old one.
pub fn check(survey: &Survey, source: &str) -> Result<Questionnaire, DraftError> {
    if survey.status() != Status::Draft {
        return Err(DraftError::NotDraft(survey.row.slug.clone()));
    }
    let q = questionnaire::validate(source)?;
    if q.id != survey.row.slug {
        return Err(DraftError::CodeChanged { kept: survey.row.slug.clone(), given: q.id });
    }
    if let Some(own) = &survey.report {
        ReportDefinition::parse(own, &q).map_err(DraftError::Report)?;
    }
    Ok(q)
}

/// Replaces the draft's questionnaire with `source`, its teams with the definition's (kept
/// teams keep their invitees), in one transaction, recorded in the trail.
pub async fn replace(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    source: &str,
    now: DateTime<Utc>,
) -> Result<Survey, DraftError> {
    let q = check(survey, source)?;
    let txn = crate::db::begin_write(db).await?;
    // Read again inside the transaction: opened meanwhile in another tab, nothing changes.
    let row = survey::Entity::find_by_id(survey.row.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DraftError::Store(StoreError::SurveyNotFound(survey.row.slug.clone())))?;
    if Status::stored(&row.status).map_err(StoreError::from)? != Status::Draft {
        return Err(DraftError::NotDraft(row.slug));
    }
    let groups = invitee_group::Entity::find().filter(invitee_group::Column::SurveyId.eq(row.id)).all(&txn).await?;
    for old in &groups {
        if q.groups.iter().any(|g| g.code.eq_ignore_ascii_case(&old.code)) {
            continue;
        }
        let invitees = invitee::Entity::find().filter(invitee::Column::GroupId.eq(old.id)).count(&txn).await?;
        if invitees > 0 {
            return Err(DraftError::TeamInUse { code: old.code.clone(), invitees });
        }
        invitee_group::Entity::delete_by_id(old.id).exec(&txn).await?;
    }
    for (position, group) in q.groups.iter().enumerate() {
        let position = position as i32;
        match groups.iter().find(|old| old.code.eq_ignore_ascii_case(&group.code)) {
            Some(old) => {
                let mut kept: invitee_group::ActiveModel = old.clone().into();
                kept.name = Set(group.name.clone());
                kept.position = Set(position);
                kept.update(&txn).await?;
            }
            None => {
                invitee_group::ActiveModel {
                    survey_id: Set(row.id),
                    code: Set(group.code.clone()),
                    name: Set(group.name.clone()),
                    position: Set(position),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    let mut changed: survey::ActiveModel = row.clone().into();
    changed.title = Set(q.title.clone());
    changed.definition = Set(source.to_string());
    let row = changed.update(&txn).await?;
    let detail = format!("{} vragen, {} team(s)", q.questions.len(), q.groups.len());
    audit::record(&txn, actor, Some(&row), Action::QuestionnaireChanged, &detail, now).await?;
    txn.commit().await?;
    Ok(surveys::load(db, &row.slug).await?)
}

/// A change the editor's list of questions makes, one click each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Up(String),
    Down(String),
    Remove(String),
}

impl Edit {
    /// From the list's buttons: `omhoog`, `omlaag` or `verwijderen`, and the question.
    pub fn parse(action: &str, question: &str) -> Option<Edit> {
        let question = question.trim().to_string();
        match action {
            "omhoog" => Some(Edit::Up(question)),
            "omlaag" => Some(Edit::Down(question)),
            "verwijderen" => Some(Edit::Remove(question)),
            _ => None,
        }
    }
}

/// The definition after `edit`, written out (`questionnaire::to_toml`) for `replace` to check
/// and store like any other: a question moved above the one its condition looks at, or
/// removed while another's condition names it, is refused by the engine with its reason.
pub fn edited(q: &Questionnaire, edit: &Edit) -> Result<String, DraftError> {
    let mut q = q.clone();
    let id = match edit {
        Edit::Up(id) | Edit::Down(id) | Edit::Remove(id) => id,
    };
    let Some(at) = q.position(id) else {
        return Err(DraftError::NoQuestion(id.clone()));
    };
    match edit {
        Edit::Up(_) if at > 0 => q.questions.swap(at, at - 1),
        Edit::Down(_) if at + 1 < q.questions.len() => q.questions.swap(at, at + 1),
        Edit::Up(_) | Edit::Down(_) => {}
        Edit::Remove(_) => {
            q.questions.remove(at);
        }
    }
    Ok(questionnaire::to_toml(&q))
}
