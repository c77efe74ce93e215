//! The researcher's narrative text per survey, by key (see `report::document` for the keys),
//! stored in the normal form of typed text (`domain::text`), as every edge stores it.

use super::StoreError;
use crate::domain::text::{self, Layout};
use chrono::{DateTime, Utc};
use entity::report_text;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::collections::HashMap;

/// Sets (or, with empty text, removes) one narrative text.
pub async fn set(
    db: &impl ConnectionTrait,
    survey_id: i32,
    key: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let existing = report_text::Entity::find()
        .filter(report_text::Column::SurveyId.eq(survey_id))
        .filter(report_text::Column::Key.eq(key))
        .one(db)
        .await?;
    let text = text::clean(text, Layout::Lines);
    match (existing, text.is_empty()) {
        (Some(row), true) => {
            report_text::Entity::delete_by_id(row.id).exec(db).await?;
        }
        (Some(row), false) => {
            let mut row = row.into_active_model();
            row.text = Set(text);
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        (None, false) => {
            report_text::ActiveModel {
                survey_id: Set(survey_id),
                key: Set(key.to_string()),
                text: Set(text),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        (None, true) => {}
    }
    Ok(())
}

pub async fn all(db: &impl ConnectionTrait, survey_id: i32) -> Result<HashMap<String, String>, StoreError> {
    Ok(report_text::Entity::find()
        .filter(report_text::Column::SurveyId.eq(survey_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.key, r.text))
        .collect())
}
