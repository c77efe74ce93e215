//! Login protection that cannot be turned against users: an attacker's address is blocked with
//! growing delays (429, `Retry-After`), the account's owner signs in from their own address
//! while the attacker hammers it, `X-Forwarded-For` counts only behind a trusted proxy, the
//! global ceiling holds against many addresses, and an admin can lift it all, on the record.
//! Time is the application's clock, moved by the test.

use crate::helpers::{TestApp, api_token};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use chrono::{DateTime, Duration, Utc};
use peiling::accounts::{self, LoginError, Role, throttle};
use peiling::audit::{self, Actor};
use peiling::domain::{ClientAddress, EmailAddress};
use reqwest::{Client, StatusCode};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "een lang wachtwoord";
const ATTACKER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.7";

/// The application on a clock the test moves, optionally behind a trusted proxy at 127.0.0.1
/// (the test itself), so that `X-Forwarded-For` plays the client's address.
struct App {
    web: TestApp,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl App {
    async fn spawn(db: &DatabaseConnection, behind_proxy: bool) -> App {
        let now = Arc::new(Mutex::new(Utc::now()));
        let read = now.clone();
        let clock: peiling::web::Clock = Arc::new(move || *read.lock().unwrap());
        let mut settings = peiling::web::Settings::new("http://peiling.test");
        if behind_proxy {
            settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let app = peiling::web::Application::build_with_clock(listener, db.clone(), settings, clock).unwrap();
        let web = TestApp { address: format!("http://127.0.0.1:{}", app.port()) };
        tokio::spawn(app.server());
        App { web, now }
    }

    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }

    fn wait(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }

    /// A login from the form, with `forwarded` as the `X-Forwarded-For` header if given.
    async fn login(&self, forwarded: Option<&str>, email: &str, password: &str) -> reqwest::Response {
        let c = TestApp::browser();
        let page = c.get(self.web.url("/inloggen")).send().await.unwrap().text().await.unwrap();
        let form = serde_urlencoded::to_string([
            ("csrf", csrf_of(&page).as_str()),
            ("terug", ""),
            ("email", email),
            ("wachtwoord", password),
        ])
        .unwrap();
        let mut post = c.post(self.web.url("/inloggen")).header("content-type", "application/x-www-form-urlencoded");
        if let Some(f) = forwarded {
            post = post.header("x-forwarded-for", f);
        }
        post.body(form).send().await.unwrap()
    }
}

async fn account(db: &DatabaseConnection, email: &str, role: Role) {
    accounts::add_user(db, &EmailAddress::parse(email).unwrap(), PASSWORD, role, Utc::now()).await.unwrap();
}

fn retry_after(r: &reqwest::Response) -> i64 {
    r.headers().get("retry-after").expect("a Retry-After").to_str().unwrap().parse().unwrap()
}

fn address(text: &str) -> ClientAddress {
    ClientAddress::parse(text).unwrap()
}

#[tokio::test]
async fn an_attackers_address_is_blocked_with_growing_delays_and_told_when_to_retry() {
    on_both!("an_attackers_address_is_blocked_with_growing_delays_and_told_when_to_retry", |db| {
        account(&db, "onderzoek@example.org", Role::Researcher).await;
        let app = App::spawn(&db, true).await;
        let from = Some(ATTACKER);
        // Guesses at any account count, also at addresses that have no account.
        for email in ["onderzoek@example.org", "niemand@example.org", "onderzoek@example.org", "x@example.org", "y"] {
            assert_eq!(app.login(from, email, "raden raden").await.status(), StatusCode::UNAUTHORIZED);
        }
        for (wait, unit) in [(60, "1 minuut"), (120, "2 minuten"), (240, "4 minuten")] {
            // Blocked: even the right password is refused unchecked, with when to come back.
            let r = app.login(from, "onderzoek@example.org", PASSWORD).await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(retry_after(&r), wait);
            let body = r.text().await.unwrap();
            let message = format!("Te veel mislukte pogingen vanaf dit adres; probeer het over {unit} opnieuw");
            assert!(body.contains(&message), "{body}");
            app.wait(Duration::seconds(wait - 1));
            assert_eq!(app.login(from, "x@example.org", "raden raden").await.status(), StatusCode::TOO_MANY_REQUESTS);
            app.wait(Duration::seconds(1));
            // One more try when the block ends, and the next block is twice as long.
            assert_eq!(app.login(from, "x@example.org", "raden raden").await.status(), StatusCode::UNAUTHORIZED);
        }
        // The longest block is an hour.
        for _ in 0..6 {
            let r = app.login(from, "x@example.org", "raden raden").await;
            let wait = retry_after(&r);
            app.wait(Duration::seconds(wait));
            assert_eq!(app.login(from, "x@example.org", "raden raden").await.status(), StatusCode::UNAUTHORIZED);
        }
        assert_eq!(retry_after(&app.login(from, "x@example.org", "raden").await), 3600);
        // Another address is not affected.
        assert_eq!(app.login(Some(OWNER), "onderzoek@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        // An address quiet for a day starts afresh.
        app.wait(Duration::hours(25));
        assert_eq!(app.login(from, "onderzoek@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    });
}

#[tokio::test]
async fn the_owner_signs_in_from_their_address_while_an_attacker_hammers_the_account() {
    on_both!("the_owner_signs_in_from_their_address_while_an_attacker_hammers_the_account", |db| {
        account(&db, "doelwit@example.org", Role::Researcher).await;
        let app = App::spawn(&db, true).await;
        let hammer = || async {
            for _ in 0..10 {
                let status = app.login(Some(ATTACKER), "doelwit@example.org", "raden raden").await.status();
                assert!([StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&status), "{status}");
            }
        };
        hammer().await;
        let owner = app.login(Some(OWNER), "doelwit@example.org", PASSWORD).await;
        assert_eq!(owner.status(), StatusCode::SEE_OTHER, "the owner signs in");
        // Once its block is over, the attacker's address still finds the account locked, even
        // with the right password: the lock is for that address.
        app.wait(Duration::minutes(2));
        let r = app.login(Some(ATTACKER), "doelwit@example.org", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "locked for the attacker's address");
        for round in 0..3 {
            app.wait(Duration::minutes(5));
            hammer().await;
            let owner = app.login(Some(OWNER), "doelwit@example.org", PASSWORD).await;
            assert_eq!(owner.status(), StatusCode::SEE_OTHER, "round {round}: the owner signs in");
        }
    });
}

#[tokio::test]
async fn a_spoofed_forwarded_for_does_not_escape_the_throttle() {
    on_both!("a_spoofed_forwarded_for_does_not_escape_the_throttle", |db| {
        account(&db, "doelwit@example.org", Role::Researcher).await;
        // Not behind a proxy: the header is the client's word and changes nothing.
        let app = App::spawn(&db, false).await;
        for n in 0..throttle::FREE_FAILURES {
            let spoofed = format!("192.0.2.{n}");
            let status = app.login(Some(&spoofed), "doelwit@example.org", "raden raden").await.status();
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        for spoofed in [Some("192.0.2.100"), Some(OWNER), None] {
            let r = app.login(spoofed, "doelwit@example.org", PASSWORD).await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{spoofed:?}");
        }
        let blocks = accounts::blocks(&db, app.now()).await.unwrap();
        let blocked: Vec<&str> = blocks.addresses.iter().map(|b| b.address.as_str()).collect();
        assert_eq!(blocked, ["127.0.0.1"], "the peer is counted, not what the header says");

        // Behind the proxy, what the proxy appended counts, not what the client wrote before it.
        let behind = App::spawn(&db, true).await;
        for n in 0..throttle::FREE_FAILURES {
            let spoofed = format!("192.0.2.{n}, {ATTACKER}");
            let status = behind.login(Some(&spoofed), "doelwit@example.org", "raden raden").await.status();
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let r = behind.login(Some(&format!("{OWNER}, {ATTACKER}")), "doelwit@example.org", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // The proxy's own address (127.0.0.1, blocked above) is not the client's.
        let r = behind.login(Some(OWNER), "doelwit@example.org", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    });
}

/// Many addresses, each within its own limits, add up to the account's global ceiling; the
/// owner at an address they signed in from before is not locked out by it.
#[tokio::test]
async fn the_global_ceiling_holds_against_many_addresses() {
    on_both!("the_global_ceiling_holds_against_many_addresses", |db| {
        let email = "doelwit@example.org";
        account(&db, email, Role::Researcher).await;
        let now = Utc::now();
        let home = address(OWNER);
        accounts::login(&db, email, PASSWORD, &home, now).await.unwrap();
        let per_address = accounts::MAX_FAILED_LOGINS;
        let addresses = throttle::GLOBAL_MAX_FAILED_LOGINS / per_address;
        for n in 0..addresses {
            let from = address(&format!("203.0.113.{n}"));
            for _ in 0..per_address {
                let r = accounts::login(&db, email, "raden raden", &from, now).await;
                assert!(matches!(r, Err(LoginError::Refused)));
            }
        }
        // The ceiling is reached: a fresh address is refused even the right password.
        let fresh = address("192.0.2.200");
        let r = accounts::login(&db, email, PASSWORD, &fresh, now).await;
        assert!(matches!(r, Err(LoginError::Refused)), "the ceiling holds");
        let r = accounts::login(&db, email, PASSWORD, &address("2001:db8:7::1"), now).await;
        assert!(matches!(r, Err(LoginError::Refused)), "for every address the account does not know");
        // The owner at home is not locked out, and signing in there does not lift the ceiling.
        accounts::login(&db, email, PASSWORD, &home, now).await.expect("the owner at home");
        let r = accounts::login(&db, email, PASSWORD, &address("192.0.2.201"), now).await;
        assert!(matches!(r, Err(LoginError::Refused)), "still locked for others");
        let blocks = accounts::blocks(&db, now).await.unwrap();
        assert!(blocks.accounts.iter().any(|l| l.account == email && l.address.is_none()), "{blocks:?}");
        // It ends after its hour.
        let later = now + throttle::GLOBAL_LOCK + Duration::seconds(1);
        accounts::login(&db, email, PASSWORD, &fresh, later).await.expect("the ceiling's lock ends");
    });
}

async fn api(
    c: &Client,
    app: &App,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut r = c.request(method, app.web.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_admin_lifts_blocks_and_locks_and_the_trail_says_who() {
    on_both!("an_admin_lifts_blocks_and_locks_and_the_trail_says_who", |db| {
        let admin_token = api_token(&db, "beheer@example.org", Role::Admin).await;
        let researcher_token = api_token(&db, "onderzoek@example.org", Role::Researcher).await;
        let reader_token = api_token(&db, "raad@example.org", Role::Reader).await;
        account(&db, "doelwit@example.org", Role::Researcher).await;
        let app = App::spawn(&db, true).await;
        for _ in 0..accounts::MAX_FAILED_LOGINS {
            app.login(Some(ATTACKER), "doelwit@example.org", "raden raden").await;
        }
        let c = Client::new();
        use reqwest::Method;
        let (status, refusal) = api(&c, &app, Method::GET, "/api/v1/login-blocks", &researcher_token, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "admins only");
        assert_eq!(refusal["message"], "Alleen beheerders zien en beheren inlogblokkades.");
        let (status, refusal) = api(&c, &app, Method::GET, "/api/v1/login-blocks", &reader_token, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a reader is refused as not an admin: {refusal}");
        assert_eq!(refusal["message"], "Alleen beheerders zien en beheren inlogblokkades.");
        let body = Some(json!({ "address": ATTACKER }));
        let (status, _) = api(&c, &app, Method::POST, "/api/v1/login-blocks/unlock", &researcher_token, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "admins only");
        let (status, blocks) = api(&c, &app, Method::GET, "/api/v1/login-blocks", &admin_token, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(blocks["addresses"][0]["address"], ATTACKER, "{blocks}");
        assert_eq!(blocks["accounts"][0]["account"], "doelwit@example.org", "{blocks}");
        assert_eq!(blocks["accounts"][0]["address"], ATTACKER, "{blocks}");

        // Lifting the address lifts the account's lock for it too: the right password works.
        let body = Some(json!({ "address": ATTACKER }));
        let (status, done) = api(&c, &app, Method::POST, "/api/v1/login-blocks/unlock", &admin_token, body).await;
        assert_eq!((status, done["cleared"].as_u64()), (StatusCode::OK, Some(2)), "{done}");
        assert_eq!(app.login(Some(ATTACKER), "doelwit@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        for bad in [json!({}), json!({ "address": "geen adres" }), json!({ "address": ATTACKER, "account": "a@b.nl" })]
        {
            let (status, _) =
                api(&c, &app, Method::POST, "/api/v1/login-blocks/unlock", &admin_token, Some(bad.clone())).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        let body = Some(json!({ "account": "niemand@example.org" }));
        let (status, _) = api(&c, &app, Method::POST, "/api/v1/login-blocks/unlock", &admin_token, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The page: lock the account again from another address and lift it there.
        for _ in 0..accounts::MAX_FAILED_LOGINS {
            app.login(Some("192.0.2.9"), "doelwit@example.org", "raden raden").await;
        }
        let admin = TestApp::browser();
        assert_eq!(login(&app.web, &admin, "beheer@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let page = admin.get(app.web.url("/beheer/vergrendelingen")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("192.0.2.9") && html.contains("doelwit@example.org"), "{html}");
        let csrf = csrf_of(&html);
        let form = [("csrf", csrf.as_str()), ("account", "doelwit@example.org")];
        let post = |fields: &[(&str, &str)]| {
            admin
                .post(app.web.url("/beheer/vergrendelingen/opheffen"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(fields).unwrap())
                .send()
        };
        let forged = post(&form[1..]).await.unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "without the session's CSRF value");
        let done = post(&form).await.unwrap();
        assert_eq!(done.status(), StatusCode::OK);
        let html = done.text().await.unwrap();
        assert!(html.contains("De blokkade van account doelwit@example.org is opgeheven"), "{html}");
        assert!(html.contains("Er is nu geen account op slot"), "{html}");
        let researcher = TestApp::browser();
        login(&app.web, &researcher, "onderzoek@example.org", PASSWORD).await;
        let r = researcher.get(app.web.url("/beheer/vergrendelingen")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        // And from the command line's domain function, named as the command line.
        accounts::unlock(&db, &Actor::CommandLine, &accounts::Unlock::Address(address("192.0.2.9")), app.now())
            .await
            .unwrap();
        let trail: Vec<(String, String)> = audit::events(&db, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "login_unlocked")
            .map(|e| (e.actor, e.detail))
            .collect();
        assert_eq!(trail.len(), 3, "{trail:?}");
        assert!(trail[0].0.starts_with("opdrachtregel") && trail[0].1 == "adres 192.0.2.9", "{trail:?}");
        assert_eq!(trail[1], ("beheer@example.org".into(), "account doelwit@example.org".into()));
        assert_eq!(trail[2], ("beheer@example.org".into(), format!("adres {ATTACKER}")));
        // Nothing left to lift: nothing recorded.
        let nothing = accounts::Unlock::Address(address(ATTACKER));
        assert_eq!(accounts::unlock(&db, &Actor::CommandLine, &nothing, app.now()).await.unwrap(), 0);
        assert_eq!(audit::events(&db, None).await.unwrap().iter().filter(|e| e.action == "login_unlocked").count(), 3);
    });
}
