//! Noticing a damaged database, so that nothing acknowledged vanishes without anyone knowing.
//!
//! - Before `peiling serve` opens a SQLite file: its write-ahead log is read without SQLite
//!   (`wal`), because SQLite silently drops every transaction after a damaged frame and, once
//!   it has opened the file, checkpoints and deletes the log with them; then `PRAGMA
//!   quick_check`. Either failing stops the start with a message that names the file, says what
//!   is wrong and how to restore a backup.
//! - While serving: a damaged file or server (`db::Outage::Corrupt`) raises the process's
//!   `Alarm`, which is logged once; from then on every request gets 503 and `/readyz` says not
//!   ready, so nothing more is acknowledged that a restore would lose.
//! - Before any other command opens a SQLite file (`open`): its log, as above.
//! - `backup`: a consistent copy of a SQLite file, checked before it is reported.
//!
//! PostgreSQL checks its own pages (data checksums, `amcheck`); peiling only reacts to the
//! errors it reports.

pub mod alarm;
pub mod backup;
pub mod wal;

pub use alarm::Alarm;

use crate::db;
use sea_orm::{DatabaseConnection, DbErr};
use std::fmt;
use std::path::{Path, PathBuf};

/// Lines of a failed check that a message shows; the rest are counted.
const SHOWN_LINES: usize = 5;

/// Why peiling will not work on a SQLite file.
#[derive(Debug)]
pub enum Damage {
    /// The log holds committed transactions that SQLite would skip.
    Log { file: PathBuf, broken: wal::Break },
    /// `PRAGMA quick_check` found damaged pages; its first lines and how many more there are.
    Pages { file: PathBuf, lines: Vec<String>, more: usize },
    /// SQLite refuses to read the file at all.
    Unreadable { file: PathBuf, cause: String },
}

impl std::error::Error for Damage {}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Log { file, broken } => {
                let log = format!("{}-wal", file.display());
                if broken.reason == wal::Reason::Header {
                    write!(f, "de kop van het WAL-bestand {log} is beschadigd")?;
                } else {
                    let what = match broken.reason {
                        wal::Reason::Checksum => "klopt niet met zijn controlesom",
                        wal::Reason::Salt => "hoort niet bij de rest van het logboek (andere salt)",
                        wal::Reason::PageNumber | wal::Reason::Header => "heeft een onmogelijk paginanummer",
                    };
                    let frame = broken.frame;
                    write!(f, "het WAL-bestand {log} is beschadigd: frame {frame} (pagina {}) {what}", broken.page)?;
                }
                write!(
                    f,
                    ", terwijl er daarna nog {} geldige frames met {} afgeronde transacties volgen. SQLite zou die \
                     bij het openen zonder foutmelding overslaan, en daarmee antwoorden die al bevestigd waren; \
                     peiling heeft de database daarom niet geopend. {}",
                    broken.later_frames,
                    broken.later_commits,
                    restore(file, true)
                )
            }
            Damage::Pages { file, lines, more } => {
                writeln!(f, "het databasebestand {} is beschadigd. PRAGMA quick_check meldt:", file.display())?;
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
                if *more > 0 {
                    writeln!(f, "  (en nog {more} meldingen)")?;
                }
                write!(f, "{}", restore(file, false))
            }
            Damage::Unreadable { file, cause } => {
                write!(f, "het databasebestand {} is niet te lezen ({cause}). {}", file.display(), restore(file, false))
            }
        }
    }
}

/// How to get a sound database back. Deleting only the log would throw away the transactions
/// in it and leave the damage; a backup's file must not meet the old file's log and shared
/// memory, which SQLite would apply to it.
fn restore(file: &Path, log: bool) -> String {
    let file = file.display();
    let keep_log = if log {
        "Verwijder het -wal-bestand niet en open de database niet met een ander programma: de \
         transacties staan er nog in, en alleen het -wal-bestand weggooien herstelt niets. "
    } else {
        ""
    };
    format!(
        "{keep_log}Zo herstel je het: stop elk peiling-proces dat deze database gebruikt; kopieer {file}, \
         {file}-wal en {file}-shm (voor zover ze er zijn) naar een veilige plek; kopieer de laatste goede \
         back-up (gemaakt met 'peiling backup') naar {file}; verwijder {file}-wal en {file}-shm, want die \
         horen bij het beschadigde bestand; start peiling opnieuw. Wat na die back-up binnenkwam, ontbreekt \
         daarna; zie 'Backups' in de README."
    )
}

/// Connects as `db::connect` does, after reading a SQLite file's log: opening the file lets
/// SQLite replay the log up to a damaged frame and, at the first checkpoint, delete it with
/// every later transaction, which any command that writes (closing a survey, an import) would
/// do without a word.
pub async fn open(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(name) = db::sqlite_file(url)
        && Path::new(name).is_file()
    {
        check_log(Path::new(name))?;
    }
    db::connect(url).await
}

