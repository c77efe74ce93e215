//! Disclosure control on a survey of our own (not the bundled one): three teams of 31, 77 and
//! 55 whose rare answers are given by 1 to 4 people, with per-group tables of a 1-10 rating, a
//! single-answer and a multiple-answer question. The PDF's text and the reading room's page
//! print no small cell, and no hidden cell follows from what they print. And a report on too
//! few responses is neither published (page and API) nor shown in the reading room.

use crate::helpers::TestApp;
use crate::on_both;
use crate::printed_tables::{Printed, tables_in_html, tables_in_text};
use peiling::accounts::{self, Role};
use peiling::domain::EmailAddress;
use peiling::report::breakdown::MARK;
use peiling::report::suppression::{self, Suppressed, Table};
use peiling::store::{self, invitees::NewInvitee, surveys::Survey};
use reqwest::{Client, StatusCode};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use serde_json::{Map, Value, json};

const PASSWORD: &str = "een lang wachtwoord";

fn definition(id: &str) -> String {
    format!(
        r#"id = "{id}"
title = "Werkplezier in de wijkteams"
organisation = "Onderzoek en Statistiek"

[[groups]]
code = "NOORD"
name = "Wijkteam Noord"

[[groups]]
code = "OOST"
name = "Wijkteam Oost"

[[groups]]
code = "ZUID"
name = "Wijkteam Zuid"

[[questions]]
id = "R"
type = "scale"
text = "Welk rapportcijfer geef je je werkplezier?"
from = 1
to = 10

[[questions]]
id = "K"
type = "single"
text = "Hoe tevreden ben je over de werkdruk?"
options = ["Zeer tevreden", "Tevreden", "Neutraal", "Ontevreden", "Zeer ontevreden"]
dont_know = "Weet niet"

[[questions]]
id = "M"
type = "multiple"
text = "Wat zou helpen?"
options = ["Minder caseload", "Meer scholing", "Betere ICT", "Meer overleg"]
"#
    )
}

fn report(id: &str) -> String {
    format!(
        r#"survey = "{id}"
title = "Werkplezier in de wijkteams"
department = "Onderzoek en Statistiek"
population = "medewerkers"

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "response"

[[sections.blocks]]
kind = "figure"
question = "R"
by_group = true

[[sections.blocks]]
kind = "figure"
question = "K"
by_group = true

[[sections.blocks]]
kind = "figure"
question = "M"
by_group = true
"#
    )
}

const TEAMS: [&str; 3] = ["NOORD", "OOST", "ZUID"];
const SIZES: [usize; 3] = [31, 77, 55];
/// Rapportcijfers 1..10 per team.
const RATINGS: [[usize; 10]; 3] =
    [[0, 1, 2, 1, 3, 4, 6, 8, 4, 2], [1, 0, 3, 4, 6, 10, 18, 20, 10, 5], [0, 2, 1, 3, 5, 8, 12, 14, 7, 3]];
const K_CODES: [&str; 6] = ["zeer_tevreden", "tevreden", "neutraal", "ontevreden", "zeer_ontevreden", "weet_niet"];
/// Per team: zeer tevreden .. zeer ontevreden, weet niet.
const SATISFACTION: [[usize; 6]; 3] = [[6, 14, 7, 3, 1, 0], [15, 35, 17, 6, 2, 2], [10, 25, 12, 4, 2, 2]];
const M_CODES: [&str; 4] = ["minder_caseload", "meer_scholing", "betere_ict", "meer_overleg"];
/// Per team, how many chose each option; the first two together cover everyone.
const WISHES: [[usize; 4]; 3] = [[20, 12, 2, 8], [50, 30, 9, 25], [35, 22, 4, 3]];

