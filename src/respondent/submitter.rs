//! Storing submissions with group commit. Handlers hand their submission to a writer task and
//! wait; the writer takes whatever has queued up (up to `MAX_BATCH`) and stores it in one
//! transaction: one statement marks all those invitees done (only those not done yet), then
//! the responses and all their answers follow. A submission is acknowledged only after its
//! transaction committed, so nothing acknowledged can be lost, and the `NOT submitted`
//! guard in the same transaction still lets exactly one submission per link through, also
//! across processes. One commit for many submissions is what makes SQLite keep up.
//!
//! A batch that fails (database away, disk full) answers every submission in it with that
//! error, so each gets a 503 and nothing is claimed stored that was not; the writer goes on
//! with the next batch, even after a panic, so submissions work again once the database does.

use super::session::{Form, Respondent, Submitted};
use crate::db::statement;
use crate::questionnaire::Answers;
use crate::store::StoreError;
use crate::store::responses::{answer_rows, insert_answers};
use chrono::{DateTime, Utc};
use entity::answer;
use futures_util::FutureExt;
use sea_orm::{ActiveValue, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Value};
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

pub const MAX_BATCH: usize = 64;

struct Job {
    invitee_id: i32,
    group_id: i32,
    form: Arc<Form>,
    answers: Answers,
    now: DateTime<Utc>,
    reply: oneshot::Sender<Result<Submitted, DbErr>>,
}

#[derive(Clone)]
pub struct Submitter {
    sender: mpsc::Sender<Job>,
}

impl Submitter {
    /// Starts the writer tasks on the current Tokio runtime: one for SQLite, which has a
    /// single writer anyway, several for PostgreSQL so that one batch's commit overlaps the
    /// next batch's statements.
    pub fn start(db: DatabaseConnection) -> Submitter {
        let writers = if db.get_database_backend() == DbBackend::Postgres { 4 } else { 1 };
        let (sender, receiver) = mpsc::channel::<Job>(MAX_BATCH * 16);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..writers {
            let (db, receiver) = (db.clone(), receiver.clone());
            tokio::spawn(async move {
                while let Some(batch) = next_batch(&receiver).await {
                    let outcome = match AssertUnwindSafe(write(&db, &batch)).catch_unwind().await {
                        Ok(Ok(results)) => Ok(results),
                        Ok(Err(e)) => Err(match e {
                            StoreError::Db(e) => e,
                            other => DbErr::Custom(other.to_string()),
                        }),
                        // A bug; the transaction was dropped with the panic, so nothing of the
                        // batch is stored.
                        Err(_) => Err(DbErr::Custom("the submission writer panicked".into())),
                    };
                    if let Err(e) = &outcome {
                        tracing::error!(error = %e, submissions = batch.len(), "storing submissions failed");
                    }
                    for (i, job) in batch.into_iter().enumerate() {
                        let reply = match &outcome {
                            Ok(results) => results
                                .get(i)
                                .copied()
                                .ok_or_else(|| DbErr::Custom("a submission without outcome".into())),
                            Err(e) => Err(e.clone()),
                        };
                        // The handler may have gone (client hung up); the outcome stands anyway.
                        let _ = job.reply.send(reply);
                    }
                }
            });
        }
        Submitter { sender }
    }

    /// Stores a response exactly once per link; waits for the commit.
    pub async fn submit(
        &self,
        respondent: &Respondent,
        answers: Answers,
        now: DateTime<Utc>,
    ) -> Result<Submitted, StoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            invitee_id: respondent.invitee_id,
            group_id: respondent.group_id,
            form: respondent.form.clone(),
            answers,
            now,
            reply,
        };
        let gone = || StoreError::Db(DbErr::Custom("the submission writer has stopped".into()));
        self.sender.send(job).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?.map_err(StoreError::Db)
    }
}

/// Waits for one job, then takes what else is already waiting.
async fn next_batch(receiver: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    let mut receiver = receiver.lock().await;
    let first = receiver.recv().await?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match receiver.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn json(value: serde_json::Value) -> Value {
    Value::Json(Some(Box::new(value)))
}

/// All answer rows of a batch in one fixed statement (PostgreSQL).
async fn insert_answers_json(txn: &impl ConnectionTrait, rows: Vec<answer::ActiveModel>) -> Result<(), StoreError> {
    fn get<T: Into<Value> + Clone>(v: &ActiveValue<T>) -> Option<T> {
        match v {
            ActiveValue::Set(x) | ActiveValue::Unchanged(x) => Some(x.clone()),
            ActiveValue::NotSet => None,
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    let records: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "r": get(&r.response_id), "q": get(&r.question), "o": get(&r.option).flatten(),
                "n": get(&r.number).flatten(), "t": get(&r.text).flatten(),
            })
        })
        .collect();
    txn.execute_raw(statement(
        txn,
        "INSERT INTO answers (response_id, question, option, number, text) SELECT r, q, o, n, t \
         FROM json_to_recordset($1::json) AS x(r int, q text, o text, n bigint, t text)",
        vec![json(serde_json::Value::Array(records))],
    ))
    .await?;
    Ok(())
}

