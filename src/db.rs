//! Opening the database and bringing its schema up to date.

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value};
use std::time::Duration;

/// Connects and runs pending migrations, so every command works on a fresh database.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect_only(url).await?;
    Migrator::up(&db, None).await.context("could not bring the database schema up to date")?;
    Ok(db)
}

/// Connects without touching the schema (for `peiling migrate` and migration tests).
pub async fn connect_only(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30));
    // `PEILING_DB_POOL`: connections per process (default 10). More is not faster on a small
    // machine: on 2 cores, 20 connections tripled the p99 of submissions on PostgreSQL.
    let pool = std::env::var("PEILING_DB_POOL").ok().and_then(|v| v.trim().parse::<u32>().ok()).filter(|n| *n > 0);
    options.max_connections(pool.unwrap_or(10));
    if url.starts_with("sqlite:") {
        // WAL lets readers (the live dashboard) work while a writer commits; the busy timeout
        // makes concurrent writers wait their turn instead of failing with "database is locked".
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    Database::connect(options).await.with_context(|| format!("could not open the database at {}", redact(url)))
}

/// A statement written with `$n` placeholders for either backend: SQLite gets `?n`, which
/// binds the same positions.
pub fn statement(db: &impl ConnectionTrait, postgres: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let text = if backend == DbBackend::Sqlite { postgres.replace('$', "?") } else { postgres.to_string() };
    Statement::from_sql_and_values(backend, text, values)
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
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://peiling:geheim@db:5432/peiling"), "postgres://peiling:***@db:5432/peiling");
        assert_eq!(redact("postgres://db/peiling"), "postgres://db/peiling");
        assert_eq!(redact("sqlite://peiling.db?mode=rwc"), "sqlite://peiling.db?mode=rwc");
    }
}
