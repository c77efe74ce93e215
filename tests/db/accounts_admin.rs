//! Accounts that can be managed: disabling ends sessions and tokens at once, a new password
//! ends the other sessions, one-time links work once and expire, the last admin stays, the
//! password policy refuses the trivially weak, non-admins get 403 on every admin route, every
//! act is in the trail with its actor, and token lists never show a secret.

use crate::helpers::{TestApp, api_token, survey_with_invitees};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use chrono::Utc;
use peiling::accounts::{self, AccountError, Acting, Role};
use peiling::audit::Action;
use peiling::domain::EmailAddress;
use reqwest::{Client, StatusCode};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::Value;

pub(crate) const PASSWORD: &str = "een lang wachtwoord";
const NEW_PASSWORD: &str = "paarse olifant fietst langzaam";

pub(crate) fn address(email: &str) -> EmailAddress {
    EmailAddress::parse(email).unwrap()
}

pub(crate) async fn account(db: &DatabaseConnection, email: &str, role: Role) -> entity::user::Model {
    accounts::add_user(db, &address(email), PASSWORD, role, Utc::now()).await.unwrap()
}

/// A signed-in browser and its session's CSRF value.
pub(crate) async fn browser(app: &TestApp, email: &str, password: &str) -> (Client, String) {
    let c = TestApp::browser();
    assert_eq!(login(app, &c, email, password).await.status(), StatusCode::SEE_OTHER, "{email} signs in");
    let page = c.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    (c, csrf_of(&page))
}

