//! The mail outbox: rows written in the same transaction as the change that needs them
//! (opening a survey, a reminder round), and the statements the worker (`delivery`, re-exported
//! here) claims, renews, marks and hands back rows with.
//!
//! Claiming: PostgreSQL picks due rows with `FOR UPDATE SKIP LOCKED`, so several peiling
//! processes never claim the same row; SQLite runs one `UPDATE ... RETURNING`, which its single
//! writer makes atomic. A claim is a lease (`claimed_until`): a worker that dies mid-batch leaves
//! its rows to be claimed again when the lease runs out, so nothing is lost. A worker whose
//! batch stopped at a database error hands its rows back (`release`) when it can.
//!
//! Sending twice: the worker stores the tokens of a whole batch before it sends any message of
//! it, marks each row sent right after its own SMTP transaction, and once half the lease has
//! passed renews its claim right before it, so a worker slower than its lease never sends a
//! message another worker has taken over (unless one SMTP exchange takes longer than half the
//! lease). A worker killed (or cut off from the database) between the server accepting a
//! message and that mark sends that message again after the lease. A worker has at most
//! `SEND_CONCURRENCY` messages in flight, so a killed worker causes at most that many
//! duplicates (16), and a clean stop none. The token for the link is minted when the batch is
//! sent and only its hash is stored, so no secret ever sits in the outbox.

use super::compose::Kind;
use super::transport::SendError;
use crate::db::statement;
use chrono::{DateTime, Duration, Utc};
use entity::mail_outbox;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect, Value,
};
use std::collections::BTreeMap;

// The worker lives in its own file; callers know the outbox as one thing.
pub use super::delivery::{Delivery, Round, deliver_batch, drain, letter};
pub use super::stopped::Stopped;

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const RETRYING: &str = "retrying";
pub const FAILED: &str = "failed";
/// Every status a message can have, in the order a message goes through them.
pub const STATUSES: [&str; 5] = [QUEUED, SENDING, RETRYING, SENT, FAILED];

/// Messages one worker has in flight at once, over that many pooled SMTP connections. Each
/// SMTP exchange waits on the network; overlapping them is what makes hundreds per second.
pub const SEND_CONCURRENCY: usize = 16;

/// After this many temporary failures a message is given up as failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a claim holds before another worker may take the row over, unless configured
/// (`PEILING_MAIL_LEASE_SECONDS`).
pub const LEASE: Duration = Duration::seconds(120);

/// The first wait before a temporary failure is tried again, unless configured
/// (`PEILING_MAIL_RETRY_SECONDS`).
pub const RETRY: Duration = Duration::seconds(30);

/// Wait before attempt `n + 1`: `first`, then doubling (30 s, 1, 2, 4 ... minutes by
/// default), at most 2 hours.
pub fn backoff(first: Duration, attempts: i32) -> Duration {
    let seconds = first.num_seconds().max(1).saturating_mul(1i64 << attempts.clamp(0, 12) as u32);
    Duration::seconds(seconds.min(2 * 3600))
}

/// Queues one message of `kind` for every invitee of the survey that `filter` selects, in one
/// statement. Returns how many were queued.
async fn enqueue(
    db: &impl ConnectionTrait,
    survey_id: i32,
    kind: Kind,
    only_unanswered: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let filter = if only_unanswered { " AND NOT submitted" } else { "" };
    let insert = statement(
        db,
        &format!(
            "INSERT INTO mail_outbox (survey_id, invitee_id, kind, recipient, status, attempts, next_attempt_at, created_at) \
             SELECT survey_id, id, $1, email, $2, 0, $3, $3 FROM invitees WHERE survey_id = $4{filter}"
        ),
        vec![kind.as_str().into(), QUEUED.into(), now.into(), survey_id.into()],
    );
    let result = db.execute_raw(insert).await?;
    Ok(result.rows_affected())
}

pub async fn enqueue_invitations(db: &impl ConnectionTrait, survey_id: i32, now: DateTime<Utc>) -> Result<u64, DbErr> {
    enqueue(db, survey_id, Kind::Invitation, false, now).await
}

/// Reminders go only to invitees who have not submitted.
pub async fn enqueue_reminders(db: &impl ConnectionTrait, survey_id: i32, now: DateTime<Utc>) -> Result<u64, DbErr> {
    enqueue(db, survey_id, Kind::Reminder, true, now).await
}

/// Claims up to `batch` due messages for `worker`, for `lease`. Messages `worker` still holds
/// from a batch that failed (the database went away mid-batch) are taken again at once rather
/// than after their lease: a worker claims only between batches, so nothing of its own is in
/// flight.
pub async fn claim(
    db: &DatabaseConnection,
    worker: &str,
    batch: u64,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<mail_outbox::Model>, DbErr> {
    let lock = if db.get_database_backend() == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE mail_outbox SET status = $1, claimed_by = $2, claimed_until = $3 \
             WHERE id IN (SELECT id FROM mail_outbox \
                          WHERE (status IN ($4, $5) AND next_attempt_at <= $6) \
                             OR (status = $1 AND (claimed_until < $6 OR claimed_by = $2)) \
                          ORDER BY id LIMIT $7{lock}) \
             RETURNING id"
    );
    let values: Vec<Value> = vec![
        SENDING.into(),
        worker.into(),
        (now + lease).into(),
        QUEUED.into(),
        RETRYING.into(),
        now.into(),
        (batch as i64).into(),
    ];
    let rows = db.query_all_raw(statement(db, &sql, values)).await?;
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.try_get_by_index::<i32>(0).ok()).collect();
    let mut claimed = mail_outbox::Entity::find().filter(mail_outbox::Column::Id.is_in(ids)).all(db).await?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Extends `worker`'s claim on a message right before it is sent, so that the lease covers
