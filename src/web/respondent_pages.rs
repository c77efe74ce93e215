//! The questionnaire as HTML pages at `/s/{token}`: start, one page per screen, review,
//! submit, thank-you and closed pages. Works without JavaScript.

use super::body::Limited;
use super::errors::PageError;
use super::{State, csrf, views};
use crate::questionnaire::{Answers, Mode, Questionnaire};
use crate::respondent::form::{self, Filled};
use crate::respondent::saving::{self, Direction};
use crate::respondent::screens::{Screen, expected_screens, shown_screens};
use crate::respondent::session::{self, Draft, Respondent, Standing, Submitted};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

async fn respondent(state: &State, token: &str) -> Result<Respondent, PageError> {
    session::find(&state.db, &state.forms, token, state.now()).await?.ok_or(PageError::NotFound)
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((LOCATION, location)).finish()
}

fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

fn base_context(respondent: &Respondent, page_title: &str) -> Context {
    form_context(&respondent.form.questionnaire, page_title)
}

fn form_context(q: &Questionnaire, page_title: &str) -> Context {
    let mut context = Context::new();
    context.insert("page_title", &format!("{page_title} - {}", q.title));
    context.insert("organisation", &q.organisation);
    context.insert("contact", &q.contact);
    context
}

/// The pages a link shows once it can no longer be answered.
fn finished(respondent: &Respondent, now: chrono::DateTime<Utc>) -> Result<Option<HttpResponse>, PageError> {
    let q = &respondent.form.questionnaire;
    match respondent.standing {
        Standing::Open => Ok(None),
        Standing::Submitted => {
            let mut context = base_context(respondent, "Dank je wel");
            context.insert("thanks", &views::paragraphs(&q.thanks));
            Ok(Some(html(StatusCode::OK, views::render("thanks.html", &context)?)))
        }
        Standing::Closed => {
            let mut context = base_context(respondent, "Gesloten");
            context.insert("title", &q.title);
            context.insert(
                "closed_on",
                &respondent
                    .closed_at
                    .or(respondent.closes_at.filter(|c| *c <= now))
                    .map(|c| crate::dutch::date(c.date_naive())),
            );
            Ok(Some(html(StatusCode::GONE, views::render("closed.html", &context)?)))
        }
    }
}

fn screen_href(token: &str, screen: usize) -> String {
    format!("/s/{token}/{}", screen + 1)
}

fn review_href(token: &str) -> String {
    format!("/s/{token}/controle")
}

/// Where "Volgende" leads from `screen` (or from the start, for `None`).
fn next_href(token: &str, shown: &[usize], screen: Option<usize>) -> String {
    match shown.iter().find(|&&s| screen.is_none_or(|c| s > c)) {
        Some(&s) => screen_href(token, s),
        None => review_href(token),
    }
}

fn previous_href(token: &str, shown: &[usize], screen: usize) -> String {
    match shown.iter().rev().find(|&&s| s < screen) {
        Some(&s) => screen_href(token, s),
        None => format!("/s/{token}"),
    }
}

pub async fn start(state: State, token: Path<String>) -> Result<HttpResponse, PageError> {
    let r = respondent(&state, &token).await?;
    if let Some(page) = finished(&r, state.now())? {
        return Ok(page);
    }
    let q = &r.form.questionnaire;
    let shown = shown_screens(q, &r.form.screens, &r.answers());
    let mut context = base_context(&r, "Welkom");
    context.insert("title", &q.title);
    context.insert("intro", &views::paragraphs(&q.intro));
    context.insert("minutes", &q.minutes);
    context.insert("closes", &r.closes_at.map(|c| crate::dutch::date(c.date_naive())));
    context.insert("resumed", &r.draft.screen.is_some());
    context.insert("next", &next_href(&token, &shown, r.draft.screen));
    Ok(html(StatusCode::OK, views::render("start.html", &context)?))
}

#[derive(Serialize)]
struct ErrorView {
    id: String,
    text: String,
    message: String,
}

fn screen_page(
    r: &Respondent,
    token: &str,
    screen: usize,
    filled: &BTreeMap<String, Filled>,
    errors: &BTreeMap<String, String>,
    csrf_value: &str,
) -> Result<String, PageError> {
    let mut context = screen_context(&r.form.questionnaire, &r.form.screens, &r.answers(), screen, filled, errors);
    context.insert("csrf", csrf_value);
    context.insert("action", &screen_href(token, screen));
    views::render("screen.html", &context)
}

