//! The report editor (`/onderzoek/{survey}/rapport/bewerken`): a report built with its buttons
//! and forms alone is stored as the definition the command line reads, a placeholder that
//! does not fit is refused with the check's reason (nothing stored, the sentence kept), and
//! the preview fills the sentence with made-up numbers before the survey is closed and with
//! its own after.

use crate::helpers::{TestApp, api_token, join, open_and_collect_tokens, survey_of_with_invitees};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use peiling::accounts::Role;
use peiling::report::ReportDefinition;
use reqwest::{Client, StatusCode};
use serde_json::json;

const QUESTIONNAIRE: &str = r#"id = "sportpark-2027"
title = "Het sportpark"

[[groups]]
code = "NOORD"
name = "Sportpark Noord"

[[groups]]
code = "ZUID"
name = "Sportpark Zuid"

[[questions]]
id = "S1"
type = "yesno"
text = "Sport u elke week op het park?"
dont_know = "Weet ik niet"

[[questions]]
id = "S2"
type = "single"
text = "Hoe komt u naar het park?"
options = ["Fiets", "Auto", "Lopend"]

[[questions]]
id = "S3"
type = "longtext"
text = "Wat kan beter?"
"#;

/// What the page alone should have built.
const EXPECTED: &str = r#"survey = "sportpark-2027"
title = "Het sportpark"
subtitle = "Uitkomsten van de vragenlijst"

[[sections]]
title = "Vervoer"

[[sections.blocks]]
kind = "figure"
question = "S2"

[[sections]]
title = "Sporten"

[[sections.blocks]]
kind = "figure"
question = "S1"
text = "{Q:ja} sport elke week op het park; {dont_know} weet het niet."
summary = "{pct:ja} sport elke week."
"#;

const PAGE: &str = "/onderzoek/sportpark-2027/rapport/bewerken";

/// Posts one form of the editor, with the CSRF value of the page as it stands.
async fn post(app: &TestApp, c: &Client, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let html = c.get(app.url(PAGE)).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = c
        .post(app.url(PAGE))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&form).unwrap())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn stored(db: &sea_orm::DatabaseConnection) -> (Option<String>, ReportDefinition) {
    let s = peiling::store::surveys::load(db, "sportpark-2027").await.unwrap();
    (s.report.clone(), peiling::report::source::definition(&s).unwrap())
}

async fn signed_in(db: &sea_orm::DatabaseConnection) -> (TestApp, Client) {
    let survey = peiling::store::surveys::load(db, "sportpark-2027").await.unwrap();
    api_token(db, "onderzoeker@example.org", Role::Researcher).await;
    join(db, "onderzoeker@example.org", &survey).await;
    let app = TestApp::spawn(db).await;
    let c = TestApp::browser();
    assert_eq!(login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(), StatusCode::SEE_OTHER);
    (app, c)
}