pub(crate) async fn post_form(c: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = c
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The trail, in the order the acts were recorded, as (action, actor, detail).
pub(crate) async fn trail(db: &DatabaseConnection) -> Vec<(String, String, String)> {
    let mut rows = peiling::audit::events(db, None).await.unwrap();
    rows.sort_by_key(|e| e.id);
    rows.into_iter().map(|e| (e.action, e.actor, e.detail)).collect()
}

#[tokio::test]
async fn disabling_an_account_ends_its_session_and_stops_its_token_at_once() {
    on_both!("disabling_an_account_ends_its_session_and_stops_its_token_at_once", |db| {
        account(&db, "beheer@example.org", Role::Admin).await;
        let token = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        let app = TestApp::spawn(&db).await;
        let (researcher, _) = browser(&app, "onderzoeker@example.org", PASSWORD).await;
        let (admin, csrf) = browser(&app, "beheer@example.org", PASSWORD).await;
        let api = |t: String| {
            let url = app.url("/api/v1/surveys");
            async move { TestApp::browser().get(url).bearer_auth(t).send().await.unwrap().status() }
        };
        assert_eq!(researcher.get(app.url("/onderzoek")).send().await.unwrap().status(), StatusCode::OK);
        assert_eq!(api(token.clone()).await, StatusCode::OK);

        let (status, page) = post_form(
            &admin,
            &app,
            "/beheer/accounts/uitschakelen",
            &[("csrf", &csrf), ("email", "ONDERZOEKER@example.org")],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("uitgeschakeld"), "{page}");
        let next = researcher.get(app.url("/onderzoek")).send().await.unwrap();
        assert_eq!(next.status(), StatusCode::SEE_OTHER, "the next page request goes to the login");
        assert!(next.headers()["location"].to_str().unwrap().starts_with("/inloggen"));
        assert_eq!(api(token.clone()).await, StatusCode::UNAUTHORIZED, "the token stopped");
        assert_eq!(
            login(&app, &TestApp::browser(), "onderzoeker@example.org", PASSWORD).await.status(),
            StatusCode::UNAUTHORIZED,
            "and no new sign-in"
        );
        let last = trail(&db).await.pop().unwrap();
        assert_eq!(last, ("account_disabled".into(), "beheer@example.org".into(), "onderzoeker@example.org".into()));

        accounts::enable(&db, Acting::CommandLine, &address("onderzoeker@example.org"), Utc::now()).await.unwrap();
        assert_eq!(api(token).await, StatusCode::OK, "enabled again, the token works again");
        let next = researcher.get(app.url("/onderzoek")).send().await.unwrap();
        assert_eq!(next.status(), StatusCode::SEE_OTHER, "but the ended session stays ended");
    });
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions_and_needs_the_current_one() {
    on_both!("changing_ones_password_ends_the_other_sessions_and_needs_the_current_one", |db| {
        account(&db, "onderzoeker@example.org", Role::Researcher).await;
        let app = TestApp::spawn(&db).await;
        let (here, csrf) = browser(&app, "onderzoeker@example.org", PASSWORD).await;
        let (elsewhere, _) = browser(&app, "onderzoeker@example.org", PASSWORD).await;

        let wrong = [
            ("csrf", csrf.as_str()),
            ("huidig", "niet mijn wachtwoord"),
            ("nieuw", NEW_PASSWORD),
            ("herhaling", NEW_PASSWORD),
        ];
        let (status, page) = post_form(&here, &app, "/account/wachtwoord", &wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("het huidige wachtwoord klopt niet"), "{page}");
        let weak =
            [("csrf", csrf.as_str()), ("huidig", PASSWORD), ("nieuw", "aaaaaaaaaaaa"), ("herhaling", "aaaaaaaaaaaa")];
        let (status, page) = post_form(&here, &app, "/account/wachtwoord", &weak).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("te voorspelbaar"), "{page}");
        assert_eq!(
            elsewhere.get(app.url("/onderzoek")).send().await.unwrap().status(),
            StatusCode::OK,
            "nothing changed yet"
        );

        let fields =
            [("csrf", csrf.as_str()), ("huidig", PASSWORD), ("nieuw", NEW_PASSWORD), ("herhaling", NEW_PASSWORD)];
        let (status, page) = post_form(&here, &app, "/account/wachtwoord", &fields).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            here.get(app.url("/onderzoek")).send().await.unwrap().status(),
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(
            elsewhere.get(app.url("/onderzoek")).send().await.unwrap().status(),
            StatusCode::SEE_OTHER,
            "the other ended"
        );
        let client = TestApp::browser();
        assert_eq!(login(&app, &client, "onderzoeker@example.org", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(login(&app, &client, "onderzoeker@example.org", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let changed: Vec<_> = trail(&db).await.into_iter().filter(|(a, ..)| a == "password_changed").collect();
        assert_eq!(
            changed,
            vec![("password_changed".into(), "onderzoeker@example.org".into(), "onderzoeker@example.org".into())]
        );
    });
}

#[tokio::test]
async fn a_reset_link_works_once_ends_the_sessions_and_expires() {
    on_both!("a_reset_link_works_once_ends_the_sessions_and_expires", |db| {
        account(&db, "onderzoeker@example.org", Role::Researcher).await;
        let admin = api_token(&db, "beheer@example.org", Role::Admin).await;
        let app = TestApp::spawn(&db).await;
        let (old_session, _) = browser(&app, "onderzoeker@example.org", PASSWORD).await;
        let c = TestApp::browser();
        let r =
            c.post(app.url("/api/v1/users/onderzoeker@example.org/reset")).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        let url = body["url"].as_str().unwrap().to_string();
        let path = url.strip_prefix("http://peiling.test").expect("the link starts with the base URL").to_string();
        assert!(path.starts_with("/wachtwoord/"), "{url}");

        let form = c.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("onderzoeker@example.org"), "{form}");
        let csrf = csrf_of(&form);
        let weak = [("csrf", csrf.as_str()), ("nieuw", "aaaaaaaaaaaa"), ("herhaling", "aaaaaaaaaaaa")];
        let (status, page) = post_form(&c, &app, &path, &weak).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("te voorspelbaar: herhalingen"), "{page}");
        let (status, _) = post_form(
            &TestApp::browser(),
            &app,
            &path,
            &[("csrf", "x"), ("nieuw", NEW_PASSWORD), ("herhaling", NEW_PASSWORD)],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a post without the form's cookie is refused");
        let good = [("csrf", csrf.as_str()), ("nieuw", NEW_PASSWORD), ("herhaling", NEW_PASSWORD)];
        let (status, page) = post_form(&c, &app, &path, &good).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            old_session.get(app.url("/onderzoek")).send().await.unwrap().status(),
            StatusCode::SEE_OTHER,
            "sessions ended"
        );
        assert_eq!(
            login(&app, &TestApp::browser(), "onderzoeker@example.org", NEW_PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );

        let again = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::GONE, "used once");
        assert!(again.text().await.unwrap().contains("werkt niet meer"));
        let (status, _) = post_form(&c, &app, &path, &good).await;
        assert_eq!(status, StatusCode::GONE);

        let email = address("onderzoeker@example.org");
        let long_ago = Utc::now() - chrono::Duration::hours(accounts::RESET_HOURS + 1);
        let old = accounts::issue_reset(&db, Acting::CommandLine, &email, long_ago).await.unwrap();
        assert!(
            matches!(accounts::link_account(&db, old.as_str(), Utc::now()).await, Err(AccountError::LinkInvalid)),
            "expired"
        );
        let first = accounts::issue_reset(&db, Acting::CommandLine, &email, Utc::now()).await.unwrap();
        let second = accounts::issue_reset(&db, Acting::CommandLine, &email, Utc::now()).await.unwrap();
        assert!(accounts::link_account(&db, first.as_str(), Utc::now()).await.is_err(), "a newer link voids the older");
        assert!(accounts::link_account(&db, second.as_str(), Utc::now()).await.is_ok());
        let acts: Vec<_> = trail(&db).await.into_iter().filter(|(a, ..)| a.starts_with("password")).collect();
        assert_eq!(
            acts[0],
            ("password_reset_issued".into(), "beheer@example.org".into(), "onderzoeker@example.org".into())
        );
        assert_eq!(
            acts[1],
            ("password_changed".into(), "onderzoeker@example.org".into(), "onderzoeker@example.org: via link".into())
        );
    });
}

#[tokio::test]
async fn the_last_enabled_admin_and_ones_own_account_stay() {
    on_both!("the_last_enabled_admin_and_ones_own_account_stay", |db| {
        let first = account(&db, "een@example.org", Role::Admin).await;
        let now = Utc::now();
        let one = address("een@example.org");
        let cli = Acting::CommandLine;
        assert!(matches!(accounts::disable(&db, cli, &one, now).await, Err(AccountError::LastAdmin(_))));
        assert!(matches!(
            accounts::set_role(&db, cli, &one, Role::Researcher, now).await,
            Err(AccountError::LastAdmin(_))
        ));
        assert!(matches!(accounts::delete(&db, cli, &one, None, now).await, Err(AccountError::LastAdmin(_))));
        let err = accounts::disable(&db, cli, &one, now).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "een@example.org is de laatste beheerder met een ingeschakeld account; maak eerst iemand anders beheerder"
        );

        let second = account(&db, "twee@example.org", Role::Admin).await;
        let two = address("twee@example.org");
        let me = Acting::Account(&first, Role::Admin);
        for result in [
            accounts::disable(&db, me, &one, now).await.map(|_| ()),
            accounts::set_role(&db, me, &one, Role::Reader, now).await.map(|_| ()),
            accounts::delete(&db, me, &one, None, now).await,
        ] {
            assert!(matches!(result, Err(AccountError::OwnAccount)), "{result:?}");
        }
        accounts::disable(&db, me, &two, now).await.unwrap();
        let other = Acting::Account(&second, Role::Admin);
        assert!(
            matches!(accounts::disable(&db, other, &one, now).await, Err(AccountError::LastAdmin(_))),
            "a disabled admin is not counted"
        );
        let researcher = account(&db, "r@example.org", Role::Researcher).await;
        let not_admin = Acting::Account(&researcher, Role::Researcher);
        assert!(matches!(accounts::disable(&db, not_admin, &two, now).await, Err(AccountError::NotAdmin)));

        let token = api_token(&db, "drie@example.org", Role::Admin).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let r = c.post(app.url("/api/v1/users/drie@example.org/disable")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "own_account");
        accounts::disable(&db, cli, &address("drie@example.org"), now).await.unwrap();
        accounts::set_role(&db, cli, &one, Role::Admin, now).await.unwrap();
        let users = entity::user::Entity::find().all(&db).await.unwrap();
        assert_eq!(users.iter().filter(|u| u.role == "admin" && u.disabled_at.is_none()).count(), 1);
    });
}

#[tokio::test]
async fn the_api_refuses_twelve_as_with_the_reason_and_an_address_twice() {
    on_both!("the_api_refuses_twelve_as_with_the_reason_and_an_address_twice", |db| {
        let admin = api_token(&db, "beheer@example.org", Role::Admin).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let create = |body: Value| {
            let (c, url, admin) = (c.clone(), app.url("/api/v1/users"), admin.clone());
            async move {
                let r = c.post(url).bearer_auth(admin).json(&body).send().await.unwrap();
                (r.status(), r.json::<Value>().await.unwrap())
            }
        };
        let (status, body) =
            create(serde_json::json!({"email": "nieuw@example.org", "role": "researcher", "password": "aaaaaaaaaaaa"}))
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"], "weak_password");
        assert_eq!(body["message"], "dit wachtwoord is te voorspelbaar: herhalingen als 'aaa' zijn makkelijk te raden");
        let (status, body) = create(serde_json::json!({"email": "nieuw@example.org", "role": "reader"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert!(body["link"]["url"].as_str().unwrap().starts_with("http://peiling.test/wachtwoord/"));
        assert_eq!(body["user"]["role"], "reader");
        let (status, body) = create(serde_json::json!({"email": "NIEUW@example.org", "role": "reader"})).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::CONFLICT, Some("exists")));
        assert_eq!(
            login(&app, &TestApp::browser(), "nieuw@example.org", "!nog-in-te-stellen").await.status(),
            StatusCode::UNAUTHORIZED,
            "no password works before the link is used"
        );
    });
}

#[tokio::test]
async fn tokens_are_listed_without_secrets_expire_and_are_revoked_with_a_trail() {
    on_both!("tokens_are_listed_without_secrets_expire_and_are_revoked_with_a_trail", |db| {
        let admin = api_token(&db, "beheer@example.org", Role::Admin).await;
        account(&db, "onderzoeker@example.org", Role::Researcher).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let url = app.url("/api/v1/users/onderzoeker@example.org/tokens");
        let r = c
            .post(&url)
            .bearer_auth(&admin)
            .json(&serde_json::json!({"label": "script", "expires": "30"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let created: Value = r.json().await.unwrap();
        let secret = created["token"].as_str().unwrap().to_string();
        let id = created["id"].as_i64().unwrap() as i32;
        let r = c.get(app.url("/api/v1/surveys")).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "the new token works");
        let r =
            c.post(&url).bearer_auth(&admin).json(&serde_json::json!({"expires": "2020-01-01"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an expiry in the past");

        let listed = c.get(&url).bearer_auth(&admin).send().await.unwrap().text().await.unwrap();
        let hash = peiling::domain::Token::parse(&secret).unwrap().hash();
        assert!(!listed.contains(&secret) && !listed.contains(&hash), "{listed}");
        let body: Value = serde_json::from_str(&listed).unwrap();
        let token = &body["tokens"][0];
        assert_eq!(
            (token["id"].as_i64(), token["label"].as_str(), token["active"].as_bool()),
            (Some(id.into()), Some("script"), Some(true))
        );
        assert!(token["expires_at"].is_string());

        let later = Utc::now() + chrono::Duration::days(31);
        assert!(accounts::user_for_token(&db, &secret, Utc::now()).await.unwrap().is_some());
        assert!(accounts::user_for_token(&db, &secret, later).await.unwrap().is_none(), "expired after 30 days");
        let email = address("onderzoeker@example.org");
        let listed_later = accounts::list_tokens(&db, Acting::CommandLine, &email, later).await.unwrap();
        assert!(!listed_later[0].active);

        let (browser, csrf) = browser(&app, "onderzoeker@example.org", PASSWORD).await;
        let page = browser.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("script") && !page.contains(&secret), "one's own list, without the secret");
        let other = api_token(&db, "ander@example.org", Role::Researcher).await;
        let other_id = accounts::list_tokens(&db, Acting::CommandLine, &address("ander@example.org"), Utc::now())
            .await
            .unwrap()[0]
            .id;
        let (status, _) =
            post_form(&browser, &app, "/account/sleutels/intrekken", &[("csrf", &csrf), ("id", &other_id.to_string())])
                .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another's token is not one's own to revoke");
        let me = accounts::find_user(&db, &email).await.unwrap().unwrap();
        let as_me = Acting::Account(&me, Role::Researcher);
        let theirs = accounts::list_tokens(&db, as_me, &address("ander@example.org"), Utc::now()).await;
        assert!(matches!(theirs, Err(AccountError::Unknown(_))), "nor another's list: {theirs:?}");
        let made = accounts::create_token(&db, as_me, &address("ander@example.org"), "x", None, Utc::now()).await;
        assert!(matches!(made, Err(AccountError::Unknown(_))), "nor a token for another");
        assert_eq!(
            c.get(app.url("/api/v1/surveys")).bearer_auth(&other).send().await.unwrap().status(),
            StatusCode::OK
        );

        let r = c.delete(app.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            c.get(app.url("/api/v1/surveys")).bearer_auth(&secret).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let r = c.delete(app.url("/api/v1/tokens/999999")).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let acts: Vec<_> = trail(&db).await.into_iter().filter(|(a, ..)| a.starts_with("token")).collect();
        let created = format!("onderzoeker@example.org: sleutel {id}");
        assert!(acts.contains(&("token_created".into(), "beheer@example.org".into(), created.clone())), "{acts:?}");
        assert!(acts.contains(&("token_revoked".into(), "beheer@example.org".into(), created)), "{acts:?}");
        assert!(acts.iter().all(|(_, _, d)| !d.contains(&secret)));
    });
}

#[tokio::test]
async fn deleting_an_owner_hands_the_surveys_on_and_keeps_the_trail() {
    on_both!("deleting_an_owner_hands_the_surveys_on_and_keeps_the_trail", |db| {
        let admin = account(&db, "beheer@example.org", Role::Admin).await;
        account(&db, "eigenaar@example.org", Role::Researcher).await;
        account(&db, "opvolger@example.org", Role::Researcher).await;
        let survey = survey_with_invitees(&db, "genodigde", 2).await;
        crate::helpers::join(&db, "eigenaar@example.org", &survey).await;
        let owner = address("eigenaar@example.org");
        let now = Utc::now();
        accounts::create_token(&db, Acting::CommandLine, &owner, "x", None, now).await.unwrap();
        let before = peiling::audit::events(&db, None).await.unwrap().len();

        let refused = accounts::delete(&db, Acting::CommandLine, &owner, None, now).await.unwrap_err();
        assert!(matches!(refused, AccountError::OwnsSurveys(..)), "the command line must name an heir");
        assert!(refused.to_string().contains(&survey.row.slug), "{refused}");
        let reader = account(&db, "lezer@example.org", Role::Reader).await;
        let to_reader = accounts::delete(&db, Acting::CommandLine, &owner, Some(&address(&reader.email)), now).await;
        assert!(matches!(to_reader, Err(AccountError::NoHeir(_))), "a reader cannot own a survey");

        accounts::delete(&db, Acting::Account(&admin, Role::Admin), &owner, None, now).await.unwrap();
        assert!(accounts::find_user(&db, &owner).await.unwrap().is_none());
        let members = peiling::teams::members(&db, survey.row.id).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(
            (members[0].email.as_str(), members[0].owner),
            ("beheer@example.org", true),
            "the acting admin owns it now"
        );
        let events = peiling::audit::events(&db, None).await.unwrap();
        assert_eq!(events.len(), before + 2, "the old rows stay; a handover and a deletion are added");
        let newest: Vec<_> =
            events.iter().take(2).map(|e| (e.action.as_str(), e.survey.as_deref(), e.detail.as_str())).collect();
        assert_eq!(
            newest,
            vec![
                (Action::AccountDeleted.as_str(), None, "eigenaar@example.org"),
                (Action::OwnerSet.as_str(), Some(survey.row.slug.as_str()), "beheer@example.org"),
            ]
        );
        assert!(
            events.iter().any(|e| e.action == "token_created" && e.detail.starts_with("eigenaar@example.org")),
            "its earlier acts stay"
        );
    });
}
