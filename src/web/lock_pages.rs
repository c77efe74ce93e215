//! The login blocks on the admin's pages (`/beheer/vergrendelingen`): blocked client addresses
//! and locked accounts, each with a button that lifts it. `accounts::unlock` does the work and
//! records it.

use super::auth::Admin;
use super::body::Limited;
use super::errors::PageError;
use super::staff::Answer;
use super::staff::{actor, context, field, fields, html};
use super::{State, auth, views};
use crate::accounts::{self, AccountError, SignedIn, Unlock};
use crate::domain::{ClientAddress, EmailAddress};
use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::json;

fn when(at: DateTime<Utc>) -> serde_json::Value {
    json!({
        "iso": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "text": format!("{} {} UTC", crate::dutch::date(at.date_naive()), at.format("%H:%M")),
    })
}

async fn page(
    state: &State,
    user: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
) -> Answer {
    let blocks = accounts::blocks(&state.db, state.now()).await?;
    let mut c = context(Some(user), "Inlogblokkades");
    let addresses: Vec<_> = blocks
        .addresses
        .iter()
        .map(|b| json!({ "address": b.address, "failures": b.failures, "until": when(b.until) }))
        .collect();
    let locks: Vec<_> = blocks
        .accounts
        .iter()
        .map(|l| json!({ "account": l.account, "address": l.address, "until": when(l.until) }))
        .collect();
    c.insert("addresses", &addresses);
    c.insert("locks", &locks);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    c.insert("problems", &problem.into_iter().collect::<Vec<_>>());
    Ok(html(status, views::render("admin/locks.html", &c)?))
}

pub async fn show(state: State, user: Admin) -> Answer {
    page(&state, &user, StatusCode::OK, None, None).await
}

/// Lifts the block of `adres` or the locks of `account`, and shows the page again with what
/// was done.
pub async fn unlock(state: State, user: Admin, body: Limited) -> Answer {
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let what = match (field(&fields, "adres").trim(), field(&fields, "account").trim()) {
        (address, "") if !address.is_empty() => {
            ClientAddress::parse(address).map(Unlock::Address).map_err(|e| e.to_string())
        }
        ("", email) if !email.is_empty() => EmailAddress::parse(email).map(Unlock::Account).map_err(|e| e.to_string()),
        _ => Err("Kies een adres of een account om vrij te geven.".to_string()),
    };
    let what = match what {
        Ok(what) => what,
        Err(problem) => return page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, None, Some(problem)).await,
    };
    match accounts::unlock(&state.db, &actor(&user), &what, state.now()).await {
        Ok(0) => {
            let notice = format!("Voor {} gold geen blokkade meer.", what.describe());
            page(&state, &user, StatusCode::OK, Some(notice), None).await
        }
        Ok(_) => {
            page(
                &state,
                &user,
                StatusCode::OK,
                Some(format!("De blokkade van {} is opgeheven.", what.describe())),
                None,
            )
            .await
        }
        Err(AccountError::Db(e)) => Err(PageError::Db(e).into()),
        Err(e) => {
            page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, None, Some(format!("{}.", capital(&e.to_string()))))
                .await
        }
    }
}

fn capital(text: &str) -> String {
    crate::dutch::capitalize(text)
}
