//! The questionnaire page of a survey (`/onderzoek/{survey}/bewerken`): its questions with the
//! routing in words, moving and removing a question, the definition as text or file, all
//! checked by the engine through `drafts`; read-only once the survey is open.

use crate::helpers::{TestApp, api_token, join};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use peiling::accounts::Role;
use reqwest::{Client, StatusCode};

const DEFINITION: &str = r#"id = "bibliotheek-2027"
title = "De bibliotheek in de wijk"

[[groups]]
code = "CENTRUM"
name = "Vestiging Centrum"

[[questions]]
id = "L1"
type = "yesno"
text = "Leent u weleens boeken?"

[[questions]]
id = "L2"
type = "multiple"
text = "Wat leent u?"
options = ["Romans", "Studieboeken", "Strips"]
show_if = "L1 = ja"

[[questions]]
id = "L3"
type = "longtext"
text = "Wat zou u vaker doen komen?"
"#;

async fn page(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Presses a button in the list of questions.
async fn click(app: &TestApp, c: &Client, question: &str, action: &str) -> (StatusCode, String) {
    let (_, html) = page(app, c, "/onderzoek/bibliotheek-2027/bewerken").await;
    let form = serde_urlencoded::to_string([("csrf", csrf_of(&html).as_str()), ("vraag", question), ("actie", action)]);
    let r = c
        .post(app.url("/onderzoek/bibliotheek-2027/bewerken/vragen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.unwrap())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn order(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let s = peiling::store::surveys::load(db, "bibliotheek-2027").await.unwrap();
    s.questionnaire.questions.iter().map(|q| q.id.clone()).collect()
}

#[tokio::test]
async fn a_researcher_reorders_removes_and_rewrites_the_questions_of_a_draft() {
    on_both!("a_researcher_reorders_removes_and_rewrites_the_questions_of_a_draft", |db| {
        let survey = peiling::store::surveys::create(&db, DEFINITION, chrono::Utc::now()).await.unwrap();
        api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        assert_eq!(
            login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(),
            StatusCode::SEE_OTHER
        );

        let (status, shown) = page(&app, &c, "/onderzoek/bibliotheek-2027/bewerken").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            shown.contains("Routering: alleen als L1 is &#x27;Ja&#x27;") || shown.contains("alleen als L1 is 'Ja'"),
            "{shown}"
        );
        assert!(shown.contains("meer antwoorden") && shown.contains("Vestiging Centrum"));

        // L3 moves up past L2 and back; L2 cannot move above L1, which its routing looks at.
        assert_eq!(click(&app, &c, "L3", "omhoog").await.0, StatusCode::OK);
        assert_eq!(order(&db).await, ["L1", "L3", "L2"]);
        assert_eq!(click(&app, &c, "L2", "omhoog").await.0, StatusCode::OK);
        assert_eq!(order(&db).await, ["L1", "L2", "L3"]);
        let (status, refused) = click(&app, &c, "L2", "omhoog").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused.contains("De vragenlijst is niet opgeslagen") && refused.contains("pas later komt"),
            "{refused}"
        );
        assert_eq!(order(&db).await, ["L1", "L2", "L3"], "nothing stored");
        // L1 cannot go while L2's routing names it; L3 can.
        assert_eq!(click(&app, &c, "L1", "verwijderen").await.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(click(&app, &c, "L3", "verwijderen").await.0, StatusCode::OK);
        assert_eq!(order(&db).await, ["L1", "L2"]);

        // The file round trip: download, change, upload as text; a broken one keeps the text.
        let (status, file) = page(&app, &c, "/onderzoek/bibliotheek-2027/vragenlijst.toml").await;
        assert_eq!(status, StatusCode::OK);
        let broken = file.replace("type = \"multiple\"", "type = \"meerkeuze\"");
        let (_, html) = page(&app, &c, "/onderzoek/bibliotheek-2027/bewerken").await;
        let csrf = csrf_of(&html);
        let post = |text: String| {
            let form =
                serde_urlencoded::to_string([("csrf", csrf.as_str()), ("actie", "opslaan"), ("definitie", &text)]);
            c.post(app.url("/onderzoek/bibliotheek-2027/bewerken"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.unwrap())
                .send()
        };
        let refused = post(broken).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("regel") && refused.contains("meerkeuze"), "{refused}");
        let stored = post(file.replace("Wat leent u?", "Wat leent u meestal?")).await.unwrap();
        assert_eq!(stored.status(), StatusCode::OK);
        let s = peiling::store::surveys::load(&db, "bibliotheek-2027").await.unwrap();
        assert_eq!(s.questionnaire.question("L2").unwrap().text, "Wat leent u meestal?");
        let trail = peiling::audit::events(&db, Some(s.row.id)).await.unwrap();
        assert_eq!(trail.iter().filter(|e| e.action == "questionnaire_changed").count(), 4);

        // Open: the page still shows the questions, but nothing changes any more.
        let csv = "email;team\nlid@example.org;CENTRUM\n";
        let actor = peiling::audit::Actor::CommandLine;
        let now = chrono::Utc::now();
        peiling::invitations::import_file(&db, &actor, &s, csv.as_bytes(), now).await.unwrap();
        let closes = now + chrono::Duration::days(7);
        peiling::invitations::lifecycle::open(&db, &actor, &s, closes, now).await.unwrap();
        let (status, open) = page(&app, &c, "/onderzoek/bibliotheek-2027/bewerken").await;
        assert_eq!(status, StatusCode::OK);
        assert!(open.contains("De vragenlijst is geopend") && !open.contains("Verwijderen"), "{open}");
        assert_eq!(click(&app, &c, "L2", "verwijderen").await.0, StatusCode::CONFLICT);
    });
}
