//! The reading room is public by default: anyone reads the published reports (list, page,
//! PDF) without an account; `PEILING_READING_ROOM=login` asks for a login. A report that was
//! not published is never there, whatever the setting.

use crate::helpers::{TestApp, run_demo};
use crate::on_both;
use peiling::accounts::{self, Role};
use peiling::domain::EmailAddress;
use peiling::web::{ReadingRoom, Settings};
use reqwest::StatusCode;

const PASSWORD: &str = "een lang wachtwoord";

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> reqwest::Response {
    c.get(app.url(path)).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> &str {
    r.headers().get("location").map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn published_reports_are_public_unless_a_login_is_asked() {
    on_both!("published_reports_are_public_unless_a_login_is_asked", |db| {
        let demo = run_demo(&db).await;
        let reader = EmailAddress::parse("raad@example.org").unwrap();
        let user = accounts::add_user(&db, &reader, PASSWORD, Role::Reader, chrono::Utc::now()).await.unwrap();
        let public = TestApp::spawn(&db).await;
        let anonymous = TestApp::browser();

        // Closed but not published: nothing of it in the reading room, its report behind the login.
        let list = get(&anonymous, &public, "/rapporten").await;
        assert_eq!(list.status(), StatusCode::OK);
        let list = list.text().await.unwrap();
        assert!(list.contains("Er zijn nog geen rapporten gepubliceerd."), "{list}");
        assert!(!list.contains(&demo.row.title), "{list}");
        for path in ["/rapporten/1", "/rapporten/1/rapport.pdf"] {
            assert_eq!(get(&anonymous, &public, path).await.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let draft = get(&anonymous, &public, &format!("/onderzoek/{}/rapport.pdf", demo.row.slug)).await;
        assert_eq!(draft.status(), StatusCode::SEE_OTHER);
        assert!(location(&draft).starts_with("/inloggen?terug="), "{}", location(&draft));

        let source = peiling::report::publish::source_of(&demo).unwrap();
        let published = peiling::report::publish::publish(&db, &demo, &source, user.id, chrono::Utc::now()).await;
        let id = published.unwrap().id;
        let (page, pdf) = (format!("/rapporten/{id}"), format!("/rapporten/{id}/rapport.pdf"));

        // Public (the default): list, page and PDF without an account, with the staff's way in.
        let list = get(&anonymous, &public, "/rapporten").await;
        assert_eq!(list.status(), StatusCode::OK);
        let list = list.text().await.unwrap();
        assert!(list.contains(&format!("href=\"{page}\"")), "{list}");
        assert!(list.contains("<a href=\"/inloggen\">Inloggen voor medewerkers</a>"), "{list}");
        let report = get(&anonymous, &public, &page).await;
        assert_eq!(report.status(), StatusCode::OK);
        assert!(report.text().await.unwrap().contains("<article class=\"report\""));
        let file = get(&anonymous, &public, &pdf).await;
        assert_eq!(file.status(), StatusCode::OK);
        assert!(file.bytes().await.unwrap().starts_with(b"%PDF"));
        // Signed in, the footer names the account instead.
        let signed_in = TestApp::browser();
        crate::web_pages::login(&public, &signed_in, "raad@example.org", PASSWORD).await;
        let list = get(&signed_in, &public, "/rapporten").await.text().await.unwrap();
        assert!(list.contains("Ingelogd als raad@example.org") && !list.contains("Inloggen voor medewerkers"));

        // Login asked: every reading-room address sends a visitor to sign in, and back.
        let mut settings = Settings::new("http://peiling.test");
        settings.reading_room = ReadingRoom::Login;
        let closed = TestApp::spawn_with(&db, settings).await;
        for path in ["/rapporten".to_string(), page.clone(), pdf.clone()] {
            let r = get(&anonymous, &closed, &path).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&r), format!("/inloggen?terug={path}"));
        }
        let reader = TestApp::browser();
        crate::web_pages::login(&closed, &reader, "raad@example.org", PASSWORD).await;
        for path in ["/rapporten".to_string(), page.clone(), pdf.clone()] {
            assert_eq!(get(&reader, &closed, &path).await.status(), StatusCode::OK, "{path}");
        }
    });
}

#[tokio::test]
async fn publishing_twice_at_once_gives_one_version_and_no_error() {
    crate::on_both!("publishing_twice_at_once_gives_one_version_and_no_error", |db| {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let demo = crate::helpers::run_demo(&db).await;
        let email = peiling::domain::EmailAddress::parse("onderzoek@example.org").unwrap();
        let user = peiling::accounts::add_user(
            &db,
            &email,
            "een lang wachtwoord",
            peiling::accounts::Role::Researcher,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let source = peiling::report::publish::source_of(&demo).unwrap();
        let now = chrono::Utc::now();
        // Four clicks at once: each reads the same latest version before any of them stores one.
        let clicks = (0..4).map(|_| peiling::report::publish::publish(&db, &demo, &source, user.id, now));
        let results = futures_util::future::join_all(clicks).await;
        let ids: Vec<i32> = results.into_iter().map(|r| r.expect("no click fails").id).collect();
        let versions = entity::publication::Entity::find()
            .filter(entity::publication::Column::SurveyId.eq(demo.row.id))
            .count(&db)
            .await
            .unwrap();
        // Clicks that met hand back the same version; every version stored is one some click got.
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(versions, distinct.len() as u64, "{ids:?}");
    });
}
