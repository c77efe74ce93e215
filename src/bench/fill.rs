//! Filling a scratch SQLite database with synthetic responses, fast enough for a million.
//!
//! The rows are exactly those `store::responses::insert_submitted` writes (one response row,
//! its answer rows from `answer_rows`), only written differently: the answers are generated on
//! a blocking thread while the previous batch is inserted, and rows go in as multi-row statements of a
//! fixed size, which SQLite prepares once, in transactions of many thousands of responses.

use crate::demo::{plan::Rng, random};
use crate::questionnaire::Questionnaire;
use crate::store::responses::{Ids, answer_rows};
use crate::store::surveys::Survey;
use anyhow::Context;
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
    answers: Vec<answer::ActiveModel>,
}

/// Stores `n` random valid responses, spread over the survey's groups, on a SQLite database.
pub async fn fill(db: &DatabaseConnection, survey: &Survey, n: usize) -> anyhow::Result<()> {
    fill_in_batches(db, survey, n, BATCH).await
}

async fn fill_in_batches(db: &DatabaseConnection, survey: &Survey, n: usize, batch: usize) -> anyhow::Result<()> {
    anyhow::ensure!(db.get_database_backend() == DbBackend::Sqlite, "the bench fills SQLite databases only");
    let questionnaire = Arc::new(survey.questionnaire.clone());
    let groups: Vec<i32> = survey.groups.iter().map(|g| g.id).collect();
    anyhow::ensure!(!groups.is_empty(), "the survey has no groups to spread responses over");
    // Two batches in flight: one being inserted, the next being generated.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Generated>>(1);
    let generator = {
        let questionnaire = Arc::clone(&questionnaire);
        tokio::task::spawn_blocking(move || generate(&questionnaire, &groups, n, batch, &sender))
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

/// Generates the responses in the order and with the seed the bench always used, so a size
/// gives the same answers every run.
fn generate(
    questionnaire: &Questionnaire,
    groups: &[i32],
    n: usize,
    size: usize,
    sender: &tokio::sync::mpsc::Sender<Vec<Generated>>,
) -> anyhow::Result<()> {
    let mut rng = Rng::new(n as u64);
    let mut batch = Vec::with_capacity(size.min(n));
    let mut ids = Ids::fresh();
    for i in 0..n {
        let answers = random::respondent(questionnaire, &mut rng, i < 13)?;
        if batch.is_empty() {
            // One run of identifiers per statement batch, as a submission batch has.
            ids = Ids::fresh();
        }
        let id = ids.take();
        batch.push(Generated {
            id,
            group_id: groups[i % groups.len()],
            answers: answer_rows(questionnaire, id, &answers, &mut ids),
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
    let mut responses = Vec::with_capacity(batch.len() * 3);
    let mut answers = Vec::new();
    for response in batch {
        responses.extend([Value::from(response.id), Value::from(survey_id), Value::from(response.group_id)]);
        for row in response.answers {
            answers.extend([
                value(row.id)?,
                value(row.response_id)?,
                value(row.question)?,
                value(row.option)?,
                value(row.number)?,
                value(row.text)?,
            ]);
        }
    }
    insert_rows(&txn, "responses (id, survey_id, group_id)", 3, responses).await?;
    insert_rows(&txn, "answers (id, response_id, question, option, number, text)", 6, answers).await?;
    txn.commit().await?;
    Ok(())
}

/// The value an `answer_rows` field holds. It sets every column; should that change,
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
    use chrono::Utc;

    /// Every response with its answers, every column but the (random) identifiers, sorted.
    async fn rows(db: &DatabaseConnection) -> Vec<String> {
        let sql = "SELECT r.survey_id || '|' || r.group_id || '|' || COALESCE(( \
                   SELECT group_concat(x, ';') FROM (SELECT a.question || '|' || COALESCE(a.option, 'NULL') || '|' \
                   || COALESCE(a.number, 'NULL') || '|' || COALESCE(a.text, 'NULL') AS x FROM answers a \
                   WHERE a.response_id = r.id ORDER BY x)), '') FROM responses r";
        let read = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap();
        let mut rows: Vec<String> = read.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect();
        rows.sort();
        rows
    }

    async fn answer_rows_stored(db: &DatabaseConnection) -> i64 {
        let sql = "SELECT COUNT(*) FROM answers";
        let row = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
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
            store::responses::insert_submitted(&txn, survey.row.id, &survey.questionnaire, group, &answers)
                .await
                .unwrap();
        }
        txn.commit().await.unwrap();

        let (expected, got) = (rows(&one_by_one).await, rows(&filled).await);
        assert_eq!(expected.len(), n);
        assert!(answer_rows_stored(&filled).await > ROWS_PER_STATEMENT as i64);
        assert_eq!(answer_rows_stored(&filled).await, answer_rows_stored(&one_by_one).await);
        assert!(expected == got, "fill stores other rows than insert_submitted");
        let answers_with_text: usize = got.iter().filter(|r| r.contains("Een kort antwoord.")).count();
        assert!(answers_with_text > 0);
    }
}
