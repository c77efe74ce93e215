use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "text_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub survey_id: i32,
    #[sea_orm(unique)]
    pub answer_id: i64,
    pub question: String,
    #[sea_orm(column_type = "Text")]
    pub anonymised: String,
    pub edited: bool,
    /// pending, include or exclude.
    pub decision: String,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
