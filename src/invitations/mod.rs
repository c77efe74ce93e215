//! Inviting people: reading invitee lists, personal links, and the mailing.

pub mod import;
pub mod lifecycle;

use crate::audit::{self, Action, Actor};
use crate::store::{StoreError, invitees, surveys::Survey};
use sea_orm::DatabaseConnection;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Rows(#[from] import::ImportErrors),
    #[error("{}", too_large())]
    TooLarge,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a list over [`import::MAX_FILE_BYTES`] is refused, for every way it can arrive.
pub fn too_large() -> String {
    format!(
        "het bestand is groter dan {} MB, de grens voor één genodigdenlijst (zo'n 250.000 regels); \
         splits de lijst in delen en importeer ze na elkaar",
        import::MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Imports an invitee list into a survey: every row, or none. The trail gets the number
/// imported, in the same transaction; never an address.
pub async fn import_file(
    db: &DatabaseConnection,
    actor: &Actor,
    survey: &Survey,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, ImportError> {
    if bytes.len() > import::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let existing = invitees::existing_emails(db, survey.row.id).await?;
    let teams: Vec<String> = survey.groups.iter().map(|g| g.code.clone()).collect();
    let rows = import::parse(bytes, &teams, &existing)?;
    let txn = crate::db::begin_write(db).await.map_err(StoreError::Db)?;
    // The unique index on (survey, email) still guards against a concurrent import of the same
    // address: then the whole transaction rolls back.
    let count = invitees::add_all(&txn, survey, rows, now).await?;
    let detail = if count == 1 { "1 genodigde".to_string() } else { format!("{count} genodigden") };
    audit::record(&txn, actor, Some(&survey.row), Action::InviteesImported, &detail, now)
        .await
        .map_err(StoreError::Db)?;
    txn.commit().await.map_err(StoreError::Db)?;
    Ok(count)
}
