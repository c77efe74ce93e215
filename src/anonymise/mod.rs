//! Anonymising Dutch free text (casussen and quoted open answers) before anything reaches a
//! report: personal details are replaced by readable placeholders such as "[naam]" and
//! "[telefoonnummer]", and everything else stays as written.
//!
//! What is detected, and how:
//! - shapes (`patterns`): email addresses; phone numbers in Dutch forms (06-, +31, 0031,
//!   area codes, brackets) decided on their digits; BSN (nine digits passing the elfproef);
//!   IBAN (ISO 13616 mod 97); postcodes (1234 AB); licence plates (three groups, six
//!   characters); case numbers after "dossier-/zaak-/klantnummer" and the like; dates in
//!   numbers or with a Dutch month, as date of birth after "geboren (op)"/"geb."; ages above
//!   89, and other ages in a sentence that also names where someone lives or comes from;
//! - names (`names`): titles and initials with what follows, first names and surnames from
//!   the lists in `assets/anonymise/` with their tussenvoegsels, capitalised words after
//!   words such as "zoon" or "cliënt", and every part of the names of invitees and users;
//! - street addresses: a street (capitalised, ending in a street word) and a house number
//!   with its addition.
//!
//! Places, organisations and public services (`assets/anonymise/geen_namen.txt`), amounts and
//! ordinary words are kept.
//!
//! Every text is first brought to the normal form of `domain::text` (NFKC, invisible
//! characters removed, odd spaces made spaces), and so are the names of invitees: a zero-width
//! space inside "Jansen" or full-width digits of a BSN hide nothing, also in texts stored
//! before answers were cleaned on the way in.

pub mod eval;
mod names;
mod patterns;

use crate::domain::text::{self, Layout};
pub use patterns::{elfproef, iban_valid};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Name,
    Email,
    Phone,
    Bsn,
    Iban,
    Address,
    Postcode,
    Date,
    BirthDate,
    Age,
    Plate,
    CaseNumber,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Name,
        Category::Email,
        Category::Phone,
        Category::Bsn,
        Category::Iban,
        Category::Address,
        Category::Postcode,
        Category::Date,
        Category::BirthDate,
        Category::Age,
        Category::Plate,
        Category::CaseNumber,
    ];

    /// The word used in annotations and tables.
    pub fn code(self) -> &'static str {
        match self {
            Category::Name => "naam",
            Category::Email => "email",
            Category::Phone => "telefoon",
            Category::Bsn => "bsn",
            Category::Iban => "iban",
            Category::Address => "adres",
            Category::Postcode => "postcode",
            Category::Date => "datum",
            Category::BirthDate => "geboortedatum",
            Category::Age => "leeftijd",
            Category::Plate => "kenteken",
            Category::CaseNumber => "dossiernummer",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// What the reader sees instead.
    pub fn placeholder(self) -> &'static str {
        match self {
            Category::Name => "[naam]",
            Category::Email => "[e-mailadres]",
            Category::Phone => "[telefoonnummer]",
            Category::Bsn => "[BSN]",
            Category::Iban => "[rekeningnummer]",
            Category::Address => "[adres]",
            Category::Postcode => "[postcode]",
            Category::Date => "[datum]",
            Category::BirthDate => "[geboortedatum]",
            Category::Age => "[leeftijd]",
            Category::Plate => "[kenteken]",
            Category::CaseNumber => "[dossiernummer]",
        }
    }

    /// Which of two overlapping finds wins: the more specific shape.
    fn priority(self) -> u8 {
        match self {
            Category::Email => 12,
            Category::Iban => 11,
            Category::Bsn => 10,
            Category::Phone => 9,
            Category::CaseNumber => 8,
            Category::Plate => 7,
            Category::BirthDate => 6,
            Category::Date => 5,
            Category::Postcode => 4,
            Category::Address => 3,
            Category::Age => 2,
            Category::Name => 1,
        }
    }
}

/// A personal detail at `start..end` (bytes of the original text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub category: Category,
}

impl Found {
    fn new(start: usize, end: usize, category: Category) -> Found {
        Found { start, end, category }
    }
}

/// A text with its personal details replaced, and where they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The normal form of the text, with placeholders.
    pub text: String,
    /// In byte offsets of the text as given.
    pub found: Vec<Found>,
}

