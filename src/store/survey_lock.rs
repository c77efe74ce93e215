//! Closing a survey against the writes that must not come after it. On PostgreSQL a save or a
//! submission checks, in its own transaction, that the survey is still open; a close that
//! commits between that check and the write's commit would miss the write (its draft kept,
//! its response neither shuffled nor renumbered). So writes hold the survey's lock shared and
//! the closing transaction holds it alone: a close waits for the writes under way, and a write
//! that starts meanwhile waits for the close and then finds the survey closed.
//!
//! The lock is an advisory transaction lock, which lives in the server's lock table: a `FOR
//! SHARE` on the survey row would write to that row for every batch (and make a multixact of
//! concurrent ones), which cut submissions on PostgreSQL from 2,500 to 470 a second. SQLite has
//! one writer at a time and needs none of this.

use crate::db::statement;
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

/// The first key of peiling's survey locks ("pe"); the second is the survey's id.
const CLASS: i32 = 0x7065;

/// Holds the locks of `survey_ids` shared until the transaction ends.
pub async fn share(txn: &impl ConnectionTrait, survey_ids: &[i32]) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres || survey_ids.is_empty() {
        return Ok(());
    }
    let mut ids = survey_ids.to_vec();
    // One order for every transaction, so two writers never wait on each other in a circle.
    ids.sort_unstable();
    ids.dedup();
    let sql = "SELECT pg_advisory_xact_lock_shared($1, CAST(value AS integer)) \
               FROM json_array_elements_text(CAST($2 AS json)) ORDER BY CAST(value AS integer)";
    let values = vec![CLASS.into(), serde_json::json!(ids).to_string().into()];
    txn.execute_raw(statement(txn, sql, values)).await?;
    Ok(())
}

/// Holds the lock of `survey_id` alone until the transaction ends.
pub async fn exclusive(txn: &impl ConnectionTrait, survey_id: i32) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = "SELECT pg_advisory_xact_lock($1, $2)";
    txn.execute_raw(statement(txn, sql, vec![CLASS.into(), survey_id.into()])).await?;
    Ok(())
}
