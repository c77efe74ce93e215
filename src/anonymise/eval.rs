//! Measuring the anonymiser on an annotated set of casussen: recall per category (the share
//! of planted details whose identifying characters were all replaced) and over-redaction (the
//! share of the other words that were replaced anyway).

use super::{Anonymiser, Category, Found};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub struct TestSet {
    pub casus: Vec<Casus>,
}

#[derive(Debug, Deserialize)]
pub struct Casus {
    pub id: u32,
    pub text: String,
    #[serde(default)]
    pub personal: Vec<Planted>,
    #[serde(default)]
    pub keep: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Planted {
    pub category: String,
    pub value: String,
}

/// Words in an annotation that do not identify anyone: titles, keywords and tussenvoegsels.
const NOT_IDENTIFYING: &[&str] = &[
    "mevrouw",
    "mevr",
    "mw",
    "meneer",
    "mijnheer",
    "mr",
    "dhr",
    "de",
    "heer",
    "juf",
    "juffrouw",
    "familie",
    "fam",
    "geboren",
    "op",
    "geb",
    "geboortedatum",
    "dossiernummer",
    "zaaknummer",
    "klantnummer",
    "casusnummer",
    "cliëntnummer",
    "registratienummer",
    "kenmerk",
    "nummer",
    "nr",
    "van",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "in",
    "t",
    "jaar",
    "oud",
    "jarige",
    "een",
    "vrouw",
    "man",
    "el",
    "al",
];

#[derive(Debug, Default, Clone)]
pub struct Score {
    pub planted: usize,
    pub removed: usize,
}

#[derive(Debug, Default)]
pub struct Evaluation {
    pub per_category: BTreeMap<Category, Score>,
    /// Words outside planted details, and how many of them were replaced.
    pub other_words: usize,
    pub over_redacted: usize,
    /// The `keep` phrases, and how many lost a word.
    pub keep_phrases: usize,
    pub keep_hit: usize,
    /// (casus, category, value) of planted details that survived, in part or whole.
    pub missed: Vec<(u32, Category, String)>,
    /// (casus, word) of words replaced that were not personal.
    pub wrongly_removed: Vec<(u32, String)>,
    pub problems: Vec<String>,
}

fn covered(found: &[Found], start: usize, end: usize) -> bool {
    found.iter().any(|f| f.start <= start && end <= f.end)
}

/// Byte ranges of the alphanumeric runs in `text[from..to]`.
fn tokens(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[from..to].char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(from + i),
            (false, Some(s)) => {
                out.push((s, from + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, to));
    }
    out
}

pub fn evaluate(anonymiser: &Anonymiser, set: &TestSet) -> Evaluation {
    let mut e = Evaluation::default();
    for casus in &set.casus {
        let text = &casus.text;
        let found = anonymiser.find(text);
        let mut planted_spans: Vec<(usize, usize)> = Vec::new();
        let mut search_from: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &casus.personal {
            let Some(category) = Category::parse(&p.category) else {
                e.problems.push(format!("casus {}: unknown category '{}'", casus.id, p.category));
                continue;
            };
            let from = search_from.get(p.value.as_str()).copied().unwrap_or(0);
            let Some(at) = text[from..].find(&p.value).map(|i| from + i) else {
                e.problems.push(format!("casus {}: '{}' is not in the text", casus.id, p.value));
                continue;
            };
            search_from.insert(&p.value, at + p.value.len());
            planted_spans.push((at, at + p.value.len()));
            let identifying: Vec<(usize, usize)> = tokens(text, at, at + p.value.len())
                .into_iter()
                .filter(|&(s, t)| !NOT_IDENTIFYING.contains(&text[s..t].to_lowercase().as_str()))
                .collect();
            let removed = identifying.iter().all(|&(s, t)| covered(&found, s, t));
            let score = e.per_category.entry(category).or_default();
            score.planted += 1;
            if removed {
                score.removed += 1;
            } else {
                e.missed.push((casus.id, category, p.value.clone()));
            }
        }
        for (s, t) in tokens(text, 0, text.len()) {
            if planted_spans.iter().any(|&(a, b)| a <= s && t <= b) {
                continue;
            }
            e.other_words += 1;
            if found.iter().any(|f| f.start < t && s < f.end) {
                e.over_redacted += 1;
                e.wrongly_removed.push((casus.id, text[s..t].to_string()));
            }
        }
        for keep in &casus.keep {
            e.keep_phrases += 1;
            if let Some(at) = text.find(keep.as_str())
                && found.iter().any(|f| f.start < at + keep.len() && at < f.end)
            {
                e.keep_hit += 1;
            }
        }
    }
    e
}

impl Evaluation {
    pub fn recall(&self, category: Category) -> Option<f64> {
        self.per_category.get(&category).filter(|s| s.planted > 0).map(|s| s.removed as f64 / s.planted as f64)
    }

    pub fn over_redaction(&self) -> f64 {
        if self.other_words == 0 { 0.0 } else { self.over_redacted as f64 / self.other_words as f64 }
    }

    /// The table printed by the test and by `peiling anonymise --eval`.
    pub fn table(&self) -> String {
        let mut out = String::from("category          planted  removed   recall\n");
        for (category, score) in &self.per_category {
            out.push_str(&format!(
                "{:<16} {:>8} {:>8} {:>7.1}%\n",
                category.code(),
                score.planted,
                score.removed,
                100.0 * score.removed as f64 / score.planted.max(1) as f64
            ));
        }
        out.push_str(&format!(
            "over-redaction: {} of {} other words ({:.1}%); keep phrases touched: {} of {}\n",
            self.over_redacted,
            self.other_words,
            100.0 * self.over_redaction(),
            self.keep_hit,
            self.keep_phrases
        ));
        if !self.missed.is_empty() {
            out.push_str("missed (false negatives):\n");
            for (id, category, value) in &self.missed {
                out.push_str(&format!("  casus {id}: {} '{value}'\n", category.code()));
            }
        }
        if !self.wrongly_removed.is_empty() {
            out.push_str("replaced but not personal (false positives):\n");
            for (id, word) in &self.wrongly_removed {
                out.push_str(&format!("  casus {id}: '{word}'\n"));
            }
        }
        out
    }
}