/// The answers of respondent `i` of team `t`.
fn answers(t: usize, i: usize) -> Map<String, Value> {
    let nth = |counts: &[usize], i: usize| {
        let mut seen = 0;
        counts.iter().position(|c| {
            seen += c;
            i < seen
        })
    };
    let rating = nth(&RATINGS[t], i).map_or(10, |p| p + 1);
    let k = K_CODES[nth(&SATISFACTION[t], i).unwrap_or(0)];
    let n = SIZES[t];
    let wishes: Vec<&str> = M_CODES
        .iter()
        .zip(WISHES[t])
        .enumerate()
        .filter(|(j, (_, count))| if *j == 1 { i >= n - count } else { i < *count })
        .map(|(_, (code, _))| *code)
        .collect();
    let mut map = Map::new();
    map.insert("R".into(), json!(rating));
    map.insert("K".into(), json!(k));
    map.insert("M".into(), json!(wishes));
    map
}

/// A closed survey `id` with `sizes` responses per team (the first `sizes[t]` of the plan).
async fn closed_survey(db: &DatabaseConnection, id: &str, sizes: [usize; 3]) -> Survey {
    let now = chrono::Utc::now();
    let survey = store::surveys::create(db, &definition(id), now).await.unwrap();
    let people = (0..3)
        .flat_map(|t| {
            (0..SIZES[t]).map(move |i| NewInvitee {
                email: EmailAddress::parse(&format!("{}{i}@example.org", TEAMS[t].to_lowercase())).unwrap(),
                name: None,
                group: TEAMS[t].to_string(),
            })
        })
        .collect();
    store::invitees::add_all(db, &survey, people, now).await.unwrap();
    let survey = store::surveys::load(db, id).await.unwrap();
    peiling::invitations::lifecycle::open(
        db,
        &peiling::audit::Actor::System,
        &survey,
        now + chrono::Duration::days(7),
        now,
    )
    .await
    .unwrap();
    let survey = store::surveys::load(db, id).await.unwrap();
    let txn = db.begin().await.unwrap();
    for (t, size) in sizes.iter().enumerate() {
        let group = survey.group_by_code(TEAMS[t]).unwrap().id;
        for i in 0..*size {
            let parsed = peiling::questionnaire::Answers::parse(
                &survey.questionnaire,
                &answers(t, i),
                peiling::questionnaire::answers::Mode::Submit,
            )
            .unwrap();
            store::responses::insert_submitted(&txn, survey.row.id, &survey.questionnaire, group, &parsed)
                .await
                .unwrap();
        }
    }
    txn.commit().await.unwrap();
    peiling::invitations::lifecycle::close(db, &peiling::audit::Actor::System, &survey, now).await.unwrap();
    store::surveys::load(db, id).await.unwrap()
}

/// The true counts behind the three tables (rating, satisfaction, wishes), per category and team.
fn truth() -> Vec<(bool, Vec<Vec<u64>>)> {
    let rating: Vec<Vec<u64>> = (0..10).map(|v| (0..3).map(|t| RATINGS[t][v] as u64).collect()).collect();
    let satisfaction: Vec<Vec<u64>> = (0..5).map(|c| (0..3).map(|t| SATISFACTION[t][c] as u64).collect()).collect();
    let wishes: Vec<Vec<u64>> = (0..4).map(|c| (0..3).map(|t| WISHES[t][c] as u64).collect()).collect();
    vec![(true, rating), (true, satisfaction), (false, wishes)]
}

/// Checks one printed table against the truth: every small cell shows the mark; no hidden
/// cell follows by subtraction from a printed total (a category's total beside the other
/// teams' cells, or a team's base beside its other cells for a single-answer question); and
/// none follows from any combination of them either.
fn check(where_: &str, printed: &Printed, partition: bool, counts: &[Vec<u64>]) {
    assert_eq!(printed.rows.len(), counts.len(), "{where_}: a row per category: {printed:?}");
    let hidden: Vec<Vec<bool>> =
        printed.rows.iter().map(|(_, cells)| cells[..3].iter().map(|c| c == MARK).collect()).collect();
    for (c, row) in counts.iter().enumerate() {
        for (t, n) in row.iter().enumerate() {
            if *n > 0 && *n < 5 {
                assert!(
                    hidden[c][t],
                    "{where_}: {n} people of {} in '{}' is printed: {printed:?}",
                    TEAMS[t], printed.rows[c].0
                );
            }
            if !hidden[c][t] {
                let expected = peiling::report::figures::percent(*n, team_base(partition, counts, t));
                assert_eq!(printed.rows[c].1[t], format!("{expected}%"), "{where_}: printed cells are the percentages");
            }
        }
        let open = hidden[c].iter().filter(|h| **h).count();
        assert_ne!(open, 1, "{where_}: category '{}' minus the other teams gives its hidden cell", printed.rows[c].0);
    }
    if partition {
        for t in 0..3 {
            let open = hidden.iter().filter(|row| row[t]).count();
            assert_ne!(open, 1, "{where_}: the base of {} minus its other cells gives its hidden cell", TEAMS[t]);
        }
    }
    let table = Table { cells: counts.to_vec(), rest: None, partition };
    assert_eq!(
        suppression::derivable(&table, &Suppressed { hidden }),
        vec![],
        "{where_}: a hidden cell can be derived"
    );
}

