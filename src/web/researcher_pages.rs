//! The researcher's pages (`/onderzoek`) and the login; the council's reading room is in
//! `reading_room`. Server-rendered, no script; every form carries the session's CSRF value.

use super::auth::{self, removal_cookie, session_cookie};
use super::body::{self, Limited};
use super::errors::PageError;
use super::{State, csrf, upload, views};
use crate::accounts::{self, LoginError, Role, SignedIn};
use crate::audit::Actor;
use crate::invitations::{self, ImportError, import, lifecycle};
use crate::mail::compose::{Composer, Kind};
use crate::report::publish::{self, PublishError};
use crate::report::{ReportDefinition, narrative, stats};
use crate::review::{self, Decision};
use crate::store::surveys::{Status, Survey};
use crate::store::{self, StoreError};
use crate::teams;
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::web::{Path, Payload, Query};
use actix_web::{HttpRequest, HttpResponse};
use entity::publication;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tera::Context;

/// Who acts, for the trail.
pub(super) fn actor(user: &SignedIn) -> Actor {
    Actor::account(&user.user)
}

pub(super) fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

pub(super) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((LOCATION, location.to_string())).finish()
}

pub(super) fn context(user: Option<&SignedIn>, title: &str) -> Context {
    let mut c = Context::new();
    c.insert("page_title", title);
    if let Some(u) = user {
        c.insert("user", &json!({ "email": u.user.email, "csrf": u.csrf, "researcher": u.role.includes(Role::Researcher), "admin": u.role.includes(Role::Admin) }));
    }
    c
}

pub(super) fn fields(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    body::form_fields(body)
}

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

/// What every form post on a survey starts with: a researcher, the session's CSRF value, the
/// fields and the survey.
pub(super) async fn posted(
    state: &State,
    request: &HttpRequest,
    slug: &str,
    body: &[u8],
) -> Result<(SignedIn, Vec<(String, String)>, Survey), PageError> {
    let user = auth::require(state, request, Role::Researcher).await?;
    let fields = fields(body)?;
    auth::check(&user, &fields)?;
    let survey = survey(state, &user, slug).await?;
    Ok((user, fields, survey))
}

/// The survey `slug`, if `user` may work on it; the page of an unknown address otherwise.
pub(super) async fn survey(state: &State, user: &SignedIn, slug: &str) -> Result<Survey, PageError> {
    teams::survey_for(&state.db, &user.into(), slug).await.map_err(|e| match e {
        StoreError::SurveyNotFound(_) => PageError::NotFound,
        other => PageError::Store(other),
    })
}

// ---- signing in ----

#[derive(Deserialize)]
pub struct Back {
    terug: Option<String>,
}

/// Only paths on this site, so a crafted link cannot send someone elsewhere after login.
/// The page to go back to after signing in, if it is one of this site; else none.
fn safe_back(back: &str) -> String {
    crate::domain::LocalPath::parse(back).map(|p| p.as_str().to_string()).unwrap_or_default()
}

pub async fn login_page(state: State, request: HttpRequest, back: Query<Back>) -> Result<HttpResponse, PageError> {
    // No session yet: the login form has a CSRF cookie of its own.
    let (value, cookie) = csrf::token(&request, state.secure_cookies, &csrf::LOGIN);
    let mut c = context(None, "Inloggen");
    c.insert("csrf", &value);
    c.insert("back", &safe_back(back.terug.as_deref().unwrap_or("")));
    c.insert("email", "");
    Ok(csrf::with_cookie(html(StatusCode::OK, views::render("r/login.html", &c)?), cookie))
}

