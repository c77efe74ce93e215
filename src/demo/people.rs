//! Made-up professionals for the demo: common Dutch first names and surnames combined at
//! random, with addresses at example.org, which can never reach anyone.

use super::plan::Rng;

const FIRST: &[&str] = &[
    "Anna", "Bram", "Chantal", "Daan", "Esther", "Fatima", "Gerrit", "Hanna", "Ilse", "Joost", "Karin", "Lars",
    "Mirjam", "Noah", "Olga", "Pieter", "Rachida", "Sander", "Tessa", "Umar", "Vera", "Wouter", "Yara", "Zeynep",
    "Bas", "Dewi", "Emre", "Floor", "Ingrid", "Jasper", "Kim", "Lotte", "Mohamed", "Nina", "Ruben", "Sanne",
];

const LAST: &[(&str, &str)] = &[
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("", "Kok"),
    ("", "Yilmaz"),
    ("", "El Amrani"),
    ("", "Kramer"),
    ("van", "Dam"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("", "Prins"),
];

pub struct Person {
    pub name: String,
    pub email: String,
}

/// `count` people with distinct addresses, always the same for the same seed.
pub fn people(rng: &mut Rng, count: usize) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let first = FIRST[rng.below(FIRST.len())];
        let (prefix, last) = LAST[rng.below(LAST.len())];
        let name = if prefix.is_empty() { format!("{first} {last}") } else { format!("{first} {prefix} {last}") };
        let local: String = format!("{first}.{prefix}{last}")
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let mut email = format!("{local}@example.org");
        let mut n = 2;
        while !seen.insert(email.clone()) {
            email = format!("{local}{n}@example.org");
            n += 1;
        }
        out.push(Person { name, email });
    }
    out
}
