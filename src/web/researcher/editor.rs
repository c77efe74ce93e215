//! The questionnaire of a survey, for the researcher: its questions in order with their
//! routing in words, and, while it is a draft, the buttons to move or remove a question and the
//! whole definition as text (or an uploaded file) to check and store. Every change goes through
//! `drafts` (checked by the questionnaire engine, every problem with its line); on an error the
//! text stays in the form.

use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::drafts::about::About;
use crate::drafts::{self, DraftError, Edit};
use crate::questionnaire::words;
use crate::store::surveys::{Status, Survey};
use crate::web::auth::{self, Researcher};
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, html};
use crate::web::{State, upload, views};
use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::{Path, Payload};
use serde_json::json;

/// What the page shows besides the survey's questions.
struct Shown<'a> {
    source: &'a str,
    notice: Option<String>,
    problems: Vec<String>,
    /// Whether the problems are of the text in the form (then with their lines) or of a
    /// change made with the buttons, whose written file the researcher never saw.
    of_text: bool,
}

/// Where a change came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Made {
    Text,
    Buttons,
}

fn page(user: &SignedIn, s: &Survey, shown: Shown) -> Result<String, PageError> {
    let q = &s.questionnaire;
    let last = q.questions.len().saturating_sub(1);
    let questions: Vec<serde_json::Value> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| {
            json!({
                "id": question.id, "text": question.text, "kind": words::kind(&question.kind),
                "page": question.page, "required": question.required,
                "options": question.options().iter().map(|o| o.label.clone()).collect::<Vec<_>>(),
                "condition": words::shown_when(q, question.show_if.as_ref()),
                "first": i == 0, "last": i == last,
            })
        })
        .collect();
    let mut c = context(Some(user), &format!("Vragenlijst: {}", q.title));
    c.insert("slug", &s.row.slug);
    c.insert("title", &q.title);
    c.insert("draft", &(s.status() == Status::Draft));
    c.insert("questions", &questions);
    let kinds: Vec<_> = crate::drafts::question_form::Kind::ALL
        .iter()
        .map(|k| json!({ "value": k.as_str(), "label": k.label() }))
        .collect();
    c.insert("kinds", &kinds);
    c.insert("teams", &q.groups.iter().map(|g| json!({ "code": g.code, "name": g.name })).collect::<Vec<_>>());
    c.insert(
        "about",
        &json!({
            "title": q.title, "intro": q.intro, "thanks": q.thanks, "organisation": q.organisation,
            "contact": q.contact, "minutes": q.minutes.map(|m| m.to_string()).unwrap_or_default(),
            "teams": crate::drafts::about::teams_text(q),
        }),
    );
    c.insert("source", shown.source);
    c.insert("problems", &shown.problems);
    c.insert("text_problems", &(shown.of_text && !shown.problems.is_empty()));
    c.insert("problems_title", "De vragenlijst is niet opgeslagen");
    if let Some(n) = shown.notice {
        c.insert("notice", &n);
    }
    views::render("r/editor.html", &c)
}

/// The definition as it stands: the draft's, or the frozen copy respondents answer.
fn source(s: &Survey) -> &str {
    s.row.frozen_definition.as_deref().unwrap_or(&s.row.definition)
}

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let shown = Shown { source: source(&s), notice: None, problems: Vec::new(), of_text: false };
    Ok(html(StatusCode::OK, page(&user, &s, shown)?))
}

/// The definition as a file, for an editor of one's own and for `peiling survey replace`.
pub async fn download(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let name = format!("{}.toml", s.row.slug);
    Ok(crate::web::attachment("application/toml; charset=utf-8", &name, source(&s).as_bytes().to_vec()))
}

