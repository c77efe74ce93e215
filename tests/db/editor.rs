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

/// Posts a form of the page `from` (its CSRF value included) to `to`: the status, where it
/// sends the browser, and the page.
async fn submit(
    app: &TestApp,
    c: &Client,
    from: &str,
    to: &str,
    fields: Vec<(&str, &str)>,
) -> (StatusCode, Option<String>, String) {
    let (_, html) = page(app, c, from).await;
    let csrf = csrf_of(&html);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend(fields);
    let r = c
        .post(app.url(to))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    (r.status(), location, r.text().await.unwrap())
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

/// Posts the question form as the page shows it, with `fields` over its values.
async fn question(app: &TestApp, c: &Client, from: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let (status, html) = page(app, c, from).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let mut all: Vec<(String, String)> = form_values(&html);
    for (name, value) in fields {
        all.retain(|(n, _)| n != name);
        all.push((name.to_string(), value.to_string()));
    }
    let r = c
        .post(app.url("/onderzoek/bibliotheek-2027/bewerken/vraag"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The values a browser would send: text inputs and hidden fields as filled in, checked boxes,
/// the selected option of each select.
fn form_values(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\""))
    };
    let mut out = Vec::new();
    for tag in html.split('<').filter(|t| t.starts_with("input ")) {
        let (Some(name), kind) = (attr(tag, "name"), attr(tag, "type").unwrap_or_default()) else { continue };
        if kind == "checkbox" && !tag.contains(" checked") {
            continue;
        }
        out.push((name, attr(tag, "value").unwrap_or_default()));
    }
    for select in html.split("<select ").skip(1) {
        let Some(name) = attr(&format!(" {select}"), "name") else { continue };
        let body = select.split("</select>").next().unwrap_or_default();
        let chosen = body.split("<option ").skip(1).find(|o| o.contains(" selected")).or(body.split("<option ").nth(1));
        out.push((name, chosen.and_then(|o| attr(&format!(" {o}"), "value")).unwrap_or_default()));
    }
    out
}

#[tokio::test]
async fn a_researcher_adds_and_edits_a_question_with_routing_in_the_form() {
    on_both!("a_researcher_adds_and_edits_a_question_with_routing_in_the_form", |db| {
        let survey = peiling::store::surveys::create(&db, DEFINITION, chrono::Utc::now()).await.unwrap();
        api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        assert_eq!(
            login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(),
            StatusCode::SEE_OTHER
        );
        let new = "/onderzoek/bibliotheek-2027/bewerken/nieuw?soort=multiple";

        // A problem is told beside its field, and what was typed stays.
        let (status, refused) =
            question(&app, &c, new, &[("text", "Waar leest u?"), ("row.0.label", "Thuis"), ("max_choices", "veel")])
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.contains("id=\"e-max_choices\"") && refused.contains("value=\"Waar leest u?\""), "{refused}");

        // Rows, an "anders" and a "weet niet", routing from two earlier questions with "of".
        let fields = [
            ("id", "L4"),
            ("text", "Waar leest u?"),
            ("row.0.label", "Thuis"),
            ("row.1.label", "In de trein"),
            ("row.1.code", "trein"),
            ("row.2.label", "Ergens anders"),
            ("row.2.other", "ja"),
            ("if.0.question", "L1"),
            ("if.0.value", "ja"),
            ("if.1.question", "L2"),
            ("if.1.value", "strips"),
            ("joiner", "or"),
        ];
        let (status, saved) = question(&app, &c, new, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{saved}");
        let s = peiling::store::surveys::load(&db, "bibliotheek-2027").await.unwrap();
        let l4 = s.questionnaire.question("L4").expect("L4 is added at the end");
        assert_eq!(l4.show_if_source.as_deref(), Some("L1 = ja or L2 = strips"));
        let codes: Vec<&str> = l4.options().iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["thuis", "trein", "ergens_anders"]);
        let (_, list) = page(&app, &c, "/onderzoek/bibliotheek-2027/bewerken").await;
        assert!(list.contains("alleen als L1 is &#x27;Ja&#x27; of L2 bevat &#x27;Strips&#x27;"), "{list}");

        // Editing it again: the form shows what is stored; a changed text is stored, the rest kept.
        let (status, _) = question(
            &app,
            &c,
            "/onderzoek/bibliotheek-2027/bewerken/vraag/L4",
            &[("text", "Waar leest u het liefst?")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let again = peiling::store::surveys::load(&db, "bibliotheek-2027").await.unwrap();
        let mut expected = s.questionnaire.clone();
        expected.questions.iter_mut().find(|q| q.id == "L4").unwrap().text = "Waar leest u het liefst?".into();
        assert_eq!(again.questionnaire, expected, "only the text changed");
    });
}

#[tokio::test]
async fn a_questionnaire_starts_from_a_blank_page_and_goes_on_in_the_forms() {
    on_both!("a_questionnaire_starts_from_a_blank_page_and_goes_on_in_the_forms", |db| {
        api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        assert_eq!(
            login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(),
            StatusCode::SEE_OTHER
        );
        let start = |fields: Vec<(&'static str, &'static str)>| {
            submit(&app, &c, "/onderzoek/nieuw/leeg", "/onderzoek/nieuw/leeg", fields)
        };
        let (status, _, refused) = start(vec![
            ("code", "buurtpeiling-2027"),
            ("titel", "Buurtpeiling"),
            ("soort", "yesno"),
            ("vraag", "Woont u graag hier?"),
        ])
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.contains("value=\"Buurtpeiling\"") && !refused.contains("regel "), "{refused}");

        let (status, location, _) = start(vec![
            ("code", "buurtpeiling-2027"),
            ("titel", "Buurtpeiling"),
            ("teams", "NOORD = Team Noord\r\nTeam Zuid"),
            ("soort", "numbers"),
            ("vraag", "Welk cijfer geeft u de buurt?"),
        ])
        .await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/onderzoek/buurtpeiling-2027/bewerken"))
        );
        let s = peiling::store::surveys::load(&db, "buurtpeiling-2027").await.unwrap();
        assert_eq!(s.groups.len(), 2);
        assert!(matches!(
            s.questionnaire.questions[0].kind,
            peiling::questionnaire::QuestionKind::Rating { from: 1, to: 10, .. }
        ));
        let (status, list) = page(&app, &c, "/onderzoek/buurtpeiling-2027/bewerken").await;
        assert_eq!(status, StatusCode::OK, "the researcher owns it and goes on in the forms");
        assert!(list.contains("schaal 1 tot en met 10"), "{list}");
    });
}

