//! The audit trail: every act a privacy officer asks about leaves one row with its actor and
//! survey, and none holds an address or an answer; members see their survey's trail, admins
//! all of it; the owner manages the team; the rows cannot be changed.

use crate::helpers::{TestApp, api_token};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use chrono::{Duration, Utc};
use entity::audit_event;
use peiling::accounts::{self, Role};
use peiling::audit::{Action, Actor};
use peiling::domain::EmailAddress;
use peiling::invitations::lifecycle;
use peiling::store::surveys::{self, Survey};
use peiling::teams::{self, Manager, Researcher};
use reqwest::{Client, StatusCode};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

const PASSWORD: &str = "een lang wachtwoord";

/// The rows added to the trail since the last look.
struct Trail {
    seen: i64,
}

impl Trail {
    async fn new(db: &DatabaseConnection) -> Trail {
        let mut trail = Trail { seen: 0 };
        trail.added(db).await;
        trail
    }

    async fn added(&mut self, db: &DatabaseConnection) -> Vec<audit_event::Model> {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::Id.gt(self.seen))
            .order_by_asc(audit_event::Column::Id)
            .all(db)
            .await
            .unwrap();
        if let Some(last) = rows.last() {
            self.seen = last.id;
        }
        rows
    }

    /// The one row the last act added, which must be `action` by `actor` on `survey`.
    async fn one(&mut self, db: &DatabaseConnection, action: Action, actor: &str, survey: &str) -> audit_event::Model {
        let rows = self.added(db).await;
        assert_eq!(rows.len(), 1, "one row for {action:?}: {rows:#?}");
        let row = rows.into_iter().next().unwrap();
        assert_eq!((row.action.as_str(), row.actor.as_str()), (action.as_str(), actor), "{row:#?}");
        assert_eq!(row.survey.as_deref(), Some(survey), "{row:#?}");
        row
    }
}

async fn researcher(db: &DatabaseConnection, email: &str, role: Role) -> Researcher {
    let address = EmailAddress::parse(email).unwrap();
    let user = accounts::add_user(db, &address, PASSWORD, role, Utc::now()).await.unwrap();
    Researcher { user, role }
}

/// The bundled questionnaire under another code, owned by `owner`.
async fn owned(db: &DatabaseConnection, code: &str, owner: &Researcher) -> Survey {
    let source = peiling::bundled::MAATWERKBUDGET_2021.definition.replacen(
        "id = \"maatwerkbudget-2021\"",
        &format!("id = \"{code}\""),
        1,
    );
    surveys::create_owned(db, &source, Some((&owner.user, &owner.actor())), Utc::now()).await.unwrap()
}

fn invitee_list(prefix: &str, n: usize) -> Vec<u8> {
    let mut csv = "email;team;naam\n".to_string();
    for i in 0..n {
        let team = if i % 2 == 0 { "SWT" } else { "JLR" };
        csv.push_str(&format!("{prefix}.{i}@gemeente.example;{team};Genodigde {prefix} {i}\n"));
    }
    csv.into_bytes()
}

async fn reload(db: &DatabaseConnection, survey: &Survey) -> Survey {
    surveys::load(db, &survey.row.slug).await.unwrap()
}

