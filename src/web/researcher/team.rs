//! Who works on a survey (`/onderzoek/{survey}/team`): every member sees the list; the owner
//! and admins get the forms to add and remove researchers. `teams` decides who may.

use super::survey;
use crate::accounts::SignedIn;
use crate::store::surveys::Survey;
use crate::teams::{self, Manager, TeamError};
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{Answer, context, field, fields, html};
use crate::web::{State, auth, views};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde_json::json;

async fn page(
    state: &State,
    user: &SignedIn,
    s: &Survey,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
    email: &str,
) -> Answer {
    let members = teams::members(&state.db, s.row.id).await?;
    let manage = teams::manages(&state.db, &teams::Researcher::from(user), s.row.id).await?;
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

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    page(&state, &user, &s, StatusCode::OK, None, None, "").await
}

/// A refusal is shown on the team page with the reason; a failing database is an error page.
async fn refused(state: &State, user: &SignedIn, s: &Survey, e: TeamError, email: &str) -> Answer {
    let status = match e {
        TeamError::Store(store) => return Err(PageError::Store(store).into()),
        TeamError::NotOwner => StatusCode::FORBIDDEN,
        TeamError::OwnerStays | TeamError::NotResearcher(_) | TeamError::NotMember(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page(state, user, s, status, None, Some(e.to_string()), email).await
}

pub async fn add(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let s = survey(&state, &user, &slug).await?;
    let email = field(&fields, "email").trim();
    let who = teams::Researcher::from(&user.0);
    match teams::add_member(&state.db, Manager::Researcher(&who), &s.row, email, state.now()).await {
        Ok(()) => {
            page(&state, &user, &s, StatusCode::OK, Some(format!("{email} is lid van het team.")), None, "").await
        }
        Err(e) => refused(&state, &user, &s, e, email).await,
    }
}

pub async fn remove(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let s = survey(&state, &user, &slug).await?;
    let email = field(&fields, "email").trim();
    let who = teams::Researcher::from(&user.0);
    match teams::remove_member(&state.db, Manager::Researcher(&who), &s.row, email, state.now()).await {
        Ok(()) => {
            let notice = format!("{email} is uit het team verwijderd.");
            page(&state, &user, &s, StatusCode::OK, Some(notice), None, "").await
        }
        Err(e) => refused(&state, &user, &s, e, email).await,
    }
}