#[tokio::test]
async fn the_texts_and_teams_of_a_draft_change_in_a_form() {
    on_both!("the_texts_and_teams_of_a_draft_change_in_a_form", |db| {
        let survey = peiling::store::surveys::create(&db, DEFINITION, chrono::Utc::now()).await.unwrap();
        api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        assert_eq!(
            login(&app, &c, "onderzoeker@example.org", "een lang wachtwoord").await.status(),
            StatusCode::SEE_OTHER
        );
        let post = |fields: Vec<(&'static str, &'static str)>| async {
            let (status, _, body) = submit(
                &app,
                &c,
                "/onderzoek/bibliotheek-2027/bewerken",
                "/onderzoek/bibliotheek-2027/bewerken/over",
                fields,
            )
            .await;
            (status, body)
        };
        let teams = "CENTRUM = Vestiging Centrum\nOOST = Vestiging Oost";
        let (status, refused) = post(vec![("titel", "Bieb"), ("contact", "geen adres"), ("teams", teams)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.contains("geen adres") && refused.contains("De vragenlijst is niet opgeslagen"), "{refused}");
        let (status, _) =
            post(vec![("titel", "Bieb"), ("contact", "bieb@example.org"), ("minuten", "4"), ("teams", teams)]).await;
        assert_eq!(status, StatusCode::OK);
        let s = peiling::store::surveys::load(&db, "bibliotheek-2027").await.unwrap();
        assert_eq!((s.row.title.as_str(), s.questionnaire.minutes, s.groups.len()), ("Bieb", Some(4), 2));
        assert_eq!(s.questionnaire.questions, survey.questionnaire.questions, "the questions stay");
    });
}