#[tokio::test]
async fn every_act_leaves_one_row_with_its_actor_and_survey() {
    on_both!("every_act_leaves_one_row_with_its_actor_and_survey", |db| {
        // The demo's closed survey has responses and casussen. First: it sends every queued message.
        let demo = crate::helpers::run_demo(&db).await;
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        let (actor, me) = (owner.actor(), "eigenaar@example.org");
        let now = Utc::now();
        let s = owned(&db, "tweede-peiling", &owner).await;
        let mut trail = Trail::new(&db).await;

        peiling::invitations::import_file(&db, &actor, &s, &invitee_list("tweede", 2), chrono::Utc::now())
            .await
            .unwrap();
        let row = trail.one(&db, Action::InviteesImported, me, "tweede-peiling").await;
        assert_eq!((row.detail.as_str(), row.actor_id), ("2 genodigden", Some(owner.user.id)));

        let (closes, remind_on) = (now + Duration::days(14), (now + Duration::days(3)).date_naive());
        lifecycle::open_with_reminder(&db, &actor, &s, lifecycle::end_of(closes.date_naive()), Some(remind_on), now)
            .await
            .unwrap();
        let rows = trail.added(&db).await;
        let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, [Action::Opened.as_str(), Action::ReminderScheduled.as_str()]);
        assert_eq!(rows[0].detail, format!("sluit {}; 2 uitnodigingen klaargezet", closes.date_naive()));
        assert_eq!(rows[1].detail, remind_on.to_string());

        let s = reload(&db, &s).await;
        lifecycle::remind(&db, &actor, &s, now).await.unwrap();
        assert_eq!(trail.one(&db, Action::Reminded, me, "tweede-peiling").await.detail, "2 herinneringen");
        lifecycle::schedule_reminder(&db, &actor, &s, None, now).await.unwrap();
        assert_eq!(trail.one(&db, Action::ReminderScheduled, me, "tweede-peiling").await.detail, "geannuleerd");
        let day = (now + Duration::days(2)).date_naive();
        lifecycle::schedule_reminder(&db, &actor, &s, Some(lifecycle::morning_of(day)), now).await.unwrap();
        assert_eq!(trail.one(&db, Action::ReminderScheduled, me, "tweede-peiling").await.detail, day.to_string());
        // A refused act leaves nothing.
        lifecycle::schedule_reminder(&db, &actor, &s, Some(now - Duration::days(1)), now).await.unwrap_err();
        assert!(trail.added(&db).await.is_empty());

        lifecycle::send_due_reminders(&db, now + Duration::days(3)).await.unwrap();
        let row = trail.one(&db, Action::Reminded, "peiling", "tweede-peiling").await;
        assert_eq!((row.detail.as_str(), row.actor_id), ("2 herinneringen (gepland)", None));
        lifecycle::close(&db, &actor, &reload(&db, &s).await, now).await.unwrap();
        trail.one(&db, Action::Closed, me, "tweede-peiling").await;

        let third = owned(&db, "derde-peiling", &owner).await;
        peiling::invitations::import_file(&db, &actor, &third, &invitee_list("derde", 1), chrono::Utc::now())
            .await
            .unwrap();
        lifecycle::open(&db, &actor, &reload(&db, &third).await, now + Duration::days(1), now).await.unwrap();
        trail.added(&db).await;
        lifecycle::close_expired(&db, now + Duration::days(2)).await.unwrap();
        trail.one(&db, Action::Closed, "peiling", "derde-peiling").await;

        let code = demo.row.slug.clone();
        let report = peiling::report::source::definition(&demo).unwrap();
        let (anonymiser, items) =
            peiling::review::start(&db, &actor, &demo, &report.printed_questions(), now).await.unwrap();
        let row = trail.one(&db, Action::CasussenViewed, me, &code).await;
        assert_eq!(row.detail, format!("{} teksten", items.len()));
        peiling::review::casus(&db, &actor, &demo, &report.printed_questions(), 1, now).await.unwrap();
        assert_eq!(trail.one(&db, Action::CasussenViewed, me, &code).await.detail, "casus 1");
        let exclude = peiling::review::Change { anonymised: None, decision: Some(peiling::review::Decision::Exclude) };
        peiling::review::update(&db, &actor, &demo, 1, exclude, &anonymiser, now).await.unwrap();
        assert_eq!(trail.one(&db, Action::CasusReviewed, me, &code).await.detail, "casus 1: niet opnemen");

        for format in [peiling::export::Format::Csv, peiling::export::Format::Xlsx, peiling::export::Format::Spss] {
            peiling::export::bytes(&db, &actor, &demo, format, now).await.unwrap();
            assert_eq!(trail.one(&db, Action::Exported, me, &code).await.detail, format.extension());
        }
        let source = peiling::report::publish::source_of(&demo).unwrap();
        peiling::report::draft(&db, &actor, &demo, &source, now).await.unwrap();
        trail.one(&db, Action::ReportViewed, me, &code).await;
        peiling::report::publish::publish(&db, &demo, &source, owner.user.id, now).await.unwrap();
        assert_eq!(trail.one(&db, Action::Published, me, &code).await.detail, "versie 1");

        peiling::retention::purge_survey(&db, &Actor::CommandLine, &code, now).await.unwrap().unwrap();
        let row = trail.one(&db, Action::Purged, &trail_name(&Actor::CommandLine), &code).await;
        assert!(row.detail.ends_with("teksten") && row.detail.contains("adressen"), "{}", row.detail);
        peiling::retention::purge_due(&db, &Actor::System, 0, now + Duration::days(3)).await.unwrap();
        let rows = trail.added(&db).await;
        let purged: Vec<(&str, Option<&str>)> = rows.iter().map(|r| (r.actor.as_str(), r.survey.as_deref())).collect();
        assert_eq!(purged, [("peiling", Some("tweede-peiling")), ("peiling", Some("derde-peiling"))]);
    });
}