/// What `screen.html` shows of screen `screen` for `answers` (a respondent's draft, or the
/// answers a researcher's preview carries): the questions the routing shows, with what was
/// typed, the errors and the step. The caller adds where the form goes and its CSRF value.
pub(super) fn screen_context(
    q: &Questionnaire,
    screens: &[Screen],
    answers: &Answers,
    screen: usize,
    filled: &BTreeMap<String, Filled>,
    errors: &BTreeMap<String, String>,
) -> Context {
    let shown = shown_screens(q, screens, answers);
    let visible = crate::questionnaire::routing::shown(q, answers);
    let spec = &screens[screen];
    // A question shown on this screen stays shown while its page is being corrected, even
    // if its trigger is on this very screen.
    let questions: Vec<views::QuestionView> = spec
        .questions
        .iter()
        .filter(|&&p| visible.get(p).copied().unwrap_or(true) || errors.contains_key(&q.questions[p].id))
        .map(|&p| {
            let question = &q.questions[p];
            let fill = filled.get(&question.id).cloned().unwrap_or_default();
            views::question_view(question, &fill, errors.get(&question.id).cloned())
        })
        .collect();
    let error_list: Vec<ErrorView> = questions
        .iter()
        .filter_map(|v| {
            v.error.as_ref().map(|m| ErrorView { id: v.id.clone(), text: v.text.clone(), message: m.clone() })
        })
        .collect();
    let expected = expected_screens(q, screens, answers);
    let step = expected.iter().position(|&s| s == screen).map_or(1, |i| i + 1);
    let mut context = form_context(q, &spec.title);
    if !error_list.is_empty() {
        context.insert("page_title", &format!("Fout: {} - {}", spec.title, q.title));
    }
    context.insert("screen_title", &spec.title);
    context.insert("step", &step);
    context.insert("steps", &(expected.len().max(shown.len()) + 1));
    context.insert("questions", &questions);
    context.insert("errors", &error_list);
    context
}

fn screen_number(r: &Respondent, number: &str) -> Result<usize, PageError> {
    number
        .parse::<usize>()
        .ok()
        .filter(|&n| n >= 1 && n <= r.form.screens.len())
        .map(|n| n - 1)
        .ok_or(PageError::NotFound)
}

pub async fn screen(
    state: State,
    request: HttpRequest,
    path: Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (token, number) = path.into_inner();
    let r = respondent(&state, &token).await?;
    if let Some(page) = finished(&r, state.now())? {
        return Ok(page);
    }
    let screen = screen_number(&r, &number)?;
    let answers = r.answers();
    let shown = shown_screens(&r.form.questionnaire, &r.form.screens, &answers);
    if !shown.contains(&screen) {
        // A screen that does not apply (any more): on to the next one that does.
        return Ok(see_other(next_href(&token, &shown, Some(screen))));
    }
    let filled: BTreeMap<String, Filled> = answers.iter().map(|(id, a)| (id.clone(), form::from_answer(a))).collect();
    let (csrf_value, cookie) = csrf::token(&request, state.secure_cookies, &csrf::FORM);
    let body = screen_page(&r, &token, screen, &filled, &BTreeMap::new(), &csrf_value)?;
    Ok(csrf::with_cookie(html(StatusCode::OK, body), cookie))
}

fn read_fields(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    super::body::form_fields(body)
}

pub async fn save(
    state: State,
    request: HttpRequest,
    path: Path<(String, String)>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let (token, number) = path.into_inner();
    let mut r = respondent(&state, &token).await?;
    if r.standing == Standing::Submitted {
        return Ok(see_other(format!("/s/{token}")));
    }
    if let Some(page) = finished(&r, state.now())? {
        return Ok(page);
    }
    let screen = screen_number(&r, &number)?;
    let fields = read_fields(&body)?;
    if !csrf::verify(&request, &fields, &csrf::FORM) {
        return Err(PageError::Expired { back: screen_href(&token, screen) });
    }
    let back = fields.iter().any(|(name, value)| name == "actie" && value == "vorige");
    let direction = if back { Direction::Back } else { Direction::Next };
    let q = &r.form.questionnaire;
    let saved = saving::screen(q, &r.form.screens[screen], &r.draft.answers, &fields, direction);
    let answers = match saved.outcome {
        Ok(answers) => answers,
        Err(errors) => {
            let (csrf_value, _) = csrf::token(&request, state.secure_cookies, &csrf::FORM);
            let body = screen_page(&r, &token, screen, &saved.filled, &errors, &csrf_value)?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body));
        }
    };
    r.draft = Draft { answers: answers.to_json(q), screen: Some(screen) };
    // Submitted in another tab, or closed meanwhile: the start page says which.
    if session::save_draft(&state.db, &r, &r.draft, state.now()).await? != Standing::Open {
        return Ok(see_other(format!("/s/{token}")));
    }
    let shown = shown_screens(q, &r.form.screens, &answers);
    Ok(see_other(if back { previous_href(&token, &shown, screen) } else { next_href(&token, &shown, Some(screen)) }))
}