pub async fn login(state: State, request: HttpRequest, body: Limited) -> Result<HttpResponse, PageError> {
    let fields = fields(&body)?;
    if !csrf::verify(&request, &fields, &csrf::LOGIN) {
        return Err(PageError::Expired { back: "/inloggen".into() });
    }
    let email = field(&fields, "email").trim().to_string();
    let from = super::client::address(&state, &request);
    match accounts::login(&state.db, &email, field(&fields, "wachtwoord"), &from, state.now()).await {
        Ok((token, user)) => {
            let back = safe_back(field(&fields, "terug"));
            let target = match (back.is_empty(), user.role) {
                (false, _) => back,
                (true, Role::Researcher | Role::Admin) => "/onderzoek".to_string(),
                (true, Role::Reader) => "/rapporten".to_string(),
            };
            let mut response = see_other(&target);
            let _ = response.add_cookie(&session_cookie(token.as_str(), state.secure_cookies));
            Ok(response)
        }
        Err(LoginError::Refused) => Ok(login_again(
            &fields,
            &email,
            StatusCode::UNAUTHORIZED,
            "Onbekend e-mailadres of verkeerd wachtwoord. Na vijf mislukte pogingen kun je een kwartier niet inloggen.",
        )?),
        Err(LoginError::Throttled(blocked)) => {
            let mut response = login_again(&fields, &email, StatusCode::TOO_MANY_REQUESTS, &blocked.message())?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(blocked.seconds),
            );
            Ok(response)
        }
        Err(LoginError::Account(accounts::AccountError::Db(e))) => Err(PageError::Db(e)),
        Err(LoginError::Account(e)) => Err(PageError::Store(StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))),
    }
}

/// The login form again, filled in but for the password, with what went wrong.
fn login_again(
    fields: &[(String, String)],
    email: &str,
    status: StatusCode,
    problem: &str,
) -> Result<HttpResponse, PageError> {
    let mut c = context(None, "Inloggen");
    c.insert("csrf", field(fields, csrf::FIELD));
    c.insert("back", &safe_back(field(fields, "terug")));
    c.insert("email", email);
    c.insert("problems", &[problem]);
    Ok(html(status, views::render("r/login.html", &c)?))
}

pub async fn logout(state: State, request: HttpRequest, body: Limited) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Reader).await?;
    auth::check(&user, &fields(&body)?)?;
    if let Some(cookie) = request.cookie(auth::COOKIE) {
        accounts::logout(&state.db, cookie.value()).await?;
    }
    let mut response = see_other("/inloggen");
    let _ = response.add_cookie(&removal_cookie(state.secure_cookies));
    Ok(response)
}

// ---- surveys ----

#[derive(Serialize)]
struct SurveyRow {
    slug: String,
    title: String,
    status: &'static str,
    invited: u64,
    responded: u64,
    rate: Option<i64>,
}

fn status_text(status: Status) -> &'static str {
    match status {
        Status::Draft => "concept",
        Status::Open => "open",
        Status::Closed => "gesloten",
    }
}

pub async fn list(state: State, request: HttpRequest) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let mut rows = Vec::new();
    for s in teams::surveys_of(&state.db, &(&user).into()).await? {
        let (invited, responded) = stats::totals(&stats::response_per_group(&state.db, s.id).await?);
        rows.push(SurveyRow {
            rate: stats::rate(responded, invited),
            slug: s.slug,
            title: s.title,
            status: status_text(Status::stored(&s.status).map_err(StoreError::from)?),
            invited,
            responded,
        });
    }
    let mut c = context(Some(&user), "Vragenlijsten");
    c.insert("surveys", &rows);
    Ok(html(StatusCode::OK, views::render("r/list.html", &c)?))
}

fn new_page(user: &SignedIn, source: &str, choice: &str, problems: &[String]) -> Result<String, PageError> {
    let mut c = context(Some(user), "Nieuwe vragenlijst");
    let bundled: Vec<serde_json::Value> = crate::bundled::ALL
        .iter()
        .filter_map(|b| crate::questionnaire::parse(b.definition).ok().map(|q| json!({ "id": q.id, "title": q.title })))
        .collect();
    c.insert("bundled", &bundled);
    c.insert("bundled_choice", choice);
    c.insert("source", source);
    c.insert("problems", problems);
    c.insert("problems_title", "De definitie is niet opgeslagen");
    views::render("r/new.html", &c)
}

pub async fn new_form(state: State, request: HttpRequest) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    Ok(html(StatusCode::OK, new_page(&user, "", "", &[])?))
}