/// The checks before `peiling serve` opens a SQLite database; nothing for PostgreSQL or a file
/// that does not exist yet.
pub async fn check_before_serving(url: &str) -> anyhow::Result<()> {
    let Some(name) = db::sqlite_file(url) else { return Ok(()) };
    let file = Path::new(name);
    if !file.is_file() {
        return Ok(());
    }
    check_log(file)?;
    let database = match db::connect_only(url).await {
        Ok(database) => database,
        Err(e) => return Err(unreadable(file, e)),
    };
    let checked = quick_check(&database).await;
    database.close().await?;
    match checked {
        Ok(Check::Sound) => Ok(()),
        Ok(Check::Damaged { lines, more }) => Err(Damage::Pages { file: file.to_path_buf(), lines, more }.into()),
        Err(e) => Err(unreadable(file, anyhow::Error::new(e))),
    }
}

/// A failure to open or read the file: damage when SQLite says so, else the error itself.
fn unreadable(file: &Path, e: anyhow::Error) -> anyhow::Error {
    if e.chain().find_map(db::outage_in) == Some(db::Outage::Corrupt) {
        Damage::Unreadable { file: file.to_path_buf(), cause: e.root_cause().to_string() }.into()
    } else {
        e
    }
}

/// Reads `FILE-wal`, if there is one. A log that another process is writing can change under
/// the reader (a restart rewrites it from the start), so a break counts only when a second
/// reading finds it at the same frame.
pub fn check_log(file: &Path) -> anyhow::Result<()> {
    let log = PathBuf::from(format!("{}-wal", file.display()));
    let read = || -> anyhow::Result<Option<wal::Break>> {
        match std::fs::File::open(&log) {
            Ok(opened) => Ok(wal::scan(std::io::BufReader::new(opened))?.broken),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("kan {} niet lezen", log.display()))),
        }
    };
    let Some(first) = read()? else { return Ok(()) };
    match read()? {
        Some(again) if again.frame == first.frame && again.reason == first.reason => {
            Err(Damage::Log { file: file.to_path_buf(), broken: again }.into())
        }
        _ => Ok(()),
    }
}

/// How often `peiling serve` runs `quick_check` on SQLite by default: see the README
/// ("Backups") for what it costs on a large file.
pub const QUICK_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The periodic check of the background loop: finds damage in pages that no request read yet
/// (old responses, say), while a good backup is still at hand. Raises the alarm on damage.
pub async fn check_while_serving(database: &DatabaseConnection, alarm: &Alarm) {
    let started = std::time::Instant::now();
    match quick_check(database).await {
        Ok(Check::Sound) => {
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "quick_check: ok");
        }
        Ok(Check::Damaged { lines, more }) => {
            let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
            alarm.raise(&format!("PRAGMA quick_check: {}{more}", lines.join("; ")));
        }
        Err(e) if db::outage(&e) == Some(db::Outage::Corrupt) => alarm.raise(&format!("PRAGMA quick_check: {e}")),
        // Away or busy: the next round will tell.
        Err(e) => tracing::warn!(error = %e, "quick_check could not run; trying again later"),
    }
}

/// What `PRAGMA quick_check` said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Sound,
    Damaged { lines: Vec<String>, more: usize },
}

/// `PRAGMA quick_check` on SQLite: every page and row read once (not the indexes' contents
/// against their tables, which `integrity_check` adds at a much higher cost). On some damage
/// SQLite reports lines and then fails the statement; the lines are kept, and the failure is
/// the last line. A failure that is not damage (busy, away) is returned as an error.
pub async fn quick_check(database: &DatabaseConnection) -> Result<Check, DbErr> {
    use futures_util::TryStreamExt;
    if database.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Err(DbErr::Custom("PRAGMA quick_check exists on SQLite only".into()));
    }
    let pool = database.get_sqlite_connection_pool();
    let mut rows = sea_orm::sqlx::query_scalar::<_, String>("PRAGMA quick_check").fetch(pool);
    let mut lines = Vec::new();
    loop {
        match rows.try_next().await {
            // One row may hold several lines.
            Ok(Some(row)) => lines.extend(row.lines().map(str::to_string)),
            Ok(None) => break,
            Err(e) => {
                let e = DbErr::Query(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e)));
                if db::outage(&e) != Some(db::Outage::Corrupt) {
                    return Err(e);
                }
                lines.push(e.to_string());
                break;
            }
        }
    }
    if lines.len() == 1 && lines[0] == "ok" {
        return Ok(Check::Sound);
    }
    let more = lines.len().saturating_sub(SHOWN_LINES);
    Ok(Check::Damaged { lines: lines.into_iter().take(SHOWN_LINES).collect(), more })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_file_the_finding_and_the_way_back() {
        let broken =
            wal::Break { frame: 7, page: 3, reason: wal::Reason::Checksum, later_frames: 12, later_commits: 2 };
        let said = Damage::Log { file: "/data/peiling.db".into(), broken }.to_string();
        for part in
            ["/data/peiling.db-wal", "frame 7 (pagina 3)", "12 geldige frames met 2 afgeronde", "peiling backup"]
        {
            assert!(said.contains(part), "{part}: {said}");
        }
        assert!(said.contains("Verwijder het -wal-bestand niet"), "{said}");
        let lines = vec!["*** in database main ***".to_string(), "Tree 5 page 5: btreeInitPage() returns 11".into()];
        let said = Damage::Pages { file: "peiling.db".into(), lines, more: 3 }.to_string();
        assert!(said.contains("btreeInitPage") && said.contains("en nog 3 meldingen"), "{said}");
        assert!(said.contains("verwijder peiling.db-wal en peiling.db-shm"), "{said}");
    }
}
