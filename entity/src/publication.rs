use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub survey_id: i32,
    /// 1, 2, ... per survey: a published version never changes; a correction is a new one.
    pub version: i32,
    pub title: String,
    /// The summary bullets, one per line.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[sea_orm(column_type = "Blob")]
    pub pdf: Vec<u8>,
    /// The same report as accessible HTML.
    #[sea_orm(column_type = "Text")]
    pub html: String,
    pub published_at: DateTimeUtc,
    pub published_by: i32,
}

impl ActiveModelBehavior for ActiveModel {}
