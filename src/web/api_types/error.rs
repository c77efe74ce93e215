//! The body of every error answer of the API.

use serde::Serialize;
use utoipa::ToSchema;

/// Every error: a stable code, a Dutch message, and details such as the problems per question
/// or per CSV row (left out when there are none).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "not_found", "message": "Deze link bestaat niet."}))]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub details: Option<Vec<serde_json::Value>>,
}