/// How the trail names an actor without an account.
fn trail_name(actor: &Actor) -> String {
    match actor {
        Actor::CommandLine => {
            let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
            if user.is_empty() { "opdrachtregel".into() } else { format!("opdrachtregel ({user})") }
        }
        Actor::System => "peiling".into(),
        Actor::Account { email, .. } => email.clone(),
    }
}

/// A whole survey through import, opening, reminding, closing, review (with an edit), every
/// export, the draft, publishing and the purge: nothing in the trail is an address or a text.
#[tokio::test]
async fn no_detail_holds_an_address_or_an_answer() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    // First: the demo sends every queued message.
    let demo = crate::helpers::run_demo(&db).await;
    let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
    let actor = owner.actor();
    let now = Utc::now();
    let s = owned(&db, "tweede-peiling", &owner).await;
    peiling::invitations::import_file(&db, &actor, &s, &invitee_list("adres", 6), chrono::Utc::now()).await.unwrap();
    lifecycle::open(&db, &actor, &reload(&db, &s).await, now + Duration::days(7), now).await.unwrap();
    lifecycle::remind(&db, &actor, &reload(&db, &s).await, now).await.unwrap();
    lifecycle::close(&db, &actor, &reload(&db, &s).await, now).await.unwrap();

    let report = peiling::report::source::definition(&demo).unwrap();
    let (anonymiser, _) = peiling::review::start(&db, &actor, &demo, &report.printed_questions(), now).await.unwrap();
    let edit = "Een geheime casus over mevrouw Jansen aan de Breestraat.".to_string();
    let change =
        peiling::review::Change { anonymised: Some(edit.clone()), decision: Some(peiling::review::Decision::Include) };
    peiling::review::update(&db, &actor, &demo, 2, change, &anonymiser, now).await.unwrap();
    peiling::review::casus(&db, &actor, &demo, &report.printed_questions(), 2, now).await.unwrap();

    // What must not be in the trail, read before the purge deletes it.
    let addresses: Vec<String> =
        entity::invitee::Entity::find().all(&db).await.unwrap().into_iter().map(|i| i.email.to_lowercase()).collect();
    let names: Vec<String> =
        entity::invitee::Entity::find().all(&db).await.unwrap().into_iter().filter_map(|i| i.name).collect();
    let mut texts: Vec<String> = entity::answer::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.text)
        .filter(|t| t.trim().chars().count() >= 6)
        .collect();
    texts.push(edit);
    assert!(addresses.len() > 6 && texts.len() > 10, "{} addresses, {} texts", addresses.len(), texts.len());

    for format in [peiling::export::Format::Csv, peiling::export::Format::Xlsx, peiling::export::Format::Spss] {
        peiling::export::bytes(&db, &actor, &demo, format, now).await.unwrap();
    }
    let source = peiling::report::publish::source_of(&demo).unwrap();
    peiling::report::draft(&db, &actor, &demo, &source, now).await.unwrap();
    peiling::report::publish::publish(&db, &demo, &source, owner.user.id, now).await.unwrap();
    peiling::retention::purge_survey(&db, &actor, &demo.row.slug, now).await.unwrap();

    let events = peiling::audit::events(&db, None).await.unwrap();
    let acts: std::collections::HashSet<&str> = events.iter().map(|e| e.action.as_str()).collect();
    for act in [
        Action::InviteesImported,
        Action::Opened,
        Action::Reminded,
        Action::Closed,
        Action::CasussenViewed,
        Action::CasusReviewed,
        Action::Exported,
        Action::ReportViewed,
        Action::Published,
        Action::Purged,
    ] {
        assert!(acts.contains(act.as_str()), "{act:?} is in the trail");
    }
    let csv = String::from_utf8(peiling::audit::csv(&events)).unwrap().to_lowercase();
    for e in &events {
        let said = format!("{} {}", e.actor, e.detail).to_lowercase();
        for a in &addresses {
            assert!(!said.contains(a), "an address in the trail: {e:?}");
        }
        for n in &names {
            assert!(!said.contains(&n.to_lowercase()), "an invitee's name in the trail: {e:?}");
        }
        for t in &texts {
            assert!(!said.contains(&t.trim().to_lowercase()), "a text in the trail: {e:?}");
        }
    }
    assert!(!addresses.iter().any(|a| csv.contains(a.as_str())));
}

