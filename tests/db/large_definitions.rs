//! A definition at the limits goes through the upload of `/onderzoek/nieuw` (read off the
//! request threads); one past a limit is refused with the limit and its line, nothing stored.

use crate::helpers::TestApp;
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use peiling::accounts::{self, Role};
use peiling::bench::definition::generated;
use peiling::questionnaire::model::MAX_QUESTIONS;
use reqwest::StatusCode;

fn multipart(csrf: &str, definition: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("bron", "eigen")] {
        body.extend_from_slice(
            format!("--grens\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        b"--grens\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"groot.toml\"\r\nContent-Type: text/plain\r\n\r\n",
    );
    body.extend_from_slice(definition.as_bytes());
    body.extend_from_slice(b"\r\n--grens--\r\n");
    body
}

#[tokio::test]
async fn a_definition_at_the_limit_is_stored_and_one_past_it_refused() {
    on_both!("a_definition_at_the_limit_is_stored_and_one_past_it_refused", |db| {
        let email = peiling::domain::EmailAddress::parse("onderzoek@example.org").unwrap();
        accounts::add_user(&db, &email, "een lang wachtwoord", Role::Researcher, chrono::Utc::now()).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        login(&app, &c, "onderzoek@example.org", "een lang wachtwoord").await;
        let csrf = csrf_of(&c.get(app.url("/onderzoek/nieuw")).send().await.unwrap().text().await.unwrap());
        let upload = |definition: String| {
            c.post(app.url("/onderzoek/nieuw"))
                .header("content-type", "multipart/form-data; boundary=grens")
                .body(multipart(&csrf, &definition))
                .send()
        };

        let over = upload(generated(MAX_QUESTIONS + 1, 2, 10)).await.unwrap();
        assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = over.text().await.unwrap();
        assert!(body.contains("de vragenlijst heeft 2001 vragen; hoogstens 2000"), "{}", &body[..2000.min(body.len())]);
        assert_eq!(c.get(app.url("/onderzoek/groot")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

        let at = upload(generated(MAX_QUESTIONS, 2, 10)).await.unwrap();
        assert_eq!(at.status(), StatusCode::SEE_OTHER);
        assert_eq!(at.headers()["location"], "/onderzoek/groot");
        let stored = peiling::store::surveys::load(&db, "groot").await.unwrap();
        assert_eq!(stored.questionnaire.questions.len(), MAX_QUESTIONS);
    });
}