/// that SMTP exchange however long the batch took so far. False when the lease ran out and
/// another worker took the message over: it is theirs to send then. Only batches slower than
/// half their lease need it, so the usual mailing costs no extra statement.
pub(super) async fn renew(db: &DatabaseConnection, id: i32, worker: &str, lease: Duration) -> Result<bool, DbErr> {
    let values: Vec<Value> = vec![(Utc::now() + lease).into(), id.into(), worker.into(), SENDING.into()];
    let sql = "UPDATE mail_outbox SET claimed_until = $1 WHERE id = $2 AND claimed_by = $3 AND status = $4";
    Ok(db.execute_raw(statement(db, sql, values)).await?.rows_affected() == 1)
}

/// Marks a claimed message, but only while `worker` still holds it: a worker whose lease ran
/// out and was taken over must not overwrite the new owner's outcome.
pub(super) async fn mark(
    db: &DatabaseConnection,
    id: i32,
    worker: &str,
    outcome: &Result<(), SendError>,
    attempts: i32,
    retry: Duration,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (status, next, error, sent, attempts) = match outcome {
        Ok(()) => (SENT, now, None, Some(now), attempts + 1),
        Err(SendError::Permanent(e)) => (FAILED, now, Some(e.clone()), None, attempts + 1),
        Err(SendError::Temporary(e)) if attempts + 1 >= MAX_ATTEMPTS => {
            (FAILED, now, Some(e.clone()), None, attempts + 1)
        }
        Err(SendError::Temporary(e)) => (RETRYING, now + backoff(retry, attempts), Some(e.clone()), None, attempts + 1),
    };
    let values: Vec<Value> =
        vec![status.into(), next.into(), error.into(), sent.into(), attempts.into(), id.into(), worker.into()];
    db.execute_raw(statement(
        db,
        "UPDATE mail_outbox SET status = $1, next_attempt_at = $2, last_error = $3, sent_at = $4, attempts = $5, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $6 AND claimed_by = $7",
        values,
    ))
    .await?;
    Ok(())
}

/// Hands back every row `worker` still holds, after its batch stopped at a database error: they
/// are due again at once, for any worker, as they were before the claim.
pub(super) async fn release(db: &DatabaseConnection, worker: &str) -> Result<u64, DbErr> {
    let values: Vec<Value> = vec![RETRYING.into(), QUEUED.into(), worker.into(), SENDING.into()];
    let sql = "UPDATE mail_outbox SET status = CASE WHEN attempts > 0 THEN $1 ELSE $2 END, claimed_by = NULL, \
               claimed_until = NULL WHERE claimed_by = $3 AND status = $4";
    Ok(db.execute_raw(statement(db, sql, values)).await?.rows_affected())
}

/// Messages per status for a survey: queued, sending, sent, retrying, failed. A status that is
/// none of them is an error.
pub async fn status_counts(db: &impl ConnectionTrait, survey_id: i32) -> Result<BTreeMap<String, u64>, DbErr> {
    counts(db, Some(survey_id)).await
}

/// The whole outbox by status, all surveys together (the metrics' queue depth).
pub async fn status_counts_all(db: &impl ConnectionTrait) -> Result<BTreeMap<String, u64>, DbErr> {
    counts(db, None).await
}

async fn counts(db: &impl ConnectionTrait, survey_id: Option<i32>) -> Result<BTreeMap<String, u64>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut query = mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::Status)
        .column_as(Expr::col(mail_outbox::Column::Id).count(), "n")
        .group_by(mail_outbox::Column::Status);
    if let Some(id) = survey_id {
        query = query.filter(mail_outbox::Column::SurveyId.eq(id));
    }
    let rows: Vec<(String, i64)> = query.into_tuple().all(db).await?;
    let mut out: BTreeMap<String, u64> = STATUSES.iter().map(|s| (s.to_string(), 0)).collect();
    for (status, n) in rows {
        // A message in a status no worker claims and no page shows would sit unseen forever.
        let count = out
            .get_mut(&status)
            .ok_or_else(|| crate::domain::stored::UnknownValue::new("mail_outbox", "status", &status))?;
        *count = n as u64;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{RETRY, backoff};
    use chrono::Duration;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(RETRY, 0), Duration::seconds(30));
        assert_eq!(backoff(RETRY, 1), Duration::seconds(60));
        assert_eq!(backoff(RETRY, 3), Duration::seconds(240));
        assert_eq!(backoff(RETRY, 20), Duration::hours(2));
        assert_eq!(backoff(RETRY, -1), Duration::seconds(30));
        assert_eq!(backoff(Duration::seconds(2), 2), Duration::seconds(8));
        assert_eq!(backoff(Duration::zero(), 0), Duration::seconds(1), "never a busy loop");
    }
}
