//! `peiling backup`: a copy of a SQLite database with `VACUUM INTO`. It reads one snapshot, so
//! the copy is consistent while `peiling serve` goes on writing, and it writes the rows only,
//! not the freed pages where deleted addresses and drafts may linger. The copy is synced to
//! disk and checked with `PRAGMA quick_check` before it is reported. PostgreSQL has its own
//! tools for this (`pg_dump`, `pg_restore`).

use crate::db;
use anyhow::{Context, bail};
use sea_orm::ConnectionTrait;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{Connection, SqliteConnection};
use std::path::{Path, PathBuf};

/// A backup that was written and checked.
#[derive(Debug)]
pub struct Copy {
    pub source: PathBuf,
    pub file: PathBuf,
    pub bytes: u64,
    /// Submitted responses in the copy, for the operator to compare (`None` in a database
    /// without peiling's tables).
    pub responses: Option<i64>,
}

/// Writes a backup of the SQLite database at `url` to `target`, which must not exist.
pub async fn write(url: &str, target: &Path) -> anyhow::Result<Copy> {
    let Some(source) = db::sqlite_file(url) else {
        bail!(
            "peiling backup maakt alleen back-ups van SQLite. Maak van PostgreSQL een back-up met pg_dump \
             (bijvoorbeeld pg_dump -Fc -f peiling.dump {}) en zet hem terug met pg_restore.",
            db::redact(url)
        );
    };
    let source = PathBuf::from(source);
    if !source.is_file() {
        bail!("het databasebestand {} bestaat niet; er is niets om te bewaren", source.display());
    }
    // Opening the file would replay the log up to a damaged frame and drop the rest for good;
    // the copy would then lack acknowledged responses and the evidence would be gone.
    super::check_log(&source)?;
    let Some(name) = target.to_str() else {
        bail!("de naam {} is geen UTF-8; kies een naam met gewone tekens", target.display());
    };
    // Made empty here, so no other process can slip a file in between the check and the copy
    // (SQLite writes into an empty file), and so a failed copy is ours to remove.
    std::fs::OpenOptions::new().write(true).create_new(true).open(target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
            "{} bestaat al; een back-up overschrijft nooit een bestand. Kies een nieuwe naam, bijvoorbeeld \
             met de datum erin.",
            target.display()
        ),
        _ => anyhow::Error::new(e).context(format!("kan {} niet aanmaken", target.display())),
    })?;
    match copy(url, name, target).await {
        Ok(responses) => {
            let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
            Ok(Copy { source, file: target.to_path_buf(), bytes, responses })
        }
        Err(e) => {
            let _ = std::fs::remove_file(target);
            Err(e)
        }
    }
}

async fn copy(url: &str, name: &str, target: &Path) -> anyhow::Result<Option<i64>> {
    let database = db::connect_only(url).await?;
    let vacuum = database.execute_raw(db::statement(&database, "VACUUM INTO $1", vec![name.into()])).await;
    database.close().await?;
    if let Err(e) = vacuum {
        // The copy is what grows: a full disk is the target's, not the database's.
        if db::outage(&e) == Some(db::Outage::DiskFull) {
            bail!("de back-up past niet op de schijf van {}: schijf vol; er is niets bewaard", target.display());
        }
        // Damage in the source keeps its cause, so the message says which file and what to do.
        return Err(anyhow::Error::new(e).context(format!("de back-up naar {} is mislukt", target.display())));
    }
    // VACUUM INTO leaves syncing to the system; a backup that a power cut can take is none.
    std::fs::File::open(target)?.sync_all()?;
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(folder)?.sync_all()?;
    }
    check(target).await
}

/// Opens the copy read-only as SQLite would after a restore, checks it and counts its responses.
async fn check(target: &Path) -> anyhow::Result<Option<i64>> {
    let options = SqliteConnectOptions::new().filename(target).read_only(true);
    let mut connection = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("de back-up {} opent niet", target.display()))?;
    let lines: Vec<String> = sea_orm::sqlx::query_scalar("PRAGMA quick_check").fetch_all(&mut connection).await?;
    if lines != ["ok"] {
        bail!("de back-up {} is niet in orde; PRAGMA quick_check meldt: {}", target.display(), lines.join("; "));
    }
    let tables: i64 = sea_orm::sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'responses'")
        .fetch_one(&mut connection)
        .await?;
    let responses = match tables {
        0 => None,
        _ => Some(sea_orm::sqlx::query_scalar("SELECT COUNT(*) FROM responses").fetch_one(&mut connection).await?),
    };
    connection.close().await?;
    Ok(responses)
}
