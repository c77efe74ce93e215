//! `/metrics` is for the monitoring only: 404 on the site unless configured, behind a bearer
//! token (`PEILING_METRICS_TOKEN`), or on a listener of its own (`PEILING_METRICS_LISTEN`).
//! A setting that cannot be used stops `peiling serve` at start with what to do.

use crate::helpers::{TestApp, TestDb};
use crate::instances::{Serve, peiling};
use peiling::web::{MetricsAccess, Settings};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const TOKEN: &str = "0123456789abcdef-meten";

#[tokio::test]
async fn metrics_answer_only_with_the_token_and_not_at_all_by_default() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let c = reqwest::Client::new();
    let closed = TestApp::spawn(&db).await;
    let r = c.get(closed.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not configured: as if there were no such address");
    assert!(!r.text().await.unwrap().contains("peiling_http_requests_total"));

    let mut settings = Settings::new("http://peiling.test");
    settings.metrics = MetricsAccess::Token(TOKEN.into());
    let app = TestApp::spawn_with(&db, settings).await;
    let none = c.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    for wrong in ["", "0123456789abcdef-meteN", "0123456789abcdef-meten-en-meer", "0123"] {
        let r = c.get(app.url("/metrics")).bearer_auth(wrong).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
    }
    let basic = c.get(app.url("/metrics")).basic_auth(TOKEN, Some(TOKEN)).send().await.unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    let ok = c.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.text().await.unwrap().contains("peiling_http_requests_total"));
}

/// The metrics address `peiling serve` printed.
async fn metrics_address(serve: &Serve) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(rest) = serve.log().split("metrics op ").nth(1) {
            return rest.split_whitespace().next().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "no metrics address printed:\n{}", serve.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn metrics_on_a_listener_of_their_own_are_not_on_the_site() {
    let test = TestDb::sqlite().await;
    let c = reqwest::Client::new();
    let serve = Serve::start(&test.url, &[("PEILING_METRICS_LISTEN", "127.0.0.1:0")]).await;
    let metrics = metrics_address(&serve).await;
    assert_ne!(format!("{}/metrics", serve.address), metrics, "another address than the site's");
    assert_eq!(c.get(serve.url("/metrics")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let r = c.get(&metrics).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("peiling_http_requests_total"));
    let other = metrics.replace("/metrics", "/onderzoek");
    assert_eq!(c.get(&other).send().await.unwrap().status(), StatusCode::NOT_FOUND, "only the metrics there");
    drop(serve);

    // Both: the token is asked on the metrics address too, and the site still has none.
    let env = [("PEILING_METRICS_LISTEN", "127.0.0.1:0"), ("PEILING_METRICS_TOKEN", TOKEN)];
    let serve = Serve::start(&test.url, &env).await;
    let metrics = metrics_address(&serve).await;
    assert_eq!(c.get(&metrics).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(c.get(&metrics).bearer_auth(TOKEN).send().await.unwrap().status(), StatusCode::OK);
    let site = c.get(serve.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(site.status(), StatusCode::NOT_FOUND);
}

#[test]
fn settings_that_cannot_be_used_stop_the_start_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let cases = [
        (("PEILING_READING_ROOM", "open"), "PEILING_READING_ROOM=open is onbekend: kies public"),
        (("PEILING_METRICS_TOKEN", "kort"), "PEILING_METRICS_TOKEN moet minstens 16 tekens lang zijn"),
    ];
    for (setting, message) in cases {
        let out =
            peiling(dir.path(), &url, &["serve"], &[setting, ("PEILING_LISTEN", "127.0.0.1:0")]).output().unwrap();
        assert!(!out.status.success(), "{setting:?} started");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{setting:?}: {stderr}");
    }
    // Known values in any case are fine: `login` starts (and is stopped here by a bad token).
    let out =
        peiling(dir.path(), &url, &["serve"], &[("PEILING_READING_ROOM", "Login"), ("PEILING_METRICS_TOKEN", "x")])
            .output()
            .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("PEILING_METRICS_TOKEN"), "the room was accepted");
}
