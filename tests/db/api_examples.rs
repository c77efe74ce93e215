//! The OpenAPI document's examples have the shape of the live answers: every JSON success of
//! every operation is called once on a server with data (the demo's closed survey, an open one
//! of our own whose questions have every answer form, a draft), and each answer is compared
//! with the example of its schema and of every schema inside it (`api_shape`).

use crate::api_shape::{Call, problems};
use crate::helpers::{TestApp, api_token, join, open_of_with_tokens, renamed, run_demo, survey_of_with_invitees};
use crate::on_both;
use peiling::accounts::Role;
use reqwest::Method;
use serde_json::{Value, json};

/// A small questionnaire whose answers take every form: a choice with an "anders" text, a
/// multiple answer with one, a number, a text, and a question the routing hides.
const FORM: &str = r#"
id = "api-voorbeeld"
title = "Voorbeeld van de API"
organisation = "Onderzoek"
contact = "onderzoek@example.org"
intro = "Een korte vragenlijst."
thanks = "Dank je wel."

[[groups]]
code = "A"
name = "Team A"

[[groups]]
code = "B"
name = "Team B"

[[questions]]
id = "K1"
type = "single"
text = "Hoe hoorde je van het budget?"
options = ["Per post", { code = "anders", label = "Anders, namelijk", other = true }]

[[questions]]
id = "K2"
type = "multiple"
text = "Wat zou helpen?"
options = ["Tijd", "Geld", { code = "anders", label = "Anders, namelijk", other = true }]

[[questions]]
id = "K3"
type = "number"
text = "Hoe vaak gebruikte je het?"
min = 0
max = 100

[[questions]]
id = "K4"
type = "longtext"
text = "Wat wil je nog kwijt?"

[[questions]]
id = "K5"
type = "yesno"
text = "Kwam de brief op tijd?"
show_if = "K1 = per_post"
"#;

struct Api {
    app: TestApp,
    client: reqwest::Client,
    calls: Vec<Call>,
}

