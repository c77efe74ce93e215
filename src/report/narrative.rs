//! The researcher's own texts in a report, by key: `open:<question>` (the summary of an open
//! question's answers), `figure:<question>` (replaces the sentence before that figure) and
//! `section:<n>` (a closing paragraph of section n, counting from 1). One parsed key for the
//! command line, the pages and the report; a key is only taken when the survey's report
//! definition has a place for it, so no text is stored where the report would never print it.

use super::definition::{Block, ReportDefinition};
use crate::questionnaire::Questionnaire;
use crate::store::{self, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Open(String),
    Figure(String),
    Section(usize),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Open(q) => write!(f, "open:{q}"),
            Key::Figure(q) => write!(f, "figure:{q}"),
            Key::Section(n) => write!(f, "section:{n}"),
        }
    }
}

/// A key and how a page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    pub key: Key,
    pub label: String,
}

/// Every key the report definition has a place for, in the report's order.
pub fn offered(def: &ReportDefinition, questionnaire: &Questionnaire) -> Vec<Offered> {
    let mut out = Vec::new();
    for (s, section) in def.sections.iter().enumerate() {
        for block in &section.blocks {
            match block {
                Block::OpenAnswers { question, .. } => {
                    let text = questionnaire.question(question).map_or(question.clone(), |q| q.text.clone());
                    out.push(Offered { key: Key::Open(question.clone()), label: format!("Samenvatting: {text}") });
                }
                Block::Figure(spec) => out.push(Offered {
                    key: Key::Figure(spec.question.clone()),
                    label: format!("Tekst bij de figuur over {}", spec.question),
                }),
                _ => {}
            }
        }
        out.push(Offered { key: Key::Section(s + 1), label: format!("Slotalinea van '{}'", section.title) });
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum NarrativeError {
    #[error("'{key}' is geen plek voor een tekst in dit rapport; mogelijk zijn: {offered}")]
    NoPlace { key: String, offered: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The key `text` names, if the report has a place for it.
pub fn key(text: &str, def: &ReportDefinition, questionnaire: &Questionnaire) -> Result<Key, NarrativeError> {
    let offered = offered(def, questionnaire);
    match offered.iter().find(|o| o.key.to_string() == text.trim()) {
        Some(o) => Ok(o.key.clone()),
        None => Err(NarrativeError::NoPlace {
            key: text.to_string(),
            offered: offered.iter().map(|o| o.key.to_string()).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// Stores (or, empty, removes) the text at `key`.
pub async fn set(
    db: &impl ConnectionTrait,
    survey_id: i32,
    key: &Key,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), NarrativeError> {
    Ok(store::report_texts::set(db, survey_id, &key.to_string(), text, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_taken_only_where_the_report_has_a_place_for_it() {
        let q = crate::questionnaire::parse(crate::bundled::MAATWERKBUDGET_2021.definition).unwrap();
        let def = ReportDefinition::parse(crate::bundled::MAATWERKBUDGET_2021.report, &q).unwrap();
        assert_eq!(key("open:Q8", &def, &q).unwrap(), Key::Open("Q8".into()));
        assert_eq!(key("figure:Q2", &def, &q).unwrap(), Key::Figure("Q2".into()));
        assert_eq!(key("section:3", &def, &q).unwrap(), Key::Section(3));
        let Err(NarrativeError::NoPlace { offered, .. }) = key("open:Q99", &def, &q) else { panic!() };
        assert!(offered.contains("open:Q8") && offered.contains("section:11"), "{offered}");
        assert!(key("section:12", &def, &q).is_err(), "there are 11 sections");
        assert!(key("figuur:Q2", &def, &q).is_err());
    }
}
