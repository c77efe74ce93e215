//! Making what peiling deletes unreadable, and what it keeps unordered, in the database files
//! themselves and not only to SQL.
//!
//! - SQLite runs with `secure_delete` on every connection (`db::connect_only`), so a deleted or
//!   rewritten row's bytes are overwritten with zeros in the page. Older page images live on in
//!   the write-ahead log until a checkpoint; after a survey closes and after a purge, a
//!   `TRUNCATE` checkpoint empties it, and after a purge a `VACUUM` rebuilds the file without
//!   free pages.
//! - PostgreSQL keeps dead row versions until `VACUUM`; after a purge every table that held
//!   addresses, names, drafts or original texts is rewritten (`VACUUM FULL`), once no older
//!   snapshot can still need the old versions.
//! - Rows sit in a table in the order they were written, and on PostgreSQL every row carries the
//!   transaction that wrote it (`xmin`): together with the invitee rows marked in the same
//!   transaction, or a proxy's log of submissions, that points at who gave which answers. When
//!   a survey closes, its responses and answers are written again, in random order and with
//!   new random identifiers, and its invitee rows once more, by the one closing transaction.

use crate::db::statement;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};

/// Deletes the drafts of a survey's invitees: a draft is a person's answers beside their
/// address, and once the survey is closed nobody can send it any more.
pub async fn delete_drafts(txn: &impl ConnectionTrait, survey_id: i32) -> Result<u64, DbErr> {
    let sql = "DELETE FROM drafts WHERE invitee_id IN (SELECT id FROM invitees WHERE survey_id = $1)";
    Ok(txn.execute_raw(statement(txn, sql, vec![survey_id.into()])).await?.rows_affected())
}

/// A random identifier in 1..=2^62 per row, in each backend's SQL.
fn random_id(txn: &impl ConnectionTrait) -> &'static str {
    match txn.get_database_backend() {
        DbBackend::Postgres => "(floor(random() * 4611686018427387903) + 1)::bigint",
        _ => "((random() & 4611686018427387903) + 1)",
    }
}

/// Writes a survey's responses, answers and reviews again in random order, each with a new
/// random identifier: during fieldwork the rows of one write have neighbouring identifiers
/// (`store::responses::Ids`), which would keep telling who submitted at the same moment. Runs
/// inside the caller's transaction. Should a new identifier meet an existing one (as likely as
/// a lottery won many times over), the unique key fails the close and closing again works.
pub async fn shuffle_responses(txn: &impl ConnectionTrait, survey_id: i32) -> Result<(), DbErr> {
    let id = random_id(txn);
    // Utility statements take no parameters on PostgreSQL; the id is a number of our own.
    let statements = [
        format!(
            "CREATE TEMPORARY TABLE shuffle_responses AS SELECT id AS old_id, {id} AS id, survey_id, group_id \
             FROM responses WHERE survey_id = {survey_id}"
        ),
        format!(
            "CREATE TEMPORARY TABLE shuffle_answers AS SELECT a.id AS old_id, {id} AS id, r.id AS response_id, \
             a.question, a.option, a.number, a.text FROM answers a JOIN shuffle_responses r ON r.old_id = a.response_id"
        ),
        format!(
            "CREATE TEMPORARY TABLE shuffle_reviews AS SELECT t.id, t.survey_id, a.id AS answer_id, t.question, \
             t.anonymised, t.edited, t.decision, t.updated_at FROM text_reviews t \
             JOIN shuffle_answers a ON a.old_id = t.answer_id WHERE t.survey_id = {survey_id}"
        ),
        // The answers and reviews go with their responses (ON DELETE CASCADE).
        format!("DELETE FROM responses WHERE survey_id = {survey_id}"),
        "INSERT INTO responses (id, survey_id, group_id) SELECT id, survey_id, group_id FROM shuffle_responses \
         ORDER BY random()"
            .into(),
        "INSERT INTO answers (id, response_id, question, option, number, text) \
         SELECT id, response_id, question, option, number, text FROM shuffle_answers ORDER BY random()"
            .into(),
        "INSERT INTO text_reviews (id, survey_id, answer_id, question, anonymised, edited, decision, updated_at) \
         SELECT id, survey_id, answer_id, question, anonymised, edited, decision, updated_at FROM shuffle_reviews"
            .into(),
        "DROP TABLE shuffle_responses".into(),
        "DROP TABLE shuffle_answers".into(),
        "DROP TABLE shuffle_reviews".into(),
    ];
    for sql in statements {
        txn.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Writes a survey's invitee rows again in the caller's transaction, on PostgreSQL: each row
/// carries the transaction that marked it answered (`xmin`), so the named invitees would stay
/// ordered by the moment they submitted, and share that transaction with their responses'
/// batch, until the purge. SQLite rows carry nothing of the kind.
pub async fn forget_marks(txn: &impl ConnectionTrait, survey_id: i32) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        let sql = "UPDATE invitees SET submitted = submitted WHERE survey_id = $1";
        txn.execute_raw(statement(txn, sql, vec![survey_id.into()])).await?;
    }
    Ok(())
}

