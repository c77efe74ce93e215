//! A new wave of an earlier survey (`peiling::waves`): the questionnaire's text with a new code
//! and title, the report definition taken along, nothing of the fieldwork; only for a survey the
//! copier works on; every refusal in Dutch and nothing stored; the page, the API and the trail.

use crate::helpers::{TestApp, api_token, join};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use entity::{audit_event, invitee, mail_outbox, publication, report_text, response, survey_member, text_review};
use peiling::accounts::{self, Role};
use peiling::audit::{Action, Actor};
use peiling::domain::EmailAddress;
use peiling::report::source::{self, Origin};
use peiling::store::surveys::{self, Status, Survey};
use peiling::teams::{self, Researcher};
use peiling::waves::{self, Copier, CopyError, Field, Wave};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const PASSWORD: &str = "een lang wachtwoord";

async fn researcher(db: &DatabaseConnection, email: &str, role: Role) -> Researcher {
    let address = EmailAddress::parse(email).unwrap();
    accounts::add_user(db, &address, PASSWORD, role, chrono::Utc::now()).await.unwrap();
    Researcher { user: accounts::find_user(db, &address).await.unwrap().unwrap(), role }
}

/// Rows of the survey's fieldwork and report: invitees, messages, responses, reviewed texts,
/// report texts and publications.
async fn fieldwork(db: &DatabaseConnection, survey_id: i32) -> [u64; 6] {
    [
        invitee::Entity::find().filter(invitee::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
        mail_outbox::Entity::find().filter(mail_outbox::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
        response::Entity::find().filter(response::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
        text_review::Entity::find().filter(text_review::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
        report_text::Entity::find().filter(report_text::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
        publication::Entity::find().filter(publication::Column::SurveyId.eq(survey_id)).count(db).await.unwrap(),
    ]
}

async fn trail(db: &DatabaseConnection, survey_id: i32) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = peiling::audit::events(db, Some(survey_id))
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect();
    rows.reverse();
    rows
}

async fn copy(
    db: &DatabaseConnection,
    who: &Researcher,
    from: &str,
    code: &str,
    title: &str,
) -> Result<Survey, CopyError> {
    waves::copy(db, Copier::Researcher(who), Wave { from, code, title }, chrono::Utc::now()).await
}

#[tokio::test]
async fn a_new_wave_of_the_bundled_survey_takes_its_questions_and_report_definition_and_none_of_its_fieldwork() {
    on_both!("a_new_wave_of_the_bundled_survey_takes_its_questions_and_report_definition", |db| {
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        let outsider = researcher(&db, "buiten@example.org", Role::Researcher).await;
        let earlier = crate::helpers::run_demo(&db).await;
        join(&db, "eigenaar@example.org", &earlier).await;
        let bundled = peiling::bundled::MAATWERKBUDGET_2021;
        let own = bundled.report.replacen(
            "subtitle = \"Ervaringen van hulpverleners met het inzetten van het maatwerkbudget\"",
            "subtitle = \"Tweede meting\" # eigen ondertitel",
            1,
        );
        assert_ne!(own, bundled.report);
        source::set(&db, &Actor::CommandLine, &earlier, &own, chrono::Utc::now()).await.unwrap();
        let earlier = surveys::load(&db, &earlier.row.slug).await.unwrap();
        assert!(fieldwork(&db, earlier.row.id).await[..3].iter().all(|&n| n > 0), "the demo has fieldwork");

        let wave =
            copy(&db, &owner, " maatwerkbudget-2021 ", " maatwerkbudget-2025 ", " Maatwerkbudget 2025 ").await.unwrap();
        let wave = surveys::load(&db, &wave.row.slug).await.unwrap();
        assert_eq!((wave.row.slug.as_str(), wave.row.title.as_str()), ("maatwerkbudget-2025", "Maatwerkbudget 2025"));
        let mut expected = earlier.questionnaire.clone();
        expected.id = "maatwerkbudget-2025".into();
        expected.title = "Maatwerkbudget 2025".into();
        assert_eq!(wave.questionnaire, expected);
        let groups = |s: &Survey| s.groups.iter().map(|g| (g.code.clone(), g.name.clone())).collect::<Vec<_>>();
        assert_eq!(groups(&wave), groups(&earlier));
        // The researcher's text, comments and all, with only the two values changed.
        assert_eq!(
            wave.row.definition,
            bundled.definition.replacen("id = \"maatwerkbudget-2021\"", "id = \"maatwerkbudget-2025\"", 1).replacen(
                "title = \"Hulpverleners Maatwerkbudget\"",
                "title = \"Maatwerkbudget 2025\"",
                1
            )
        );
        assert_eq!(wave.status(), Status::Draft);
        assert_eq!(wave.row.frozen_definition, None);
        assert_eq!(fieldwork(&db, wave.row.id).await, [0; 6]);

        // Its own report definition, the earlier one under the new code and title.
        let expected_report = own
            .replacen("survey = \"maatwerkbudget-2021\"", "survey = \"maatwerkbudget-2025\"", 1)
            .replacen("title = \"Hulpverleners Maatwerkbudget\"", "title = \"Maatwerkbudget 2025\"", 1);
        assert_eq!(source::of(&wave), (expected_report, Origin::Stored));
        source::definition(&wave).unwrap();

        // Its owner sees it; a researcher outside its team is told it does not exist.
        teams::survey_for(&db, &owner, "maatwerkbudget-2025").await.unwrap();
        let hidden = teams::survey_for(&db, &outsider, "maatwerkbudget-2025").await.unwrap_err();
        assert_eq!(hidden.to_string(), "er is geen vragenlijst met code 'maatwerkbudget-2025'");
        assert!(!teams::surveys_of(&db, &outsider).await.unwrap().iter().any(|s| s.id == wave.row.id));
        let members = teams::members(&db, wave.row.id).await.unwrap();
        assert_eq!(
            members.iter().map(|m| (m.email.as_str(), m.owner)).collect::<Vec<_>>(),
            [("eigenaar@example.org", true)]
        );

        let trail = trail(&db, wave.row.id).await;
        let by = |action: Action, detail: &str| {
            ("eigenaar@example.org".to_string(), action.as_str().to_string(), detail.to_string())
        };
        assert_eq!(
            trail,
            [
                by(Action::SurveyCreated, "nieuwe ronde van maatwerkbudget-2021"),
                by(Action::OwnerSet, "eigenaar@example.org"),
                by(
                    Action::ReportDefinitionSet,
                    &format!(
                        "{}, overgenomen van maatwerkbudget-2021",
                        source::contents(&source::definition(&wave).unwrap())
                    )
                ),
            ]
        );

        // The earlier survey is as it was.
        let after = surveys::load(&db, "maatwerkbudget-2021").await.unwrap();
        assert_eq!((after.row.definition, after.report), (earlier.row.definition.clone(), earlier.report.clone()));
    });
}

#[tokio::test]
async fn a_copy_that_is_refused_says_why_in_dutch_and_stores_nothing() {
    on_both!("a_copy_that_is_refused_says_why_in_dutch_and_stores_nothing", |db| {
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        let outsider = researcher(&db, "buiten@example.org", Role::Researcher).await;
        let admin = researcher(&db, "beheer@example.org", Role::Admin).await;
        surveys::create_owned(
            &db,
            peiling::bundled::MAATWERKBUDGET_2021.definition,
            Some((&owner.user, &owner.actor())),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let surveys_before = surveys::list(&db).await.unwrap().len();
        let trail_before = audit_event::Entity::find().count(&db).await.unwrap();

        let refused = |result: Result<Survey, CopyError>| {
            let e = result.unwrap_err();
            (e.field(), e.to_string())
        };
        // Not a member: the same answer as for a code nobody used, whatever else is asked.
        let hidden = refused(copy(&db, &outsider, "maatwerkbudget-2021", "ronde-2", "Ronde 2").await);
        let hidden_too = refused(copy(&db, &outsider, "maatwerkbudget-2021", "maatwerkbudget-2021", "").await);
        assert_eq!(hidden_too, hidden);
        let unknown = refused(copy(&db, &owner, "bestaat-niet", "ronde-2", "Ronde 2").await);
        assert_eq!(hidden, (Some(Field::Earlier), "er is geen vragenlijst met code 'maatwerkbudget-2021'".into()));
        assert_eq!(unknown, (Some(Field::Earlier), "er is geen vragenlijst met code 'bestaat-niet'".into()));
        assert_eq!(
            refused(copy(&db, &owner, "maatwerkbudget-2021", "maatwerkbudget-2021", "Ronde 2").await),
            (Some(Field::Code), "er bestaat al een vragenlijst met code 'maatwerkbudget-2021'".into())
        );
        assert_eq!(
            refused(copy(&db, &owner, "maatwerkbudget-2021", "2025-ronde", "Ronde 2").await),
            (
                Some(Field::Code),
                "code '2025-ronde' is ongeldig: gebruik letters, cijfers, '_' of '-', beginnend met een letter".into()
            )
        );
        assert_eq!(refused(copy(&db, &owner, "maatwerkbudget-2021", "ronde 2", "Ronde 2").await).0, Some(Field::Code));
        assert_eq!(
            refused(copy(&db, &owner, "maatwerkbudget-2021", "", "Ronde 2").await),
            (Some(Field::Code), "geef de nieuwe ronde een code, bijvoorbeeld maatwerkbudget-2025".into())
        );
        assert_eq!(
            refused(copy(&db, &owner, "maatwerkbudget-2021", "ronde-2", "  ").await),
            (Some(Field::Title), "geef de nieuwe ronde een titel".into())
        );
        assert_eq!(
            refused(copy(&db, &owner, "maatwerkbudget-2021", "ronde-2", "Ronde\n2").await).0,
            Some(Field::Title)
        );
        assert_eq!(surveys::list(&db).await.unwrap().len(), surveys_before);
        assert_eq!(audit_event::Entity::find().count(&db).await.unwrap(), trail_before);

        // An admin may copy any survey, and owns the copy; the bundled report definition comes
        // along, or the copy under its new code would get the plain one.
        let wave = copy(&db, &admin, "maatwerkbudget-2021", "ronde-2", "Ronde 2").await.unwrap();
        let wave = surveys::load(&db, &wave.row.slug).await.unwrap();
        let (text, origin) = source::of(&wave);
        assert_eq!(origin, Origin::Stored);
        assert!(text.contains("survey = \"ronde-2\"\ntitle = \"Ronde 2\"\n"), "{text}");
        assert_eq!(teams::members(&db, wave.row.id).await.unwrap()[0].email, "beheer@example.org");
        assert_eq!(
            teams::survey_for(&db, &owner, "ronde-2").await.unwrap_err().to_string(),
            "er is geen vragenlijst met code 'ronde-2'"
        );
    });
}

/// A definition of one's own, with comments, a single-quoted code and a plain report: the copy
/// keeps the text, and gets the plain report made of its own questionnaire. Its own report
/// definition with a title of its own keeps that title.
const OWN: &str = r#"# Buurtpeiling, eerste ronde.
title = 'Buurtpeiling 2024'   # zoals bewoners hem zien
id = 'buurtpeiling-2024'
organisation = "Wijkbureau"

[[groups]]
code = "N"   # noord
name = "Noord"

[[groups]]
code = "Z"
name = "Zuid"

[[questions]]
id = "C"
type = "scale"
text = "Welk rapportcijfer geeft u de buurt?"
from = 1
to = 10

[[questions]]
id = "T"
type = "longtext"
text = "Wat kan beter?"
"#;

#[tokio::test]
async fn a_new_wave_of_a_definition_of_ones_own_keeps_its_text_and_its_reports_title() {
    on_both!("a_new_wave_of_a_definition_of_ones_own_keeps_its_text", |db| {
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        let earlier =
            surveys::create_owned(&db, OWN, Some((&owner.user, &owner.actor())), chrono::Utc::now()).await.unwrap();

        let plain = copy(&db, &owner, "buurtpeiling-2024", "buurtpeiling-2025", "Buurtpeiling 2025").await.unwrap();
        assert_eq!(
            plain.row.definition,
            OWN.replace("'Buurtpeiling 2024'", "\"Buurtpeiling 2025\"")
                .replace("'buurtpeiling-2024'", "\"buurtpeiling-2025\"")
        );
        let plain = surveys::load(&db, "buurtpeiling-2025").await.unwrap();
        assert_eq!(plain.report, None);
        assert_eq!(source::of(&plain).1, Origin::Plain);
        assert!(source::of(&plain).0.contains("survey = \"buurtpeiling-2025\"\ntitle = \"Buurtpeiling 2025\""));
        assert_eq!(trail(&db, plain.row.id).await.len(), 2, "created and owner, no report definition");

        let report = "survey = \"buurtpeiling-2024\" # de vragenlijst\ntitle = \"De buurt in cijfers\"\n\n[[sections]]\ntitle = \"Cijfer\"\n\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"C\"\n";
        source::set(&db, &Actor::CommandLine, &earlier, report, chrono::Utc::now()).await.unwrap();
        let third = copy(&db, &owner, "buurtpeiling-2024", "buurtpeiling-2026", "Buurtpeiling 2026").await.unwrap();
        assert_eq!(
            source::of(&third),
            (report.replace("\"buurtpeiling-2024\"", "\"buurtpeiling-2026\""), Origin::Stored)
        );
        assert_eq!(fieldwork(&db, third.row.id).await, [0; 6]);
        let members = survey_member::Entity::find()
            .filter(survey_member::Column::SurveyId.eq(third.row.id))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(members, 1);
    });
}

/// A survey made at the command line has no owner unless one is named: only admins see it.
#[tokio::test]
async fn a_copy_at_the_command_line_is_recorded_as_such() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
    surveys::create(&db, OWN, chrono::Utc::now()).await.unwrap();
    let wave = Wave { from: "buurtpeiling-2024", code: "buurt-b", title: "Buurt B" };
    let copied = waves::copy(&db, Copier::CommandLine { owner: None }, wave, chrono::Utc::now()).await.unwrap();
    assert!(teams::members(&db, copied.row.id).await.unwrap().is_empty());
    assert!(teams::survey_for(&db, &owner, "buurt-b").await.is_err());
    let rows = trail(&db, copied.row.id).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].0.starts_with("opdrachtregel"), "{rows:?}");
    assert_eq!(rows[0].2, "nieuwe ronde van buurtpeiling-2024");

    let wave = Wave { from: "buurtpeiling-2024", code: "buurt-c", title: "Buurt C" };
    let copied =
        waves::copy(&db, Copier::CommandLine { owner: Some(&owner.user) }, wave, chrono::Utc::now()).await.unwrap();
    teams::survey_for(&db, &owner, &copied.row.slug).await.unwrap();
}

async fn post_form(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
    let r = c
        .post(app.url("/onderzoek/nieuw/ronde"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
}

#[tokio::test]
async fn the_new_survey_page_makes_a_new_wave_and_shows_a_refusal_beside_its_field() {
    on_both!("the_new_survey_page_makes_a_new_wave", |db| {
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        let other = researcher(&db, "ander@example.org", Role::Researcher).await;
        surveys::create_owned(&db, OWN, Some((&owner.user, &owner.actor())), chrono::Utc::now()).await.unwrap();
        surveys::create_owned(
            &db,
            &crate::helpers::renamed("van-een-ander"),
            Some((&other.user, &other.actor())),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        login(&app, &c, "eigenaar@example.org", PASSWORD).await;
        let page = c.get(app.url("/onderzoek/nieuw")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Als nieuwe ronde van een eerder onderzoek"), "{page}");
        assert!(
            page.contains("<option value=\"buurtpeiling-2024\">Buurtpeiling 2024 (buurtpeiling-2024)</option>"),
            "{page}"
        );
        assert!(!page.contains("van-een-ander"), "only the researcher's own surveys are offered");
        let csrf = csrf_of(&page);

        // Without the session's CSRF value nothing happens.
        let (status, _, html) =
            post_form(&app, &c, &[("eerder", "buurtpeiling-2024"), ("code", "b-2025"), ("titel", "B")]).await;
        assert_ne!(status, StatusCode::SEE_OTHER);
        assert!(html.contains("Dit formulier is verlopen"), "{html}");
        assert!(surveys::load(&db, "b-2025").await.is_err());

        let (status, _, html) = post_form(
            &app,
            &c,
            &[("csrf", &csrf), ("eerder", "buurtpeiling-2024"), ("code", "2025 ronde"), ("titel", "Buurt & co 2025")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("De nieuwe ronde is niet gemaakt"), "{html}");
        assert!(
            html.contains("<p class=\"error\" id=\"code-fout\"><span class=\"visually-hidden\">Fout: </span>code &#x27;2025 ronde&#x27; is ongeldig"),
            "{html}"
        );
        assert!(html.contains("aria-describedby=\"code-hulp code-fout\" aria-invalid=\"true\""), "{html}");
        assert!(html.contains("value=\"2025 ronde\""), "{html}");
        assert!(html.contains("value=\"Buurt &amp; co 2025\""), "{html}");
        assert!(html.contains("<option value=\"buurtpeiling-2024\" selected>"), "{html}");

        let (status, _, html) =
            post_form(&app, &c, &[("csrf", &csrf), ("eerder", "van-een-ander"), ("code", "b-2025"), ("titel", "B")])
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"eerder-fout\""), "{html}");
        assert!(html.contains("er is geen vragenlijst met code &#x27;van-een-ander&#x27;"), "{html}");

        let (status, _, html) =
            post_form(&app, &c, &[("csrf", &csrf), ("eerder", "buurtpeiling-2024"), ("code", "b-2025"), ("titel", "")])
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"titel-fout\""), "{html}");

        let (status, location, _) = post_form(
            &app,
            &c,
            &[
                ("csrf", &csrf),
                ("eerder", "buurtpeiling-2024"),
                ("code", "buurtpeiling-2025"),
                ("titel", "Buurtpeiling 2025"),
            ],
        )
        .await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/onderzoek/buurtpeiling-2025"));
        let r = c.get(app.url(&location)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains("Buurtpeiling 2025"));
        let wave = surveys::load(&db, "buurtpeiling-2025").await.unwrap();
        assert_eq!(trail(&db, wave.row.id).await[0].2, "nieuwe ronde van buurtpeiling-2024");
    });
}

#[tokio::test]
async fn the_api_makes_a_new_wave_with_201_and_refuses_with_a_code_and_a_dutch_message() {
    on_both!("the_api_makes_a_new_wave_with_201", |db| {
        let token = api_token(&db, "eigenaar@example.org", Role::Researcher).await;
        let outsider = api_token(&db, "buiten@example.org", Role::Researcher).await;
        let owner =
            accounts::find_user(&db, &EmailAddress::parse("eigenaar@example.org").unwrap()).await.unwrap().unwrap();
        surveys::create_owned(&db, OWN, Some((&owner, &Actor::account(&owner))), chrono::Utc::now()).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let c = reqwest::Client::new();
        let post = |token: &str, from: &str, body: serde_json::Value| {
            c.post(app.url(&format!("/api/v1/surveys/{from}/copy"))).bearer_auth(token).json(&body).send()
        };
        let answer = |r: reqwest::Response| async move {
            let status = r.status();
            (status, r.json::<serde_json::Value>().await.unwrap())
        };

        let (status, body) = answer(
            post(&token, "buurtpeiling-2024", serde_json::json!({"code": "b-2025", "title": "B 2025"})).await.unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            body,
            serde_json::json!({"survey": "b-2025", "title": "B 2025", "copied_from": "buurtpeiling-2024", "report_definition": "plain"})
        );

        let (status, body) = answer(
            post(&outsider, "buurtpeiling-2024", serde_json::json!({"code": "b-2026", "title": "B"})).await.unwrap(),
        )
        .await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        assert_eq!(body["message"], "er is geen vragenlijst met code 'buurtpeiling-2024'");
        let (status, body) = answer(
            post(&token, "buurtpeiling-2024", serde_json::json!({"code": "b-2025", "title": "B"})).await.unwrap(),
        )
        .await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::CONFLICT, Some("survey_exists")));
        let (status, body) = answer(
            post(&token, "buurtpeiling-2024", serde_json::json!({"code": "b 2026", "title": "B"})).await.unwrap(),
        )
        .await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_code")));
        let (status, body) = answer(
            post(&token, "buurtpeiling-2024", serde_json::json!({"code": "b-2026", "title": ""})).await.unwrap(),
        )
        .await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_title")));
        let (status, body) =
            answer(post(&token, "buurtpeiling-2024", serde_json::json!({"code": "b-2026"})).await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(surveys::list(&db).await.unwrap().len(), 2);
    });
}
