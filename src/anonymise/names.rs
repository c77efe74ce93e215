//! Names and street addresses: the details without a fixed shape. Names are found from lists
//! (first names, surnames), from titles and initials ("mevrouw", "dhr. P."), from words that
//! introduce a person ("zoon", "cliënt") and from the names of invitees and users; a name then
//! runs on over tussenvoegsels and capitalised words. Addresses are a street (a capitalised
//! word ending in a street word such as -straat or -gracht) followed by a house number.

use super::{Category, Found};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

fn list(text: &str) -> HashSet<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase).collect()
}

static FIRST_NAMES: LazyLock<HashSet<String>> =
    LazyLock::new(|| list(include_str!("../../assets/anonymise/voornamen.txt")));
static SURNAMES: LazyLock<HashSet<String>> =
    LazyLock::new(|| list(include_str!("../../assets/anonymise/achternamen.txt")));
/// Names that are also ordinary words ("Bakker", "Visser"): only a name next to other name parts.
static COMMON: LazyLock<HashSet<String>> =
    LazyLock::new(|| list(include_str!("../../assets/anonymise/gewone_woorden.txt")));
static NEVER: LazyLock<HashSet<String>> = LazyLock::new(|| list(include_str!("../../assets/anonymise/geen_namen.txt")));
static STREET_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut words: Vec<String> = list(include_str!("../../assets/anonymise/straatwoorden.txt")).into_iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
});

const TITLES: &[&str] = &[
    "mevrouw", "mevr", "mw", "meneer", "mijnheer", "mr", "dhr", "heer", "juffrouw", "juf", "familie", "fam", "dokter",
    "dr",
];
const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "het", "'t", "ter", "ten", "te", "in", "op", "el", "al", "ben", "bin", "da", "dos",
    "del", "la", "le", "du", "von", "zu", "ou", "abu",
];
/// Words after which a capitalised word is a person ("haar zoon Daan", "cliënt Yusuf").
const RELATIONS: &[&str] = &[
    "cliënt",
    "client",
    "cliente",
    "moeder",
    "vader",
    "zoon",
    "dochter",
    "broer",
    "zus",
    "zusje",
    "broertje",
    "oma",
    "opa",
    "partner",
    "vriend",
    "vriendin",
    "buurvrouw",
    "buurman",
    "ex",
    "ex-partner",
    "echtgenoot",
    "echtgenote",
    "genaamd",
    "heet",
    "namens",
    "tante",
    "oom",
    "neef",
    "nicht",
    "stiefvader",
    "stiefmoeder",
    "kleinzoon",
    "kleindochter",
    "mentor",
];

static WORD: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"'t\b|[\p{L}][\p{L}\p{M}'’]*(?:-[\p{L}][\p{L}\p{M}'’]*)*").expect("a valid pattern")
});
static HOUSE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"^\s+\d{1,4}(?:\s?-?\s?(?:bis|hs|huis|rood|zwart|boven|beneden|[a-zA-Z]\b|\d{1,3}\b))?")
        .expect("a valid pattern")
});

#[derive(Debug)]
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    lower: String,
    capital: bool,
    sentence_start: bool,
    /// A single capital with a full stop: an initial.
    initial: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    WORD.find_iter(text)
        .map(|m| {
            let before = text[..m.start()].trim_end();
            let w = m.as_str();
            let initial =
                w.chars().count() == 1 && w.chars().all(char::is_uppercase) && text[m.end()..].starts_with('.');
            Word {
                start: m.start(),
                end: m.end(),
                text: w,
                lower: w.trim_end_matches("'s").trim_end_matches("’s").to_lowercase(),
                capital: w.chars().next().is_some_and(char::is_uppercase),
                sentence_start: before.is_empty()
                    || before.ends_with(['.', '!', '?', ':', '\n', '"', '(']) && !initial_before(before),
                initial,
            }
        })
        .collect()
}

/// Whether text ends with an initial ("J."), after which a capital does not start a sentence.
fn initial_before(before: &str) -> bool {
    let mut chars = before.chars().rev();
    chars.next() == Some('.')
        && chars.next().is_some_and(char::is_uppercase)
        && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

fn is_particle(w: &Word) -> bool {
    PARTICLES.contains(&w.lower.as_str())
}

/// Only spaces (and the full stop of an initial or title) between two words.
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.end..b.start];
    gap.chars().all(|c| c == ' ' || c == '.' || c == '\u{a0}')
        && gap.chars().filter(|&c| c == '.').count() <= 1
        && (!gap.contains('.') || a.initial || TITLES.contains(&a.lower.as_str()))
}

/// Capitalised words that name a neighbourhood or village, not a person.
fn place_word(w: &Word) -> bool {
    ["wijk", "buurt", "kwartier", "dorp", "district", "polder", "stad"].iter().any(|s| w.lower.ends_with(s))
}

fn name_word(w: &Word) -> bool {
    w.capital && !NEVER.contains(&w.lower) && !place_word(w) && w.text.chars().any(char::is_lowercase) || w.initial
}

/// Tussenvoegsels that can open a name ("de Vries", "van Dijk"), unlike "in" or "op".
fn opens_name(w: &Word) -> bool {
    !is_particle(w) || w.capital || !["in", "op", "te", "het", "'t"].contains(&w.lower.as_str())
}

/// From word `i`, the words that belong to one name: initials, tussenvoegsels and
/// capitalised words. Returns the last word's index when the run holds a real name part.
fn name_run(text: &str, ws: &[Word], i: usize) -> Option<usize> {
    if !opens_name(&ws[i]) {
        return None;
    }
    let mut last_core = None;
    let mut j = i;
    while j < ws.len() {
        if j > i && !adjacent(text, &ws[j - 1], &ws[j]) {
            break;
        }
        let w = &ws[j];
        if w.initial || name_word(w) && !is_particle(w) {
            last_core = Some(j);
        } else if !is_particle(w) {
            break;
        }
        j += 1;
    }
    last_core.filter(|&l| ws[i..=l].iter().any(|w| !w.initial && !is_particle(w)))
}

