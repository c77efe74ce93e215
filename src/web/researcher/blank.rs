//! Starting a questionnaire from nothing (`/onderzoek/nieuw/leeg`): a code, a title, the teams
//! and a first question, then on to the questionnaire page to build the rest in forms. The
//! definition is written by `drafts::blank` and checked by the engine like any other.

use crate::accounts::SignedIn;
use crate::drafts::blank::{self, Blank, FIRST_KINDS};
use crate::drafts::question_form::Kind;
use crate::questionnaire::DefinitionError;
use crate::store::{self, StoreError};
use crate::web::auth::{self, Researcher};
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{Answer, actor, context, field, fields, html, see_other};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use serde_json::json;

fn page(user: &SignedIn, fields: &[(String, String)], problems: &[String]) -> Result<String, PageError> {
    let mut c = context(Some(user), "Leeg beginnen");
    let kinds: Vec<_> = FIRST_KINDS.iter().map(|k| json!({ "value": k.as_str(), "label": k.label() })).collect();
    c.insert("kinds", &kinds);
    for name in ["code", "titel", "teams", "soort", "vraag"] {
        c.insert(name, field(fields, name));
    }
    c.insert("problems", problems);
    c.insert("problems_title", "De vragenlijst is niet gemaakt");
    views::render("r/blank.html", &c)
}

pub async fn show(user: Researcher) -> Answer {
    Ok(html(StatusCode::OK, page(&user, &[], &[])?))
}

pub async fn create(state: State, user: Researcher, body: Limited) -> Answer {
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let kind = Kind::parse(field(&fields, "soort")).filter(|k| FIRST_KINDS.contains(k)).unwrap_or(Kind::YesNo);
    let source = blank::definition(&Blank {
        code: field(&fields, "code"),
        title: field(&fields, "titel"),
        teams: field(&fields, "teams"),
        kind,
        question: field(&fields, "vraag"),
    });
    let actor = actor(&user);
    match store::surveys::create_owned(&state.db, &source, Some((&user.user, &actor)), state.now()).await {
        Ok(s) => Ok(see_other(&format!("/onderzoek/{}/bewerken", s.row.slug))),
        // The lines are of a file the researcher never saw: the reasons without them.
        Err(StoreError::Definition(errors)) => {
            let problems: Vec<String> = errors.0.iter().map(DefinitionError::without_line).collect();
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &fields, &problems)?))
        }
        Err(e @ StoreError::SurveyExists(_)) => {
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &fields, &[e.to_string()])?))
        }
        Err(e) => Err(PageError::from(e).into()),
    }
}