/// What was just deleted, which decides how thoroughly the files are cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// A survey closed: drafts deleted, responses written again.
    Close,
    /// A survey's personal data was purged.
    Purge,
}

/// Cleans the database files after the transaction that deleted something has committed.
/// Neither `VACUUM` nor a checkpoint can run inside a transaction.
pub async fn clean_files(db: &DatabaseConnection, after: After) -> Result<(), DbErr> {
    match (db.get_database_backend(), after) {
        (DbBackend::Postgres, After::Close) => {
            db.execute_unprepared("VACUUM responses, answers, text_reviews, drafts, invitees").await?;
        }
        (DbBackend::Postgres, After::Purge) => {
            // A plain VACUUM only marks dead row versions free; their bytes stay in the page
            // until a new row happens to land there. Rewritten whole, no old address or
            // original text is left. It locks each table while it is copied: a moment for
            // tables of a few hundred thousand rows, once per survey.
            wait_for_older_snapshots(db).await?;
            // ANALYZE as well: the planner's statistics keep sample values of every column
            // (addresses, names, texts), and autovacuum would not refresh them for a purge that
            // changes too few rows. Their old rows go with a rewrite of pg_statistic, which
            // the database's owner may run (others get a warning, not an error).
            db.execute_unprepared(
                "VACUUM (FULL, ANALYZE) invitees, invitation_tokens, mail_outbox, drafts, responses, answers, \
                 text_reviews",
            )
            .await?;
            db.execute_unprepared("VACUUM FULL pg_statistic").await?;
        }
        (_, After::Close) => checkpoint(db).await?,
        (_, After::Purge) => {
            db.execute_unprepared("VACUUM").await?;
            checkpoint(db).await?;
        }
    }
    Ok(())
}

/// How long a purge waits for transactions that started before it committed.
const OLDER_SNAPSHOTS_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until no session of the server holds a transaction or snapshot from before now.
/// `VACUUM FULL` copies every row version such a transaction might still see, and its own
/// snapshot is held back by any older transaction on the server, in any database (a report
/// being made, a long import elsewhere): the purged addresses would be copied into the new
/// files with them. Sessions of other roles count only where this role may see them
/// (`pg_read_all_stats`).
async fn wait_for_older_snapshots(db: &DatabaseConnection) -> Result<(), DbErr> {
    // Every transaction that could see the purged rows has an id below this one.
    let now = "SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text";
    let now: String = db
        .query_one_raw(statement(db, now, vec![]))
        .await?
        .map(|r| r.try_get_by_index(0))
        .transpose()?
        .unwrap_or_default();
    // `age` counts back from the newest transaction id, so a larger age is older, across wraparound.
    let older = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() \
                 AND (age(backend_xmin) > age($1::text::xid) OR age(backend_xid) > age($1::text::xid))";
    let started = std::time::Instant::now();
    loop {
        let row = db.query_one_raw(statement(db, older, vec![now.clone().into()])).await?;
        let count = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
        if count == 0 {
            return Ok(());
        }
        if started.elapsed() > OLDER_SNAPSHOTS_WAIT {
            return Err(DbErr::Custom(format!(
                "{count} transactie(s) op de server van voor het wissen liepen na {} seconden nog; oude versies van \
                 gewiste rijen kunnen in de tabelbestanden staan tot `peiling purge SURVEY` opnieuw draait",
                OLDER_SNAPSHOTS_WAIT.as_secs()
            )));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Copies every page of SQLite's write-ahead log into the file and empties the log; an error
/// when a reader kept it from finishing within the busy timeout.
async fn checkpoint(db: &DatabaseConnection) -> Result<(), DbErr> {
    let row = db.query_one_raw(statement(db, "PRAGMA wal_checkpoint(TRUNCATE)", vec![])).await?;
    let busy = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
    if busy != 0 {
        return Err(DbErr::Custom(
            "het logbestand (-wal) van de database kon niet worden geleegd omdat een ander proces nog las; \
             oudere versies van gewijzigde rijen blijven daarin tot SQLite het zelf overschrijft"
                .into(),
        ));
    }
    Ok(())
}