/// Inserts one response row per job in one statement and returns the ids in job order.
/// RETURNING promises no order, so ids are matched on (survey, group); rows that agree on
/// both are identical, and any assignment among them stores the same data.
async fn insert_responses(
    txn: &impl ConnectionTrait,
    jobs: &[&Job],
    now: DateTime<Utc>,
) -> Result<Vec<i32>, StoreError> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let (sql, values): (String, Vec<Value>) = if txn.get_database_backend() == DbBackend::Postgres {
        let rows: Vec<serde_json::Value> =
            jobs.iter().map(|j| serde_json::json!({ "s": j.form.survey_id, "g": j.group_id })).collect();
        (
            "INSERT INTO responses (survey_id, group_id, submitted_at) SELECT s, g, $1 \
             FROM json_to_recordset($2::json) AS x(s int, g int) RETURNING id, survey_id, group_id"
                .into(),
            vec![now.into(), json(serde_json::Value::Array(rows))],
        )
    } else {
        let mut values: Vec<Value> = vec![now.into()];
        let mut tuples = Vec::with_capacity(jobs.len());
        for job in jobs {
            let n = values.len();
            tuples.push(format!("(${}, ${}, $1)", n + 1, n + 2));
            values.push(job.form.survey_id.into());
            values.push(job.group_id.into());
        }
        (
            format!(
                "INSERT INTO responses (survey_id, group_id, submitted_at) VALUES {} \
                 RETURNING id, survey_id, group_id",
                tuples.join(", ")
            ),
            values,
        )
    };
    let returned = txn.query_all_raw(statement(txn, &sql, values)).await?;
    let mut free: HashMap<(i32, i32), Vec<i32>> = HashMap::new();
    for row in returned {
        let key = (row.try_get_by_index::<i32>(1)?, row.try_get_by_index::<i32>(2)?);
        free.entry(key).or_default().push(row.try_get_by_index::<i32>(0)?);
    }
    jobs.iter()
        .map(|job| {
            free.get_mut(&(job.form.survey_id, job.group_id))
                .and_then(Vec::pop)
                .ok_or_else(|| StoreError::Db(DbErr::Custom("fewer response rows than submissions".into())))
        })
        .collect()
}

async fn write(db: &DatabaseConnection, batch: &[Job]) -> Result<Vec<Submitted>, StoreError> {
    let txn = crate::db::begin_write(db).await?;
    let postgres = txn.get_database_backend() == DbBackend::Postgres;
    let ids: Vec<i32> = batch.iter().map(|j| j.invitee_id).collect::<HashSet<_>>().into_iter().collect();
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 1)).collect();
    // One moment for the whole batch: its responses differ only in survey and group then,
    // which is what lets `insert_responses` hand out ids by those two alone.
    let now = batch.iter().map(|j| j.now).max().unwrap_or_else(Utc::now);
    // PostgreSQL gets the batch as one JSON parameter, so each statement has one text and
    // is prepared once per connection instead of once per batch size.
    let (sql, values): (String, Vec<Value>) = if postgres {
        (
            "UPDATE invitees SET submitted = TRUE, draft = NULL, draft_saved_at = NULL WHERE NOT submitted \
             AND id IN (SELECT value::int FROM json_array_elements_text($1::json)) RETURNING id"
                .into(),
            vec![json(serde_json::json!(ids))],
        )
    } else {
        let values: Vec<Value> = ids.iter().map(|&id| Value::from(id)).collect();
        (
            format!(
                "UPDATE invitees SET submitted = TRUE, draft = NULL, draft_saved_at = NULL \
                 WHERE NOT submitted AND id IN ({}) RETURNING id",
                placeholders.join(", ")
            ),
            values,
        )
    };
    let flipped = txn.query_all_raw(statement(&txn, &sql, values)).await?;
    let mut open: HashSet<i32> = flipped.iter().filter_map(|row| row.try_get_by_index::<i32>(0).ok()).collect();
    // Two submissions of one link in one batch: the first is stored, the second is not.
    let results: Vec<Submitted> = batch
        .iter()
        .map(|job| if open.remove(&job.invitee_id) { Submitted::Stored } else { Submitted::Already })
        .collect();
    let stored: Vec<&Job> =
        batch.iter().zip(&results).filter(|(_, r)| **r == Submitted::Stored).map(|(j, _)| j).collect();
    let ids = insert_responses(&txn, &stored, now).await?;
    let mut rows = Vec::new();
    for (job, id) in stored.iter().zip(ids) {
        rows.extend(answer_rows(&job.form.questionnaire, id, &job.answers));
    }
    if postgres {
        insert_answers_json(&txn, rows).await?;
    } else {
        insert_answers(&txn, rows).await?;
    }
    txn.commit().await?;
    Ok(results)
}