fn team_base(partition: bool, counts: &[Vec<u64>], t: usize) -> u64 {
    if partition {
        counts.iter().map(|row| row[t]).sum()
    } else {
        // The wishes: everyone in the team answered.
        [31, 77, 55][t]
    }
}

fn check_all(where_: &str, tables: &[Printed]) {
    assert_eq!(tables.len(), 3, "{where_}: three per-group tables: {tables:?}");
    for (printed, (partition, counts)) in tables.iter().zip(truth()) {
        assert!(printed.header.iter().any(|h| h.starts_with("NOORD")), "{where_}: {printed:?}");
        check(where_, printed, partition, &counts);
    }
    assert!(
        tables.iter().any(|t| t.rows.iter().any(|(_, cells)| cells.iter().any(|c| c == MARK))),
        "{where_}: cells are hidden"
    );
}

#[tokio::test]
async fn per_group_tables_print_no_small_cell_and_none_can_be_computed_back() {
    on_both!("per_group_tables_print_no_small_cell_and_none_can_be_computed_back", |db| {
        let survey = closed_survey(&db, "werkplezier-2026", SIZES).await;
        let source = report("werkplezier-2026");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let generated = peiling::report::generate(&db, &survey, &source, date).await.unwrap();
        assert!(
            generated.text.contains(&format!("{MARK} Niet getoond: hier gaat het om minder dan 5 medewerkers")),
            "{}",
            generated.text
        );
        assert!(!generated.text.contains("Niet geschikt om te publiceren"), "163 responses may be published");

        if let Some(text) = crate::report::pdftotext(&generated.pdf) {
            check_all("PDF", &tables_in_text(&text, 4));
        }

        // Published, the reading room shows the same tables.
        let user = accounts::add_user(
            &db,
            &EmailAddress::parse("raad@example.org").unwrap(),
            PASSWORD,
            Role::Reader,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let row = peiling::report::publish::publish(&db, &survey, &source, user.id, chrono::Utc::now()).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let reader = TestApp::browser();
        login(&app, &reader, "raad@example.org").await;
        let page = reader.get(app.url(&format!("/rapporten/{}", row.id))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        check_all("reading room", &tables_in_html(&html));
        assert!(
            html.contains("<span class=\"visually-hidden\">niet getoond</span>"),
            "a screen reader hears what the mark means"
        );
    });
}

async fn login(app: &TestApp, c: &Client, email: &str) {
    let r = crate::web_pages::login(app, c, email, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed in as {email}");
}

#[tokio::test]
async fn a_report_on_too_few_responses_is_not_published_nor_shown() {
    on_both!("a_report_on_too_few_responses_is_not_published_nor_shown", |db| {
        // Three responses: one per team.
        let few = closed_survey(&db, "werkplezier-klein", [1, 1, 1]).await;
        let enough = closed_survey(&db, "werkplezier-groot", [4, 4, 4]).await;
        let now = chrono::Utc::now();
        let researcher = accounts::add_user(
            &db,
            &EmailAddress::parse("onderzoek@example.org").unwrap(),
            PASSWORD,
            Role::Researcher,
            now,
        )
        .await
        .unwrap();
        crate::helpers::join(&db, "onderzoek@example.org", &few).await;
        crate::helpers::join(&db, "onderzoek@example.org", &enough).await;
        accounts::add_user(&db, &EmailAddress::parse("raad@example.org").unwrap(), PASSWORD, Role::Reader, now)
            .await
            .unwrap();
        let (_, token) = accounts::create_token(
            &db,
            accounts::Acting::CommandLine,
            &EmailAddress::parse("onderzoek@example.org").unwrap(),
            "test",
            None,
            now,
        )
        .await
        .unwrap();
        // A version published before the minimum existed, as it was stored then.
        let generated =
            peiling::report::generate(&db, &few, &report("werkplezier-klein"), now.date_naive()).await.unwrap();
        let old = entity::publication::ActiveModel {
            survey_id: Set(few.row.id),
            version: Set(1),
            title: Set("Werkplezier (oud)".into()),
            summary: Set(generated.summary.join("\n")),
            pdf: Set(generated.pdf.clone()),
            html: Set(generated.html.clone()),
            published_at: Set(now),
            published_by: Set(researcher.id),
            ..Default::default()
        };
        let old = entity::publication::Entity::insert(old).exec(&db).await.unwrap().last_insert_id;
        let app = TestApp::spawn(&db).await;
        let message = "Er zijn 3 vragenlijsten ingevuld; voor een rapport in de leeskamer zijn er minstens 10 nodig.";

        // The researcher's page.
        let c = TestApp::browser();
        login(&app, &c, "onderzoek@example.org").await;
        let base = "/onderzoek/werkplezier-klein";
        let dashboard = c.get(app.url(base)).send().await.unwrap().text().await.unwrap();
        assert!(dashboard.contains(message), "the dashboard says so before the button is pressed: {dashboard}");
        let form = serde_urlencoded::to_string([("csrf", crate::web_pages::csrf_of(&dashboard))]).unwrap();
        let r = c
            .post(app.url(&format!("{base}/publiceren")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = r.text().await.unwrap();
        assert!(body.contains("Het rapport is niet gepubliceerd") && body.contains(message), "{body}");

        // The API.
        let api = |slug: &str| app.url(&format!("/api/v1/surveys/{slug}/publish"));
        let r = c.post(api("werkplezier-klein")).bearer_auth(token.as_str()).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = r.json().await.unwrap();
        assert_eq!(refused["error"], "too_few_responses");
        assert!(refused["message"].as_str().unwrap().starts_with(message), "{refused}");
        assert_eq!(refused["details"], json!([{ "responses": 3, "needed": 10 }]));
        assert_eq!(entity::publication::Entity::find().count(&db).await.unwrap(), 1, "nothing new was stored");

        // The researcher can still make the PDF, which says it is not fit to publish.
        let pdf = c.get(app.url(&format!("{base}/rapport.pdf"))).send().await.unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        let pdf = pdf.bytes().await.unwrap();
        if let Some(text) = crate::report::pdftotext(&pdf) {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("Niet geschikt om te publiceren: er zijn 3 vragenlijsten ingevuld (minder dan 10)"),
                "{flat}"
            );
        }

        // Twelve responses are enough.
        let r = c.post(api("werkplezier-groot")).bearer_auth(token.as_str()).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let published: Value = r.json().await.unwrap();
        let url = published["url"].as_str().unwrap().to_string();

        // The reading room lists and shows the one with enough responses, not the old version.
        let reader = TestApp::browser();
        login(&app, &reader, "raad@example.org").await;
        let list = reader.get(app.url("/rapporten")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&format!("href=\"{url}\"")), "{list}");
        assert!(!list.contains(&format!("href=\"/rapporten/{old}\"")) && !list.contains("Werkplezier (oud)"), "{list}");
        assert_eq!(reader.get(app.url(&url)).send().await.unwrap().status(), StatusCode::OK);
        let r = reader.get(app.url(&format!("/rapporten/{old}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let body = r.text().await.unwrap();
        assert!(body.contains("Dit rapport wordt niet getoond") && body.contains(message), "{body}");
        let r = reader.get(app.url(&format!("/rapporten/{old}/rapport.pdf"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(!r.bytes().await.unwrap().starts_with(b"%PDF"), "the old PDF is not handed out");
        let _ = enough;
    });
}