#[tokio::test]
async fn a_researcher_builds_a_report_with_sections_figures_and_sentences_in_the_editor() {
    on_both!("a_researcher_builds_a_report_with_sections_figures_and_sentences_in_the_editor", |db| {
        peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
        let (app, c) = signed_in(&db).await;

        let dashboard = c.get(app.url("/onderzoek/sportpark-2027")).send().await.unwrap().text().await.unwrap();
        assert!(dashboard.contains(&format!("href=\"{PAGE}\"")), "the dashboard links the editor");
        let r = c.get(app.url(PAGE)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let shown = r.text().await.unwrap();
        // The plain definition, in words; no PDF before closing.
        assert!(shown.contains("Figuur: S1 — Sport u elke week op het park?"), "{shown}");
        assert!(shown.contains("Open antwoorden bij S3") && shown.contains("Samenvatting (een opsomming per figuur)"));
        assert!(!shown.contains("PDF bekijken") && shown.contains("/rapportdefinitie\""));
        assert!(shown.contains("voorbeeldgetallen"));

        // Clear the plain outline, then build two sections.
        let sections = stored(&db).await.1.sections.len();
        for _ in 0..sections {
            let (status, _) = post(&app, &c, &[("actie", "sectie-verwijderen"), ("sectie", "1")]).await;
            assert_eq!(status, StatusCode::OK);
        }
        assert!(stored(&db).await.1.sections.is_empty());
        for (action, fields) in [
            ("sectie-toevoegen", vec![("titel", "Sporten")]),
            ("sectie-toevoegen", vec![("titel", "Waardering")]),
            ("figuur-toevoegen", vec![("sectie", "1"), ("vraag", "S1")]),
            ("figuur-toevoegen", vec![("sectie", "2"), ("vraag", "S2")]),
            ("sectie-hernoemen", vec![("sectie", "2"), ("titel", "Vervoer")]),
            ("sectie-omhoog", vec![("sectie", "2")]),
        ] {
            let mut form = vec![("actie", action)];
            form.extend(fields);
            let (status, body) = post(&app, &c, &form).await;
            assert_eq!(status, StatusCode::OK, "{action}: {body}");
            assert!(body.contains("De rapportdefinitie is opgeslagen"), "{action}");
        }
        let sentence = "{Q:ja} sport elke week op het park; {dont_know} weet het niet.";
        let summary = "{pct:ja} sport elke week.";
        let figure = [("sectie", "2"), ("onderdeel", "1"), ("zin", sentence), ("samenvatting", summary)];

        // A preview stores nothing and fills the sentence with made-up numbers: 14 ja, 9 nee,
        // 5 weet niet.
        let before = stored(&db).await.0;
        let (status, body) = post(&app, &c, &[&[("actie", "voorbeeld")][..], &figure[..]].concat()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Voorbeeld met voorbeeldgetallen"), "{body}");
        assert!(body.contains("(61%) sport elke week op het park; 5 weet het niet."), "{body}");
        assert_eq!(stored(&db).await.0, before, "a preview is not stored");

        let (status, body) = post(&app, &c, &[&[("actie", "zinnen")][..], &figure[..]].concat()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The placeholders that fit a yes/no question with "weet niet", and none that does not.
        assert!(body.contains("<code>{dont_know}</code>") && body.contains("<code>{pct:ja}</code>"), "{body}");
        assert!(!body.contains("<code>{mean_all}</code>"));

        let q = peiling::questionnaire::parse(QUESTIONNAIRE).unwrap();
        let (text, definition) = stored(&db).await;
        let expected = ReportDefinition::parse(EXPECTED, &q).unwrap();
        assert_eq!(definition, expected, "stored:\n{}", text.unwrap());

        // A placeholder that does not fit: refused with the check's reason, nothing stored,
        // the sentence kept in its form.
        let wrong = [
            ("actie", "zinnen"),
            ("sectie", "2"),
            ("onderdeel", "1"),
            ("zin", "Gemiddeld {mean_all}."),
            ("samenvatting", ""),
        ];
        let (status, body) = post(&app, &c, &wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("De rapportdefinitie is niet opgeslagen"), "{body}");
        assert!(
            body.contains("figuur van S1, &#x27;text&#x27;: &#x27;{mean_all}&#x27; past alleen bij een getalvraag of een cijferschaal"),
            "{body}"
        );
        assert!(!body.contains("regel "), "no line of a file nobody saw: {body}");
        assert!(body.contains(">Gemiddeld {mean_all}.</textarea>"));
        assert_eq!(stored(&db).await.1, expected);

        // An index the page never showed is refused too.
        let (status, body) = post(&app, &c, &[("actie", "omhoog"), ("sectie", "9"), ("onderdeel", "1")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("er is geen sectie 9"), "{body}");
        // And a form without the session's CSRF value changes nothing.
        let r = c
            .post(app.url(PAGE))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("actie=sectie-verwijderen&sectie=1")
            .send()
            .await
            .unwrap();
        assert_ne!(r.status(), StatusCode::OK);
        assert_eq!(stored(&db).await.1, expected);

        // The annex: the casussen of the open question in a section of their own.
        post(&app, &c, &[("actie", "sectie-toevoegen"), ("titel", "Bijlage")]).await;
        let (status, body) = post(&app, &c, &[("actie", "casussen-toevoegen"), ("sectie", "3"), ("vraag", "S3")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Casussen bij S3"));
        let sections = stored(&db).await.1.sections;
        assert_eq!(sections[2].blocks, [peiling::report::Block::Casussen { question: "S3".into() }]);
    });
}

#[tokio::test]
async fn the_preview_of_a_closed_survey_uses_its_own_numbers() {
    on_both!("the_preview_of_a_closed_survey_uses_its_own_numbers", |db| {
        let survey = survey_of_with_invitees(&db, QUESTIONNAIRE, "sporter", 8).await;
        let tokens = open_and_collect_tokens(&db, &survey).await;
        let (app, c) = signed_in(&db).await;
        // 5 ja, 2 nee, 1 weet niet: 5 of a base of 7 is 71%.
        for (i, token) in tokens.iter().enumerate() {
            let s1 = ["ja", "ja", "nee", "ja", "weet_ik_niet", "ja", "nee", "ja"][i];
            let answers = json!({ "answers": { "S1": s1, "S2": "fiets" } });
            let sent = c.post(app.url(&format!("/api/v1/r/{token}/submit"))).json(&answers).send().await.unwrap();
            assert_eq!(sent.status(), StatusCode::CREATED, "{}", sent.text().await.unwrap());
        }
        let s = peiling::store::surveys::load(&db, "sportpark-2027").await.unwrap();
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &s, chrono::Utc::now())
            .await
            .unwrap();
        let sentence =
            [("sectie", "3"), ("onderdeel", "1"), ("zin", "{pct:ja} sport elke week ({base})."), ("samenvatting", "")];
        let shown = c.get(app.url(PAGE)).send().await.unwrap().text().await.unwrap();
        assert!(shown.contains("Figuur: S1 — Sport u elke week"), "{shown}");
        // The plain definition: Samenvatting, Respons, then a section per question.
        assert_eq!(stored(&db).await.1.sections[2].title, "Sport u elke week op het park?");
        let (status, body) = post(&app, &c, &[&[("actie", "voorbeeld")][..], &sentence[..]].concat()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("getallen van dit onderzoek") && !body.contains("Voorbeeld met voorbeeldgetallen"));
        assert!(body.contains("71% sport elke week (7)."), "{body}");
        assert!(body.contains("PDF bekijken"));
        assert!(!body.contains("heeft een eigen tekst bij deze figuur"));

        // A text of the report's own for the figure replaces the sentence in the PDF: said so.
        let key = peiling::report::narrative::Key::Figure("S1".into());
        peiling::report::narrative::set(&db, s.row.id, &key, "Eigen tekst.", chrono::Utc::now()).await.unwrap();
        let shown = c.get(app.url(PAGE)).send().await.unwrap().text().await.unwrap();
        assert_eq!(shown.matches("heeft een eigen tekst bij deze figuur").count(), 1, "{shown}");
    });
}
