//! What an error page says, by who reads it. A respondent holds one link and no account: the
//! page speaks of the questionnaire, of answers saved so far and of the sender of the
//! invitation. A researcher or an administrator is signed in and needs to know what was not
//! stored and where to go next; a council member in the reading room needs the way back to the
//! reports. The status and the log line are the same for all three; only the words differ.
//!
//! A handler says who it serves by its error type: `PageError` for the respondent's form,
//! `StaffError` for the pages behind the login, `ReaderError` for the reading room.

use super::errors::PageError;
use super::views;
use crate::db::Outage;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use tera::Context;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Respondent,
    Staff,
    Reader,
}

/// An error as its pages tell it, decided once: the words then differ per reader.
enum Case<'a> {
    NotFound,
    Expired(&'a str),
    BadRequest(&'a str),
    Forbidden,
    /// The database is away, full, read-only or busy: try again in a moment.
    Unavailable,
    /// A failure of ours.
    Failed,
}

/// What reads the same for everybody (the damaged database's page promises nothing).
enum Shared<'a> {
    SignIn,
    TooLarge(usize),
    Unreadable(&'a str),
    Report { slug: &'a str, reason: &'a str },
    Damaged,
}

fn case(error: &PageError) -> Result<Case<'_>, Shared<'_>> {
    Ok(match error {
        PageError::NotFound => Case::NotFound,
        PageError::Expired { back } => Case::Expired(back),
        PageError::BadRequest(reason) => Case::BadRequest(reason),
        PageError::Forbidden => Case::Forbidden,
        PageError::Store(_) | PageError::Db(_) | PageError::Internal(_) => match error.outage() {
            Some(Outage::Corrupt) => return Err(Shared::Damaged),
            Some(_) => Case::Unavailable,
            None => Case::Failed,
        },
        PageError::SignIn { .. } => return Err(Shared::SignIn),
        PageError::TooLarge { limit } => return Err(Shared::TooLarge(*limit)),
        PageError::Unreadable(reason) => return Err(Shared::Unreadable(reason)),
        PageError::Report { slug, reason } => return Err(Shared::Report { slug, reason }),
    })
}

/// The page for `error` as `audience` reads it.
pub fn body(error: &PageError, audience: Audience) -> String {
    match case(error) {
        Ok(case) if audience == Audience::Respondent => respondent(case),
        Ok(case) => signed_in(case, audience),
        Err(shared) => {
            if matches!(shared, Shared::Damaged) {
                // The alarm logs its cause, once.
                tracing::debug!(error = %error, "page refused: the database is damaged");
            }
            common(shared, audience)
        }
    }
}

fn respondent(case: Case) -> String {
    match case {
        // The same page for a mistyped, an unknown and a never-issued link: nothing tells
        // whether a token exists.
        Case::NotFound => message_page(
            "Deze pagina bestaat niet",
            &[
                "De link is niet (meer) geldig. Controleer of je de volledige link uit de e-mail hebt \
                 gebruikt; soms breekt een mailprogramma een lange link af.",
                "Lukt het niet? Neem dan contact op met de afzender van de uitnodiging.",
            ],
            None,
        ),
        Case::Expired(back) => message_page(
            "Deze pagina is verlopen",
            &["Je antwoorden op deze pagina zijn niet bewaard, omdat de pagina te lang open stond of \
               cookies uitgeschakeld zijn. Ga terug en vul de pagina opnieuw in."],
            Some((back, "Terug naar de vragenlijst")),
        ),
        Case::BadRequest(_) => message_page(
            "Dit verzoek kunnen we niet lezen",
            &["Ga terug naar de vragenlijst en probeer het opnieuw."],
            None,
        ),
        Case::Forbidden => message_page(
            "Geen toegang",
            &["Dit account mag deze pagina niet gebruiken. Gepubliceerde rapporten staan in de leeskamer."],
            Some(("/rapporten", "Naar de rapporten")),
        ),
        Case::Unavailable => message_page(
            "De vragenlijst is even niet bereikbaar",
            &["Je antwoorden tot nu toe zijn bewaard. Probeer het over een paar minuten opnieuw."],
            None,
        ),
        Case::Failed => message_page(
            "Er ging iets mis",
            &["Je antwoorden tot nu toe zijn bewaard. Probeer het later opnieuw; lukt het dan nog niet, neem dan \
               contact op met de afzender van de uitnodiging."],
            None,
        ),
    }
}

/// The pages behind a login and the reading room: staff pages in the staff layout.
fn signed_in(case: Case, audience: Audience) -> String {
    let home = match audience {
        Audience::Reader => ("/rapporten", "Naar de rapporten"),
        _ => ("/onderzoek", "Naar je vragenlijsten"),
    };
    match case {
        Case::NotFound => staff_message(
            "Deze pagina bestaat niet",
            &[match audience {
                Audience::Reader => "Dit rapport of deze pagina bestaat niet (meer). Controleer het adres.",
                _ => {
                    "Het adres bestaat niet, of het onderzoek hoort bij een team waar je account niet in zit. \
                      Vraag dan een collega uit dat team om je toe te voegen."
                }
            }],
            Some(home),
        ),
        Case::Expired(back) => staff_message(
            "Dit formulier is verlopen",
            &["Wat je verstuurde is niet opgeslagen: het formulier hoorde bij een eerdere sessie (je bent \
               intussen uit- of opnieuw ingelogd), of cookies staan uit. Open de pagina opnieuw en probeer het nog \
               eens."],
            Some((back, "Terug")),
        ),
        // A staff page's reasons are ours and in Dutch; the reader of them can act on them.
        Case::BadRequest(reason) => staff_message(
            "Dit verzoek kunnen we niet uitvoeren",
            &[reason, "Er is niets opgeslagen. Ga terug en probeer het opnieuw."],
            Some(home),
        ),
        Case::Forbidden => staff_message(
            "Geen toegang",
            &["Dit account mag deze pagina niet gebruiken. Een beheerder kan je de rol geven die je nodig hebt; \
               gepubliceerde rapporten staan in de leeskamer."],
            Some(("/rapporten", "Naar de rapporten")),
        ),
        Case::Unavailable => staff_message(
            "peiling is even niet bereikbaar",
            &[match audience {
                Audience::Reader => "De rapporten zijn even niet te lezen. Probeer het over een paar minuten opnieuw.",
                _ => {
                    "De database antwoordt nu niet; wat je op deze pagina deed, is niet opgeslagen. Probeer het \
                      over een paar minuten opnieuw."
                }
            }],
            None,
        ),
        Case::Failed => staff_message(
            "Er ging iets mis aan onze kant",
            &["Wat je op deze pagina deed, is misschien niet opgeslagen. Probeer het opnieuw; lukt het dan nog \
               niet, meld dan aan de beheerder hoe laat het gebeurde: de oorzaak staat in het logboek van de \
               server."],
            Some(home),
        ),
    }
}

/// What reads the same for everybody, in the layout of the reader's pages.
fn common(shared: Shared, audience: Audience) -> String {
    let page = |heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>| match audience {
        Audience::Respondent => message_page(heading, paragraphs, link),
        _ => staff_message(heading, paragraphs, link),
    };
    match shared {
        Shared::SignIn => String::new(),
        Shared::TooLarge(limit) if limit > super::MAX_BODY => page(
            "Het bestand is te groot",
            &[&format!(
                "Een bestand mag hoogstens {} zijn. Splits een grote lijst in delen en importeer ze na elkaar.",
                super::body::size_text(crate::invitations::import::MAX_FILE_BYTES)
            )],
            None,
        ),
        Shared::TooLarge(limit) => page(
            "Wat je verstuurde is te groot",
            &[&format!(
                "Een formulier mag hoogstens {} zijn; er is niets opgeslagen. Maak een heel lange tekst korter.",
                super::body::size_text(limit)
            )],
            None,
        ),
        Shared::Unreadable(reason) => page("Dit verzoek kunnen we niet lezen", &[reason], None),
        Shared::Report { slug, reason } => page(
            "Het rapport kon niet worden gemaakt",
            &[reason, "Pas de rapportdefinitie aan; daar staat elk probleem met zijn regel."],
            Some((&format!("/onderzoek/{slug}/rapportdefinitie"), "Naar de rapportdefinitie")),
        ),
        Shared::Damaged => damaged_page(),
    }
}

/// A message in the respondent's layout.
pub fn message_page(heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> String {
    message_in("message.html", heading, paragraphs, link)
}

/// A heading, paragraphs and a way on, in the layout of `template`.
pub fn message_in(template: &str, heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> String {
    let mut context = Context::new();
    context.insert("page_title", heading);
    context.insert("heading", heading);
    context.insert("paragraphs", paragraphs);
    if let Some((href, text)) = link {
        context.insert("link", &json!({ "href": href, "text": text }));
    }
    views::render_or_bare(template, &context)
}

/// A message in the staff layout (without the menu: it also answers whoever is not signed in).
pub fn staff_message(heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> String {
    message_in("r/message.html", heading, paragraphs, link)
}

/// The page a person gets; it promises nothing about what was saved.
pub fn damaged_page() -> String {
    message_page(
        "De vragenlijst is even niet bereikbaar",
        &["Er is een storing bij de opslag. Probeer het later opnieuw; lukt het dan nog niet, neem dan contact op \
           met de afzender van de uitnodiging."],
        None,
    )
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Expired { .. } => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) | PageError::Unreadable(_) => StatusCode::BAD_REQUEST,
            PageError::SignIn { .. } => StatusCode::SEE_OTHER,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::Store(_) | PageError::Db(_) if self.outage().is_some() => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Store(_) | PageError::Db(_) | PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            PageError::Report { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn error_response(&self) -> HttpResponse {
        respond(self, Audience::Respondent)
    }
}

/// A page error, answered with the words for `audience`.
pub fn respond(error: &PageError, audience: Audience) -> HttpResponse {
    error.response_with(body(error, audience))
}

macro_rules! worded_for {
    ($(#[$doc:meta])* $name:ident, $audience:expr) => {
        $(#[$doc])*
        #[derive(Debug, thiserror::Error)]
        #[error(transparent)]
        pub struct $name(pub PageError);

        impl ResponseError for $name {
            fn status_code(&self) -> StatusCode {
                self.0.status_code()
            }

            fn error_response(&self) -> HttpResponse {
                respond(&self.0, $audience)
            }
        }

        impl<E> From<E> for $name
        where
            PageError: From<E>,
        {
            fn from(e: E) -> $name {
                $name(PageError::from(e))
            }
        }
    };
}

worded_for!(
    /// An error on a page behind the login (researcher, administrator, own account).
    StaffError,
    Audience::Staff
);
worded_for!(
    /// An error in the council's reading room.
    ReaderError,
    Audience::Reader
);

impl PageError {
    /// The page error inside an actix error, whoever it was worded for.
    pub fn within(error: &actix_web::Error) -> Option<&PageError> {
        error
            .as_error::<PageError>()
            .or_else(|| error.as_error::<StaffError>().map(|e| &e.0))
            .or_else(|| error.as_error::<ReaderError>().map(|e| &e.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnAcquireErr, DbErr};

    fn away() -> PageError {
        PageError::Db(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))
    }

    #[test]
    fn an_outage_promises_a_respondent_their_answers_and_tells_staff_what_was_not_stored() {
        let respondent = body(&away(), Audience::Respondent);
        assert!(respondent.contains("Je antwoorden tot nu toe zijn bewaard"), "{respondent}");
        let staff = body(&away(), Audience::Staff);
        assert!(staff.contains("niet opgeslagen") && !staff.contains("Je antwoorden"), "{staff}");
        let reader = body(&away(), Audience::Reader);
        assert!(reader.contains("rapporten") && !reader.contains("Je antwoorden"), "{reader}");
        let bug = PageError::Internal("a bug".into());
        assert!(body(&bug, Audience::Staff).contains("logboek van de server"));
        assert!(!body(&bug, Audience::Staff).contains("afzender"));
    }

    #[test]
    fn the_status_is_the_same_whoever_reads() {
        for error in [PageError::NotFound, away(), PageError::Forbidden, PageError::BadRequest("x".into())] {
            assert_eq!(respond(&error, Audience::Staff).status(), respond(&error, Audience::Respondent).status());
            assert_eq!(respond(&error, Audience::Reader).status(), error.status_code());
        }
    }
}
