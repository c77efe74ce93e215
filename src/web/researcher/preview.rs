//! What respondents will see: every screen with its conditions in words, the two e-mails, and
//! a walk through the form as a respondent (`respondent::preview`): the respondent's own screen
//! page, marked as a preview, following the routing with the answers the researcher picks.
//! The answers travel in a hidden field of each page; nothing is stored.

use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::mail::compose::{Composer, Kind};
use crate::questionnaire::{Answers, Questionnaire, words};
use crate::respondent::form::{self, Filled};
use crate::respondent::preview::{self, Place, Step};
use crate::respondent::saving::Direction;
use crate::respondent::screens::{Screen, screens};
use crate::store::surveys::Survey;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::respondent_pages::screen_context;
use crate::web::staff::{context, field, html, see_other};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn overview_href(slug: &str) -> String {
    format!("/onderzoek/{slug}/voorbeeld")
}

fn screen_href(slug: &str, screen: usize) -> String {
    format!("/onderzoek/{slug}/voorbeeld/{}", screen + 1)
}

pub async fn overview(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let q = &s.questionnaire;
    let screens: Vec<Value> = screens(q)
        .iter()
        .map(|screen| {
            let questions: Vec<Value> = screen
                .questions
                .iter()
                .map(|&p| {
                    let question = &q.questions[p];
                    json!({
                        "condition": words::shown_when(q, question.show_if.as_ref()),
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
    c.insert("walk", &screen_href(&s.row.slug, 0));
    Ok(html(StatusCode::OK, views::render("r/preview.html", &c)?))
}

pub async fn emails(state: State, user: Researcher, slug: Path<String>) -> Answer {
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

/// The screen number in an address (1-based), if the questionnaire has it.
fn number(screens: &[Screen], text: &str) -> Result<usize, PageError> {
    text.parse::<usize>().ok().filter(|&n| n >= 1 && n <= screens.len()).map(|n| n - 1).ok_or(PageError::NotFound)
}

/// What a screen of the walk shows: the respondent's screen page with the preview's banner,
/// its form posting back here with the answers so far.
struct Shown<'a> {
    user: &'a SignedIn,
    survey: &'a Survey,
    screens: &'a [Screen],
}

impl Shown<'_> {
    fn screen(
        &self,
        answers: &Answers,
        screen: usize,
        filled: &BTreeMap<String, Filled>,
        errors: &BTreeMap<String, String>,
    ) -> Result<String, PageError> {
        let q = &self.survey.questionnaire;
        let slug = &self.survey.row.slug;
        let mut c = screen_context(q, self.screens, answers, screen, filled, errors);
        let title = c.get("page_title").and_then(Value::as_str).unwrap_or_default().to_string();
        c.insert("page_title", &format!("Voorbeeld: {title}"));
        c.insert("csrf", &self.user.csrf);
        c.insert("action", &screen_href(slug, screen));
        let carried = serde_json::to_string(&answers.to_json(q))
            .map_err(|e| PageError::Internal(format!("writing the preview's answers: {e}")))?;
        c.insert("preview", &json!({ "overview": overview_href(slug), "answers": carried }));
        views::render("screen.html", &c)
    }

    /// The end of the walk: every screen and question, shown or skipped by this route, with the
    /// answers given.
    fn route(&self, answers: &Answers) -> Result<String, PageError> {
        let q: &Questionnaire = &self.survey.questionnaire;
        let slug = &self.survey.row.slug;
        let route = preview::route(q, self.screens, answers);
        let listed: Vec<Value> = route
            .iter()
            .map(|on| {
                let questions: Vec<Value> = on
                    .questions
                    .iter()
                    .map(|&(p, shown)| {
                        let question = &q.questions[p];
                        json!({
                            "id": question.id,
                            "text": question.text,
                            "shown": shown,
                            "answer": answers.get(&question.id).map(|a| views::answer_text(question, a)),
                            "condition": words::shown_when(q, question.show_if.as_ref()),
                        })
                    })
                    .collect();
                json!({
                    "number": on.screen + 1,
                    "title": self.screens[on.screen].title,
                    "shown": on.shown,
                    "questions": questions,
                })
            })
            .collect();
        let shown = route.iter().filter(|on| on.shown).count();
        let mut c = context(Some(self.user), &format!("Voorbeeld: deze route door {}", q.title));
        c.insert("title", &q.title);
        c.insert("screens", &listed);
        c.insert("shown", &shown);
        c.insert("total", &route.len());
        c.insert("skipped", &(route.len() - shown));
        c.insert("walk", &screen_href(slug, 0));
        c.insert("overview", &overview_href(slug));
        views::render("r/preview_route.html", &c)
    }
}

fn filled_from(answers: &Answers) -> BTreeMap<String, Filled> {
    answers.iter().map(|(id, a)| (id.clone(), form::from_answer(a))).collect()
}

/// A walk starts at screen N with no answers: the first screen from there that shows without
/// any (a follow-up waits for its trigger, as it does for a respondent).
pub async fn start(state: State, user: Researcher, path: Path<(String, String)>) -> Answer {
    let (slug, n) = path.into_inner();
    let s = survey(&state, &user, &slug).await?;
    let screens = screens(&s.questionnaire);
    let screen = number(&screens, &n)?;
    let none = Answers::default();
    match preview::first_shown(&s.questionnaire, &screens, &none, screen) {
        Place::Screen(at) if at == screen => {
            let shown = Shown { user: &user, survey: &s, screens: &screens };
            Ok(html(StatusCode::OK, shown.screen(&none, screen, &BTreeMap::new(), &BTreeMap::new())?))
        }
        Place::Screen(at) => Ok(see_other(&screen_href(&s.row.slug, at))),
        Place::Start | Place::End => Ok(see_other(&overview_href(&s.row.slug))),
    }
}

/// "Volgende" or "Vorige" on screen N: the screen merged into the carried answers as a
/// respondent's save would be, then the screen the routing shows next, the screen again with
/// its errors, or the route at the end.
pub async fn step(state: State, user: Researcher, path: Path<(String, String)>, body: Limited) -> Answer {
    let (slug, n) = path.into_inner();
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let q = &s.questionnaire;
    let screens = screens(q);
    let screen = number(&screens, &n)?;
    let carried = preview::carried(field(&fields, "antwoorden")).map_err(PageError::BadRequest)?;
    let direction = if field(&fields, "actie") == "vorige" { Direction::Back } else { Direction::Next };
    let shown = Shown { user: &user, survey: &s, screens: &screens };
    match preview::step(q, &screens, &carried, screen, &fields, direction).ok_or(PageError::NotFound)? {
        Step::Refused { filled, errors } => {
            let before = preview::answers(q, &carried);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, shown.screen(&before, screen, &filled, &errors)?))
        }
        Step::Moved { answers, to: Place::Screen(next) } => {
            Ok(html(StatusCode::OK, shown.screen(&answers, next, &filled_from(&answers), &BTreeMap::new())?))
        }
        Step::Moved { answers, to: Place::End } => Ok(html(StatusCode::OK, shown.route(&answers)?)),
        Step::Moved { to: Place::Start, .. } => Ok(see_other(&overview_href(&s.row.slug))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_screen_number_is_one_of_the_questionnaires() {
        let screens = vec![Screen { title: "Een".into(), questions: vec![0] }];
        assert_eq!(number(&screens, "1").ok(), Some(0));
        for wrong in ["0", "2", "een", ""] {
            assert!(number(&screens, wrong).is_err(), "{wrong}");
        }
    }
}
