//! Storing submissions with group commit. Handlers hand their submission to a writer task and
//! wait; the writer takes whatever has queued up (up to `MAX_BATCH`) and stores it in one
//! transaction: one statement marks all those invitees done (only those not done yet) and
//! another deletes their drafts, then the responses and all their answers follow, numbered
//! from a random start in random order, and with no time (see `store::responses`). A
//! submission is acknowledged only after its transaction committed, so nothing acknowledged can be lost, and the `NOT submitted`
//! guard in the same transaction still lets exactly one submission per link through, also
//! across processes. One commit for many submissions is what makes SQLite keep up.
//!
//! A batch that fails (database away, disk full) answers every submission in it with that
//! error, so each gets a 503 and nothing is claimed stored that was not; the writer goes on
//! with the next batch, even after a panic, so submissions work again once the database does.
//!
//! What the batch leaves behind: on PostgreSQL the invitee rows marked and the responses
//! stored in one batch share the system column `xmin` and sit in the table in the order they
//! were written, until the survey closes and `lifecycle::close` writes its responses again in
//! random order (see there).

use super::session::{Form, Respondent, Submitted};
use crate::db::statement;
use crate::questionnaire::Answers;
use crate::store::StoreError;
use crate::store::responses::{Ids, answer_rows, insert_answers};
use crate::store::surveys::{Status, takes_answers};
use entity::answer;
use futures_util::FutureExt;
use sea_orm::{ActiveValue, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Value};
use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

pub const MAX_BATCH: usize = 64;

struct Job {
    invitee_id: i32,
    /// The moment the handler read (the demo replays its fieldwork): the survey must still be
    /// open then. Checked, never stored.
    now: chrono::DateTime<chrono::Utc>,
    group_id: i32,
    form: Arc<Form>,
    answers: Answers,
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
                    let outcome = match AssertUnwindSafe(write_retrying(&db, &batch)).catch_unwind().await {
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
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Submitted, StoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            invitee_id: respondent.invitee_id,
            now,
            group_id: respondent.group_id,
            form: respondent.form.clone(),
            answers,
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
                "i": get(&r.id), "r": get(&r.response_id), "q": get(&r.question), "o": get(&r.option).flatten(),
                "n": get(&r.number).flatten(), "t": get(&r.text).flatten(),
            })
        })
        .collect();
    txn.execute_raw(statement(
        txn,
        "INSERT INTO answers (id, response_id, question, option, number, text) SELECT i, r, q, o, n, t \
         FROM json_to_recordset($1::json) AS x(i bigint, r bigint, q text, o text, n bigint, t text)",
        vec![json(serde_json::Value::Array(records))],
    ))
    .await?;
    Ok(())
}

/// Inserts one response row per job, with the identifiers given, in one statement.
async fn insert_responses(txn: &impl ConnectionTrait, rows: &[(i64, &Job)]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let (sql, values): (String, Vec<Value>) = if txn.get_database_backend() == DbBackend::Postgres {
        let records: Vec<serde_json::Value> =
            rows.iter().map(|(id, j)| serde_json::json!({ "i": id, "s": j.form.survey_id, "g": j.group_id })).collect();
        (
            "INSERT INTO responses (id, survey_id, group_id) SELECT i, s, g \
             FROM json_to_recordset($1::json) AS x(i bigint, s int, g int)"
                .into(),
            vec![json(serde_json::Value::Array(records))],
        )
    } else {
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 3);
        let mut tuples = Vec::with_capacity(rows.len());
        for (id, job) in rows {
            let n = values.len();
            tuples.push(format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
            values.extend([Value::from(*id), job.form.survey_id.into(), job.group_id.into()]);
        }
        (format!("INSERT INTO responses (id, survey_id, group_id) VALUES {}", tuples.join(", ")), values)
    };
    txn.execute_raw(statement(txn, &sql, values)).await?;
    Ok(())
}

/// `write`, tried again with fresh identifiers in the (astronomically unlikely) case that a
/// random identifier was taken; the failed attempt's transaction stored nothing.
async fn write_retrying(db: &DatabaseConnection, batch: &[Job]) -> Result<Vec<Submitted>, StoreError> {
    let mut attempt = 0;
    loop {
        match write(db, batch).await {
            Err(StoreError::Db(e)) if crate::db::is_unique_violation(&e) && attempt < 3 => attempt += 1,
            outcome => return outcome,
        }
    }
}

