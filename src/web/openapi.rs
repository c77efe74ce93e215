//! The OpenAPI 3 document of `/api/v1`, generated from the handlers' annotations (utoipa) and
//! served at `/api/v1/openapi.json`.

use super::{
    audit_api, copy_api, lock_api, report_definition_api, researcher_api, respondent_api, team_api, users_api,
};
use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Every error: a stable code, a Dutch message, and details such as the problems per question
/// or per CSV row.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[schema(value_type = Option<Vec<Object>>)]
    pub details: Option<Vec<serde_json::Value>>,
}

/// What a personal link shows: the questions that apply now and the answers saved so far.
#[derive(Serialize, ToSchema)]
pub struct RespondentState {
    #[schema(value_type = Object)]
    pub survey: serde_json::Value,
    /// open or submitted.
    pub status: String,
    /// The questions that currently apply, with id, text, type, options and limits.
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<serde_json::Value>,
    /// Answers by question id, in the forms `PUT` accepts.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    /// Whether submitting now would be accepted.
    pub complete: bool,
    /// After `PUT`: answers dropped because their question no longer applies.
    pub dropped: Option<Vec<String>>,
}

/// Answers by question id, one [`Answer`] each; `null`, `""` and `[]` are no answer.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"answers": answers_example()}))]
pub struct AnswersBody {
    #[schema(value_type = HashMap<String, Answer>)]
    pub answers: serde_json::Value,
}

/// The example in the document, for the bundled questionnaire (a test checks it is accepted).
pub fn answers_example() -> serde_json::Value {
    serde_json::json!({
        "Q1": 3,
        "Q2": "positief",
        "Q3": "ja",
        "Q4": {"options": ["partners", "anders"], "other": {"anders": "een vaste contactpersoon bij de corporatie"}},
        "Q8": "Minder formulieren.",
    })
}

/// The answer to one question, in the form its type takes.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    /// single, yesno, labelled scale: the option code; number: the opt-out code; numbered
    /// scale: the "weet niet" code; text: the text.
    Code(String),
    /// number, numbered scale.
    Number(i64),
    /// multiple: the option codes.
    Codes(Vec<String>),
    Choice(ChoiceWithOther),
    Choices(ChoicesWithOther),
}

/// A single choice of an "anders, namelijk" option, with its text.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"option": "anders", "other": "via de wijkagent"}))]
pub struct ChoiceWithOther {
    pub option: String,
    pub other: Option<String>,
}

