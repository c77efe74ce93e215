//! Keeping personal data no longer than needed. A configurable number of days after a survey
//! closed (`PEILING_RETENTION_DAYS`), its invitees' addresses and names, their link tokens, the
//! addresses in the outbox and the original wording of every free text are deleted. What the
//! report and the exports need stays: the number invited per team, the responses, and every
//! text in its anonymised form: the researcher's reviewed version where there is one, else
//! the anonymiser's. Texts the report prints that nobody reviewed yet get a review first, so
//! none is lost unreviewed.
//!
//! Every survey is purged in one transaction that starts by setting `purged_at` where it is
//! still empty, so several peiling processes running the same loop purge each survey once.
//! After it commits, the database files are cleaned of what it deleted (`store::forget`).

use crate::anonymise::Anonymiser;
use crate::audit::{self, Action, Actor};
use crate::db::statement;
use crate::review;
use crate::store::StoreError;
use crate::store::forget;
use crate::store::surveys::{self, Status};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Value};

/// The default retention period after closing, in days.
pub const DEFAULT_DAYS: u32 = 90;

/// What one survey's purge removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub slug: String,
    pub invitees: u64,
    pub tokens: u64,
    pub messages: u64,
    /// Reviewed texts whose original gave way to the reviewed version.
    pub texts: u64,
    /// Other free texts (not printed, never reviewed) now stored anonymised.
    pub other_texts: u64,
}

