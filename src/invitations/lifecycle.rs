//! A survey's life: draft, then open (questionnaire frozen, invitations queued in the same
//! transaction), then closed (links answer that the survey is closed; drafts are deleted and
//! the responses lose their order in the closing transaction).

use super::super::mail::outbox;
use crate::audit::{self, Action, Actor};
use crate::db::statement;
use crate::store::forget;
use crate::store::surveys::{Status, Survey};
use chrono::{DateTime, Utc};
use entity::{invitee, survey};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    Set,
};

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("vragenlijst '{0}' is {1}; alleen een concept kan worden geopend")]
    NotDraft(String, &'static str),
    #[error("vragenlijst '{0}' is niet open")]
    NotOpen(String),
    #[error("vragenlijst '{0}' heeft nog geen genodigden; importeer eerst een lijst")]
    NoInvitees(String),
    #[error("de sluitingsdatum {0} ligt niet in de toekomst")]
    ClosesInPast(String),
    #[error("de herinnering op {0} ligt niet in de toekomst")]
    ReminderInPast(String),
    #[error("de herinnering op {0} valt niet voor de sluitingsdatum")]
    ReminderAfterClose(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The end of a closing day: answers are accepted all of that day.
pub fn end_of(day: chrono::NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

/// A scheduled reminder goes out at the start of a working morning (08:00 UTC).
pub fn morning_of(day: chrono::NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc()
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Draft => "een concept",
        Status::Open => "al open",
        Status::Closed => "gesloten",
    }
}

/// Opens a draft survey: freezes the questionnaire respondents will answer, sets the closing
/// moment and queues one invitation per invitee, all in one transaction.
pub async fn open(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, LifecycleError> {
    if survey.status() != Status::Draft {
        return Err(LifecycleError::NotDraft(survey.row.slug.clone(), status_word(survey.status())));
    }
    if closes_at <= now {
        return Err(LifecycleError::ClosesInPast(crate::dutch::date(closes_at.date_naive())));
    }
    let txn = crate::db::begin_write(db).await?;
    let invited = invitee::Entity::find().filter(invitee::Column::SurveyId.eq(survey.row.id)).count(&txn).await?;
    if invited == 0 {
        return Err(LifecycleError::NoInvitees(survey.row.slug.clone()));
    }
    // Only a draft is opened, even when two researchers press the button at once.
    let mut row: survey::ActiveModel = survey.row.clone().into_active_model();
    row.status = Set(Status::Open.as_str().into());
    row.frozen_definition = Set(Some(survey.row.definition.clone()));
    row.opened_at = Set(Some(now));
    row.closes_at = Set(Some(closes_at));
    let updated = survey::Entity::update_many()
        .set(row)
        .filter(survey::Column::Id.eq(survey.row.id))
        .filter(survey::Column::Status.eq(Status::Draft.as_str()))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(LifecycleError::NotDraft(survey.row.slug.clone(), "al open"));
    }
    let queued = outbox::enqueue_invitations(&txn, survey.row.id, now).await?;
    let detail = format!("sluit {}; {queued} uitnodigingen klaargezet", closes_at.date_naive());
    audit::record(&txn, actor, Some(&survey.row), Action::Opened, &detail, now).await?;
    txn.commit().await?;
    Ok(queued)
}

/// Opens a draft and, when `remind_on` is given, schedules its reminder for that morning. The
/// reminder day is checked before anything changes, so a bad day leaves the survey a draft.
pub async fn open_with_reminder(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    closes_at: DateTime<Utc>,
    remind_on: Option<chrono::NaiveDate>,
    now: DateTime<Utc>,
) -> Result<u64, LifecycleError> {
    let at = remind_on.map(morning_of);
    check_reminder(at, Some(closes_at), now)?;
    let queued = open(db, actor, survey, closes_at, now).await?;
    if at.is_some() {
        set_reminder(db, actor, survey, at, now).await?;
    }
    Ok(queued)
}

/// A reminder must fall after now and before the closing moment.
fn check_reminder(
    at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    let Some(at) = at else { return Ok(()) };
    if at <= now {
        return Err(LifecycleError::ReminderInPast(crate::dutch::date(at.date_naive())));
    }
    if closes_at.is_some_and(|c| at >= c) {
        return Err(LifecycleError::ReminderAfterClose(crate::dutch::date(at.date_naive())));
    }
    Ok(())
}

/// Sets (or with `None` cancels) the scheduled reminder, and says so in the trail.
async fn set_reminder(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(db).await?;
    survey::Entity::update_many()
        .col_expr(survey::Column::RemindAt, sea_orm::sea_query::Expr::value(at))
        .filter(survey::Column::Id.eq(survey.row.id))
        .exec(&txn)
        .await?;
    let detail = at.map_or_else(|| "geannuleerd".to_string(), |at| at.date_naive().to_string());
    audit::record(&txn, actor, Some(&survey.row), Action::ReminderScheduled, &detail, now).await?;
    txn.commit().await
}

/// Queues a reminder for every invitee who has not submitted yet.
pub async fn remind(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    now: DateTime<Utc>,
) -> Result<u64, LifecycleError> {
    if survey.status() != Status::Open {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    let txn = crate::db::begin_write(db).await?;
    let queued = queue_reminders(&txn, survey.row.id, now).await?;
    audit::record(&txn, actor, Some(&survey.row), Action::Reminded, &reminders(queued), now).await?;
    txn.commit().await?;
    Ok(queued)
}

fn reminders(queued: u64) -> String {
    if queued == 1 { "1 herinnering".into() } else { format!("{queued} herinneringen") }
}

async fn queue_reminders(txn: &impl ConnectionTrait, survey_id: i32, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let queued = outbox::enqueue_reminders(txn, survey_id, now).await?;
    invitee::Entity::update_many()
        .col_expr(invitee::Column::LastRemindedAt, sea_orm::sea_query::Expr::value(now))
        .filter(invitee::Column::SurveyId.eq(survey_id))
        .filter(invitee::Column::Submitted.eq(false))
        .exec(txn)
        .await?;
    Ok(queued)
}

/// Sets the moment a reminder goes out by itself (`None` cancels it). It must fall while
/// the survey is open.
pub async fn schedule_reminder(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    if survey.status() == Status::Closed {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    check_reminder(at, survey.row.closes_at, now)?;
    set_reminder(db, actor, survey, at, now).await?;
    Ok(())
}

/// Queues the scheduled reminders whose moment has come. Taking the schedule and queueing
/// the messages commit together, so with several processes each reminder goes out once, and
/// a crash in between leaves it scheduled.
pub async fn send_due_reminders(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let due = txn
        .query_all_raw(statement(
            &txn,
            "UPDATE surveys SET remind_at = NULL WHERE status = $1 AND remind_at <= $2 RETURNING id",
            vec![Status::Open.as_str().into(), now.into()],
        ))
        .await?;
    let mut queued = 0;
    for row in due {
        let id: i32 = row.try_get_by_index(0)?;
        let count = queue_reminders(&txn, id, now).await?;
        let survey = survey::Entity::find_by_id(id).one(&txn).await?;
        let detail = format!("{} (gepland)", reminders(count));
        audit::record(&txn, &Actor::System, survey.as_ref(), Action::Reminded, &detail, now).await?;
        queued += count;
    }
    txn.commit().await?;
    Ok(queued)
}

/// Closes every open survey whose closing moment has passed; returns how many.
pub async fn close_expired(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let closed = txn
        .query_all_raw(statement(
            &txn,
            "UPDATE surveys SET status = $1, closed_at = closes_at WHERE status = $2 AND closes_at <= $3 RETURNING id",
            vec![Status::Closed.as_str().into(), Status::Open.as_str().into(), now.into()],
        ))
        .await?;
    for row in &closed {
        let id: i32 = row.try_get_by_index(0)?;
        forget_order_and_drafts(&txn, id).await?;
        let survey = survey::Entity::find_by_id(id).one(&txn).await?;
        audit::record(&txn, &Actor::System, survey.as_ref(), Action::Closed, "sluitingsmoment verstreken", now).await?;
    }
    txn.commit().await?;
    if !closed.is_empty() {
        clean_files_after_close(db).await;
    }
    Ok(closed.len() as u64)
}

/// Closes an open survey. In the same transaction its drafts are deleted and its responses
/// written again in random order (see `store::forget`).
pub async fn close(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    now: DateTime<Utc>,
) -> Result<(), LifecycleError> {
    if survey.status() != Status::Open {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    let txn = crate::db::begin_write(db).await?;
    let closed = txn
        .execute_raw(statement(
            &txn,
            "UPDATE surveys SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4",
            vec![Status::Closed.as_str().into(), now.into(), survey.row.id.into(), Status::Open.as_str().into()],
        ))
        .await?;
    // Closed meanwhile by another researcher or the closing moment: that close did the rest.
    if closed.rows_affected() != 1 {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    forget_order_and_drafts(&txn, survey.row.id).await?;
    audit::record(&txn, actor, Some(&survey.row), Action::Closed, "", now).await?;
    txn.commit().await?;
    clean_files_after_close(db).await;
    Ok(())
}

async fn forget_order_and_drafts(txn: &impl ConnectionTrait, survey_id: i32) -> Result<(), DbErr> {
    // Saves and submissions under way finish first; later ones find the survey closed.
    crate::store::survey_lock::exclusive(txn, survey_id).await?;
    forget::delete_drafts(txn, survey_id).await?;
    forget::forget_marks(txn, survey_id).await?;
    forget::shuffle_responses(txn, survey_id).await
}

/// The survey is closed whatever happens here; a file that could not be cleaned is logged,
/// and cleaned at the next close or purge.
async fn clean_files_after_close(db: &DatabaseConnection) {
    if let Err(e) = forget::clean_files(db, forget::After::Close).await {
        tracing::warn!(error = %e, "cleaning the database files after closing a survey failed");
    }
}

/// Whether respondents may still answer: open and before the closing moment.
pub fn accepts_answers(survey: &Survey, now: DateTime<Utc>) -> bool {
    crate::store::surveys::takes_answers(survey.status(), survey.row.closes_at, now)
}