/// A multiple-answer question whose options include an "anders, namelijk": the codes chosen,
/// and the text per chosen "anders" option, by its code.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"options": ["partners", "anders"], "other": {"anders": "een vaste contactpersoon bij de corporatie"}}))]
pub struct ChoicesWithOther {
    pub options: Vec<String>,
    pub other: Option<std::collections::HashMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
pub struct SubmittedBody {
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyList {
    #[schema(value_type = Vec<Object>)]
    pub surveys: Vec<serde_json::Value>,
}

/// A report definition stored: its sections and figures.
#[derive(Serialize, ToSchema)]
pub struct ReportDefinitionStored {
    pub sections: u64,
    pub figures: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    pub imported: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Queued {
    pub queued: u64,
}

/// A version in the reading room.
#[derive(Serialize, ToSchema)]
pub struct Published {
    pub id: i32,
    pub version: i32,
    pub title: String,
    /// The report's page in the reading room, e.g. `/rapporten/3`.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    pub casussen: Vec<crate::review::Item>,
}

/// The researchers of a survey, its owner first.
#[derive(Serialize, ToSchema)]
pub struct Members {
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<serde_json::Value>,
}

/// The audit trail, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditTrail {
    pub events: Vec<crate::audit::Event>,
}

/// After lifting a login block: how many counters were cleared.
#[derive(Serialize, ToSchema)]
pub struct Unlocked {
    pub cleared: u64,
}

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

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "peiling API",
        description = "Answering by personal link (no login: the token is the key) and the researcher's actions \
                       (`Authorization: Bearer <token>` from `peiling token create`). Messages are in Dutch.",
        license(name = "EUPL-1.2")
    ),
    paths(
        respondent_api::show,
        respondent_api::save,
        respondent_api::submit,
        researcher_api::list,
        researcher_api::progress,
        researcher_api::import,
        researcher_api::open,
        researcher_api::remind,
        researcher_api::schedule,
        researcher_api::close,
        researcher_api::publish,
        copy_api::copy,
        researcher_api::casussen,
        researcher_api::casus,
        researcher_api::review_casus,
        researcher_api::export,
        report_definition_api::show,
        report_definition_api::set,
        report_definition_api::reset,
        team_api::list,
        team_api::add,
        team_api::remove,
        audit_api::survey_trail,
        audit_api::full_trail,
        users_api::list,
        users_api::create,
        users_api::disable,
        users_api::enable,
        users_api::set_role,
        users_api::reset,
        users_api::delete,
        users_api::tokens,
        users_api::create_token,
        users_api::revoke,
        lock_api::list,
        lock_api::unlock,
    ),
    components(schemas(
        ReportDefinitionStored,
        ErrorBody,
        RespondentState,
        AnswersBody,
        Answer,
        ChoiceWithOther,
        ChoicesWithOther,
        SubmittedBody,
        SurveyList,
        crate::progress::Progress,
        crate::progress::GroupProgress,
        crate::progress::Totals,
        Imported,
        Queued,
        ReviewList,
        Published,
        crate::review::Item,
        crate::review::Decision,
        researcher_api::OpenBody,
        researcher_api::ScheduleBody,
        researcher_api::ReviewBody,
        ExportFormat,
        DecisionWord,
        Members,
        team_api::MemberBody,
        copy_api::CopyBody,
        copy_api::Copied,
        AuditTrail,
        crate::audit::Event,
        TrailFormat,
        crate::accounts::Role,
        crate::accounts::Account,
        crate::accounts::LastChange,
        crate::accounts::TokenInfo,
        users_api::Users,
        users_api::Link,
        users_api::Created,
        users_api::Tokens,
        users_api::NewToken,
        users_api::Revoked,
        users_api::NewUser,
        users_api::RoleBody,
        users_api::TokenBody,
        crate::accounts::Blocks,
        crate::accounts::AddressBlock,
        crate::accounts::AccountLock,
        lock_api::UnlockBody,
        Unlocked,
    )),
    modifiers(&BearerToken),
    tags(
        (name = "respondent", description = "The questionnaire behind a personal link"),
        (name = "researcher", description = "Invitees, mailing, closing, progress, review, publishing and a survey's members"),
        (name = "audit", description = "Who did what, and when: a survey's trail for its members, the whole trail for admins"),
        (name = "accounts", description = "Accounts and their API tokens: admins only"),
        (name = "login", description = "Login blocks of client addresses and accounts, for admins")
    )
)]
pub struct ApiDoc;

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_shows_the_multiple_answer_form_with_an_anders_text_and_its_example_is_accepted() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let answers = &schemas["AnswersBody"]["properties"]["answers"];
        assert_eq!(answers["additionalProperties"]["$ref"], "#/components/schemas/Answer", "{answers}");
        let forms: Vec<String> = schemas["Answer"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["$ref"].as_str().or(f["type"].as_str()).unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            forms,
            [
                "string",
                "integer",
                "array",
                "#/components/schemas/ChoiceWithOther",
                "#/components/schemas/ChoicesWithOther"
            ]
        );
        let multiple = &schemas["ChoicesWithOther"];
        assert_eq!(multiple["properties"]["options"]["items"]["type"], "string");
        assert_eq!(multiple["properties"]["other"]["additionalProperties"]["type"], "string", "{multiple}");
        assert_eq!(multiple["example"]["other"]["anders"], "een vaste contactpersoon bij de corporatie");
        assert_eq!(schemas["AnswersBody"]["example"]["answers"]["Q4"], multiple["example"]);

        // The examples are answers the bundled questionnaire takes.
        let q = crate::questionnaire::parse(crate::bundled::MAATWERKBUDGET_2021.definition).unwrap();
        let raw: serde_json::Map<String, serde_json::Value> =
            serde_json::from_value(schemas["AnswersBody"]["example"]["answers"].clone()).unwrap();
        let parsed = crate::questionnaire::Answers::parse(&q, &raw, crate::questionnaire::Mode::Draft).unwrap();
        assert_eq!(parsed.to_json(&q)["Q4"], multiple["example"]);
    }
}
