//! Inviting people: reading invitee lists, personal links, and the mailing.

pub mod import;
pub mod lifecycle;

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

/// Imports an invitee list into a survey: every row, or none.
pub async fn import_file(db: &DatabaseConnection, survey: &Survey, bytes: &[u8]) -> Result<usize, ImportError> {
    if bytes.len() > import::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let existing = invitees::existing_emails(db, survey.row.id).await?;
    let teams: Vec<String> = survey.groups.iter().map(|g| g.code.clone()).collect();
    let rows = import::parse(bytes, &teams, &existing)?;
    // The unique index on (survey, email) still guards against a concurrent import of the same
    // address: then the whole transaction rolls back.
    Ok(invitees::add_all(db, survey, rows, chrono::Utc::now()).await?)
}
