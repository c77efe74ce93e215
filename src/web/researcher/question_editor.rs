//! One question of a draft in a form (`/onderzoek/{survey}/bewerken/vraag/...`): its text,
//! kind, answers, limits and routing, built from the earlier questions without a formula. The
//! form becomes the question's table in the definition (`drafts::question_form`), the engine
//! reads it, and each problem is shown beside its field; nothing is stored until it is right,
//! and what was typed stays in the form.

use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::drafts::question_form::{self, Kind, OPERATORS, QuestionForm};
use crate::drafts::{self, DraftError};
use crate::questionnaire::Questionnaire;
use crate::store::surveys::{Status, Survey};
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, html, see_other};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use actix_web::web::{Path, Query};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

/// The problems of a refused form: beside a field, or of the questionnaire as a whole.
#[derive(Default)]
struct Problems {
    by_field: BTreeMap<&'static str, Vec<String>>,
    general: Vec<String>,
}

fn page(
    user: &SignedIn,
    s: &Survey,
    original: Option<&str>,
    form: &QuestionForm,
    problems: &Problems,
) -> Result<String, PageError> {
    let q = &s.questionnaire;
    // Routing may look at the questions before this one: for a new one, all of them.
    let before = original.and_then(|id| q.position(id)).unwrap_or(q.questions.len());
    let earlier: Vec<serde_json::Value> = q.questions[..before]
        .iter()
        .filter(|x| !x.is_open_text())
        .map(|x| {
            let options: Vec<_> = x.options().iter().map(|o| json!({ "code": o.code, "label": o.label })).collect();
            json!({ "id": x.id, "text": x.text, "options": options })
        })
        .collect();
    let kinds: Vec<_> = Kind::ALL.iter().map(|k| json!({ "value": k.as_str(), "label": k.label() })).collect();
    let ops: Vec<_> = OPERATORS.iter().map(|(op, words)| json!({ "value": op.to_string(), "label": words })).collect();
    let title = match original {
        Some(id) => format!("Vraag {id} bewerken"),
        None => "Nieuwe vraag".to_string(),
    };
    let mut c = context(Some(user), &title);
    c.insert("heading", &title);
    c.insert("slug", &s.row.slug);
    c.insert("original", &original.unwrap_or(""));
    c.insert("form", form);
    c.insert("has_rows", &form.kind.has_rows());
    c.insert("kinds", &kinds);
    c.insert("operators", &ops);
    c.insert("earlier", &earlier);
    c.insert("field_errors", &problems.by_field);
    let mut all: Vec<String> = problems
        .by_field
        .iter()
        .flat_map(|(field, list)| list.iter().map(|p| format!("{}: {p}", question_form::field_label(field))))
        .collect();
    all.extend(problems.general.iter().cloned());
    c.insert("problems", &all);
    c.insert("problems_title", "De vraag is niet opgeslagen");
    views::render("r/question_form.html", &c)
}

/// An opened survey's questions no longer change: its questionnaire page says so.
fn opened(s: &Survey) -> Option<actix_web::HttpResponse> {
    (s.status() != Status::Draft).then(|| see_other(&format!("/onderzoek/{}/bewerken", s.row.slug)))
}

pub async fn edit(state: State, user: Researcher, path: Path<(String, String)>) -> Answer {
    let (slug, id) = path.into_inner();
    let s = survey(&state, &user, &slug).await?;
    if let Some(page) = opened(&s) {
        return Ok(page);
    }
    let question = s.questionnaire.question(&id).ok_or(PageError::NotFound)?;
    let form = QuestionForm::of(question);
    Ok(html(StatusCode::OK, page(&user, &s, Some(&id), &form, &Problems::default())?))
}

#[derive(Deserialize)]
pub struct NewQuestion {
    soort: Option<String>,
}

/// A code no question has yet: Q1, Q2, ... after the highest in use.
fn free_code(q: &Questionnaire) -> String {
    (1..).map(|n| format!("Q{n}")).find(|c| q.question(c).is_none()).unwrap_or_default()
}

pub async fn new(state: State, user: Researcher, slug: Path<String>, query: Query<NewQuestion>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    if let Some(page) = opened(&s) {
        return Ok(page);
    }
    let kind = query.soort.as_deref().and_then(Kind::parse).unwrap_or(Kind::Single);
    let form = QuestionForm::blank(kind, &free_code(&s.questionnaire));
    Ok(html(StatusCode::OK, page(&user, &s, None, &form, &Problems::default())?))
}

/// Saves the form, or shows it again for another kind (`actie=soort`) with what still fits.
pub async fn save(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    if let Some(page) = opened(&s) {
        return Ok(page);
    }
    let original = Some(field(&fields, "origineel").trim()).filter(|o| !o.is_empty()).map(str::to_string);
    if let Some(id) = &original
        && s.questionnaire.question(id).is_none()
    {
        return Err(PageError::NotFound.into());
    }
    let kind = Kind::parse(field(&fields, "soort")).unwrap_or(Kind::Single);
    let form = QuestionForm::from_fields(&fields, kind);
    if field(&fields, "actie") == "soort" {
        return Ok(html(StatusCode::OK, page(&user, &s, original.as_deref(), &form, &Problems::default())?));
    }
    let written = question_form::with_question(&s.questionnaire, original.as_deref(), &form);
    match drafts::replace(&state.db, &actor(&user), &s, &written, state.now()).await {
        Ok(_) => Ok(see_other(&format!("/onderzoek/{}/bewerken#vraag-{}", s.row.slug, form.id))),
        Err(DraftError::Store(e)) => Err(PageError::from(e).into()),
        Err(e) => {
            let mut problems = Problems::default();
            match e {
                DraftError::Definition(errors) => {
                    for error in errors.0 {
                        let place = question_form::field_of(&error, &form.id, &written);
                        let text = error.without_line();
                        match place {
                            Some(field) => problems.by_field.entry(field).or_default().push(text),
                            None => problems.general.push(text),
                        }
                    }
                }
                other => problems.general.push(other.to_string()),
            }
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &s, original.as_deref(), &form, &problems)?))
        }
    }
}
