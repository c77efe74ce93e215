//! The OpenAPI 3 document of `/api/v1`, generated from the handlers' annotations (utoipa) and
//! served at `/api/v1/openapi.json`. The bodies it describes are the types the handlers
//! answer with (`api_types`); the schemas of the request bodies and of everything they contain
//! are collected from the annotations, so only the parameters' word lists are named here.

use super::api_types::params::{DecisionWord, ExportFormat, TrailFormat};
use super::{
    audit_api, copy_api, lock_api, report_definition_api, researcher_api, respondent_api, team_api, users_api,
};
use actix_web::HttpResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
    components(schemas(ExportFormat, DecisionWord, TrailFormat)),
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
