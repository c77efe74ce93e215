//! A respondent's link: who it belongs to, where they are, their saved answers, and the one
//! submission. Everything is read from the database on every request, so any number of
//! peiling processes can serve the same respondent.

use super::screens::{Screen, screens};
use crate::db::statement;
use crate::domain::Token;
use crate::questionnaire::{self, Answers, Questionnaire};
use crate::store::StoreError;
use crate::store::surveys::Status;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Value};
use serde::{Deserialize, Serialize};
use serde_json::Map;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A questionnaire as respondents answer it. Once a survey is open its definition is frozen,
/// so a parsed copy can be kept for the life of the process.
#[derive(Debug)]
pub struct Form {
    pub survey_id: i32,
    pub questionnaire: Questionnaire,
    pub screens: Vec<Screen>,
}

#[derive(Default)]
pub struct FormCache(Mutex<HashMap<i32, Arc<Form>>>);

impl FormCache {
    async fn get(&self, db: &impl ConnectionTrait, survey_id: i32) -> Result<Arc<Form>, StoreError> {
        if let Some(form) = self.0.lock().ok().and_then(|m| m.get(&survey_id).cloned()) {
            return Ok(form);
        }
        let row = db
            .query_one_raw(statement(
                db,
                "SELECT slug, COALESCE(frozen_definition, definition) FROM surveys WHERE id = $1",
                vec![survey_id.into()],
            ))
            .await?
            .ok_or_else(|| StoreError::SurveyNotFound(survey_id.to_string()))?;
        let slug: String = row.try_get_by_index(0)?;
        let source: String = row.try_get_by_index(1)?;
        let questionnaire = questionnaire::parse(&source).map_err(|e| StoreError::Corrupt(slug, e.to_string()))?;
        let form = Arc::new(Form { survey_id, screens: screens(&questionnaire), questionnaire });
        if let Ok(mut map) = self.0.lock() {
            map.insert(survey_id, form.clone());
        }
        Ok(form)
    }
}

/// Saved progress: the raw answers so far and the screen to come back to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default)]
    pub answers: Map<String, serde_json::Value>,
    /// The screen (0-based, in `Form::screens`) the respondent saved last.
    #[serde(default)]
    pub screen: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// May answer.
    Open,
    /// Has submitted; the link shows the thank-you page.
    Submitted,
    /// The survey was closed or its closing moment has passed.
    Closed,
}

pub struct Respondent {
    pub invitee_id: i32,
    pub group_id: i32,
    pub form: Arc<Form>,
    pub draft: Draft,
    pub standing: Standing,
    /// When the survey closes (or closed).
    pub closes_at: Option<DateTime<Utc>>,
    /// When a researcher closed it, if they did.
    pub closed_at: Option<DateTime<Utc>>,
}

impl Respondent {
    /// The saved answers, read leniently: answers that no longer fit are left out rather than
    /// locking the respondent out of their own form.
    pub fn answers(&self) -> Answers {
        let q = &self.form.questionnaire;
        match Answers::parse(q, &self.draft.answers, questionnaire::Mode::Draft) {
            Ok(answers) => answers,
            Err(errors) => {
                let mut raw = self.draft.answers.clone();
                for e in &errors.0 {
                    raw.remove(&e.question);
                }
                Answers::parse(q, &raw, questionnaire::Mode::Draft).unwrap_or_default()
            }
        }
    }
}

/// Finds the respondent a token belongs to; `None` for any token that is not one of ours.
pub async fn find(
    db: &DatabaseConnection,
    forms: &FormCache,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Respondent>, StoreError> {
    let Some(token) = Token::parse(token) else { return Ok(None) };
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT i.id, i.group_id, d.content, i.submitted, s.id, s.status, s.closes_at, s.closed_at \
             FROM invitation_tokens t JOIN invitees i ON i.id = t.invitee_id JOIN surveys s ON s.id = i.survey_id \
             LEFT JOIN drafts d ON d.invitee_id = i.id WHERE t.token_hash = $1",
            vec![token.hash().into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let invitee_id: i32 = row.try_get_by_index(0)?;
    let group_id: i32 = row.try_get_by_index(1)?;
    let draft: Option<String> = row.try_get_by_index(2)?;
    let submitted: bool = row.try_get_by_index(3)?;
    let survey_id: i32 = row.try_get_by_index(4)?;
    let status: String = row.try_get_by_index(5)?;
    let closes_at: Option<DateTime<Utc>> = row.try_get_by_index(6)?;
    let closed_at: Option<DateTime<Utc>> = row.try_get_by_index(7)?;
    let form = forms.get(db, survey_id).await?;
    let standing = standing(submitted, Status::stored(&status)?, closes_at, now);
    let draft = draft.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_default();
    Ok(Some(Respondent { invitee_id, group_id, form, draft, standing, closes_at, closed_at }))
}

/// Saves progress, and returns the standing found while saving: `Open` when the draft was
/// saved; `Submitted` (another tab) or `Closed` (the survey closed since the respondent was
/// read) when nothing changed. The invitee row is locked first, and on PostgreSQL the survey
/// shared (`store::survey_lock`; SQLite's write transaction locks everything): a save that runs
/// into a submit or a close waits for it and then finds it, instead of writing a draft beside a
/// submitted response or after the closing transaction deleted the drafts. No time is kept:
/// the moment of a save, next to the moment a response appears, would point at its author.
pub async fn save_draft(
    db: &DatabaseConnection,
    respondent: &Respondent,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<Standing, DbErr> {
    let invitee_id = respondent.invitee_id;
    let text = serde_json::to_string(draft).map_err(|e| DbErr::Custom(e.to_string()))?;
    let txn = crate::db::begin_write(db).await?;
    crate::store::survey_lock::share(&txn, &[respondent.form.survey_id]).await?;
    let lock = if txn.get_database_backend() == DbBackend::Postgres { " FOR UPDATE OF i" } else { "" };
    let sql = format!(
        "SELECT i.submitted, s.status, s.closes_at FROM invitees i JOIN surveys s ON s.id = i.survey_id \
         WHERE i.id = $1{lock}"
    );
    let Some(row) = txn.query_one_raw(statement(&txn, &sql, vec![invitee_id.into()])).await? else {
        return Ok(Standing::Closed);
    };
    let submitted: bool = row.try_get_by_index(0)?;
    let status: String = row.try_get_by_index(1)?;
    let closes_at: Option<DateTime<Utc>> = row.try_get_by_index(2)?;
    match standing(submitted, Status::stored(&status)?, closes_at, now) {
        Standing::Open => {}
        other => return Ok(other),
    }
    let values: Vec<Value> = vec![invitee_id.into(), text.into()];
    txn.execute_raw(statement(
        &txn,
        "INSERT INTO drafts (invitee_id, content) VALUES ($1, $2) \
         ON CONFLICT (invitee_id) DO UPDATE SET content = excluded.content",
        values,
    ))
    .await?;
    txn.commit().await?;
    Ok(Standing::Open)
}

/// Where a respondent stands: submitted, or else whether the survey still takes answers.
fn standing(submitted: bool, status: Status, closes_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Standing {
    match (submitted, crate::store::surveys::takes_answers(status, closes_at, now)) {
        (true, _) => Standing::Submitted,
        (false, true) => Standing::Open,
        (false, false) => Standing::Closed,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// This call stored the response.
    Stored,
    /// An earlier call did; nothing was stored now.
    Already,
    /// The survey closed (or its closing moment passed) before this call reached the
    /// database; nothing was stored.
    Closed,
}