#[derive(Debug, Clone, Default)]
pub struct Anonymiser {
    /// Lower-case parts (3 letters or more) of the names of invitees and users: always redacted.
    known: HashSet<String>,
    /// Ages of 89 and under are redacted when their sentence also says where someone lives.
    pub ages_with_details: bool,
}

impl Anonymiser {
    pub fn new() -> Anonymiser {
        Anonymiser { known: HashSet::new(), ages_with_details: true }
    }

    /// Adds people whose names must never appear (invitees, users of peiling).
    pub fn with_known_names<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Anonymiser {
        for name in names {
            let name = text::clean(name, Layout::Line);
            for part in name.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-') {
                if part.chars().count() >= 3 && !names_particle(part) {
                    self.known.insert(part.to_lowercase());
                }
            }
        }
        self
    }

    /// Every personal detail in `text`, without overlaps, in text order, in byte offsets of
    /// `text` as given (a find covers the invisible characters inside it).
    pub fn find(&self, text: &str) -> Vec<Found> {
        let normal = text::normalise(text, Layout::Lines);
        in_original(&normal, self.find_normal(normal.as_str()))
    }

    /// The personal details of a text already in normal form, in its offsets.
    fn find_normal(&self, text: &str) -> Vec<Found> {
        let mut candidates = Vec::new();
        patterns::find(text, self.ages_with_details, &mut candidates);
        names::find_addresses(text, &mut candidates);
        names::find_names(text, &self.known, &mut candidates);
        // Among shapes the longer find wins ("+31 6 38104725" over the nine digits that happen
        // to pass the elfproef), then the more specific one; names give way to any shape.
        candidates.sort_by_key(|f| {
            let shape = f.category != Category::Name;
            (std::cmp::Reverse(shape), std::cmp::Reverse(f.end - f.start), std::cmp::Reverse(f.category.priority()))
        });
        let mut kept: Vec<Found> = Vec::new();
        for c in candidates {
            if c.start < c.end && !kept.iter().any(|k| k.start < c.end && c.start < k.end) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|f| f.start);
        // "[naam] [naam]" for a first name and a surname found apart reads as one name.
        let mut merged: Vec<Found> = Vec::new();
        for f in kept {
            match merged.last_mut() {
                Some(last)
                    if last.category == f.category && text[last.end..f.start].chars().all(|c| c == ' ' || c == '-') =>
                {
                    last.end = f.end;
                }
                _ => merged.push(f),
            }
        }
        merged
    }

    /// `text` in normal form with every personal detail replaced by its placeholder.
    pub fn redact(&self, text: &str) -> Redacted {
        let normal = text::normalise(text, Layout::Lines);
        let clean = normal.as_str();
        let found = self.find_normal(clean);
        let mut out = String::with_capacity(clean.len());
        let mut at = 0;
        for f in &found {
            out.push_str(&clean[at..f.start]);
            out.push_str(f.category.placeholder());
            at = f.end;
        }
        out.push_str(&clean[at..]);
        Redacted { text: out, found: in_original(&normal, found) }
    }
}

/// Finds in the normal form of a text, moved to where they are in the text as given.
fn in_original(normal: &text::Normalised<'_>, found: Vec<Found>) -> Vec<Found> {
    found
        .into_iter()
        .map(|f| {
            let (start, end) = normal.original(f.start, f.end);
            Found { start, end, category: f.category }
        })
        .collect()
}

fn names_particle(word: &str) -> bool {
    ["van", "der", "den", "de", "het", "ter", "ten", "el", "al", "ben", "bin"].contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_casus_reads_on_with_placeholders() {
        let a = Anonymiser::new().with_known_names(["Anna Verbeek"]);
        let r = a.redact(
            "Mevrouw Fatima el Amrani (06-12345678) woont aan de Lammenschansweg 12a, 2313 AB Leiden. \
             Haar zoon Daan is 14. Verbeek heeft via de Stadsbank € 840 geregeld.",
        );
        assert_eq!(
            r.text,
            "Mevrouw [naam] ([telefoonnummer]) woont aan de [adres], [postcode] Leiden. \
             Haar zoon [naam] is 14. [naam] heeft via de Stadsbank € 840 geregeld."
        );
    }
}
