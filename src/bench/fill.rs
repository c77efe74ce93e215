//! Filling a scratch SQLite database with synthetic responses, fast enough for a million.
//!
//! The rows are exactly those `store::responses::insert_submitted` writes (one response row,
//! its answer rows from `answer_rows`), only written differently: the answers are generated on
//! a blocking thread while the previous batch is inserted, response ids are assigned here
//! instead of read back one statement at a time, and rows go in as multi-row statements of a
//! fixed size, which SQLite prepares once, in transactions of many thousands of responses.

use crate::demo::{plan::Rng, random};
use crate::questionnaire::Questionnaire;
use crate::store::{responses::answer_rows, surveys::Survey};
use anyhow::Context;
use chrono::{DateTime, Utc};
use entity::answer;
use sea_orm::{ActiveValue, ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use std::sync::Arc;

/// Responses per transaction and per message from the generating thread.
const BATCH: usize = 20_000;
/// Rows per INSERT statement: one statement text per table, so SQLite's prepared statement is
/// reused; 1,000 answer rows are 5,000 parameters, well under SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 1_000;

/// One generated response, ready to insert.
struct Generated {
    id: i64,
    group_id: i32,
    submitted_at: DateTime<Utc>,
    answers: Vec<answer::ActiveModel>,
}

/// Stores `n` random valid responses, spread over the survey's groups, on a SQLite database
/// that nothing else writes to (the ids are assigned here).
pub async fn fill(db: &DatabaseConnection, survey: &Survey, n: usize) -> anyhow::Result<()> {
    fill_in_batches(db, survey, n, BATCH).await
}

async fn fill_in_batches(db: &DatabaseConnection, survey: &Survey, n: usize, batch: usize) -> anyhow::Result<()> {
    anyhow::ensure!(db.get_database_backend() == DbBackend::Sqlite, "the bench fills SQLite databases only");
    let first_id = next_response_id(db).await?;
    let questionnaire = Arc::new(survey.questionnaire.clone());
    let groups: Vec<i32> = survey.groups.iter().map(|g| g.id).collect();
    anyhow::ensure!(!groups.is_empty(), "the survey has no groups to spread responses over");
    // Two batches in flight: one being inserted, the next being generated.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Generated>>(1);
    let generator = {
        let questionnaire = Arc::clone(&questionnaire);
        tokio::task::spawn_blocking(move || generate(&questionnaire, &groups, n, first_id, batch, &sender))
    };
    let survey_id = survey.row.id;
    let mut inserted = Ok(());
    while let Some(batch) = receiver.recv().await {
        inserted = insert(db, survey_id, batch).await;
        if inserted.is_err() {
            break;
        }
    }
    // Dropping the receiver stops the generator at its next send if the insert failed.
    drop(receiver);
    let generated = generator.await?;
    inserted?;
    generated
}

async fn next_response_id(db: &DatabaseConnection) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT COALESCE(MAX(id), 0) + 1 FROM responses"))
        .await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(1))
}

/// Generates the responses in the order and with the seed the bench always used, so a size
/// gives the same answers every run.
fn generate(
    questionnaire: &Questionnaire,
    groups: &[i32],
    n: usize,
    first_id: i64,
    size: usize,
    sender: &tokio::sync::mpsc::Sender<Vec<Generated>>,
) -> anyhow::Result<()> {
    let mut rng = Rng::new(n as u64);
    let mut batch = Vec::with_capacity(size.min(n));
    for i in 0..n {
        let answers = random::respondent(questionnaire, &mut rng, i < 13)?;
        let id = first_id + i as i64;
        let response_id = i32::try_from(id)?;
        batch.push(Generated {
            id,
            group_id: groups[i % groups.len()],
            submitted_at: Utc::now(),
            answers: answer_rows(questionnaire, response_id, &answers),
        });
        if batch.len() == size || i + 1 == n {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(size.min(n - i)));
            if sender.blocking_send(full).is_err() {
                // The inserter stopped; its error is the one to report.
                return Ok(());
            }
        }
    }
    Ok(())
}

async fn insert(db: &DatabaseConnection, survey_id: i32, batch: Vec<Generated>) -> anyhow::Result<()> {
    let txn = crate::db::begin_write(db).await?;
    let mut responses = Vec::with_capacity(batch.len() * 4);
    let mut answers = Vec::new();
    for response in batch {
        responses.extend([
            Value::from(response.id),
            Value::from(survey_id),
            Value::from(response.group_id),
            Value::from(response.submitted_at),
        ]);
        for row in response.answers {
            answers.extend([
                value(row.response_id)?,
                value(row.question)?,
                value(row.option)?,
                value(row.number)?,
                value(row.text)?,
            ]);
        }
    }
    insert_rows(&txn, "responses (id, survey_id, group_id, submitted_at)", 4, responses).await?;
    insert_rows(&txn, "answers (response_id, question, option, number, text)", 5, answers).await?;
    txn.commit().await?;
    Ok(())
}

