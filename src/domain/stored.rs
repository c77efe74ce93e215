//! Words read back from a column that holds a closed set, checked on the way in.

use sea_orm::DbErr;

/// A word in a column that holds a closed set (a survey's status, a message's kind, an
/// account's role, a review decision) that is none of the set's words. Read back, such a row is
/// an error naming where the word is, never taken for one of the words peiling knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}.{column} bevat de onbekende waarde '{value}'")]
pub struct UnknownValue {
    pub table: &'static str,
    pub column: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(table: &'static str, column: &'static str, value: &str) -> UnknownValue {
        UnknownValue { table, column, value: value.to_string() }
    }
}

impl From<UnknownValue> for DbErr {
    fn from(e: UnknownValue) -> DbErr {
        DbErr::Custom(e.to_string())
    }
}
