//! The researcher's pages and the reading room over HTTP: login, lock-out, CSRF, roles, every
//! page, the whole path from a new survey to its report (publishing it is refused: nobody answered).

use crate::helpers::TestApp;
use crate::on_both;
use peiling::accounts::{self, Role};
use peiling::domain::EmailAddress;
use reqwest::{Client, StatusCode};
use sea_orm::DatabaseConnection;

const PASSWORD: &str = "een lang wachtwoord";

async fn account(db: &DatabaseConnection, email: &str, role: Role) {
    accounts::add_user(db, &EmailAddress::parse(email).unwrap(), PASSWORD, role, chrono::Utc::now()).await.unwrap();
}

pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

pub async fn login(app: &TestApp, c: &Client, email: &str, password: &str) -> reqwest::Response {
    login_back_to(app, c, email, password, "").await
}

/// Signs in from the login form with `back` as the page to return to.
async fn login_back_to(app: &TestApp, c: &Client, email: &str, password: &str, back: &str) -> reqwest::Response {
    let page = c.get(app.url("/inloggen")).send().await.unwrap().text().await.unwrap();
    let form = serde_urlencoded::to_string([
        ("csrf", csrf_of(&page).as_str()),
        ("terug", back),
        ("email", email),
        ("wachtwoord", password),
    ])
    .unwrap();
    c.post(app.url("/inloggen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a form of a page the user has open (its csrf value included).
async fn post(
    app: &TestApp,
    c: &Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (_, html) = page(app, c, from).await;
    let csrf = csrf_of(&html);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let r = c
        .post(app.url(to))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap();
    let (status, loc) = (r.status(), location(&r));
    (status, loc, r.text().await.unwrap())
}

/// A page to return to that a browser would resolve to another site is dropped, not followed;
/// a newline in it is no reason for a 500.
#[tokio::test]
async fn after_signing_in_only_a_path_of_this_site_is_followed() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    account(&db, "onderzoek@example.org", Role::Researcher).await;
    let app = TestApp::spawn(&db).await;
    for (back, to) in [
        ("/\t/evil.example", "/onderzoek"),
        ("/\n/evil.example", "/onderzoek"),
        ("/\\evil.example", "/onderzoek"),
        ("//evil.example", "/onderzoek"),
        ("https://evil.example/", "/onderzoek"),
        ("/rapporten", "/rapporten"),
    ] {
        let r = login_back_to(&app, &TestApp::browser(), "onderzoek@example.org", PASSWORD, back).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back:?}");
        assert_eq!(location(&r), to, "{back:?}");
    }
}

/// One person, one account: the case of the letters makes neither a second account nor a
/// failed sign-in.
#[tokio::test]
async fn an_address_in_other_capitals_is_the_same_account() {
    on_both!("an_address_in_other_capitals_is_the_same_account", |db| {
        account(&db, "alice@gemeente.nl", Role::Researcher).await;
        let again = accounts::add_user(
            &db,
            &EmailAddress::parse("ALICE@gemeente.nl").unwrap(),
            PASSWORD,
            Role::Researcher,
            chrono::Utc::now(),
        )
        .await;
        assert!(matches!(again, Err(accounts::AccountError::Exists(_))), "{again:?}");
        let app = TestApp::spawn(&db).await;
        let r = login(&app, &TestApp::browser(), "Alice@Gemeente.nl", PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed in whatever the capitals");
    });
}

#[tokio::test]
async fn login_right_wrong_and_locked_and_roles() {
    on_both!("login_right_wrong_and_locked_and_roles", |db| {
        account(&db, "onderzoek@example.org", Role::Researcher).await;
        account(&db, "raad@example.org", Role::Reader).await;
        let app = TestApp::spawn(&db).await;

        let anonymous = TestApp::browser();
        let r = anonymous.get(app.url("/onderzoek")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/inloggen?terug=/onderzoek");

        let c = TestApp::browser();
        let wrong = login(&app, &c, "onderzoek@example.org", "niet het wachtwoord").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let wrong_text = wrong.text().await.unwrap();
        let unknown = login(&app, &c, "niemand@example.org", PASSWORD).await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong_text.contains("Onbekend e-mailadres of verkeerd wachtwoord"));
        assert_eq!(
            unknown.text().await.unwrap().replace("niemand@", "onderzoek@"),
            wrong_text,
            "an unknown address and a wrong password look the same"
        );

        let ok = login(&app, &c, "onderzoek@example.org", PASSWORD).await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let cookie = ok.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert_eq!(page(&app, &c, "/onderzoek").await.0, StatusCode::OK);

        // A form post without the session's value is refused.
        let forged = c
            .post(app.url("/onderzoek/nieuw"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("bron=eigen&definitie=x")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);

        // A reader reads reports but cannot touch surveys.
        let reader = TestApp::browser();
        assert_eq!(login(&app, &reader, "raad@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(page(&app, &reader, "/rapporten").await.0, StatusCode::OK);
        assert_eq!(page(&app, &reader, "/onderzoek").await.0, StatusCode::FORBIDDEN);
        assert_eq!(page(&app, &reader, "/onderzoek/maatwerkbudget-2021").await.0, StatusCode::FORBIDDEN);

        // Five wrong passwords from one address block it (and lock the account for it): then
        // even the right one is refused from there, with when to try again
        // (`login_protection` has the lock per address and the rest).
        let attacker = TestApp::browser();
        for _ in 0..accounts::MAX_FAILED_LOGINS {
            assert_eq!(login(&app, &attacker, "raad@example.org", "raden").await.status(), StatusCode::UNAUTHORIZED);
        }
        let locked = login(&app, &attacker, "raad@example.org", PASSWORD).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: i64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        // The session that was already open is not affected; logging out ends it.
        assert_eq!(page(&app, &reader, "/rapporten").await.0, StatusCode::OK);
        let (status, loc, _) = post(&app, &reader, "/rapporten", "/uitloggen", &[]).await;
        assert_eq!((status, loc.as_str()), (StatusCode::SEE_OTHER, "/inloggen"));
        // Signed out: the public reading room still answers, the way in is offered again.
        let (status, list) = page(&app, &reader, "/rapporten").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("Inloggen voor medewerkers") && !list.contains("Ingelogd als"), "{list}");
    });
}

#[tokio::test]
async fn a_researcher_goes_from_a_new_survey_to_the_report() {
    on_both!("a_researcher_goes_from_a_new_survey_to_the_report", |db| {
        account(&db, "onderzoek@example.org", Role::Researcher).await;
        account(&db, "raad@example.org", Role::Reader).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        login(&app, &c, "onderzoek@example.org", PASSWORD).await;

        // A definition with a mistake is refused with its line.
        let bad = "id = \"proef\"\ntitle = \"Proef\"\n\n[[groups]]\ncode = \"A\"\nname = \"Team A\"\n\n[[questions]]\nid = \"Q1\"\ntype = \"jaofnee\"\ntext = \"Vraag?\"\n";
        let (status, _, body) =
            post(&app, &c, "/onderzoek/nieuw", "/onderzoek/nieuw", &[("bron", "eigen"), ("definitie", bad)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("regel 9, vraag Q1: onbekend vraagtype"), "{body}");
        let (status, loc, _) = post(
            &app,
            &c,
            "/onderzoek/nieuw",
            "/onderzoek/nieuw",
            &[("bron", "maatwerkbudget-2021"), ("definitie", "")],
        )
        .await;
        assert_eq!((status, loc.as_str()), (StatusCode::SEE_OTHER, "/onderzoek/maatwerkbudget-2021"));
        let base = "/onderzoek/maatwerkbudget-2021";
        for path in [base.to_string(), format!("{base}/voorbeeld"), format!("{base}/e-mails"), "/onderzoek".into()] {
            let (status, html) = page(&app, &c, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(html.contains("<html lang=\"nl\">"));
        }
        assert!(page(&app, &c, &format!("{base}/e-mails")).await.1.contains("Herinnering"));

        let bad_csv = "email;team\na@example.org;SWT\nkapot;JLR\n";
        let (status, _, body) = post(&app, &c, base, &format!("{base}/genodigden"), &[("csv", bad_csv)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("regel 3") && body.contains("Er is niets geïmporteerd"), "{body}");
        let csv = "email;team\na@example.org;SWT\nb@example.org;JLR\nc@example.org;SWT\n";
        let (status, _, body) = post(&app, &c, base, &format!("{base}/genodigden"), &[("csv", csv)]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("3 genodigden geïmporteerd"));
        let closes = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive().to_string();
        let (status, _, body) =
            post(&app, &c, base, &format!("{base}/openen"), &[("sluit", &closes), ("herinnering", "")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("3 uitnodigingen"));
        let (_, _, body) = post(&app, &c, base, &format!("{base}/herinneren"), &[]).await;
        assert!(body.contains("3 herinneringen"));
        let (_, _, body) = post(&app, &c, base, &format!("{base}/sluiten"), &[]).await;
        assert!(body.contains("De vragenlijst is gesloten"));

        for path in [format!("{base}/casussen"), format!("{base}/teksten")] {
            assert_eq!(page(&app, &c, &path).await.0, StatusCode::OK, "{path}");
        }
        let (status, _, body) = post(
            &app,
            &c,
            &format!("{base}/teksten"),
            &format!("{base}/teksten"),
            &[("sleutel", "open:Q8"), ("tekst", "Eigen samenvatting.")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Eigen samenvatting."));
        let pdf = c.get(app.url(&format!("{base}/rapport.pdf"))).send().await.unwrap();
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

        for format in ["csv", "xlsx", "spss"] {
            let r = c.get(app.url(&format!("{base}/export/{format}"))).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{format}");
            assert!(r.headers()["content-disposition"].to_str().unwrap().contains("maatwerkbudget-2021."));
        }
        // Nobody answered, so the report is not published (tests/db/disclosure.rs publishes one
        // with enough responses) and the reading room stays empty.
        let (status, _, body) = post(&app, &c, base, &format!("{base}/publiceren"), &[]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains(
                "Er zijn 0 vragenlijsten ingevuld; voor een rapport in de leeskamer zijn er minstens 10 nodig."
            ),
            "{body}"
        );
        let reader = TestApp::browser();
        login(&app, &reader, "raad@example.org", PASSWORD).await;
        let (status, list) = page(&app, &reader, "/rapporten").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("Er zijn nog geen rapporten gepubliceerd."), "{list}");
    });
}

#[tokio::test]
async fn definitions_and_invitee_lists_can_be_uploaded_as_files() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    account(&db, "onderzoek@example.org", Role::Researcher).await;
    let app = TestApp::spawn(&db).await;
    let c = TestApp::browser();
    login(&app, &c, "onderzoek@example.org", PASSWORD).await;
    let csrf = csrf_of(&page(&app, &c, "/onderzoek/nieuw").await.1);
    let multipart = |parts: &[(&str, Option<&str>, &[u8])]| {
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            body.extend_from_slice(b"--grens\r\n");
            match file {
                Some(f) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--grens--\r\n");
        body
    };
    let definition = peiling::bundled::MAATWERKBUDGET_2021.definition.as_bytes();
    // A definition saved as Windows-1252: refused with its line, not stored with "�" in it.
    let latin1 = definition.iter().copied().map(|b| if b == b'H' { 0xe9 } else { b }).collect::<Vec<u8>>();
    let refused = c
        .post(app.url("/onderzoek/nieuw"))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(multipart(&[
            ("csrf", None, csrf.as_bytes()),
            ("bron", None, b"eigen"),
            ("bestand", Some("v.toml"), &latin1),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("regel 2: het bestand is geen UTF-8"));
    assert_eq!(page(&app, &c, "/onderzoek/maatwerkbudget-2021").await.0, StatusCode::NOT_FOUND, "nothing stored");
    let created = c
        .post(app.url("/onderzoek/nieuw"))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(multipart(&[
            ("csrf", None, csrf.as_bytes()),
            ("bron", None, b"eigen"),
            ("bestand", Some("v.toml"), definition),
            ("definitie", None, b""),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&created), "/onderzoek/maatwerkbudget-2021");
    // Excel's "CSV UTF-8": a BOM and semicolons.
    let list = "\u{feff}email;team;naam\r\na@example.org;SWT;Anna\r\nb@example.org;JLR;Bram\r\n";
    let imported = c
        .post(app.url("/onderzoek/maatwerkbudget-2021/genodigden"))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(multipart(&[
            ("csrf", None, csrf.as_bytes()),
            ("bestand", Some("lijst.csv"), list.as_bytes()),
            ("csv", None, b""),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    assert!(imported.text().await.unwrap().contains("2 genodigden geïmporteerd"));
    let latin1 = b"email;team;naam\r\nc@example.org;SWT;Ren\xe9\r\n";
    let refused = c
        .post(app.url("/onderzoek/maatwerkbudget-2021/genodigden"))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(multipart(&[("csrf", None, csrf.as_bytes()), ("bestand", Some("lijst.csv"), latin1)]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("regel 2: het bestand is geen UTF-8"), "{refused}");
    assert!(page(&app, &c, "/onderzoek/maatwerkbudget-2021").await.1.contains("Totaal</th><td>2</td>"), "still two");
    let huge = vec![b'a'; 11 * 1024 * 1024];
    let refused = c
        .post(app.url("/onderzoek/maatwerkbudget-2021/genodigden"))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(multipart(&[("csrf", None, csrf.as_bytes()), ("bestand", Some("groot.csv"), &huge)]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.text().await.unwrap().contains("Een bestand mag hoogstens 10 MB zijn"));
}

/// An error page speaks to whoever reads it: a researcher who mistypes a survey's address, or
/// whose form expired, is not told about "the link in the e-mail" or "the sender of the
/// invitation", and a council member is sent back to the reports.
#[tokio::test]
async fn error_pages_are_worded_for_the_researcher_the_reader_and_the_respondent() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    account(&db, "onderzoek@example.org", Role::Researcher).await;
    let app = TestApp::spawn(&db).await;
    let respondent_words = ["afzender van de uitnodiging", "Terug naar de vragenlijst", "link uit de e-mail"];
    let for_respondents = |text: &str| respondent_words.iter().any(|w| text.contains(w));

    let c = TestApp::browser();
    assert_eq!(login(&app, &c, "onderzoek@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let (status, missing) = page(&app, &c, "/onderzoek/bestaat-niet").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("Naar je vragenlijsten") && !for_respondents(&missing), "{missing}");
    let (status, review) = page(&app, &c, "/onderzoek/bestaat-niet/casussen").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!for_respondents(&review), "{review}");

    let expired = c
        .post(app.url("/onderzoek/nieuw"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=verlopen&bron=eigen&definitie=x")
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::FORBIDDEN);
    let expired = expired.text().await.unwrap();
    assert!(expired.contains("Dit formulier is verlopen") && !for_respondents(&expired), "{expired}");

    let (status, report) = page(&app, &TestApp::browser(), "/rapporten/99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(report.contains("Naar de rapporten") && !for_respondents(&report), "{report}");

    // The respondent's own page keeps its words (and says nothing of surveys or accounts).
    let (status, link) = page(&app, &TestApp::browser(), "/s/geen-echte-link").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(for_respondents(&link) && !link.contains("vragenlijsten"), "{link}");
}