/// The value an `answer_rows` field holds. It sets every column but the id; should that change,
/// failing here beats storing something other than what a submission stores.
fn value<T: Into<Value>>(field: ActiveValue<T>) -> anyhow::Result<Value> {
    field.into_value().context("answer_rows left a column unset")
}

/// Inserts `values` (`columns` per row) into `table` in statements of `ROWS_PER_STATEMENT`
/// rows, the last one shorter.
async fn insert_rows(
    txn: &impl ConnectionTrait,
    table: &str,
    columns: usize,
    values: Vec<Value>,
) -> anyhow::Result<()> {
    let full = sql(table, columns, ROWS_PER_STATEMENT);
    let mut values = values.into_iter();
    loop {
        let chunk: Vec<Value> = values.by_ref().take(columns * ROWS_PER_STATEMENT).collect();
        let rows = chunk.len() / columns;
        if rows == 0 {
            return Ok(());
        }
        let text = if rows == ROWS_PER_STATEMENT { full.clone() } else { sql(table, columns, rows) };
        txn.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, text, chunk)).await?;
    }
}

fn sql(table: &str, columns: usize, rows: usize) -> String {
    let tuple = format!("({})", vec!["?"; columns].join(", "));
    format!("INSERT INTO {table} VALUES {}", vec![tuple; rows].join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled::MAATWERKBUDGET_2021;
    use crate::store;
    use sea_orm::QueryResult;

    /// Every response and answer column but the submission time, in id order.
    async fn rows(db: &DatabaseConnection) -> Vec<String> {
        let read = |sql: &str| db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql));
        let format = |r: &QueryResult, n: usize| {
            (0..n)
                .map(|i| {
                    r.try_get_by_index::<Option<String>>(i)
                        .or_else(|_| r.try_get_by_index::<Option<i64>>(i).map(|v| v.map(|v| v.to_string())))
                        .unwrap()
                        .unwrap_or_else(|| "NULL".into())
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let responses = read("SELECT id, survey_id, group_id FROM responses ORDER BY id").await.unwrap();
        let answers =
            read("SELECT id, response_id, question, option, number, text FROM answers ORDER BY id").await.unwrap();
        responses.iter().map(|r| format(r, 3)).chain(answers.iter().map(|r| format(r, 6))).collect()
    }

    async fn fresh() -> (tempfile::TempDir, DatabaseConnection, Survey) {
        let (dir, url) = crate::bench::scratch_sqlite().unwrap();
        let db = crate::db::connect(&url).await.unwrap();
        let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await.unwrap();
        (dir, db, survey)
    }

    #[tokio::test]
    async fn fill_stores_what_one_submission_at_a_time_stores() {
        // Three transactions, and more answer rows than one statement takes.
        let n = 150;
        let (_a, filled, survey) = fresh().await;
        fill_in_batches(&filled, &survey, n, 40).await.unwrap();

        // The bench's earlier filling: the same generator, one insert_submitted per response.
        let (_b, one_by_one, survey) = fresh().await;
        let mut rng = Rng::new(n as u64);
        let txn = crate::db::begin_write(&one_by_one).await.unwrap();
        for i in 0..n {
            let answers = random::respondent(&survey.questionnaire, &mut rng, i < 13).unwrap();
            let group = survey.groups[i % survey.groups.len()].id;
            store::responses::insert_submitted(&txn, survey.row.id, &survey.questionnaire, group, &answers, Utc::now())
                .await
                .unwrap();
        }
        txn.commit().await.unwrap();

        let (expected, got) = (rows(&one_by_one).await, rows(&filled).await);
        assert!(expected.len() > n + ROWS_PER_STATEMENT, "{}", expected.len());
        assert!(expected == got, "fill stores other rows than insert_submitted");
        // The submission times differ by when they were taken, not in how they are written.
        async fn shape(db: &DatabaseConnection) -> Vec<String> {
            // Type, date-time separator and zone: the fraction of a second has as many digits as it needs.
            let sql = "SELECT DISTINCT typeof(submitted_at) || ':' || substr(submitted_at, 11, 1) || ':' \
                       || substr(submitted_at, -6) || ':' || (julianday(submitted_at) IS NOT NULL) FROM responses";
            let rows = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap();
            rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
        }
        assert_eq!(shape(&filled).await, shape(&one_by_one).await);
        let answers_with_text: usize = got.iter().filter(|r| r.ends_with("Een kort antwoord.")).count();
        assert!(answers_with_text > 0);
    }
}