/// The batch's invitee ids as one statement's parameters: one JSON array on PostgreSQL, so
/// that each statement has one text and is prepared once per connection instead of once per
/// batch size; a placeholder each on SQLite. `{ids}` in `sql` stands for the list.
fn with_ids(postgres: bool, sql: &str, ids: &[i32]) -> (String, Vec<Value>) {
    if postgres {
        let list = "SELECT value::int FROM json_array_elements_text($1::json)";
        (sql.replace("{ids}", list), vec![json(serde_json::json!(ids))])
    } else {
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 1)).collect();
        (sql.replace("{ids}", &placeholders.join(", ")), ids.iter().map(|&id| Value::from(id)).collect())
    }
}

/// Of `surveys`, those that still take answers at `now` (`surveys::takes_answers`).
async fn accepting(
    txn: &impl ConnectionTrait,
    postgres: bool,
    surveys: &[i32],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HashSet<i32>, DbErr> {
    let (sql, values) = with_ids(postgres, "SELECT id, status, closes_at FROM surveys WHERE id IN ({ids})", surveys);
    let mut open = HashSet::new();
    for row in txn.query_all_raw(statement(txn, &sql, values)).await? {
        let status: String = row.try_get_by_index(1)?;
        let closes_at: Option<chrono::DateTime<chrono::Utc>> = row.try_get_by_index(2)?;
        if takes_answers(Status::stored(&status)?, closes_at, now) {
            open.insert(row.try_get_by_index::<i32>(0)?);
        }
    }
    Ok(open)
}

async fn write(db: &DatabaseConnection, batch: &[Job]) -> Result<Vec<Submitted>, StoreError> {
    let txn = crate::db::begin_write(db).await?;
    let postgres = txn.get_database_backend() == DbBackend::Postgres;
    let ids: Vec<i32> = batch.iter().map(|j| j.invitee_id).collect::<HashSet<_>>().into_iter().collect();
    // Only while the survey takes answers, checked here and not only when the handler read the
    // respondent: a close in between deletes the drafts and rewrites the responses, and a
    // response stored after it would escape both. On PostgreSQL the surveys are held shared
    // (`store::survey_lock`), so a close and this batch wait for each other.
    let now = batch.iter().map(|j| j.now).min().unwrap_or_else(chrono::Utc::now);
    let surveys: Vec<i32> = batch.iter().map(|j| j.form.survey_id).collect::<HashSet<_>>().into_iter().collect();
    crate::store::survey_lock::share(&txn, &surveys).await?;
    // Asked apart from the marking: folded into its WHERE, PostgreSQL planned a scan of every
    // invitee of the survey and submissions fell from 2,500 to 450 a second.
    let accepting = accepting(&txn, postgres, &surveys, now).await?;
    let candidates: Vec<i32> = batch
        .iter()
        .filter(|j| accepting.contains(&j.form.survey_id))
        .map(|j| j.invitee_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut open: HashSet<i32> = HashSet::new();
    if !candidates.is_empty() {
        let (sql, values) = with_ids(
            postgres,
            "UPDATE invitees SET submitted = TRUE WHERE NOT submitted AND id IN ({ids}) RETURNING id",
            &candidates,
        );
        let flipped = txn.query_all_raw(statement(&txn, &sql, values)).await?;
        open = flipped.iter().filter_map(|row| row.try_get_by_index::<i32>(0).ok()).collect();
    }
    // The drafts go in the same transaction: a submitted response never sits beside a copy of
    // itself that names its invitee.
    let (sql, values) = with_ids(postgres, "DELETE FROM drafts WHERE invitee_id IN ({ids})", &ids);
    txn.execute_raw(statement(&txn, &sql, values)).await?;
    // Two submissions of one link in one batch: the first is stored, the second is not.
    let results: Vec<Submitted> = batch
        .iter()
        .map(|job| {
            if open.remove(&job.invitee_id) {
                Submitted::Stored
            } else if !accepting.contains(&job.form.survey_id) {
                Submitted::Closed
            } else {
                Submitted::Already
            }
        })
        .collect();
    let mut stored: Vec<&Job> =
        batch.iter().zip(&results).filter(|(_, r)| **r == Submitted::Stored).map(|(j, _)| j).collect();
    // Numbered (and written) in random order, not in the order of arrival within the batch.
    rand::seq::SliceRandom::shuffle(stored.as_mut_slice(), &mut rand::rng());
    let mut numbers = Ids::fresh();
    let stored: Vec<(i64, &Job)> = stored.into_iter().map(|job| (numbers.take(), job)).collect();
    insert_responses(&txn, &stored).await?;
    let mut rows = Vec::new();
    for (id, job) in &stored {
        rows.extend(answer_rows(&job.form.questionnaire, *id, &job.answers, &mut numbers));
    }
    if postgres {
        insert_answers_json(&txn, rows).await?;
    } else {
        insert_answers(&txn, rows).await?;
    }
    txn.commit().await?;
    Ok(results)
}
