//! The alarm a `peiling serve` process raises when its database turns out to be damaged. It
//! never clears: a damaged file does not heal, and what a process would acknowledge after this
//! point would be lost again when the file is restored from a backup. The web layer answers 503
//! while it is raised and the background loop stops; the cause is logged once, when it is
//! raised, however many requests meet the damage.

use sea_orm::{DatabaseConnection, DbBackend};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone)]
pub struct Alarm {
    cause: Arc<OnceLock<String>>,
    /// The file or server, for the log line.
    database: Arc<str>,
}

impl Alarm {
    /// An alarm for the database behind `db`, named as its file or server.
    pub fn watching(db: &DatabaseConnection) -> Alarm {
        let database = match db.get_database_backend() {
            DbBackend::Sqlite => db.get_sqlite_connection_pool().connect_options().get_filename().display().to_string(),
            DbBackend::Postgres => {
                let options = db.get_postgres_connection_pool().connect_options();
                let name = options.get_database().unwrap_or_default();
                format!("postgres://{}:{}/{name}", options.get_host(), options.get_port())
            }
            other => format!("{other:?}"),
        };
        Alarm { cause: Arc::default(), database: database.into() }
    }

    /// Raises the alarm; only the first cause is kept and logged.
    pub fn raise(&self, cause: &str) {
        if self.cause.set(cause.to_string()).is_ok() {
            tracing::error!(
                database = %self.database,
                cause,
                "the database is damaged: this process now answers 503 and /readyz not ready, until the \
                 database is restored from a backup and peiling is started again"
            );
        }
    }

    /// The cause, once raised.
    pub fn raised(&self) -> Option<&str> {
        self.cause.get().map(String::as_str)
    }
}