enum Body {
    None,
    Json(Value),
    Csv(&'static str),
    Toml(&'static str),
}

impl Api {
    /// Calls `url` (the operation `path` of the document) and keeps the answer; the status must
    /// be `expected`, so that a scenario that went wrong says where.
    async fn call(
        &mut self,
        (method, path): (Method, &'static str),
        url: &str,
        token: Option<&str>,
        body: Body,
        expected: u16,
    ) -> Value {
        let mut request = self.client.request(method.clone(), self.app.url(url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request = match body {
            Body::None => request,
            Body::Json(v) => request.json(&v),
            Body::Csv(text) => request.header("content-type", "text/csv").body(text),
            Body::Toml(text) => request.header("content-type", "text/plain").body(text),
        };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{method} {url}: {text}");
        let body: Value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        let method = match method.as_str() {
            "GET" => "get",
            "POST" => "post",
            "PUT" => "put",
            "DELETE" => "delete",
            other => panic!("{other}"),
        };
        self.calls.push(Call { method, path, status, body: body.clone() });
        body
    }
}

fn get(path: &'static str) -> (Method, &'static str) {
    (Method::GET, path)
}
fn post(path: &'static str) -> (Method, &'static str) {
    (Method::POST, path)
}
fn put(path: &'static str) -> (Method, &'static str) {
    (Method::PUT, path)
}
fn delete(path: &'static str) -> (Method, &'static str) {
    (Method::DELETE, path)
}

/// Every JSON answer of the API once, on `db`.
async fn scenario(db: &sea_orm::DatabaseConnection) -> (Value, Vec<Call>) {
    let closed = run_demo(db).await.row.slug;
    let (_, links) = open_of_with_tokens(db, FORM, 2).await;
    let draft = survey_of_with_invitees(db, &renamed("concept-peiling"), "concept", 2).await.row.slug;
    let researcher = api_token(db, "onderzoeker@example.org", Role::Researcher).await;
    api_token(db, "collega@example.org", Role::Researcher).await;
    let admin = api_token(db, "beheer@example.org", Role::Admin).await;
    for slug in [&closed, &draft] {
        let survey = peiling::store::surveys::load(db, slug).await.unwrap();
        join(db, "onderzoeker@example.org", &survey).await;
    }
    // Failed logins, so that the list of blocks has an address and an account in it.
    let from = peiling::domain::ClientAddress::parse("192.0.2.7").unwrap();
    for _ in 0..=peiling::accounts::MAX_FAILED_LOGINS {
        let _ = peiling::accounts::login(db, "collega@example.org", "raden raden", &from, chrono::Utc::now()).await;
    }
    let app = TestApp::spawn(db).await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let mut api = Api { app, client: reqwest::Client::new(), calls: Vec::new() };
    let (r, a) = (Some(researcher.as_str()), Some(admin.as_str()));
    let today = chrono::Utc::now().date_naive();
    let day = |days: i64| (today + chrono::Duration::days(days)).to_string();

    // The respondent.
    let link = format!("/api/v1/r/{}", links[0]);
    api.call(get("/api/v1/r/{token}"), &link, None, Body::None, 200).await;
    let answers = json!({ "answers": {
        "K1": { "option": "anders", "other": "via een collega" },
        "K2": { "options": ["tijd", "anders"], "other": { "anders": "een vast aanspreekpunt" } },
        "K3": 4, "K4": "Niets.", "K5": "ja",
    }});
    let saved = api.call(put("/api/v1/r/{token}"), &link, None, Body::Json(answers), 200).await;
    assert_eq!(saved["dropped"], json!(["K5"]), "{saved}");
    let submit = format!("/api/v1/r/{}/submit", links[1]);
    let answers = json!({ "answers": { "K1": "per_post", "K2": ["geld"], "K3": 0, "K5": "nee" } });
    api.call(post("/api/v1/r/{token}/submit"), &submit, None, Body::Json(answers), 201).await;
    let unknown = format!("/api/v1/r/{}", "x".repeat(43));
    api.call(get("/api/v1/r/{token}"), &unknown, None, Body::None, 404).await;

    // The researcher: a draft through its life.
    let survey = |rest: &str, slug: &str| format!("/api/v1/surveys/{slug}{rest}");
    api.call(get("/api/v1/surveys"), "/api/v1/surveys", r, Body::None, 200).await;
    api.call(get("/api/v1/surveys"), "/api/v1/surveys", None, Body::None, 401).await;
    let csv = Body::Csv("email;team\nnieuw0@example.org;SWT\nnieuw1@example.org;JLR\n");
    api.call(post("/api/v1/surveys/{survey}/invitees"), &survey("/invitees", &draft), r, csv, 201).await;
    let progress = get("/api/v1/surveys/{survey}/progress");
    api.call(progress, &survey("/progress", &draft), r, Body::None, 200).await;
    let opening = Body::Json(json!({ "closes": day(14) }));
    api.call(post("/api/v1/surveys/{survey}/open"), &survey("/open", &draft), r, opening, 200).await;
    api.call(post("/api/v1/surveys/{survey}/remind"), &survey("/remind", &draft), r, Body::None, 200).await;
    let reminder = Body::Json(json!({ "on": day(7) }));
    api.call(put("/api/v1/surveys/{survey}/reminder"), &survey("/reminder", &draft), r, reminder, 200).await;
    api.call(post("/api/v1/surveys/{survey}/close"), &survey("/close", &draft), r, Body::None, 200).await;

    // The closed survey: review, report definition, publishing, members, trail.
    let casussen = survey("/casussen", &closed);
    api.call(get("/api/v1/surveys/{survey}/casussen"), &casussen, r, Body::None, 200).await;
    let casus = format!("{casussen}/1");
    api.call(get("/api/v1/surveys/{survey}/casussen/{n}"), &casus, r, Body::None, 200).await;
    let decision = Body::Json(json!({ "decision": "opnemen" }));
    api.call(put("/api/v1/surveys/{survey}/casussen/{n}"), &casus, r, decision, 200).await;
    let definition = survey("/report-definition", &closed);
    let text = Body::Toml(peiling::bundled::MAATWERKBUDGET_2021.report);
    api.call(put("/api/v1/surveys/{survey}/report-definition"), &definition, r, text, 200).await;
    api.call(post("/api/v1/surveys/{survey}/publish"), &survey("/publish", &closed), r, Body::None, 201).await;
    let members = survey("/members", &closed);
    api.call(get("/api/v1/surveys/{survey}/members"), &members, r, Body::None, 200).await;
    let colleague = Body::Json(json!({ "email": "collega@example.org" }));
    api.call(post("/api/v1/surveys/{survey}/members"), &members, r, colleague, 200).await;
    let member = format!("{members}/collega@example.org");
    api.call(delete("/api/v1/surveys/{survey}/members/{email}"), &member, r, Body::None, 200).await;
    api.call(get("/api/v1/surveys/{survey}/audit"), &survey("/audit", &closed), r, Body::None, 200).await;
    let wave = Body::Json(json!({ "code": "maatwerkbudget-2025", "title": "Een nieuwe ronde" }));
    api.call(post("/api/v1/surveys/{survey}/copy"), &survey("/copy", &closed), r, wave, 201).await;
    api.call(get("/api/v1/audit"), "/api/v1/audit", a, Body::None, 200).await;

    // The admin: an account through its life, and the login blocks.
    api.call(get("/api/v1/users"), "/api/v1/users", a, Body::None, 200).await;
    let new = Body::Json(json!({ "email": "nieuw@example.org", "role": "researcher" }));
    api.call(post("/api/v1/users"), "/api/v1/users", a, new, 201).await;
    let user = "/api/v1/users/nieuw@example.org";
    api.call(post("/api/v1/users/{email}/disable"), &format!("{user}/disable"), a, Body::None, 200).await;
    api.call(post("/api/v1/users/{email}/enable"), &format!("{user}/enable"), a, Body::None, 200).await;
    let role = Body::Json(json!({ "role": "reader" }));
    api.call(put("/api/v1/users/{email}/role"), &format!("{user}/role"), a, role, 200).await;
    api.call(post("/api/v1/users/{email}/reset"), &format!("{user}/reset"), a, Body::None, 201).await;
    let token = Body::Json(json!({ "label": "koppeling", "expires": "30" }));
    let tokens = format!("{user}/tokens");
    let created = api.call(post("/api/v1/users/{email}/tokens"), &tokens, a, token, 201).await;
    api.call(get("/api/v1/users/{email}/tokens"), &tokens, a, Body::None, 200).await;
    let revoke = format!("/api/v1/tokens/{}", created["id"]);
    api.call(delete("/api/v1/tokens/{id}"), &revoke, a, Body::None, 200).await;
    api.call(delete("/api/v1/users/{email}"), user, a, Body::None, 200).await;
    let blocks = api.call(get("/api/v1/login-blocks"), "/api/v1/login-blocks", a, Body::None, 200).await;
    assert!(blocks["addresses"][0].is_object() && blocks["accounts"][0].is_object(), "{blocks}");
    let unlock = Body::Json(json!({ "address": "192.0.2.7" }));
    api.call(post("/api/v1/login-blocks/unlock"), "/api/v1/login-blocks/unlock", a, unlock, 200).await;
    (doc, api.calls)
}

#[tokio::test]
async fn every_example_in_the_api_document_has_the_shape_of_the_live_answer() {
    on_both!("every_example_in_the_api_document_has_the_shape_of_the_live_answer", |db| {
        let (doc, calls) = scenario(&db).await;
        let found = problems(&doc, &calls);
        assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
    });
}