pub async fn create(state: State, request: HttpRequest, payload: Payload) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let posted = upload::read(&request, payload).await?;
    let fields = &posted.fields;
    auth::check(&user, fields)?;
    let choice = field(fields, "bron");
    let source = match (crate::bundled::find(choice), posted.file("bestand")) {
        (Some(b), _) if choice != "eigen" => b.definition.to_string(),
        (_, Some(file)) => match upload::utf8(file) {
            Ok(text) => text,
            Err((problem, shown)) => {
                return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &shown, choice, &[problem])?));
            }
        },
        _ => field(fields, "definitie").to_string(),
    };
    // Reading a definition takes time in proportion to its size (up to the limits of
    // `questionnaire::model`): on the blocking pool, so this worker's other requests go on.
    let (checked, source) = actix_web::web::block(move || (crate::questionnaire::validate(&source), source))
        .await
        .map_err(|e| PageError::Internal(format!("validating the definition stopped: {e}")))?;
    let actor = actor(&user);
    let stored = match checked {
        Ok(questionnaire) => {
            store::surveys::create_checked(&state.db, &source, questionnaire, Some((&user.user, &actor)), state.now())
                .await
        }
        Err(errors) => Err(StoreError::Definition(errors)),
    };
    match stored {
        Ok(s) => Ok(see_other(&format!("/onderzoek/{}", s.row.slug))),
        Err(StoreError::Definition(errors)) => {
            let problems: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &source, choice, &problems)?))
        }
        Err(e @ StoreError::SurveyExists(_)) => {
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &source, choice, &[e.to_string()])?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Buckets of 5% for the bar widths (classes w0 .. w20): the CSP allows no inline styles.
fn rate_step(rate: Option<i64>) -> i64 {
    rate.map_or(0, |r| (r.clamp(0, 100) + 2) / 5)
}

async fn dashboard(
    state: &State,
    user: &SignedIn,
    survey: &Survey,
    notice: Option<String>,
    problems: Vec<String>,
    csv: &str,
) -> Result<String, PageError> {
    let progress = crate::progress::of(&state.db, survey).await?;
    let group_rows: Vec<serde_json::Value> = progress
        .groups
        .iter()
        .map(|g| {
            json!({ "code": g.code, "name": g.name, "invited": g.invited, "responded": g.responded, "rate": g.rate, "rate_step": rate_step(g.rate) })
        })
        .collect();
    let total = &progress.total;
    let mail = &progress.mail;
    let mail_words = [
        ("queued", "klaar om te versturen"),
        ("sending", "bezig"),
        ("sent", "verstuurd"),
        ("retrying", "later opnieuw"),
        ("failed", "mislukt"),
    ];
    let mail_rows: Vec<(String, u64)> =
        mail_words.iter().map(|(k, w)| (w.to_string(), mail.get(*k).copied().unwrap_or(0))).collect();
    let publications = publication::Entity::find()
        .filter(publication::Column::SurveyId.eq(survey.row.id))
        .order_by_asc(publication::Column::Version)
        .all(&state.db)
        .await?;
    let date = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| crate::dutch::date(d.date_naive()));
    let mut c = context(Some(user), &survey.row.title);
    c.insert(
        "survey",
        &json!({
            "slug": survey.row.slug, "title": survey.row.title, "status": survey.row.status,
            "status_text": status_text(survey.status()), "closes": date(survey.row.closes_at),
            "remind": date(survey.row.remind_at),
            "purged": date(survey.row.purged_at),
            "purge_due": date(survey.row.closed_at.map(|c| crate::retention::due_at(c, state.retention_days))),
        }),
    );
    c.insert("groups", &group_rows);
    c.insert(
        "total",
        &json!({ "invited": total.invited, "responded": total.responded, "rate": total.rate, "rate_step": rate_step(total.rate) }),
    );
    c.insert("mail", &mail_rows);
    c.insert(
        "publications",
        &publications
            .iter()
            .map(|p| json!({ "id": p.id, "version": p.version, "date": crate::dutch::date(p.published_at.date_naive()) }))
            .collect::<Vec<_>>(),
    );
    // Said before the button is pressed, and why the versions (if any) are not in the reading room.
    if let Some(too_few) = publish::too_few(&state.db, survey).await? {
        c.insert("too_few", &too_few.to_string());
    }
    c.insert("closes_default", &(state.now() + chrono::Duration::days(14)).date_naive().to_string());
    c.insert("csv", csv);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    c.insert("problems", &problems);
    views::render("r/survey.html", &c)
}

pub async fn show(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let survey = survey(&state, &user, &slug).await?;
    Ok(html(StatusCode::OK, dashboard(&state, &user, &survey, None, Vec::new(), "").await?))
}