#[derive(Serialize)]
struct ReviewAnswer {
    text: String,
    answer: Option<String>,
}

#[derive(Serialize)]
struct ReviewScreen {
    title: String,
    href: String,
    answers: Vec<ReviewAnswer>,
}

#[derive(Serialize)]
struct ReviewError {
    href: String,
    text: String,
    message: String,
}

fn review_page(r: &Respondent, token: &str, csrf_value: &str) -> Result<(String, bool), PageError> {
    let q: &Questionnaire = &r.form.questionnaire;
    let answers = r.answers();
    let visible = crate::questionnaire::routing::shown(q, &answers);
    let shown = shown_screens(q, &r.form.screens, &answers);
    // Screens cut from one page (a follow-up waits for its trigger) are one section here.
    let mut screens: Vec<ReviewScreen> = Vec::new();
    for &s in &shown {
        let answered = r.form.screens[s].questions.iter().filter(|&&p| visible[p]).map(|&p| {
            let question = &q.questions[p];
            ReviewAnswer {
                text: question.text.clone(),
                answer: answers.get(&question.id).map(|a| views::answer_text(question, a)),
            }
        });
        match screens.last_mut() {
            Some(last) if last.title == r.form.screens[s].title => last.answers.extend(answered),
            _ => screens.push(ReviewScreen {
                title: r.form.screens[s].title.clone(),
                href: screen_href(token, s),
                answers: answered.collect(),
            }),
        }
    }
    let errors: Vec<ReviewError> = match Answers::parse(q, &answers.to_json(q), Mode::Submit) {
        Ok(_) => Vec::new(),
        Err(found) => found
            .0
            .iter()
            .map(|e| {
                let screen =
                    r.form.screens.iter().position(|s| s.questions.iter().any(|&p| q.questions[p].id == e.question));
                ReviewError {
                    href: screen.map_or_else(
                        || format!("/s/{token}"),
                        |s| format!("{}#vraag-{}", screen_href(token, s), e.question),
                    ),
                    text: q.question(&e.question).map_or_else(|| e.question.clone(), |x| x.text.clone()),
                    message: e.message.clone(),
                }
            })
            .collect(),
    };
    let complete = errors.is_empty();
    let mut context = base_context(r, "Controleer je antwoorden");
    context.insert("steps", &(shown.len() + 1));
    context.insert("screens", &screens);
    context.insert("errors", &errors);
    context.insert("csrf", csrf_value);
    context.insert("action", &format!("/s/{token}/versturen"));
    context.insert("back", &shown.last().map_or_else(|| format!("/s/{token}"), |&s| screen_href(token, s)));
    Ok((views::render("review.html", &context)?, complete))
}

pub async fn review(state: State, request: HttpRequest, token: Path<String>) -> Result<HttpResponse, PageError> {
    let r = respondent(&state, &token).await?;
    if let Some(page) = finished(&r, state.now())? {
        return Ok(page);
    }
    let (csrf_value, cookie) = csrf::token(&request, state.secure_cookies, &csrf::FORM);
    let (body, _) = review_page(&r, &token, &csrf_value)?;
    Ok(csrf::with_cookie(html(StatusCode::OK, body), cookie))
}

pub async fn submit(
    state: State,
    request: HttpRequest,
    token: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let r = respondent(&state, &token).await?;
    if r.standing == Standing::Submitted {
        // A double click or a retry: the first one counted; show its result.
        return Ok(see_other(format!("/s/{token}")));
    }
    if let Some(page) = finished(&r, state.now())? {
        return Ok(page);
    }
    let fields = read_fields(&body)?;
    if !csrf::verify(&request, &fields, &csrf::FORM) {
        return Err(PageError::Expired { back: review_href(&token) });
    }
    let q = &r.form.questionnaire;
    let answers = match Answers::parse(q, &r.answers().to_json(q), Mode::Submit) {
        Ok(answers) => answers,
        Err(_) => {
            let (csrf_value, _) = csrf::token(&request, state.secure_cookies, &csrf::FORM);
            let (body, _) = review_page(&r, &token, &csrf_value)?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body));
        }
    };
    // The start page says which: thanks, already sent, or closed.
    match state.submitter.submit(&r, answers, state.now()).await? {
        Submitted::Stored | Submitted::Already | Submitted::Closed => Ok(see_other(format!("/s/{token}"))),
    }
}
