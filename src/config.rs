//! Settings from the environment, with defaults that work on a fresh machine.

use std::path::PathBuf;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://peiling.db?mode=rwc";

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://FILE?mode=rwc` (default `peiling.db` here) or `postgres://...`.
    pub database_url: String,
    /// `PEILING_BASE_URL`: how respondents reach this server; personal links start with it.
    pub base_url: String,
    /// `PEILING_OUTBOX_DIR`: where messages go as .eml files when no SMTP server is set.
    pub outbox_dir: PathBuf,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Config {
    pub fn from_env() -> Config {
        Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            base_url: var("PEILING_BASE_URL")
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_string())
                .trim_end_matches('/')
                .to_string(),
            outbox_dir: var("PEILING_OUTBOX_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("outbox")),
        }
    }
}