pub async fn import(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let posted = upload::read(&request, payload).await?;
    auth::check(&user, &posted.fields)?;
    let survey = survey(&state, &user, &slug).await?;
    // A chosen file wins over the text field.
    let csv = field(&posted.fields, "csv");
    let bytes = posted.file("bestand").map_or_else(|| csv.as_bytes().to_vec(), <[u8]>::to_vec);
    match invitations::import_file(&state.db, &actor(&user), &survey, &bytes, state.now()).await {
        Ok(n) => {
            let body = dashboard(&state, &user, &survey, Some(format!("{n} genodigden geïmporteerd.")), Vec::new(), "")
                .await?;
            Ok(html(StatusCode::OK, body))
        }
        Err(ImportError::Rows(rows)) => {
            let mut problems: Vec<String> = rows.rows.iter().map(ToString::to_string).collect();
            if rows.unlisted() > 0 {
                problems.push(format!(
                    "en nog {} (alleen de eerste staan hierboven)",
                    import::error_count(rows.unlisted())
                ));
            }
            let body =
                dashboard(&state, &user, &survey, Some("Er is niets geïmporteerd.".into()), problems, csv).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body))
        }
        Err(ImportError::TooLarge) => Err(PageError::TooLarge { limit: upload::MAX_UPLOAD }),
        Err(ImportError::Store(e @ (StoreError::AddedMeanwhile | StoreError::NotDraft(_)))) => {
            let body = dashboard(&state, &user, &survey, Some(e.to_string()), Vec::new(), csv).await?;
            Ok(html(StatusCode::CONFLICT, body))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

async fn after_action(
    state: &State,
    user: &SignedIn,
    slug: &str,
    outcome: Result<String, lifecycle::LifecycleError>,
) -> Result<HttpResponse, PageError> {
    let survey = survey(state, user, slug).await?;
    Ok(match outcome {
        Ok(notice) => html(StatusCode::OK, dashboard(state, user, &survey, Some(notice), Vec::new(), "").await?),
        Err(lifecycle::LifecycleError::Db(e)) => return Err(e.into()),
        Err(e) => html(StatusCode::CONFLICT, dashboard(state, user, &survey, None, vec![e.to_string()], "").await?),
    })
}

fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

pub async fn open(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (user, fields, s) = posted(&state, &request, &slug, &body).await?;
    let Some(closes) = parse_day(field(&fields, "sluit")) else {
        let problem =
            format!("'{}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-18.", field(&fields, "sluit"));
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            dashboard(&state, &user, &s, None, vec![problem], "").await?,
        ));
    };
    let remind = field(&fields, "herinnering").trim();
    let remind_on = if remind.is_empty() { None } else { parse_day(remind) };
    if !remind.is_empty() && remind_on.is_none() {
        let problem = format!("'{remind}' is geen datum; schrijf JJJJ-MM-DD.");
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            dashboard(&state, &user, &s, None, vec![problem], "").await?,
        ));
    }
    let closes_at = lifecycle::end_of(closes);
    let outcome = lifecycle::open_with_reminder(&state.db, &actor(&user), &s, closes_at, remind_on, state.now())
        .await
        .map(|queued| {
            format!(
                "De vragenlijst is open tot en met {}; {queued} uitnodigingen worden verstuurd.",
                crate::dutch::date(closes)
            )
        });
    after_action(&state, &user, &slug, outcome).await
}

pub async fn remind(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (user, _, s) = posted(&state, &request, &slug, &body).await?;
    let outcome = lifecycle::remind(&state.db, &actor(&user), &s, state.now())
        .await
        .map(|n| format!("{n} herinneringen worden verstuurd aan wie nog niet heeft geantwoord."));
    after_action(&state, &user, &slug, outcome).await
}

pub async fn close(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (user, _, s) = posted(&state, &request, &slug, &body).await?;
    let outcome = lifecycle::close(&state.db, &actor(&user), &s, state.now())
        .await
        .map(|()| "De vragenlijst is gesloten.".to_string());
    after_action(&state, &user, &slug, outcome).await
}

pub async fn preview(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    let q = &s.questionnaire;
    let screens: Vec<serde_json::Value> = crate::respondent::screens::screens(q)
        .iter()
        .map(|screen| {
            let questions: Vec<serde_json::Value> = screen
                .questions
                .iter()
                .map(|&p| {
                    let question = &q.questions[p];
                    json!({
                        "condition": question.show_if_source,
                        "view": views::question_view(question, &Default::default(), None),
                    })
                })
                .collect();
            json!({ "title": screen.title, "questions": questions })
        })
        .collect();
    let mut c = context(Some(&user), &format!("Voorbeeld: {}", q.title));
    c.insert("title", &q.title);
    c.insert("screens", &screens);
    Ok(html(StatusCode::OK, views::render("r/preview.html", &c)?))
}