// ---- over HTTP ----

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn signed_in(app: &TestApp, email: &str) -> Client {
    let c = TestApp::browser();
    let r = login(app, &c, email, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{email} signs in");
    c
}

async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a form from page `from` (for its CSRF value) to `to`.
async fn post(app: &TestApp, c: &Client, from: &str, to: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let (_, html) = get(app, c, from).await;
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
    (r.status(), r.text().await.unwrap())
}

async fn account_with_token(db: &DatabaseConnection, email: &str, role: Role) -> (Researcher, String) {
    let token = api_token(db, email, role).await;
    let user = accounts::find_user(db, &EmailAddress::parse(email).unwrap()).await.unwrap().unwrap();
    (Researcher { user, role }, token)
}

#[tokio::test]
async fn members_see_their_surveys_trail_and_admins_all_of_it() {
    on_both!("members_see_their_surveys_trail_and_admins_all_of_it", |db| {
        let (owner, owner_token) = account_with_token(&db, "eigenaar@example.org", Role::Researcher).await;
        let (other, _) = account_with_token(&db, "ander@example.org", Role::Researcher).await;
        let (_, admin_token) = account_with_token(&db, "beheer@example.org", Role::Admin).await;
        let mine = owned(&db, "mijn-peiling", &owner).await;
        owned(&db, "andere-peiling", &other).await;
        // An address that a spreadsheet would read as a formula.
        researcher(&db, "=lid@example.org", Role::Researcher).await;
        teams::add_member(&db, Manager::Researcher(&owner), &mine.row, "=lid@example.org", Utc::now()).await.unwrap();
        let app = TestApp::spawn(&db).await;

        let c = signed_in(&app, "eigenaar@example.org").await;
        let (status, html) = get(&app, &c, "/onderzoek/mijn-peiling").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("href=\"/onderzoek/mijn-peiling/logboek\""), "the dashboard links the trail");
        let (status, html) = get(&app, &c, "/onderzoek/mijn-peiling/logboek").await;
        assert_eq!(status, StatusCode::OK);
        for shown in
            ["onderzoek aangemaakt", "lid toegevoegd", "=lid@example.org", "/onderzoek/mijn-peiling/logboek.csv"]
        {
            assert!(html.contains(shown), "{shown} on the trail page");
        }
        assert!(!html.contains("andere-peiling"));
        assert!(html.find("lid toegevoegd").unwrap() < html.find("onderzoek aangemaakt").unwrap(), "newest first");
        for path in ["/onderzoek/andere-peiling/logboek", "/onderzoek/andere-peiling/logboek.csv"] {
            assert_eq!(get(&app, &c, path).await.0, StatusCode::NOT_FOUND, "{path}");
        }
        for path in ["/beheer/logboek", "/beheer/logboek.csv"] {
            assert_eq!(get(&app, &c, path).await.0, StatusCode::FORBIDDEN, "{path}");
        }

        let r = c.get(app.url("/onderzoek/mijn-peiling/logboek.csv")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = r.text().await.unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "tijdstip;wie;onderzoek;handeling;code;details");
        assert!(lines[1].ends_with(";mijn-peiling;lid toegevoegd;member_added;'=lid@example.org"), "{}", lines[1]);
        assert_eq!(lines.len(), 4, "created, owner, member added: {lines:?}");

        let admin = signed_in(&app, "beheer@example.org").await;
        let (status, html) = get(&app, &admin, "/beheer/logboek").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("mijn-peiling") && html.contains("andere-peiling"));
        let csv = admin.get(app.url("/beheer/logboek.csv")).send().await.unwrap().text().await.unwrap();
        assert!(csv.contains(";andere-peiling;") && csv.contains(";mijn-peiling;"));

        // The API: the same trail as JSON or CSV.
        let api = Client::new();
        let call = |path: &str, token: &str| api.get(app.url(path)).header("authorization", bearer(token)).send();
        let r = call("/api/v1/surveys/mijn-peiling/audit", &owner_token).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: serde_json::Value = r.json().await.unwrap();
        let actions: Vec<&str> =
            body["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["member_added", "owner_set", "survey_created"]);
        assert_eq!(body["events"][0]["actor"], "eigenaar@example.org");
        assert_eq!(body["events"][0]["label"], "lid toegevoegd");
        let r = call("/api/v1/surveys/mijn-peiling/audit?format=csv", &owner_token).await.unwrap();
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(r.text().await.unwrap().contains(";'=lid@example.org"));
        let r = call("/api/v1/surveys/mijn-peiling/audit?format=xml", &owner_token).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("kies json of csv"));
        assert_eq!(
            call("/api/v1/surveys/andere-peiling/audit", &owner_token).await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        let r = call("/api/v1/audit", &owner_token).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = call("/api/v1/audit", &admin_token).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let all: serde_json::Value = r.json().await.unwrap();
        let surveys: std::collections::HashSet<&str> =
            all["events"].as_array().unwrap().iter().filter_map(|e| e["survey"].as_str()).collect();
        assert_eq!(surveys, ["mijn-peiling", "andere-peiling"].into_iter().collect());
        assert!(
            call("/api/v1/audit?format=csv", &admin_token)
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("andere-peiling")
        );
    });
}