/// Every problem of a refused change, one line each, as the page lists them; a change made
/// with the buttons is told without the lines of a file nobody saw.
fn problems(e: DraftError, made: Made) -> Result<Vec<String>, PageError> {
    match e {
        DraftError::Store(e) => Err(e.into()),
        DraftError::Definition(errors) => Ok(errors
            .0
            .into_iter()
            .map(|e| match made {
                Made::Text => e.to_string(),
                Made::Buttons => e.without_line(),
            })
            .collect()),
        DraftError::Report(errors) => {
            let mut out = vec!["De eigen rapportdefinitie past niet meer bij de nieuwe vragen:".to_string()];
            out.extend(errors.0);
            Ok(out)
        }
        other => Ok(vec![other.to_string()]),
    }
}

/// Checks the posted definition (a file, or the text area) and, unless only a check was asked
/// for, stores it.
pub async fn save(
    state: State,
    request: HttpRequest,
    user: Researcher,
    slug: Path<String>,
    payload: Payload,
) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let posted = upload::read(&request, payload).await?;
    auth::check(&user, &posted.fields)?;
    let text = match posted.definition() {
        Ok(text) => text,
        Err((problem, shown)) => {
            let shown = Shown { source: &shown, notice: None, problems: vec![problem], of_text: true };
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &s, shown)?));
        }
    };
    let only_check = field(&posted.fields, "actie") == "controleren";
    let outcome = if only_check {
        drafts::check(&s, &text).map(|_| s.clone())
    } else {
        drafts::replace(&state.db, &actor(&user), &s, &text, state.now()).await
    };
    answer(&user, &s, &text, (only_check, Made::Text), outcome)
}

/// Changes what the questionnaire says about itself and its teams.
pub async fn about(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let about = About {
        title: field(&fields, "titel"),
        intro: field(&fields, "intro"),
        thanks: field(&fields, "bedankt"),
        organisation: field(&fields, "organisatie"),
        contact: field(&fields, "contact"),
        minutes: field(&fields, "minuten"),
        teams: field(&fields, "teams"),
    };
    let outcome = match crate::drafts::about::with_about(&s.questionnaire, &about) {
        Ok(text) => drafts::replace(&state.db, &actor(&user), &s, &text, state.now()).await,
        Err(problem) => Err(DraftError::Unreadable(problem)),
    };
    answer(&user, &s, source(&s), (false, Made::Buttons), outcome)
}

/// Moves or removes one question of the list.
pub async fn edit(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let Some(edit) = Edit::parse(field(&fields, "actie"), field(&fields, "vraag")) else {
        return Err(PageError::Unreadable("Kies omhoog, omlaag of verwijderen bij een vraag.".into()).into());
    };
    let outcome = match drafts::edited(&s.questionnaire, &edit) {
        Ok(text) => drafts::replace(&state.db, &actor(&user), &s, &text, state.now()).await,
        Err(e) => Err(e),
    };
    answer(&user, &s, source(&s), (false, Made::Buttons), outcome)
}

/// The page after a change: the stored survey, or the old one with what was wrong and the
/// researcher's text kept.
fn answer(
    user: &SignedIn,
    old: &Survey,
    text: &str,
    (only_check, made): (bool, Made),
    outcome: Result<Survey, DraftError>,
) -> Answer {
    match outcome {
        Ok(s) => {
            let n = s.questionnaire.questions.len();
            let notice = if only_check {
                format!("De vragenlijst is in orde ({n} vragen); nog niet opgeslagen.")
            } else {
                format!("De vragenlijst is opgeslagen ({n} vragen).")
            };
            let text = if only_check { text } else { source(&s) };
            let shown = Shown { source: text, notice: Some(notice), problems: Vec::new(), of_text: false };
            Ok(html(StatusCode::OK, page(user, &s, shown)?))
        }
        Err(e) => {
            let status = match &e {
                DraftError::NotDraft(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let shown = Shown { source: text, notice: None, problems: problems(e, made)?, of_text: made == Made::Text };
            Ok(html(status, page(user, old, shown)?))
        }
    }
}
