//! A survey's life: draft, then open (questionnaire frozen, invitations queued in the same
//! transaction), then closed (links answer that the survey is closed).

use super::super::mail::outbox;
use crate::report::wording;
use crate::store::surveys::{Status, Survey};
use chrono::{DateTime, Utc};
use entity::{invitee, survey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
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
    #[error(transparent)]
    Db(#[from] DbErr),
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
    survey: &Survey,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, LifecycleError> {
    if survey.status() != Status::Draft {
        return Err(LifecycleError::NotDraft(survey.row.slug.clone(), status_word(survey.status())));
    }
    if closes_at <= now {
        return Err(LifecycleError::ClosesInPast(wording::date(closes_at.date_naive())));
    }
    let txn = db.begin().await?;
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
    txn.commit().await?;
    Ok(queued)
}

/// Queues a reminder for every invitee who has not submitted yet.
pub async fn remind(db: &DatabaseConnection, survey: &Survey, now: DateTime<Utc>) -> Result<u64, LifecycleError> {
    if survey.status() != Status::Open {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    let txn = db.begin().await?;
    let queued = outbox::enqueue_reminders(&txn, survey.row.id, now).await?;
    invitee::Entity::update_many()
        .col_expr(invitee::Column::LastRemindedAt, sea_orm::sea_query::Expr::value(now))
        .filter(invitee::Column::SurveyId.eq(survey.row.id))
        .filter(invitee::Column::SubmittedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(queued)
}

pub async fn close(db: &DatabaseConnection, survey: &Survey, now: DateTime<Utc>) -> Result<(), LifecycleError> {
    if survey.status() != Status::Open {
        return Err(LifecycleError::NotOpen(survey.row.slug.clone()));
    }
    let mut row = survey.row.clone().into_active_model();
    row.status = Set(Status::Closed.as_str().into());
    row.closed_at = Set(Some(now));
    row.update(db).await?;
    Ok(())
}

/// Whether respondents may still answer: open and before the closing moment.
pub fn accepts_answers(survey: &Survey, now: DateTime<Utc>) -> bool {
    survey.status() == Status::Open && survey.row.closes_at.is_none_or(|c| now < c)
}