pub async fn emails(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    let composer =
        Composer::new(&format!("<{}>", s.questionnaire.contact)).map_err(|e| PageError::BadRequest(e.to_string()))?;
    let letter = crate::mail::outbox::letter(
        &s,
        Some("Voorbeeld Naam".into()),
        "https://voorbeeld.example/s/persoonlijke-link".into(),
    );
    let mut messages = Vec::new();
    for (kind, word) in [(Kind::Invitation, "Uitnodiging"), (Kind::Reminder, "Herinnering")] {
        let (subject, body) = composer.preview(kind, &letter).map_err(|e| PageError::BadRequest(e.to_string()))?;
        messages.push(json!({ "kind": word, "subject": subject, "body": body }));
    }
    let mut c = context(Some(&user), &format!("E-mails: {}", s.questionnaire.title));
    c.insert("title", &s.questionnaire.title);
    c.insert("messages", &messages);
    Ok(html(StatusCode::OK, views::render("r/emails.html", &c)?))
}

// ---- review, texts, report ----

fn definition(survey: &Survey) -> Result<ReportDefinition, PageError> {
    crate::report::source::definition(survey)
        .map_err(|e| PageError::report(&survey.row.slug, crate::report::ReportError::Definition(e)))
}

fn closed(survey: &Survey) -> Result<(), PageError> {
    if crate::report::figures_shown(survey) { Ok(()) } else { Err(PageError::NotFound) }
}

/// The review page with `items`: from `review::start` when someone opens it (which the trail
/// records), from `review::list` when it comes back after a save (recorded as the save).
fn review_page(
    user: &SignedIn,
    s: &Survey,
    items: &[review::Item],
    notice: Option<String>,
) -> Result<String, PageError> {
    let count = |d: Decision| items.iter().filter(|i| i.decision == d).count();
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            let decision_text = match i.decision {
                Decision::Pending => "nog te beoordelen",
                Decision::Include => "opgenomen",
                Decision::Exclude => "niet opgenomen",
            };
            json!({
                "number": i.number, "question": i.question, "original": i.original, "anonymised": i.anonymised,
                "edited": i.edited, "decision": i.decision.as_str(), "decision_text": decision_text, "warnings": i.warnings,
            })
        })
        .collect();
    let mut c = context(Some(user), "Casussen beoordelen");
    c.insert("slug", &s.row.slug);
    c.insert("items", &rows);
    c.insert("counts", &json!({ "include": count(Decision::Include), "exclude": count(Decision::Exclude), "pending": count(Decision::Pending) }));
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    views::render("r/review.html", &c)
}

pub async fn review_list(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    let printed = definition(&s)?.printed_questions();
    let (_, items) = review::start(&state.db, &actor(&user), &s, &printed, state.now()).await?;
    Ok(html(StatusCode::OK, review_page(&user, &s, &items, None)?))
}

pub async fn review_save(
    state: State,
    request: HttpRequest,
    path: Path<(String, usize)>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let (slug, number) = path.into_inner();
    let s = survey(&state, &user, &slug).await?;
    let anonymiser = review::anonymiser_for(&state.db, s.row.id).await?;
    let decision = Decision::parse(field(&fields, "besluit"));
    let text = field(&fields, "tekst").to_string();
    let change = review::Change { anonymised: Some(text), decision };
    let saved = review::update(&state.db, &actor(&user), &s, number, change, &anonymiser, state.now()).await;
    let items = review::list(&state.db, s.row.id, &anonymiser).await?;
    match saved {
        Ok(_) => {
            Ok(html(StatusCode::OK, review_page(&user, &s, &items, Some(format!("Tekst {number} is opgeslagen.")))?))
        }
        Err(review::ReviewError::Store(e)) => Err(e.into()),
        Err(review::ReviewError::NoSuchItem(_) | review::ReviewError::NotClosed(_)) => Err(PageError::NotFound),
        Err(e @ review::ReviewError::Empty) => {
            let mut body = review_page(&user, &s, &items, None)?;
            body = body.replacen(
                "<h1>",
                &format!(
                    "<div class=\"error-summary\" role=\"alert\"><p>Tekst {number}: {}</p></div><h1>",
                    crate::report::html::escape(&e.to_string())
                ),
                1,
            );
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body))
        }
    }
}

