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
    /// `PEILING_SMTP_URL`: e.g. `smtps://user:password@mail.example.org`; unset means the outbox folder.
    pub smtp_url: Option<String>,
    /// `PEILING_MAIL_FROM`: the sender of invitations.
    pub mail_from: String,
    /// `PEILING_LISTEN`: the address `peiling serve` listens on (default 127.0.0.1:8080).
    pub listen: String,
    /// `PEILING_MAIL_LEASE_SECONDS`: how long a worker's claim on a message holds (default 120).
    pub mail_lease: chrono::Duration,
    /// `PEILING_RETENTION_DAYS`: days after closing until invitee addresses, tokens and original
    /// texts are deleted (default 90).
    pub retention_days: u32,
    /// `PEILING_MAIL_RETRY_SECONDS`: the first wait before a temporary mail failure is tried
    /// again; it doubles with every further failure (default 30).
    pub mail_retry: chrono::Duration,
    /// `PEILING_QUICK_CHECK_SECONDS`: how often `peiling serve` checks a SQLite file with
    /// `PRAGMA quick_check` (default 3600; 0 turns it off).
    pub quick_check: Option<std::time::Duration>,
    /// `PEILING_METRICS_TOKEN`: `/metrics` answers only with `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// `PEILING_METRICS_LISTEN`: `/metrics` is served on this address only (by `peiling serve`).
    pub metrics_listen: Option<String>,
    /// `PEILING_READING_ROOM`: `public` (default) or `login`.
    pub reading_room: ReadingRoom,
    /// `PEILING_TRUSTED_PROXY`: the addresses (`IP[,IP]`) of the reverse proxies in front of
    /// `peiling serve`, whose `X-Forwarded-For` names the client; unset, the header is ignored.
    pub trusted_proxy: Option<String>,
}

/// Who may read the published reports in `/rapporten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadingRoom {
    /// Anyone: a published council report is a public document.
    #[default]
    Public,
    /// Only signed-in accounts (readers, researchers, admins), for departments that want it.
    Login,
}

impl ReadingRoom {
    pub fn parse(text: &str) -> Option<ReadingRoom> {
        match text.trim().to_ascii_lowercase().as_str() {
            "public" => Some(ReadingRoom::Public),
            "login" => Some(ReadingRoom::Login),
            _ => None,
        }
    }
}

/// A metrics token shorter than this is refused at start: it would be guessed.
pub const MIN_METRICS_TOKEN: usize = 16;

const DAY_SECONDS: i64 = 24 * 60 * 60;
const MAX_RETENTION_DAYS: u64 = 36_500;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Config {
    /// The settings of this process; a setting with a value it cannot use is an error here, at
    /// start, rather than a default that does something else than was asked.
    pub fn from_env() -> anyhow::Result<Config> {
        let reading_room = match var("PEILING_READING_ROOM") {
            None => ReadingRoom::default(),
            Some(value) => ReadingRoom::parse(&value).ok_or_else(|| {
                anyhow::anyhow!(
                    "PEILING_READING_ROOM={value} is onbekend: kies public (iedereen leest de gepubliceerde \
                     rapporten) of login (alleen wie is ingelogd)"
                )
            })?,
        };
        let metrics_token = var("PEILING_METRICS_TOKEN");
        if let Some(token) = &metrics_token {
            anyhow::ensure!(
                token.len() >= MIN_METRICS_TOKEN && token.bytes().all(|b| b.is_ascii_graphic()),
                "PEILING_METRICS_TOKEN moet minstens {MIN_METRICS_TOKEN} tekens lang zijn, zonder spaties \
                 (bijv. de uitvoer van `openssl rand -hex 32`)"
            );
        }
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            base_url: var("PEILING_BASE_URL")
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_string())
                .trim_end_matches('/')
                .to_string(),
            outbox_dir: var("PEILING_OUTBOX_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("outbox")),
            smtp_url: var("PEILING_SMTP_URL"),
            mail_from: var("PEILING_MAIL_FROM").unwrap_or_else(|| "Onderzoek <onderzoek@example.org>".to_string()),
            listen: var("PEILING_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".to_string()),
            // Capped at a day, a century and a day: larger values mean "long" and must not
            // overflow the date arithmetic they go into.
            mail_lease: var("PEILING_MAIL_LEASE_SECONDS")
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|s| *s > 0)
                .map_or(crate::mail::outbox::LEASE, |s| chrono::Duration::seconds(s.min(DAY_SECONDS))),
            retention_days: var("PEILING_RETENTION_DAYS")
                .and_then(|s| s.parse::<u64>().ok())
                .map_or(crate::retention::DEFAULT_DAYS, |d| d.min(MAX_RETENTION_DAYS) as u32),
            mail_retry: var("PEILING_MAIL_RETRY_SECONDS")
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|s| *s > 0)
                .map_or(crate::mail::outbox::RETRY, |s| chrono::Duration::seconds(s.min(DAY_SECONDS))),
            quick_check: match var("PEILING_QUICK_CHECK_SECONDS").and_then(|s| s.parse::<u64>().ok()) {
                None => Some(crate::integrity::QUICK_CHECK_EVERY),
                Some(0) => None,
                Some(seconds) => Some(std::time::Duration::from_secs(seconds)),
            },
            metrics_token,
            metrics_listen: var("PEILING_METRICS_LISTEN"),
            reading_room,
            trusted_proxy: var("PEILING_TRUSTED_PROXY"),
        })
    }

    /// The trusted proxies; a setting that does not parse is an error, not "no proxy", since
    /// the login protection would then count every client as the proxy.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<std::net::IpAddr>> {
        let Some(list) = &self.trusted_proxy else { return Ok(Vec::new()) };
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| anyhow::anyhow!("PEILING_TRUSTED_PROXY: '{s}' is geen IP-adres (bijv. 10.0.0.2)"))
            })
            .collect()
    }

    /// The transport this configuration asks for.
    pub fn mailer(&self) -> anyhow::Result<Box<dyn crate::mail::transport::Mailer>> {
        Ok(match &self.smtp_url {
            Some(url) => Box::new(
                crate::mail::transport::Smtp::from_url(url)
                    .map_err(|e| anyhow::anyhow!("PEILING_SMTP_URL is not usable: {e}"))?,
            ),
            None => Box::new(crate::mail::transport::Folder::new(&self.outbox_dir)?),
        })
    }
}
