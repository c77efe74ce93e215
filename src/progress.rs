//! A survey's progress in the field: invited, responded and the response rate per team and in
//! total, and its messages by state. One computation for the API (whose OpenAPI document is
//! derived from these types), the dashboard and the command line; the rate itself is
//! `report::stats::rate`, which the report's response table uses too.

use crate::report::stats;
use crate::store::surveys::{Status, Survey};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GroupProgress {
    pub code: String,
    pub name: String,
    pub invited: u64,
    pub responded: u64,
    /// Whole percents; null when nobody of the team was invited.
    pub rate: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    pub invited: u64,
    pub responded: u64,
    /// Whole percents; null when nobody was invited.
    pub rate: Option<i64>,
}

/// Invited, responded and rate per group and in total, and mail counts per status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = example)]
pub struct Progress {
    /// The survey's code.
    pub id: String,
    pub title: String,
    /// draft, open or closed.
    pub status: Status,
    pub closes_at: Option<DateTime<Utc>>,
    pub remind_at: Option<DateTime<Utc>>,
    pub groups: Vec<GroupProgress>,
    pub total: Totals,
    /// Messages per state: queued, sending, retrying, sent, failed.
    pub mail: BTreeMap<String, u64>,
}

/// The progress the OpenAPI document shows (the API's answer to opening adds to it).
pub fn example() -> serde_json::Value {
    serde_json::json!({
        "id": "maatwerkbudget-2021",
        "title": "Hulpverleners Maatwerkbudget",
        "status": "closed",
        "closes_at": "2021-05-31T21:59:59Z",
        "remind_at": null,
        "groups": [
            {"code": "SWT", "name": "Sociaal Wijkteam", "invited": 75, "responded": 37, "rate": 49},
            {"code": "JLR", "name": "Jeugdteams Leidse Regio", "invited": 68, "responded": 17, "rate": 25}
        ],
        "total": {"invited": 143, "responded": 54, "rate": 38},
        "mail": {"sent": 232}
    })
}

/// The progress of `survey` now.
pub async fn of(db: &impl ConnectionTrait, survey: &Survey) -> Result<Progress, DbErr> {
    let groups = stats::response_per_group(db, survey.row.id).await?;
    let (invited, responded) = stats::totals(&groups);
    Ok(Progress {
        id: survey.row.slug.clone(),
        title: survey.row.title.clone(),
        status: survey.status(),
        closes_at: survey.row.closes_at,
        remind_at: survey.row.remind_at,
        groups: groups
            .iter()
            .map(|g| GroupProgress {
                code: g.code.clone(),
                name: g.name.clone(),
                invited: g.invited,
                responded: g.responded,
                rate: g.rate(),
            })
            .collect(),
        total: Totals { invited, responded, rate: stats::rate(responded, invited) },
        mail: crate::mail::outbox::status_counts(db, survey.row.id).await?,
    })
}

#[cfg(test)]
mod tests {
    use crate::report::stats::{GroupResponse, rate};

    #[test]
    fn nobody_invited_is_no_rate_not_zero_percent() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 0), None, "responses of an anonymous survey without an invitee list");
        assert_eq!(rate(0, 10), Some(0));
        assert_eq!(rate(37, 54), Some(69));
        let team = GroupResponse { code: "N".into(), name: "Noord".into(), invited: 0, responded: 0 };
        assert_eq!(team.rate(), None);
    }
}