async fn texts_page(state: &State, user: &SignedIn, s: &Survey, notice: Option<String>) -> Result<String, PageError> {
    let def = definition(s)?;
    let stored = store::report_texts::all(&state.db, s.row.id).await?;
    let texts: Vec<serde_json::Value> = narrative::offered(&def, &s.questionnaire)
        .into_iter()
        .map(|o| {
            let key = o.key.to_string();
            json!({ "text": stored.get(&key).cloned().unwrap_or_default(), "key": key, "label": o.label })
        })
        .collect();
    let mut c = context(Some(user), "Teksten van het rapport");
    c.insert("slug", &s.row.slug);
    c.insert("texts", &texts);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    views::render("r/texts.html", &c)
}

pub async fn texts(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    Ok(html(StatusCode::OK, texts_page(&state, &user, &s, None).await?))
}

pub async fn save_text(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (user, fields, s) = posted(&state, &request, &slug, &body).await?;
    let key = narrative::key(field(&fields, "sleutel"), &definition(&s)?, &s.questionnaire).map_err(|e| match e {
        narrative::NarrativeError::Store(e) => PageError::Store(e),
        other => PageError::BadRequest(other.to_string()),
    })?;
    narrative::set(&state.db, s.row.id, &key, field(&fields, "tekst"), state.now()).await.map_err(|e| match e {
        narrative::NarrativeError::Store(e) => PageError::Store(e),
        other => PageError::BadRequest(other.to_string()),
    })?;
    Ok(html(StatusCode::OK, texts_page(&state, &user, &s, Some("De tekst is opgeslagen.".into())).await?))
}

async fn render_report(state: &State, user: &SignedIn, s: &Survey) -> Result<crate::report::Generated, PageError> {
    let source = crate::report::source::of(s).0;
    crate::report::draft(&state.db, &actor(user), s, &source, state.now())
        .await
        .map_err(|e| PageError::report(&s.row.slug, e))
}

pub(super) fn pdf(bytes: Vec<u8>, name: &str) -> HttpResponse {
    super::attachment("application/pdf", &format!("{name}.pdf"), bytes)
}

pub async fn report_pdf(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    closed(&s)?;
    Ok(pdf(render_report(&state, &user, &s).await?.pdf, &s.row.slug))
}

pub async fn publish(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (user, _, s) = posted(&state, &request, &slug, &body).await?;
    let published = match publish::source_of(&s) {
        Ok(source) => publish::publish(&state.db, &s, &source, user.user.id, state.now()).await,
        Err(e) => Err(e),
    };
    match published {
        Ok(row) => Ok(see_other(&format!("/rapporten/{}", row.id))),
        Err(PublishError::TooFew(too_few)) => {
            let problems = vec![
                too_few.to_string(),
                "De PDF kun je wel maken voor eigen gebruik; op de voorkant staat dan dat hij niet geschikt is om \
                 te publiceren."
                    .to_string(),
            ];
            let notice = Some("Het rapport is niet gepubliceerd".to_string());
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, dashboard(&state, &user, &s, notice, problems, "").await?))
        }
        Err(PublishError::NotClosed(_)) => Err(PageError::NotFound),
        Err(PublishError::Db(e)) => Err(e.into()),
        Err(e) => Err(PageError::BadRequest(e.to_string())),
    }
}

pub async fn export(
    state: State,
    request: HttpRequest,
    path: Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let (slug, format) = path.into_inner();
    let format = crate::export::Format::parse(&format).ok_or(PageError::NotFound)?;
    let s = survey(&state, &user, &slug).await?;
    closed(&s)?;
    let bytes = crate::export::bytes(&state.db, &actor(&user), &s, format, state.now()).await.map_err(|e| match e {
        crate::export::ExportError::Db(e) => PageError::Db(e),
        other => PageError::Store(StoreError::Db(sea_orm::DbErr::Custom(other.to_string()))),
    })?;
    Ok(super::attachment(format.content_type(), &format.file_name(&s), bytes))
}
