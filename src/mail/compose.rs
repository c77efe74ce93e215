//! Invitation and reminder messages, rendered from the templates in `templates/email/`
//! (embedded, so the binary works from any folder) as plain text plus HTML.

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use serde::Serialize;
use tera::{Context, Tera};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invitation,
    Reminder,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::Reminder => "reminder",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Invitation, Kind::Reminder].into_iter().find(|k| k.as_str() == s)
    }

    /// The kind an outbox row holds in `mail_outbox.kind`; a word that is none of them is an error.
    pub fn stored(s: &str) -> Result<Kind, crate::domain::stored::UnknownValue> {
        Kind::parse(s).ok_or_else(|| crate::domain::stored::UnknownValue::new("mail_outbox", "kind", s))
    }
}

/// What a message says; everything in it is escaped in the HTML part by tera.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub title: String,
    pub intro: String,
    pub organisation: String,
    pub contact: String,
    pub minutes: Option<u32>,
    /// The closing date in words, e.g. "31 mei 2021".
    pub closes: Option<String>,
    pub name: Option<String>,
    pub link: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("e-mailsjabloon: {0}")]
    Template(String),
    #[error("ongeldig adres '{0}': {1}")]
    Address(String, String),
    #[error("bericht: {0}")]
    Build(String),
}

const TEMPLATES: [(&str, &str); 6] = [
    ("invitation/subject.txt", include_str!("../../templates/email/invitation/subject.txt")),
    ("invitation/body.txt", include_str!("../../templates/email/invitation/body.txt")),
    ("invitation/body.html", include_str!("../../templates/email/invitation/body.html")),
    ("reminder/subject.txt", include_str!("../../templates/email/reminder/subject.txt")),
    ("reminder/body.txt", include_str!("../../templates/email/reminder/body.txt")),
    ("reminder/body.html", include_str!("../../templates/email/reminder/body.html")),
];

pub struct Composer {
    tera: Tera,
    from: Mailbox,
}

impl Composer {
    pub fn new(from: &str) -> Result<Composer, ComposeError> {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES).map_err(|e| ComposeError::Template(e.to_string()))?;
        // Only .html templates are escaped by tera's default; the text parts stay literal.
        tera.autoescape_on(vec![".html"]);
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| ComposeError::Address(from.into(), e.to_string()))?;
        Ok(Composer { tera, from })
    }

    fn render(&self, kind: Kind, part: &str, context: &Context) -> Result<String, ComposeError> {
        self.tera.render(&format!("{}/{part}", kind.as_str()), context).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            ComposeError::Template(message)
        })
    }

    /// The subject and plain-text body, as the researcher previews them.
    pub fn preview(&self, kind: Kind, letter: &Letter) -> Result<(String, String), ComposeError> {
        let context = Context::from_serialize(letter).map_err(|e| ComposeError::Template(e.to_string()))?;
        Ok((self.render(kind, "subject.txt", &context)?.trim().to_string(), self.render(kind, "body.txt", &context)?))
    }

    pub fn compose(&self, kind: Kind, to: &str, letter: &Letter) -> Result<Message, ComposeError> {
        let context = Context::from_serialize(letter).map_err(|e| ComposeError::Template(e.to_string()))?;
        let subject = self.render(kind, "subject.txt", &context)?;
        let text = self.render(kind, "body.txt", &context)?;
        let html = self.render(kind, "body.html", &context)?;
        let to: Mailbox =
            to.parse().map_err(|e: lettre::address::AddressError| ComposeError::Address(to.into(), e.to_string()))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject.trim())
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| ComposeError::Build(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            title: "Hulpverleners <Maatwerkbudget>".into(),
            intro: "Waarom we dit vragen.".into(),
            organisation: "Onderzoek en Statistiek".into(),
            contact: "onderzoek@example.org".into(),
            minutes: Some(10),
            closes: Some("31 mei 2021".into()),
            name: Some("Anna de Vries".into()),
            link: "http://127.0.0.1:8080/s/abc".into(),
        }
    }

    #[test]
    fn an_invitation_has_both_parts_the_link_and_the_facts() {
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let message = composer.compose(Kind::Invitation, "anna@example.org", &letter()).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: anna@example.org"));
        assert!(raw.contains("http://127.0.0.1:8080/s/abc"));
        assert!(raw.contains("&lt;Maatwerkbudget&gt;"), "the HTML part escapes the title");
        let reminder = composer.compose(Kind::Reminder, "anna@example.org", &letter()).unwrap();
        let raw = String::from_utf8(reminder.formatted()).unwrap();
        assert!(raw.contains("Subject: Herinnering"), "{raw}");
    }

    #[test]
    fn a_bad_address_is_an_error_not_a_panic() {
        let composer = Composer::new("onderzoek@example.org").unwrap();
        assert!(matches!(composer.compose(Kind::Invitation, "geen adres", &letter()), Err(ComposeError::Address(..))));
        assert!(Composer::new("niet goed").is_err());
    }
}
