use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub frozen_definition: Option<String>,
    pub closes_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// When the scheduled reminder goes out; cleared once it is queued.
    pub remind_at: Option<DateTimeUtc>,
    /// When the personal data was deleted after the retention period.
    pub purged_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
