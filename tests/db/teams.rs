//! Survey teams over HTTP: every researcher page and API route of a survey answers a researcher
//! who is not a member exactly as it answers a code nobody used (404), while its members and
//! admins get on with their work. The route lists here are checked against the OpenAPI document
//! and the page routes, so a new route without a case fails.

use crate::helpers::{TestApp, api_token, join, open_of_with_tokens, run_demo};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use peiling::accounts::Role;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// Every API route under a survey, with a body that gets past its parsing.
const API: [(&str, &str, &str); 20] = [
    ("GET", "/progress", ""),
    ("POST", "/invitees", "email;team\nx@example.org;SWT\n"),
    ("POST", "/open", r#"{"closes": "2099-01-01"}"#),
    ("POST", "/remind", "{}"),
    ("PUT", "/reminder", r#"{"on": null}"#),
    ("POST", "/close", "{}"),
    ("POST", "/publish", "{}"),
    // A code that is taken: refused (409) for a member and an admin, so nothing is made.
    ("POST", "/copy", r#"{"code": "maatwerkbudget-2021", "title": "Nieuwe ronde"}"#),
    ("GET", "/export/csv", ""),
    ("GET", "/casussen", ""),
    ("GET", "/casussen/1", ""),
    ("PUT", "/casussen/1", r#"{"decision": "include"}"#),
    ("GET", "/export/spss", ""),
    ("GET", "/audit", ""),
    ("GET", "/members", ""),
    ("GET", "/report-definition", ""),
    ("PUT", "/report-definition", "title = 1"),
    ("DELETE", "/report-definition", ""),
    // Nobody's account: a member is refused, an admin told there is no such researcher.
    ("POST", "/members", r#"{"email": "niemand@example.org"}"#),
    ("DELETE", "/members/niemand@example.org", ""),
];

/// Every researcher page under a survey (`/onderzoek/{survey}...`).
const PAGES: [(&str, &str); 36] = [
    ("GET", ""),
    ("GET", "/bewerken"),
    ("POST", "/bewerken"),
    ("POST", "/bewerken/vragen"),
    ("POST", "/bewerken/over"),
    ("GET", "/bewerken/vraag/Q1"),
    ("GET", "/bewerken/nieuw"),
    ("POST", "/bewerken/vraag"),
    ("GET", "/vragenlijst.toml"),
    ("POST", "/genodigden"),
    ("POST", "/openen"),
    ("POST", "/herinneren"),
    ("POST", "/sluiten"),
    ("GET", "/voorbeeld"),
    ("GET", "/voorbeeld/1"),
    ("POST", "/voorbeeld/1"),
    ("GET", "/e-mails"),
    ("GET", "/casussen"),
    ("POST", "/casussen/1"),
    ("GET", "/teksten"),
    ("POST", "/teksten"),
    ("GET", "/rapportdefinitie"),
    ("POST", "/rapportdefinitie"),
    ("GET", "/rapportdefinitie.toml"),
    ("POST", "/rapportdefinitie/standaard"),
    ("GET", "/rapport.pdf"),
    ("GET", "/rapport/bewerken"),
    ("POST", "/rapport/bewerken"),
    ("POST", "/publiceren"),
    ("GET", "/export/csv"),
    ("GET", "/export/xlsx"),
    ("GET", "/logboek"),
    ("GET", "/logboek.csv"),
    ("GET", "/team"),
    ("POST", "/team"),
    ("POST", "/team/verwijderen"),
];

async fn api(
    c: &Client,
    app: &TestApp,
    token: &str,
    survey: &str,
    (method, path, body): (&str, &str, &str),
) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let kind = if path == "/invitees" { "text/csv" } else { "application/json" };
    let r = c
        .request(method, app.url(&format!("/api/v1/surveys/{survey}{path}")))
        .bearer_auth(token)
        .header("content-type", kind)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn page(
    c: &Client,
    app: &TestApp,
    csrf: &str,
    survey: &str,
    (method, path): (&str, &str),
) -> (StatusCode, String) {
    let url = app.url(&format!("/onderzoek/{survey}{path}"));
    let r = if method == "GET" {
        c.get(url).send().await.unwrap()
    } else {
        c.post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string([("csrf", csrf), ("besluit", "opnemen")]).unwrap())
            .send()
            .await
            .unwrap()
    };
    (r.status(), r.text().await.unwrap())
}

/// A signed-in browser and the CSRF value of its session.
async fn browser(app: &TestApp, email: &str) -> (Client, String) {
    let c = TestApp::browser();
    assert_eq!(login(app, &c, email, "een lang wachtwoord").await.status(), StatusCode::SEE_OTHER);
    let list = c.get(app.url("/onderzoek")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&list);
    (c, csrf)
}

#[tokio::test]
async fn a_researcher_who_is_not_a_member_is_told_no_survey_exists_on_every_route() {
    on_both!("a_researcher_who_is_not_a_member_is_told_no_survey_exists_on_every_route", |db| {
        let closed = run_demo(&db).await;
        let (open, _) = open_of_with_tokens(&db, &crate::helpers::renamed("open-peiling"), 2).await;
        let member = api_token(&db, "lid@example.org", Role::Researcher).await;
        let outsider = api_token(&db, "buiten@example.org", Role::Researcher).await;
        let admin = api_token(&db, "beheer@example.org", Role::Admin).await;
        for survey in [&closed, &open] {
            join(&db, "lid@example.org", survey).await;
        }
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();

        for survey in [&closed.row.slug, &open.row.slug] {
            for route in API {
                let unknown = api(&c, &app, &outsider, "bestaat-niet", route).await;
                assert_eq!(unknown.0, StatusCode::NOT_FOUND, "{route:?} on an unknown code");
                let (status, body) = api(&c, &app, &outsider, survey, route).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{route:?} on {survey} for a non-member");
                let unknown = unknown.1.replace("bestaat-niet", survey);
                assert_eq!(body, unknown, "{route:?}: the same answer as for an unknown code");
                for (who, token) in [("member", &member), ("admin", &admin)] {
                    let (_, body) = api(&c, &app, token, survey, route).await;
                    assert_ne!(body, unknown, "{route:?} on {survey} for the {who}");
                }
            }
        }
        let list = |token: String| {
            let (c, url) = (c.clone(), app.url("/api/v1/surveys"));
            async move {
                let body: Value = c.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
                let mut ids: Vec<String> =
                    body["surveys"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
                ids.sort();
                ids
            }
        };
        assert!(list(outsider.clone()).await.is_empty(), "a non-member lists no surveys");
        let mut both = vec![closed.row.slug.clone(), open.row.slug.clone()];
        both.sort();
        assert_eq!(list(member.clone()).await, both);
        assert_eq!(list(admin.clone()).await, both);

        let (outsider, csrf) = browser(&app, "buiten@example.org").await;
        let (member, member_csrf) = browser(&app, "lid@example.org").await;
        let list = outsider.get(app.url("/onderzoek")).send().await.unwrap().text().await.unwrap();
        assert!(!list.contains(&closed.row.slug) && !list.contains(&closed.row.title), "not on the list either");
        for survey in [&closed.row.slug, &open.row.slug] {
            for route in PAGES {
                let (unknown, unknown_body) = page(&outsider, &app, &csrf, "bestaat-niet", route).await;
                assert_eq!(unknown, StatusCode::NOT_FOUND, "{route:?} on an unknown code");
                let (status, body) = page(&outsider, &app, &csrf, survey, route).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{route:?} on {survey} for a non-member");
                assert_eq!(body, unknown_body, "{route:?}: the same page as for an unknown code");
                if survey == &open.row.slug && route.1.starts_with("/casussen/") {
                    continue; // an open survey has no casus 1 for anyone: the same page, rightly
                }
                let (status, body) = page(&member, &app, &member_csrf, survey, route).await;
                assert!(status != StatusCode::NOT_FOUND || body != unknown_body, "{route:?} on {survey} for a member");
            }
        }
    });
}

/// The lists above are every route: the OpenAPI document's survey paths and the page routes of
/// `web::routes` all have a case.
#[tokio::test]
async fn the_route_lists_cover_every_survey_route() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let app = TestApp::spawn(&db).await;
    let doc: Value =
        TestApp::browser().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let shape = |path: &str| {
        path.replace("/casussen/1", "/casussen/{n}")
            .replace("/export/csv", "/export/{format}")
            .replace("/export/spss", "/export/{format}")
            .replace("/members/niemand@example.org", "/members/{email}")
    };
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let Some(rest) = path.strip_prefix("/api/v1/surveys/{survey}") else { continue };
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            assert!(
                API.iter().any(|(m, p, _)| *m == method && shape(p) == rest),
                "{method} {path} has no case in teams::API"
            );
        }
    }
    let routes = include_str!("../../src/web/mod.rs");
    let scope = routes
        .split("web::scope(\"/onderzoek/{survey}\")")
        .nth(1)
        .unwrap()
        .split(".route(\"/rapporten\"")
        .next()
        .unwrap();
    for line in scope.lines().filter(|l| l.contains(".route(\"")) {
        let path = line.split('"').nth(1).unwrap();
        let method = if line.contains("web::post()") { "POST" } else { "GET" };
        let path =
            path.replace("{n}", "1").replace("{format}", "csv").replace("{question}", "Q1").replace("{screen}", "1");
        assert!(
            PAGES.iter().any(|(m, p)| *m == method && *p == path),
            "{method} /onderzoek/{{survey}}{path} has no case"
        );
    }
}
