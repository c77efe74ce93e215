//! The admin's routes for accounts: every one answers 401 without a token and 403 to a
//! researcher or reader (JSON for the API), changing nothing; and the lists here cover every
//! account route of the OpenAPI document and of `web::routes`, so a new route without a case
//! fails.

use crate::accounts_admin::{PASSWORD, account, address, browser, post_form, trail};
use crate::helpers::{TestApp, api_token};
use crate::on_both;
use peiling::accounts::{self, Role};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Every admin route for accounts: API and pages. Checked against the OpenAPI document and
/// the routes in `web::routes` below.
const ADMIN_API: [(&str, &str); 10] = [
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/users/x@example.org/disable"),
    ("POST", "/api/v1/users/x@example.org/enable"),
    ("PUT", "/api/v1/users/x@example.org/role"),
    ("POST", "/api/v1/users/x@example.org/reset"),
    ("DELETE", "/api/v1/users/x@example.org"),
    ("GET", "/api/v1/users/x@example.org/tokens"),
    ("POST", "/api/v1/users/x@example.org/tokens"),
    ("DELETE", "/api/v1/tokens/1"),
];

const ADMIN_PAGES: [(&str, &str); 10] = [
    ("GET", "/beheer/accounts"),
    ("POST", "/beheer/accounts"),
    ("POST", "/beheer/accounts/uitschakelen"),
    ("POST", "/beheer/accounts/inschakelen"),
    ("POST", "/beheer/accounts/rol"),
    ("POST", "/beheer/accounts/herstellink"),
    ("GET", "/beheer/accounts/verwijderen?email=x@example.org"),
    ("POST", "/beheer/accounts/verwijderen"),
    ("GET", "/beheer/accounts/sleutels?email=x@example.org"),
    ("POST", "/beheer/accounts/sleutels/intrekken"),
];

#[tokio::test]
async fn a_non_admin_gets_403_on_every_admin_route_and_nothing_changes() {
    on_both!("a_non_admin_gets_403_on_every_admin_route_and_nothing_changes", |db| {
        let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        let reader = api_token(&db, "lezer@example.org", Role::Reader).await;
        account(&db, "x@example.org", Role::Researcher).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let before = trail(&db).await.len();
        for (method, path) in ADMIN_API {
            let request = |token: Option<&str>| {
                let mut r = c
                    .request(Method::from_bytes(method.as_bytes()).unwrap(), app.url(path))
                    .header("content-type", "application/json")
                    .body(r#"{"email": "y@example.org", "role": "admin"}"#);
                if let Some(t) = token {
                    r = r.bearer_auth(t);
                }
                r.send()
            };
            assert_eq!(
                request(None).await.unwrap().status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} without a token"
            );
            for token in [&researcher, &reader] {
                let r = request(Some(token)).await.unwrap();
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
                let body: Value = r.json().await.unwrap();
                assert_eq!(body["error"], "forbidden", "{method} {path}: JSON");
            }
        }
        for (email, role) in [("onderzoeker@example.org", "researcher"), ("lezer@example.org", "reader")] {
            let (browser, csrf) = browser(&app, email, PASSWORD).await;
            let page = browser.get(app.url("/onderzoek")).send().await.unwrap().text().await.unwrap();
            assert!(!page.contains("/beheer/accounts"), "no link to the admin's pages for a {role}");
            for (method, path) in ADMIN_PAGES {
                let r = if method == "GET" {
                    browser.get(app.url(path)).send().await.unwrap().status()
                } else {
                    let fields = [("csrf", csrf.as_str()), ("email", "x@example.org"), ("rol", "admin"), ("id", "1")];
                    post_form(&browser, &app, path, &fields).await.0
                };
                assert_eq!(r, StatusCode::FORBIDDEN, "{method} {path} for a {role}");
            }
        }
        assert_eq!(trail(&db).await.len(), before, "nothing recorded, nothing done");
        let x = accounts::find_user(&db, &address("x@example.org")).await.unwrap().unwrap();
        assert_eq!((x.role.as_str(), x.disabled_at), ("researcher", None));
    });
}

#[tokio::test]
async fn the_admin_route_lists_cover_every_account_route() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let app = TestApp::spawn(&db).await;
    let doc: Value =
        TestApp::browser().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let shape = |p: &str| p.replace("x@example.org", "{email}").replace("/tokens/1", "/tokens/{id}");
    let mut documented = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if !(path.starts_with("/api/v1/users") || path.starts_with("/api/v1/tokens")) {
            continue;
        }
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            documented += 1;
            assert!(ADMIN_API.iter().any(|(m, p)| *m == method && shape(p) == *path), "{method} {path} has no case");
        }
    }
    assert_eq!(documented, ADMIN_API.len(), "every case is a documented operation");
    let routes = include_str!("../../src/web/mod.rs");
    let pages: Vec<(&str, &str)> = routes
        .lines()
        .filter(|l| l.contains(".route(\"/beheer/accounts"))
        .map(|l| (if l.contains("web::post()") { "POST" } else { "GET" }, l.split('"').nth(1).unwrap()))
        .collect();
    assert_eq!(pages.len(), ADMIN_PAGES.len());
    for (method, path) in pages {
        assert!(
            ADMIN_PAGES.iter().any(|(m, p)| *m == method && p.split('?').next() == Some(path)),
            "{method} {path} has no case"
        );
    }
}