/// After a title: tussenvoegsels and a surname from the list, all in lower case.
fn lowercase_surname(text: &str, ws: &[Word], i: usize) -> Option<usize> {
    let mut j = i;
    while j < ws.len() && is_particle(&ws[j]) && (j == i || adjacent(text, &ws[j - 1], &ws[j])) {
        j += 1;
    }
    let w = ws.get(j)?;
    (j == i || adjacent(text, &ws[j - 1], w)).then_some(())?;
    (!w.capital && SURNAMES.contains(&w.lower) && !NEVER.contains(&w.lower)).then_some(j)
}

pub fn find_names(text: &str, known: &HashSet<String>, out: &mut Vec<Found>) {
    let ws = words(text);
    let mut push = |from: usize, to: usize| out.push(Found::new(ws[from].start, ws[to].end, Category::Name));
    for i in 0..ws.len() {
        let w = &ws[i];
        // "mevrouw Jansen", "dhr. P. de Vries", "de heer Visser": the title stays, the name goes.
        if TITLES.contains(&w.lower.as_str()) && i + 1 < ws.len() && adjacent(text, w, &ws[i + 1]) {
            if let Some(end) = name_run(text, &ws, i + 1) {
                push(i + 1, end);
            } else if let Some(end) = lowercase_surname(text, &ws, i + 1) {
                // Typed in a hurry: "mw de jong".
                push(i + 1, end);
            }
            continue;
        }
        if w.initial {
            if let Some(end) = name_run(text, &ws, i) {
                push(i, end);
            }
            continue;
        }
        if RELATIONS.contains(&w.lower.as_str()) && i + 1 < ws.len() && adjacent(text, w, &ws[i + 1]) {
            let next = &ws[i + 1];
            if next.capital
                && !NEVER.contains(&next.lower)
                && !next.sentence_start
                && let Some(end) = name_run(text, &ws, i + 1)
            {
                push(i + 1, end);
            }
        }
        // Invitees and users are redacted however they are written, "jansen" too.
        if known.contains(&w.lower) {
            if let Some(end) = name_run(text, &ws, i).filter(|_| w.capital) {
                push(i, end);
            } else {
                push(i, i);
            }
            continue;
        }
        if !w.capital && !is_particle(w) {
            continue;
        }
        if NEVER.contains(&w.lower) && !is_particle(w) {
            continue;
        }
        let known_name = known.contains(&w.lower);
        let first = FIRST_NAMES.contains(&w.lower);
        let surname = SURNAMES.contains(&w.lower);
        let common = COMMON.contains(&w.lower);
        if is_particle(w) {
            // "van der Berg", "El Amrani": a tussenvoegsel before a known surname.
            if let Some(end) = name_run(text, &ws, i) {
                let core = ws[i..=end].iter().find(|x| !is_particle(x));
                // A tussenvoegsel comes before a surname; before a first name ("het gezin van
                // Yusuf Demir") it is an ordinary word and the name is found at the first name.
                let cores = ws[i..=end].iter().filter(|x| !is_particle(x)).count();
                let first_name_next =
                    core.is_some_and(|c| FIRST_NAMES.contains(&c.lower) && (!SURNAMES.contains(&c.lower) || cores > 1));
                if !first_name_next
                    && core.is_some_and(|c| SURNAMES.contains(&c.lower) || known.contains(&c.lower))
                    && (!w.sentence_start || w.capital)
                {
                    push(i, end);
                }
            }
            continue;
        }
        let next_is_name = i + 1 < ws.len()
            && adjacent(text, w, &ws[i + 1])
            && (name_word(&ws[i + 1]) || is_particle(&ws[i + 1]) && name_run(text, &ws, i + 1).is_some());
        let accept = known_name || (first || surname) && (!common || next_is_name && !w.sentence_start);
        if accept && let Some(end) = name_run(text, &ws, i) {
            push(i, end);
        }
    }
}

fn street(w: &Word) -> bool {
    w.capital
        && STREET_WORDS.iter().any(|s| w.lower.ends_with(s.as_str()) && (w.lower.len() > s.len() + 2 || w.lower == *s))
}

pub fn find_addresses(text: &str, out: &mut Vec<Found>) {
    let ws = words(text);
    for (i, w) in ws.iter().enumerate() {
        if !street(w) {
            continue;
        }
        let Some(number) = HOUSE_NUMBER.find(&text[w.end..]) else { continue };
        // Back over the rest of the street name: "Van der Werffstraat", "Lange Mare".
        let mut from = i;
        while from > 0 && adjacent(text, &ws[from - 1], &ws[from]) {
            let prev = &ws[from - 1];
            let capital_word = prev.capital && !NEVER.contains(&prev.lower) && !TITLES.contains(&prev.lower.as_str());
            let starts_name = prev.capital && is_particle(prev);
            // "Willem de Zwijgerlaan", "Van der Werffstraat"; not "aan de Breestraat".
            let inner_particle = is_particle(prev)
                && !prev.capital
                && from >= 2
                && ws[from - 2].capital
                && !ws[from - 2].sentence_start
                && adjacent(text, &ws[from - 2], prev);
            if capital_word || starts_name || inner_particle {
                from -= 1;
            } else {
                break;
            }
        }
        out.push(Found::new(ws[from].start, w.end + number.end(), Category::Address));
    }
}
