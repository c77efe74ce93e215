//! The audit trail: who did what, and when, for the acts a privacy officer asks about. Rows are
//! only ever added (triggers refuse updates and deletes, see migration 8), and they hold no
//! answers and no respondent addresses: only the acting account, the survey's code, the act, and
//! a detail such as a count, a format or the account an act was about.
//!
//! An act is recorded on the same connection (and so in the same transaction) as the act
//! itself where the act has one, so that an act that is rolled back leaves no trail of a thing
//! that did not happen, and a trail cannot be missing for a thing that did.

use chrono::{DateTime, Utc};
use entity::{audit_event, survey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account, or a script with its API token.
    Account { id: i32, email: String },
    /// Someone with access to the server running a `peiling` command; the operating system's
    /// user name is all that is known of them.
    CommandLine,
    /// peiling itself: the retention purge and the scheduled reminders.
    System,
}

impl Actor {
    pub fn account(user: &entity::user::Model) -> Actor {
        Actor::Account { id: user.id, email: user.email.clone() }
    }

    fn id(&self) -> Option<i32> {
        match self {
            Actor::Account { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Actor::Account { email, .. } => email.clone(),
            Actor::CommandLine => {
                let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
                if user.is_empty() { "opdrachtregel".into() } else { format!("opdrachtregel ({user})") }
            }
            Actor::System => "peiling".into(),
        }
    }
}

/// The acts that are recorded. The stored word is `as_str`; `label` is how a page names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SurveyCreated,
    QuestionnaireChanged,
    OwnerSet,
    MemberAdded,
    MemberRemoved,
    InviteesImported,
    Opened,
    Reminded,
    ReminderScheduled,
    Closed,
    CasussenViewed,
    CasusReviewed,
    Exported,
    ReportViewed,
    ReportDefinitionSet,
    Published,
    Purged,
    SignedIn,
    AccountAdded,
    AccountDisabled,
    AccountEnabled,
    AccountDeleted,
    RoleChanged,
    PasswordChanged,
    PasswordResetIssued,
    TokenCreated,
    TokenRevoked,
    LoginUnlocked,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::SurveyCreated,
        Action::QuestionnaireChanged,
        Action::OwnerSet,
        Action::MemberAdded,
        Action::MemberRemoved,
        Action::InviteesImported,
        Action::Opened,
        Action::Reminded,
        Action::ReminderScheduled,
        Action::Closed,
        Action::CasussenViewed,
        Action::CasusReviewed,
        Action::Exported,
        Action::ReportViewed,
        Action::ReportDefinitionSet,
        Action::Published,
        Action::Purged,
        Action::SignedIn,
        Action::AccountAdded,
        Action::AccountDisabled,
        Action::AccountEnabled,
        Action::AccountDeleted,
        Action::RoleChanged,
        Action::PasswordChanged,
        Action::PasswordResetIssued,
        Action::TokenCreated,
        Action::TokenRevoked,
        Action::LoginUnlocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::SurveyCreated => "survey_created",
            Action::QuestionnaireChanged => "questionnaire_changed",
            Action::OwnerSet => "owner_set",
            Action::MemberAdded => "member_added",
            Action::MemberRemoved => "member_removed",
            Action::InviteesImported => "invitees_imported",
            Action::Opened => "opened",
            Action::Reminded => "reminded",
            Action::ReminderScheduled => "reminder_scheduled",
            Action::Closed => "closed",
            Action::CasussenViewed => "casussen_viewed",
            Action::CasusReviewed => "casus_reviewed",
            Action::Exported => "exported",
            Action::ReportViewed => "report_viewed",
            Action::ReportDefinitionSet => "report_definition_set",
            Action::Published => "published",
            Action::Purged => "purged",
            Action::SignedIn => "signed_in",
            Action::AccountAdded => "account_added",
            Action::AccountDisabled => "account_disabled",
            Action::AccountEnabled => "account_enabled",
            Action::AccountDeleted => "account_deleted",
            Action::RoleChanged => "role_changed",
            Action::PasswordChanged => "password_changed",
            Action::PasswordResetIssued => "password_reset_issued",
            Action::TokenCreated => "token_created",
            Action::TokenRevoked => "token_revoked",
            Action::LoginUnlocked => "login_unlocked",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// In Dutch, for the pages.
    pub fn label(self) -> &'static str {
        match self {
            Action::SurveyCreated => "onderzoek aangemaakt",
            Action::QuestionnaireChanged => "vragenlijst gewijzigd",
            Action::OwnerSet => "eigenaar",
            Action::MemberAdded => "lid toegevoegd",
            Action::MemberRemoved => "lid verwijderd",
            Action::InviteesImported => "genodigden geïmporteerd",
            Action::Opened => "geopend, uitnodigingen klaargezet",
            Action::Reminded => "herinnering klaargezet",
            Action::ReminderScheduled => "herinnering gepland",
            Action::Closed => "gesloten",
            Action::CasussenViewed => "originele casussen bekeken",
            Action::CasusReviewed => "casus beoordeeld",
            Action::Exported => "gegevens geëxporteerd",
            Action::ReportViewed => "conceptrapport bekeken",
            Action::ReportDefinitionSet => "rapportdefinitie gewijzigd",
            Action::Published => "rapport gepubliceerd",
            Action::Purged => "persoonsgegevens verwijderd",
            Action::SignedIn => "ingelogd",
            Action::AccountAdded => "account aangemaakt",
            Action::AccountDisabled => "account uitgeschakeld",
            Action::AccountEnabled => "account ingeschakeld",
            Action::AccountDeleted => "account verwijderd",
            Action::RoleChanged => "rol gewijzigd",
            Action::PasswordChanged => "wachtwoord gewijzigd",
            Action::PasswordResetIssued => "herstellink voor wachtwoord gemaakt",
            Action::TokenCreated => "API-sleutel gemaakt",
            Action::TokenRevoked => "API-sleutel ingetrokken",
            Action::LoginUnlocked => "inlogblokkade opgeheven",
        }
    }
}