#[tokio::test]
async fn the_owner_adds_and_removes_members_and_nobody_else_does() {
    on_both!("the_owner_adds_and_removes_members_and_nobody_else_does", |db| {
        let (owner, owner_token) = account_with_token(&db, "eigenaar@example.org", Role::Researcher).await;
        let (_, member_token) = account_with_token(&db, "lid@example.org", Role::Researcher).await;
        account_with_token(&db, "derde@example.org", Role::Researcher).await;
        account_with_token(&db, "lezer@example.org", Role::Reader).await;
        owned(&db, "mijn-peiling", &owner).await;
        let app = TestApp::spawn(&db).await;
        let (boss, member) = (signed_in(&app, "eigenaar@example.org").await, signed_in(&app, "lid@example.org").await);
        let mut trail = Trail::new(&db).await;
        let team = "/onderzoek/mijn-peiling/team";

        let (status, html) = get(&app, &boss, "/onderzoek/mijn-peiling").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("href=\"{team}\"")), "the dashboard links the team");
        assert_eq!(get(&app, &member, "/onderzoek/mijn-peiling").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, &member, team).await.0, StatusCode::NOT_FOUND);

        let (status, html) = post(&app, &boss, team, team, &[("email", "Lid@Example.org")]).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("is lid van het team"));
        trail.one(&db, Action::MemberAdded, "eigenaar@example.org", "mijn-peiling").await;
        assert_eq!(get(&app, &member, "/onderzoek/mijn-peiling").await.0, StatusCode::OK);
        let (status, html) = get(&app, &member, team).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.find("eigenaar@example.org").unwrap() < html.find("lid@example.org</th>").unwrap(), "owner first");
        assert!(!html.contains("Onderzoeker toevoegen") && !html.contains("team/verwijderen"), "no forms for a member");

        // A plain member may not change the team; the owner stays.
        let (status, html) = post(&app, &member, team, team, &[("email", "derde@example.org")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("alleen de eigenaar van het onderzoek of een beheerder"), "{html}");
        let remove = "/onderzoek/mijn-peiling/team/verwijderen";
        let (status, _) = post(&app, &member, team, remove, &[("email", "eigenaar@example.org")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, html) = post(&app, &boss, team, remove, &[("email", "eigenaar@example.org")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("de eigenaar kan niet uit het onderzoek worden verwijderd"));
        let (status, html) = post(&app, &boss, team, team, &[("email", "lezer@example.org")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("lezer@example.org heeft geen onderzoekersaccount"));
        assert!(trail.added(&db).await.is_empty(), "refusals leave no trail");

        let (status, html) = post(&app, &boss, team, remove, &[("email", "lid@example.org")]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("is uit het team verwijderd"));
        trail.one(&db, Action::MemberRemoved, "eigenaar@example.org", "mijn-peiling").await;
        assert_eq!(get(&app, &member, "/onderzoek/mijn-peiling").await.0, StatusCode::NOT_FOUND);

        // The same through the API.
        let api = Client::new();
        let members = app.url("/api/v1/surveys/mijn-peiling/members");
        let add = |token: &str, email: &str| {
            api.post(&members)
                .header("authorization", bearer(token))
                .json(&serde_json::json!({ "email": email }))
                .send()
        };
        let delete = |token: &str, email: &str| {
            api.delete(format!("{members}/{email}")).header("authorization", bearer(token)).send()
        };
        assert_eq!(
            api.get(&members).header("authorization", bearer(&member_token)).send().await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        let r = add(&owner_token, "lid@example.org").await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: serde_json::Value = r.json().await.unwrap();
        let listed: Vec<(&str, bool)> = body["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["email"].as_str().unwrap(), m["owner"].as_bool().unwrap()))
            .collect();
        assert_eq!(listed, [("eigenaar@example.org", true), ("lid@example.org", false)]);
        let r = api.get(&members).header("authorization", bearer(&member_token)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r = add(&member_token, "derde@example.org").await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "not_owner");
        assert_eq!(delete(&member_token, "eigenaar@example.org").await.unwrap().status(), StatusCode::FORBIDDEN);
        let r = delete(&owner_token, "eigenaar@example.org").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "owner_stays");
        let r = add(&owner_token, "niemand@example.org").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "not_researcher");
        assert_eq!(delete(&owner_token, "lid@example.org").await.unwrap().status(), StatusCode::OK);
        let r = delete(&owner_token, "lid@example.org").await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "not_member");
        assert_eq!(
            api.get(&members).header("authorization", bearer(&member_token)).send().await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        let actions: Vec<String> = trail.added(&db).await.into_iter().map(|r| r.action).collect();
        assert_eq!(actions, ["member_added", "member_removed"]);
    });
}

/// The handlers go through the recording domain functions: one row per page or call, by the
/// signed-in account; a save is one review, not a second viewing.
#[tokio::test]
async fn the_pages_and_the_api_record_what_they_show() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let (_, token) = account_with_token(&db, "beheer@example.org", Role::Admin).await;
    let demo = crate::helpers::run_demo(&db).await;
    let code = demo.row.slug.clone();
    let app = TestApp::spawn(&db).await;
    let c = signed_in(&app, "beheer@example.org").await;
    let mut trail = Trail::new(&db).await;
    let me = "beheer@example.org";
    let base = format!("/onderzoek/{code}");

    assert_eq!(get(&app, &c, &format!("{base}/casussen")).await.0, StatusCode::OK);
    trail.one(&db, Action::CasussenViewed, me, &code).await;
    let form = format!("{base}/casussen");
    let (status, _) =
        post(&app, &c, &form, &format!("{base}/casussen/1"), &[("besluit", "niet opnemen"), ("tekst", "Een tekst.")])
            .await;
    assert_eq!(status, StatusCode::OK);
    // The form's page was opened first (one viewing), then the save (one review).
    let rows = trail.added(&db).await;
    let acts: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(acts, ["casussen_viewed", "casus_reviewed"]);
    assert_eq!(rows[1].detail, "casus 1: niet opnemen, tekst bewerkt");
    assert_eq!(get(&app, &c, &format!("{base}/export/xlsx")).await.0, StatusCode::OK);
    assert_eq!(trail.one(&db, Action::Exported, me, &code).await.detail, "xlsx");
    assert_eq!(get(&app, &c, &format!("{base}/rapport.pdf")).await.0, StatusCode::OK);
    trail.one(&db, Action::ReportViewed, me, &code).await;

    let api = Client::new();
    let call = |path: String| api.get(app.url(&path)).header("authorization", bearer(&token)).send();
    assert_eq!(call(format!("/api/v1/surveys/{code}/casussen")).await.unwrap().status(), StatusCode::OK);
    trail.one(&db, Action::CasussenViewed, me, &code).await;
    assert_eq!(call(format!("/api/v1/surveys/{code}/casussen/2")).await.unwrap().status(), StatusCode::OK);
    assert_eq!(trail.one(&db, Action::CasussenViewed, me, &code).await.detail, "casus 2");
    assert_eq!(call(format!("/api/v1/surveys/{code}/casussen/9999")).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert!(trail.added(&db).await.is_empty(), "a casus that is not there was not viewed");
    let r = api
        .put(app.url(&format!("/api/v1/surveys/{code}/casussen/2")))
        .header("authorization", bearer(&token))
        .json(&serde_json::json!({ "decision": "opnemen" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(trail.one(&db, Action::CasusReviewed, me, &code).await.detail, "casus 2: opnemen");
    assert_eq!(call(format!("/api/v1/surveys/{code}/export/csv")).await.unwrap().status(), StatusCode::OK);
    assert_eq!(trail.one(&db, Action::Exported, me, &code).await.detail, "csv");
}

#[tokio::test]
async fn trail_rows_cannot_be_changed_or_deleted() {
    on_both!("trail_rows_cannot_be_changed_or_deleted", |db| {
        let owner = researcher(&db, "eigenaar@example.org", Role::Researcher).await;
        owned(&db, "mijn-peiling", &owner).await;
        let before = peiling::audit::events(&db, None).await.unwrap();
        assert!(!before.is_empty());
        assert!(db.execute_unprepared("UPDATE audit_events SET detail = 'anders'").await.is_err());
        assert!(db.execute_unprepared("DELETE FROM audit_events").await.is_err());
        let after = peiling::audit::events(&db, None).await.unwrap();
        assert_eq!(before, after);
    });
}
