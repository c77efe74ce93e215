//! What the researcher's API answers about surveys: the list, imports and reminders, opening,
//! the review, publishing, the report definition, the members and the audit trail.

use crate::audit::Event;
use crate::progress::Progress;
use crate::review::Item;
use crate::teams::Member;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The surveys the caller works on.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"surveys": [{
    "id": "maatwerkbudget-2021", "title": "Hulpverleners Maatwerkbudget", "status": "closed",
    "closes_at": "2021-05-31T21:59:59Z", "invited": 143, "responded": 54
}]}))]
pub struct SurveyList {
    pub surveys: Vec<SurveySummary>,
}

/// One survey in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveySummary {
    /// The survey's code.
    pub id: String,
    pub title: String,
    pub status: crate::store::surveys::Status,
    pub closes_at: Option<DateTime<Utc>>,
    pub invited: u64,
    pub responded: u64,
}

/// An invitee list imported: how many rows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"imported": 143}))]
pub struct Imported {
    pub imported: usize,
}

/// Messages queued: reminders to those who have not answered yet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"queued": 89}))]
pub struct Queued {
    pub queued: u64,
}

/// A survey opened: its progress, and how many invitations were queued.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = opened_example)]
pub struct Opened {
    #[serde(flatten)]
    pub progress: Progress,
    pub queued: u64,
}

fn opened_example() -> serde_json::Value {
    let mut opened = crate::progress::example();
    opened["status"] = "open".into();
    opened["queued"] = 143.into();
    opened
}

/// The texts to review, in their order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"casussen": [crate::review::item_example()]}))]
pub struct ReviewList {
    pub casussen: Vec<Item>,
}

/// A version in the reading room.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "version": 2, "title": "Hulpverleners Maatwerkbudget", "url": "/rapporten/3"}))]
pub struct Published {
    pub id: i32,
    pub version: i32,
    pub title: String,
    /// The report's page in the reading room, e.g. `/rapporten/3`.
    pub url: String,
}

/// A report definition stored: its sections and figures.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"sections": 6, "figures": 14}))]
pub struct ReportDefinitionStored {
    pub sections: usize,
    pub figures: usize,
}

/// The researchers of a survey, its owner first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"members": [
    {"email": "onderzoeker@example.org", "owner": true, "added_at": "2021-05-10T08:00:00Z"},
    {"email": "collega@example.org", "owner": false, "added_at": "2021-05-12T13:30:00Z"}
]}))]
pub struct Members {
    pub members: Vec<Member>,
}

/// The audit trail, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"events": [{
    "at": "2021-06-01T09:12:00Z", "actor": "onderzoeker@example.org", "survey": "maatwerkbudget-2021",
    "action": "exported", "label": "gegevens geëxporteerd", "detail": "csv"
}]}))]
pub struct AuditTrail {
    pub events: Vec<Event>,
}