/// Records one act. `survey` is the survey it was done to, if any; `detail` must never hold an
/// answer or a respondent's address.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    survey: Option<&survey::Model>,
    action: Action,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        at: Set(now),
        actor_id: Set(actor.id()),
        actor: Set(actor.name()),
        survey_id: Set(survey.map(|s| s.id)),
        survey: Set(survey.map(|s| s.slug.clone())),
        action: Set(action.as_str().to_string()),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The trail of one survey, or all of it, newest first.
pub async fn events(db: &impl ConnectionTrait, survey_id: Option<i32>) -> Result<Vec<audit_event::Model>, DbErr> {
    trail(survey_id).all(db).await
}

/// The newest `limit` events of the trail, and how many there are in all: a page shows the
/// newest, the CSV everything.
pub async fn latest(
    db: &impl ConnectionTrait,
    survey_id: Option<i32>,
    limit: u64,
) -> Result<(Vec<audit_event::Model>, u64), DbErr> {
    let total = trail(survey_id).count(db).await?;
    Ok((trail(survey_id).limit(limit).all(db).await?, total))
}

fn trail(survey_id: Option<i32>) -> sea_orm::Select<audit_event::Entity> {
    let mut query = audit_event::Entity::find();
    if let Some(id) = survey_id {
        query = query.filter(audit_event::Column::SurveyId.eq(id));
    }
    query.order_by_desc(audit_event::Column::At).order_by_desc(audit_event::Column::Id)
}

/// One event as the pages, the API and the command line show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Event {
    pub at: DateTime<Utc>,
    /// The account's address, `opdrachtregel (...)` or `peiling`.
    pub actor: String,
    /// The survey's code, if the act was on a survey.
    pub survey: Option<String>,
    /// The stored word of the act, e.g. `exported`.
    pub action: String,
    /// The act in Dutch, e.g. `gegevens geëxporteerd`.
    pub label: String,
    /// A count, a format, a date or the account the act was about; never an answer or a
    /// respondent's address.
    pub detail: String,
}

impl From<&audit_event::Model> for Event {
    fn from(e: &audit_event::Model) -> Event {
        Event {
            at: e.at,
            actor: e.actor.clone(),
            survey: e.survey.clone(),
            action: e.action.clone(),
            // A word written by a later version that this one does not know is shown as stored.
            label: Action::parse(&e.action).map_or_else(|| e.action.clone(), |a| a.label().to_string()),
            detail: e.detail.clone(),
        }
    }
}

/// The trail as CSV (semicolons and a UTF-8 BOM, as Excel in a Dutch locale opens it). Every
/// cell is neutralised as the exports' cells are: an address or a detail that starts with `=`
/// would otherwise run as a formula in the officer's spreadsheet.
pub fn csv(events: &[audit_event::Model]) -> Vec<u8> {
    use crate::domain::text::neutralise;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer =
            csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let _ = writer.write_record(["tijdstip", "wie", "onderzoek", "handeling", "code", "details"]);
        for e in events.iter().map(Event::from) {
            let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let cells = [
                at.as_str(),
                e.actor.as_str(),
                e.survey.as_deref().unwrap_or(""),
                e.label.as_str(),
                e.action.as_str(),
                e.detail.as_str(),
            ];
            let _ = writer.write_record(cells.iter().map(|c| neutralise(c).into_owned()));
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_stored_word() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("made_up"), None);
    }

    #[test]
    fn a_csv_cell_that_a_spreadsheet_would_run_gets_an_apostrophe() {
        let event = audit_event::Model {
            id: 1,
            at: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap_or_default().to_utc(),
            actor_id: None,
            actor: "=HYPERLINK(\"http://x\")".into(),
            survey_id: None,
            survey: Some("s".into()),
            action: Action::MemberAdded.as_str().into(),
            detail: "@SUM(A1)".into(),
        };
        let text = String::from_utf8(csv(&[event])).unwrap_or_default();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "tijdstip;wie;onderzoek;handeling;code;details");
        assert_eq!(
            lines[1],
            "2026-12-01T10:00:00Z;\"'=HYPERLINK(\"\"http://x\"\")\";s;lid toegevoegd;member_added;'@SUM(A1)"
        );
    }
}
