//! Who works on a survey (`/onderzoek/{survey}/team`): every member sees the list; the owner
//! and admins get the forms to add and remove researchers. `teams` decides who may.

use super::body::Limited;
use super::errors::PageError;
use super::researcher_pages::{context, field, fields, html, survey};
use super::{State, auth, views};
use crate::accounts::{Role, SignedIn};
use crate::store::surveys::Survey;
use crate::teams::{self, Manager, Researcher, TeamError};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

async fn page(
    state: &State,
    user: &SignedIn,
    s: &Survey,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
    email: &str,
) -> Result<HttpResponse, PageError> {
    let members = teams::members(&state.db, s.row.id).await?;
    let manage = teams::manages(&state.db, &Researcher::from(user), s.row.id).await?;
    let mut c = context(Some(user), &format!("Team: {}", s.row.title));
    c.insert("survey", &json!({ "slug": s.row.slug, "title": s.row.title }));
    c.insert(
        "members",
        &members
            .iter()
            .map(
                |m| json!({ "email": m.email, "owner": m.owner, "since": crate::dutch::date(m.added_at.date_naive()) }),
            )
            .collect::<Vec<_>>(),
    );
    c.insert("owner", &members.iter().find(|m| m.owner).map(|m| m.email.clone()));
    c.insert("manage", &manage);
    c.insert("email", email);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    c.insert("problems", &problem.into_iter().collect::<Vec<_>>());
    Ok(html(status, views::render("r/team.html", &c)?))
}

pub async fn show(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let s = survey(&state, &user, &slug).await?;
    page(&state, &user, &s, StatusCode::OK, None, None, "").await
}

/// A refusal is shown on the team page with the reason; a failing database is an error page.
async fn refused(
    state: &State,
    user: &SignedIn,
    s: &Survey,
    e: TeamError,
    email: &str,
) -> Result<HttpResponse, PageError> {
    let status = match e {
        TeamError::Store(store) => return Err(PageError::Store(store)),
        TeamError::NotOwner => StatusCode::FORBIDDEN,
        TeamError::OwnerStays | TeamError::NotResearcher(_) | TeamError::NotMember(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page(state, user, s, status, None, Some(e.to_string()), email).await
}

pub async fn add(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let s = survey(&state, &user, &slug).await?;
    let email = field(&fields, "email").trim();
    let who = Researcher::from(&user);
    match teams::add_member(&state.db, Manager::Researcher(&who), &s.row, email, state.now()).await {
        Ok(()) => {
            page(&state, &user, &s, StatusCode::OK, Some(format!("{email} is lid van het team.")), None, "").await
        }
        Err(e) => refused(&state, &user, &s, e, email).await,
    }
}

pub async fn remove(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Researcher).await?;
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let s = survey(&state, &user, &slug).await?;
    let email = field(&fields, "email").trim();
    let who = Researcher::from(&user);
    match teams::remove_member(&state.db, Manager::Researcher(&who), &s.row, email, state.now()).await {
        Ok(()) => {
            let notice = format!("{email} is uit het team verwijderd.");
            page(&state, &user, &s, StatusCode::OK, Some(notice), None, "").await
        }
        Err(e) => refused(&state, &user, &s, e, email).await,
    }
}
