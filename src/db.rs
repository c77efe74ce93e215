//! Opening the database and bringing its schema up to date.

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::Connection;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnAcquireErr, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, RuntimeErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};
use std::time::Duration;

/// See `connect_only`.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects and runs pending migrations, so every command works on a fresh database.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect_only(url).await?;
    migrate(url, &db).await.context("could not bring the database schema up to date")?;
    Ok(db)
}

/// Any number, the same in every peiling process: the key of the lock migrations run under.
const MIGRATION_LOCK: i64 = 0x0070_6569_6c69_6e67;

/// Runs pending migrations. On PostgreSQL, where several instances may start at once, they
/// take turns under an advisory lock; the later ones then find nothing left to do. The lock
/// belongs to a session, so it is taken on a connection of its own.
async fn migrate(url: &str, db: &DatabaseConnection) -> anyhow::Result<()> {
    if !is_postgres(db) {
        Migrator::up(db, None).await?;
        return Ok(());
    }
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).acquire_timeout(ACQUIRE_TIMEOUT).max_connections(1).min_connections(1);
    let session = Database::connect(options).await?;
    let lock = |sql: &str| statement(&session, sql, vec![MIGRATION_LOCK.into()]);
    session.execute_raw(lock("SELECT pg_advisory_lock($1)")).await?;
    let migrated = Migrator::up(&session, None).await;
    // Closing the session would release the lock too; unlocking says so.
    let unlocked = session.execute_raw(lock("SELECT pg_advisory_unlock($1)")).await;
    session.close().await?;
    migrated?;
    unlocked?;
    Ok(())
}