/// The moment a closed survey's personal data is due for deletion.
pub fn due_at(closed_at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    closed_at.checked_add_signed(Duration::days(i64::from(days))).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// What a purge of every due survey did: the surveys purged, and those whose purge failed
/// (each with its reason); one survey that cannot be purged does not hold up the others.
#[derive(Debug, Default)]
pub struct DuePurges {
    pub purged: Vec<Purged>,
    pub failed: Vec<(String, StoreError)>,
}

/// Purges every closed survey whose retention period has passed; `actor` is peiling itself in
/// the background, or whoever ran `peiling purge`.
pub async fn purge_due(
    db: &DatabaseConnection,
    actor: &Actor,
    days: u32,
    now: DateTime<Utc>,
) -> Result<DuePurges, StoreError> {
    let cutoff = now.checked_sub_signed(Duration::days(i64::from(days))).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let rows = db
        .query_all_raw(statement(
            db,
            "SELECT slug FROM surveys WHERE status = $1 AND purged_at IS NULL AND closed_at <= $2 ORDER BY id",
            vec![Status::Closed.as_str().into(), cutoff.into()],
        ))
        .await?;
    let mut out = DuePurges::default();
    for row in rows {
        let slug: String = row.try_get_by_index(0)?;
        match purge_survey(db, actor, &slug, now).await {
            Ok(Some(done)) => out.purged.push(done),
            Ok(None) => {}
            Err(e) => out.failed.push((slug, e)),
        }
    }
    Ok(out)
}

/// Purges one closed survey now, whatever its closing date (a researcher's explicit request).
/// `None` when another process purged it first or it was purged before; the files are cleaned
/// then too, so asking again is how a cleaning that failed is tried again.
pub async fn purge_survey(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<Purged>, StoreError> {
    let survey = surveys::load(db, slug).await?;
    if survey.status() != Status::Closed {
        return Err(StoreError::NotClosed(slug.to_string()));
    }
    if survey.row.purged_at.is_some() {
        clean_files(db, slug).await?;
        return Ok(None);
    }
    let id = survey.row.id;
    // The slow part, anonymising, runs before the write transaction: on SQLite that holds the
    // one write lock, and submissions to other surveys wait for it. A closed survey's texts
    // and names no longer change, so the work is still right when the transaction starts;
    // reviews added here for printed texts are harmless if another process purges first.
    let anonymiser = review::anonymiser_for(db, id).await?;
    review::prepare(db, id, &printed_questions(&survey), &anonymiser, now).await?;
    let unreviewed = anonymise_unreviewed(db, id, &anonymiser).await?;
    let txn = crate::db::begin_write(db).await?;
    let claimed = txn
        .execute_raw(statement(
            &txn,
            "UPDATE surveys SET purged_at = $1 WHERE id = $2 AND purged_at IS NULL",
            vec![now.into(), id.into()],
        ))
        .await?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    // The exports read the answers: from now on they carry the reviewed wording.
    let texts = run(
        &txn,
        "UPDATE answers SET text = (SELECT r.anonymised FROM text_reviews r WHERE r.answer_id = answers.id) \
         WHERE id IN (SELECT answer_id FROM text_reviews WHERE survey_id = $1)",
        id,
    )
    .await?;
    let mut other_texts = 0;
    for (answer_id, text) in unreviewed {
        let values: Vec<Value> = vec![text.into(), answer_id.into()];
        other_texts += txn
            .execute_raw(statement(&txn, "UPDATE answers SET text = $1 WHERE id = $2", values))
            .await?
            .rows_affected();
    }
    let tokens = run(
        &txn,
        "DELETE FROM invitation_tokens WHERE invitee_id IN (SELECT id FROM invitees WHERE survey_id = $1)",
        id,
    )
    .await?;
    // The rows stay: the report's response rate per team counts them.
    let invitees = run(
        &txn,
        "UPDATE invitees SET email = 'verwijderd-' || CAST(id AS TEXT), name = NULL, last_reminded_at = NULL \
         WHERE survey_id = $1",
        id,
    )
    .await?;
    // Delivery counts stay for the dashboard; addresses and server replies (which may quote
    // an address) go.
    let messages = run(
        &txn,
        "UPDATE mail_outbox SET recipient = '', last_error = NULL, invitee_id = NULL WHERE survey_id = $1",
        id,
    )
    .await?;
    // Closing deleted them already; a survey closed before that rule still has its drafts.
    forget::delete_drafts(&txn, id).await?;
    let detail = format!("{invitees} adressen, {tokens} links, {} teksten", texts + other_texts);
    audit::record(&txn, actor, Some(&survey.row), Action::Purged, &detail, now).await?;
    txn.commit().await?;
    clean_files(db, slug).await?;
    Ok(Some(Purged { slug: slug.to_string(), invitees, tokens, messages, texts, other_texts }))
}

/// What was deleted must not stay readable in the files (see `store::forget`).
async fn clean_files(db: &DatabaseConnection, slug: &str) -> Result<(), StoreError> {
    forget::clean_files(db, forget::After::Purge)
        .await
        .map_err(|e| StoreError::FilesNotCleaned { survey: slug.to_string(), reason: e.to_string() })
}

/// The anonymised form of every free text without a review (open answers the report does not
/// print, "anders, namelijk" texts) that the anonymiser changes, by answer id.
async fn anonymise_unreviewed(
    db: &impl ConnectionTrait,
    survey_id: i32,
    anonymiser: &Anonymiser,
) -> Result<Vec<(i64, String)>, DbErr> {
    let rows = db
        .query_all_raw(statement(
            db,
            "SELECT a.id, a.text FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE r.survey_id = $1 AND a.text IS NOT NULL AND a.text <> '' \
             AND a.id NOT IN (SELECT answer_id FROM text_reviews WHERE survey_id = $1) ORDER BY a.id",
            vec![survey_id.into()],
        ))
        .await?;
    let mut changed = Vec::new();
    for row in rows {
        let (answer_id, text): (i64, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        let anonymised = anonymiser.redact(&text).text;
        if anonymised != text {
            changed.push((answer_id, anonymised));
        }
    }
    Ok(changed)
}

async fn run(db: &impl ConnectionTrait, sql: &str, survey_id: i32) -> Result<u64, DbErr> {
    let values: Vec<Value> = vec![survey_id.into()];
    Ok(db.execute_raw(statement(db, sql, values)).await?.rows_affected())
}

/// The questions whose texts the survey's report prints; when its report definition cannot be
/// read, every open question, so no original outlives the period for want of a definition.
fn printed_questions(survey: &surveys::Survey) -> Vec<String> {
    match crate::report::source::definition(survey) {
        Ok(definition) => definition.printed_questions(),
        Err(_) => survey.questionnaire.questions.iter().filter(|q| q.is_open_text()).map(|q| q.id.clone()).collect(),
    }
}

/// Removes sign-in sessions that have expired. Returns how many.
pub async fn purge_sessions(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let values: Vec<Value> = vec![now.into()];
    Ok(db.execute_raw(statement(db, "DELETE FROM sessions WHERE expires_at < $1", values)).await?.rows_affected())
}
