use super::StoreError;
use super::surveys::Survey;
use crate::domain::EmailAddress;
use chrono::{DateTime, Utc};
use entity::invitee;
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitee {
    pub email: EmailAddress,
    pub name: Option<String>,
    pub group: String,
}

/// Adds invitees in one transaction: all of them, or none when any fails.
pub async fn add_all(
    db: &impl TransactionTrait,
    survey: &Survey,
    invitees: Vec<NewInvitee>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let count = invitees.len();
    let txn = crate::db::begin_write(db).await?;
    // Checked in the transaction that adds them, so an opening at the same moment cannot slip
    // in between: once opened, the invitations are queued and the response rate counts everyone.
    let lock = if txn.get_database_backend() == sea_orm::DbBackend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT status FROM surveys WHERE id = $1{lock}");
    let status: Option<String> = txn
        .query_one_raw(crate::db::statement(&txn, &sql, vec![survey.row.id.into()]))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?;
    if status.as_deref().map(super::surveys::Status::stored).transpose()? != Some(super::surveys::Status::Draft) {
        return Err(StoreError::NotDraft(survey.row.slug.clone()));
    }
    // Rows are built per batch, so a list of 250,000 people is not held twice over; batches keep
    // each statement under SQLite's bound-parameter limit. An error drops `txn`: nothing stays.
    let mut invitees = invitees.into_iter().peekable();
    while invitees.peek().is_some() {
        let mut batch = Vec::with_capacity(500);
        for new in invitees.by_ref().take(500) {
            let group = survey.group_by_code(&new.group).ok_or_else(|| StoreError::UnknownGroup {
                survey: survey.row.slug.clone(),
                group: new.group.clone(),
            })?;
            batch.push(invitee::ActiveModel {
                survey_id: Set(survey.row.id),
                group_id: Set(group.id),
                email: Set(new.email.to_string()),
                name: Set(new.name),
                created_at: Set(now),
                ..Default::default()
            });
        }
        // The import checked the addresses before; another import at the same moment may still
        // have added one of them since, and the unique index on (survey, email) says so.
        invitee::Entity::insert_many(batch).exec(&txn).await.map_err(|e| {
            if crate::db::is_unique_violation(&e) { StoreError::AddedMeanwhile } else { StoreError::Db(e) }
        })?;
    }
    txn.commit().await?;
    Ok(count)
}

/// The addresses already invited to a survey, in lower case, for duplicate checks on import.
pub async fn existing_emails(
    db: &impl sea_orm::ConnectionTrait,
    survey_id: i32,
) -> Result<std::collections::HashSet<String>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    Ok(invitee::Entity::find()
        .select_only()
        .column(invitee::Column::Email)
        .filter(invitee::Column::SurveyId.eq(survey_id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.to_lowercase())
        .collect())
}