/// Connects without touching the schema (for `peiling migrate` and migration tests).
pub async fn connect_only(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    // How long a request waits for a connection, including (re)connecting to a database that
    // went away: sqlx keeps trying a refused connection until then. Short, so that during a
    // database restart requests get a 503 within seconds instead of hanging for half a minute.
    // (sea-orm's `connect_timeout` sets this same limit, so it is not set separately.)
    options.sqlx_logging(false).acquire_timeout(ACQUIRE_TIMEOUT);
    // `PEILING_DB_POOL`: connections per process (default 10). More is not faster on a small
    // machine: on 2 cores, 20 connections tripled the p99 of submissions on PostgreSQL.
    let pool = std::env::var("PEILING_DB_POOL").ok().and_then(|v| v.trim().parse::<u32>().ok()).filter(|n| *n > 0);
    options.max_connections(pool.unwrap_or(10));
    if url.starts_with("sqlite:") {
        // WAL lets readers (the live dashboard) work while a writer commits; the busy timeout
        // makes concurrent writers wait their turn instead of failing with "database is locked".
        // `secure_delete` overwrites a deleted row's bytes with zeros, so a draft, an address or
        // an original text that peiling deletes is not still readable in the file. `FULL` syncs
        // the log at every commit: with `NORMAL` a power cut can take transactions already
        // acknowledged (a 201 to a respondent); group commit keeps that to one sync per batch.
        options.map_sqlx_sqlite_opts(|o| {
            o.pragma("secure_delete", "ON")
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
        // A write that fails for want of room can end SQLite's transaction by itself; the
        // ROLLBACK of the dropped transaction then fails, and sqlx goes on counting the
        // connection as in a transaction. Its next transaction becomes a savepoint that a
        // failure leaves open, holding the write lock: "database is locked" for every other
        // connection long after the disk has room again. Such a connection is closed instead
        // of reused. The ping first lets a rollback still queued on the connection run.
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_release(|conn, _| {
                Box::pin(async move {
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
        });
    }
    Database::connect(options).await.with_context(|| format!("could not open the database at {}", redact(url)))
}

/// Why the database cannot do what was asked, when the cause is the state of the database
/// (its server, its disk, its file) rather than a bug: worth a 503 and another try later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// Not reachable, connection lost, no free connection in time, server starting or stopping.
    Unreachable,
    /// No room left on the disk (or in the database's size limit).
    DiskFull,
    /// The file, its folder or the server accepts no writes.
    ReadOnly,
    /// Another writer held the database longer than we wait, or a conflict to retry.
    Busy,
    /// The file (SQLITE_CORRUPT, SQLITE_NOTADB) or the server's data (PostgreSQL's
    /// data_corrupted, index_corrupted) is damaged: nothing helps but restoring a backup. See
    /// `crate::integrity`.
    Corrupt,
}

/// The outage behind a database error, if it is one.
pub fn outage(error: &DbErr) -> Option<Outage> {
    match error {
        DbErr::ConnectionAcquire(_) => Some(Outage::Unreachable),
        // A file that is not a database fails already when the connection opens.
        DbErr::Conn(runtime) => runtime_outage(runtime).or(Some(Outage::Unreachable)),
        DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime_outage(runtime),
        _ => None,
    }
}

/// The outage anywhere in an error's chain of causes (an `anyhow` context, a `StoreError`).
pub fn outage_in(error: &(dyn std::error::Error + 'static)) -> Option<Outage> {
    let mut next = Some(error);
    while let Some(e) = next {
        let found = if let Some(db) = e.downcast_ref::<DbErr>() {
            outage(db)
        } else if let Some(crate::store::StoreError::Db(db)) = e.downcast_ref::<crate::store::StoreError>() {
            outage(db)
        } else if let Some(runtime) = e.downcast_ref::<RuntimeErr>() {
            runtime_outage(runtime)
        } else {
            e.downcast_ref::<ConnAcquireErr>().map(|_| Outage::Unreachable)
        };
        if found.is_some() {
            return found;
        }
        next = e.source();
    }
    None
}

fn runtime_outage(error: &RuntimeErr) -> Option<Outage> {
    use sea_orm::sqlx::Error;
    let RuntimeErr::SqlxError(error) = error else { return None };
    match error.as_ref() {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => {
            Some(Outage::Unreachable)
        }
        Error::Database(e) if e.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>().is_some() => {
            // SQLite's primary result code is the low byte of the extended one.
            match e.code()?.parse::<i32>().ok()? & 0xff {
                13 => Some(Outage::DiskFull),         // SQLITE_FULL
                8 => Some(Outage::ReadOnly),          // SQLITE_READONLY
                5 | 6 => Some(Outage::Busy),          // SQLITE_BUSY, SQLITE_LOCKED
                10 | 14 => Some(Outage::Unreachable), // SQLITE_IOERR, SQLITE_CANTOPEN
                11 | 26 => Some(Outage::Corrupt),     // SQLITE_CORRUPT, SQLITE_NOTADB
                _ => None,
            }
        }
        Error::Database(e) => {
            let code = e.code()?;
            match code.as_ref() {
                "53100" => Some(Outage::DiskFull),
                "25006" => Some(Outage::ReadOnly),
                "40001" | "40P01" | "55P03" | "57014" => Some(Outage::Busy),
                "XX001" | "XX002" => Some(Outage::Corrupt),
                // Connection exceptions, the server shutting down or starting up, out of
                // connections or memory.
                c if c.starts_with("08") || c.starts_with("57P") || c.starts_with("53") => Some(Outage::Unreachable),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A clear sentence for an error caused by the state of the database, naming the database
/// file (or server) and the cause; `None` for any other error, which speaks for itself.
pub fn explain(error: &anyhow::Error, url: &str) -> Option<String> {
    let outage = error.chain().find_map(outage_in)?;
    let place = match sqlite_file(url) {
        Some(file) => format!("het databasebestand {file}"),
        None => format!("de database {}", redact(url)),
    };
    Some(match outage {
        Outage::DiskFull => format!(
            "{place} kan niet groeien: schijf vol. Er is niets half opgeslagen; maak ruimte vrij en probeer het opnieuw."
        ),
        Outage::ReadOnly => format!(
            "{place} is alleen-lezen (het bestand, de map of de schijf is niet schrijfbaar, of de URL vraagt \
             mode=ro); er is niets gewijzigd."
        ),
        Outage::Busy => format!("{place} is bezet door een ander proces; probeer het zo opnieuw."),
        Outage::Corrupt => format!(
            "{place} is beschadigd ({}). Opnieuw proberen helpt niet: zet de laatste goede back-up terug \
             (zie 'Backups' in de README).",
            error.root_cause()
        ),
        Outage::Unreachable => {
            let cause = error.root_cause();
            format!("{place} is niet bereikbaar ({cause}); er is niets gewijzigd. Probeer het zo opnieuw.")
        }
    })
}

/// The file of a SQLite URL (`sqlite://FILE?mode=rwc`, `sqlite:FILE`).
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

/// A statement written with `$n` placeholders for either backend: SQLite gets `?n`, which
/// binds the same positions.
pub fn statement(db: &impl ConnectionTrait, postgres: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let text = if backend == DbBackend::Sqlite { postgres.replace('$', "?") } else { postgres.to_string() };
    Statement::from_sql_and_values(backend, text, values)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (waiting out the busy timeout there): a plain `BEGIN` that reads first and writes later
/// fails at once with "database is locked" when another process wrote in between, because
/// SQLite cannot move its snapshot forward and does not wait in that case. PostgreSQL
/// ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    db.begin_with_options(options).await
}

/// Whether the database refused a row for breaking a unique index or key.
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &credentials[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Outage, explain, outage, redact};
    use sea_orm::{ConnAcquireErr, DbErr};

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://peiling:geheim@db:5432/peiling"), "postgres://peiling:***@db:5432/peiling");
        assert_eq!(redact("postgres://db/peiling"), "postgres://db/peiling");
        assert_eq!(redact("sqlite://peiling.db?mode=rwc"), "sqlite://peiling.db?mode=rwc");
    }

    #[test]
    fn outages_are_told_from_bugs() {
        assert_eq!(outage(&DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)), Some(Outage::Unreachable));
        assert_eq!(outage(&DbErr::Custom("a bug".into())), None);
        assert_eq!(outage(&DbErr::RecordNotFound("x".into())), None);
        let timeout = anyhow::Error::new(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)).context("opening");
        let said = explain(&timeout, "postgres://peiling:geheim@db/peiling").unwrap();
        assert!(said.starts_with("de database postgres://peiling:***@db/peiling is niet bereikbaar"), "{said}");
        assert_eq!(explain(&anyhow::anyhow!("something else"), "sqlite://x.db"), None);
    }
}
