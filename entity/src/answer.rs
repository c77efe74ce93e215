use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answers")]
pub struct Model {
    /// Random, like the response's.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub response_id: i64,
    pub question: String,
    pub option: Option<String>,
    pub number: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub text: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
