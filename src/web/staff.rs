//! What the pages behind the login share: the page context with the signed-in account (for the
//! menu and the CSRF value of every form), form fields, HTML and redirect answers.

use super::body;
use super::errors::PageError;
use crate::accounts::{Role, SignedIn};
use crate::audit::Actor;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use serde_json::json;
use tera::Context;

/// Who acts, for the trail.
pub fn actor(user: &SignedIn) -> Actor {
    Actor::account(&user.user)
}

pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((LOCATION, location.to_string())).finish()
}

pub fn context(user: Option<&SignedIn>, title: &str) -> Context {
    let mut c = Context::new();
    c.insert("page_title", title);
    if let Some(u) = user {
        c.insert("user", &json!({ "email": u.user.email, "csrf": u.csrf, "researcher": u.role.includes(Role::Researcher), "admin": u.role.includes(Role::Admin) }));
    }
    c
}

pub fn fields(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    body::form_fields(body)
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

/// A message in the staff layout (without the menu: it also answers whoever is not signed in).
pub fn message(heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> String {
    super::error_pages::staff_message(heading, paragraphs, link)
}

pub fn pdf(bytes: Vec<u8>, name: &str) -> HttpResponse {
    super::attachment("application/pdf", &format!("{name}.pdf"), bytes)
}

/// A page behind the login: the answer, or the error worded for staff.
pub type Answer = Result<HttpResponse, super::error_pages::StaffError>;
