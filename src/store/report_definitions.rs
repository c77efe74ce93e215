//! A survey's own report definition, as the researcher stored it (checked by
//! `report::source::set` before it gets here).

use super::StoreError;
use chrono::{DateTime, Utc};
use entity::report_definition;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// Stores `source` as the survey's report definition, replacing any earlier one.
pub async fn put(
    db: &impl ConnectionTrait,
    survey_id: i32,
    source: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = report_definition::ActiveModel {
        survey_id: Set(survey_id),
        source: Set(source.to_string()),
        updated_by: Set(by.to_string()),
        updated_at: Set(now),
    };
    report_definition::Entity::insert(row)
        .on_conflict(
            OnConflict::column(report_definition::Column::SurveyId)
                .update_columns([
                    report_definition::Column::Source,
                    report_definition::Column::UpdatedBy,
                    report_definition::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The survey's stored report definition, if it has one.
pub async fn get(db: &impl ConnectionTrait, survey_id: i32) -> Result<Option<String>, StoreError> {
    Ok(report_definition::Entity::find_by_id(survey_id).one(db).await?.map(|r| r.source))
}

/// Removes the survey's own definition: it gets the bundled or the plain one again.
pub async fn remove(db: &impl ConnectionTrait, survey_id: i32) -> Result<bool, StoreError> {
    Ok(report_definition::Entity::delete_by_id(survey_id).exec(db).await?.rows_affected > 0)
}
