//! The word lists of the API's parameters, for the OpenAPI document: what a path or query
//! parameter takes, where the handler reads it as text (and says in Dutch what it does not know).

use utoipa::ToSchema;

/// The formats of the audit trail.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum TrailFormat {
    Json,
    Csv,
}

/// The formats of an export.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Spss,
    /// An R script that reads the CSV.
    R,
}

/// A researcher's decision on a text, in Dutch or English.
#[derive(ToSchema)]
pub enum DecisionWord {
    #[schema(rename = "opnemen")]
    Opnemen,
    #[schema(rename = "niet opnemen")]
    NietOpnemen,
    #[schema(rename = "include")]
    Include,
    #[schema(rename = "exclude")]
    Exclude,
    #[schema(rename = "pending")]
    Pending,
}
