use sea_orm::entity::prelude::*;

/// A respondent's saved progress (the raw answers and the screen), one row per invitee, deleted
/// when they submit or the survey closes.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub invitee_id: i32,
    #[sea_orm(column_type = "Text")]
    pub content: String,
}

impl ActiveModelBehavior for ActiveModel {}
