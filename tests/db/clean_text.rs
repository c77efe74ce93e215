//! Pasted text through the real edges, on a questionnaire of its own: an invitee list with
//! invisible characters in a name and one with a NUL, the invitation that greets the person,
//! and answers with U+200B and friends sent through the respondent JSON API, stored as a
//! reader sees them.

use crate::helpers::{TestApp, delivery};
use crate::on_both;
use peiling::domain::text::is_invisible;
use peiling::invitations::{
    self, ImportError,
    import::{Column, RowProblem},
};
use peiling::mail::{compose::Composer, outbox, transport::Memory};
use peiling::store;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const DEFINITION: &str = r#"
id = "werkdruk-wijk"
title = "Werkdruk in de wijk"

[[groups]]
code = "NOORD"
name = "Team Noord"

[[groups]]
code = "ZUID"
name = "Team Zuid"

[[questions]]
id = "team"
type = "text"
text = "Met wie werk je het meest samen?"

[[questions]]
id = "casus"
type = "longtext"
text = "Beschrijf een casus"
"#;

/// Whether a reader would miss a character of `text`: a control (other than a line break) or
/// an invisible one.
fn hidden(text: &str) -> Vec<char> {
    text.chars().filter(|&c| (c.is_control() && c != '\n' && c != '\r') || is_invisible(c)).collect()
}

#[tokio::test]
async fn pasted_names_and_answers_reach_the_database_as_a_reader_sees_them() {
    on_both!("pasted_names_and_answers_reach_the_database_as_a_reader_sees_them", |db| {
        let now = chrono::Utc::now();
        let survey = store::surveys::create(&db, DEFINITION, now).await.unwrap();

        let damaged = "email;team;naam\ncor@example.org;NOORD;Cor\u{0}Visser\n";
        match invitations::import_file(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            damaged.as_bytes(),
            chrono::Utc::now(),
        )
        .await
        {
            Err(ImportError::Rows(e)) => assert_eq!(
                e.rows.iter().map(|r| (r.line, r.problem.clone())).collect::<Vec<_>>(),
                [(2, RowProblem::ControlCharacter { field: Column::Naam, character: '\0' })]
            ),
            other => panic!("a NUL in a name must refuse the list: {other:?}"),
        }

        let pasted = "email;team;naam\n\
                      anna\u{200B}@example.org;NOORD;\u{202E}Anna\u{202C} de\u{00A0}Vries\u{200B}\u{00AD}\n\
                      bram@example.org;ZUID;Bram Bakker\n";
        assert_eq!(
            invitations::import_file(
                &db,
                &peiling::audit::Actor::System,
                &survey,
                pasted.as_bytes(),
                chrono::Utc::now()
            )
            .await
            .unwrap(),
            2
        );
        let names: Vec<(String, Option<String>)> = entity::invitee::Entity::find()
            .filter(entity::invitee::Column::SurveyId.eq(survey.row.id))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|i| (i.email, i.name))
            .collect();
        assert!(names.contains(&("anna@example.org".into(), Some("Anna de Vries".into()))), "{names:?}");

        let survey = store::surveys::load(&db, &survey.row.slug).await.unwrap();
        peiling::invitations::lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            now + chrono::Duration::days(14),
            now,
        )
        .await
        .unwrap();
        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        outbox::drain(&db, &delivery(&memory, &composer, "test"), 100, &|_| {}).await.unwrap();
        let bodies: Vec<String> = memory
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|m| {
                let raw = m.formatted();
                let mail = mailparse::parse_mail(&raw).unwrap();
                mail.subparts[0].get_body().unwrap()
            })
            .collect();
        let anna = bodies.iter().find(|b| b.contains("Anna")).expect("Anna's invitation");
        let greeting = anna.lines().find(|l| l.starts_with("Beste ")).unwrap();
        assert_eq!(greeting, "Beste Anna de Vries,");
        assert_eq!(hidden(anna), [] as [char; 0], "{anna:?}");

        let start = anna.find("http://peiling.test/s/").unwrap() + "http://peiling.test/s/".len();
        let token = &anna[start..start + 43];
        let app = TestApp::spawn(&db).await;
        let answers = json!({ "answers": {
            "team": "Wijk\u{200B}team\u{00A0}Zuid\u{FEFF}\r\nen de POH ",
            "casus": "Pieter Jan\u{200B}sen belde\u{0B}over \u{FF10}\u{FF16}-1234\u{200B}5678.\r\nZijn BSN: 1112\u{200B}22333.",
        }});
        let submitted =
            TestApp::browser().post(app.url(&format!("/api/v1/r/{token}/submit"))).json(&answers).send().await.unwrap();
        assert_eq!(submitted.status(), StatusCode::CREATED);
        let mut stored: Vec<(String, Option<String>)> =
            entity::answer::Entity::find().all(&db).await.unwrap().into_iter().map(|a| (a.question, a.text)).collect();
        stored.sort();
        assert_eq!(
            stored,
            [
                ("casus".to_string(), Some("Pieter Jansen belde\nover 06-12345678.\nZijn BSN: 111222333.".to_string())),
                ("team".to_string(), Some("Wijkteam Zuid en de POH".to_string())),
            ]
        );
    });
}
