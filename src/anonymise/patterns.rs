//! Personal details with a shape: email addresses, phone numbers, BSN (elfproef), IBAN
//! (mod 97), postcodes, licence plates, case numbers, dates and ages. Each finder returns
//! candidate spans in byte offsets of the original text; `super` settles overlaps.

use super::{Category, Found};
use regex::Regex;
use std::sync::LazyLock;

fn compile(pattern: &str) -> Regex {
    // The patterns are constants of this file, covered by its tests.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("a valid pattern")
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b[a-z0-9._%+\-]+ ?@ ?[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b"));
/// Anything that may be a phone number: an optional +31/0031 or (0..), then digits with
/// spaces, dashes, dots or brackets. Whether it is one is decided on the digits.
static PHONE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:\+|\b00)?\(?\b\d[\d\s\-\.\(\)]{7,18}\d\b"));
static IBAN: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}\b"));
static NINE_DIGITS: LazyLock<Regex> = LazyLock::new(|| compile(r"\b\d(?:[ .]?\d){8}\b"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| compile(r"\b[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})\b"));
static PLATE: LazyLock<Regex> = LazyLock::new(|| compile(r"\b[A-Z0-9]{1,3}-[A-Z0-9]{1,3}-[A-Z0-9]{1,3}\b"));
static CASE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    // The keyword, up to four words ("klantnummer bij de leverancier 88412390"), the number.
    compile(
        r"(?i)\b(?:dossier|zaak|klant|casus|cliënt|client|registratie|referentie|aanvraag|kenmerk|polis|contract)\s?(?:nummer|nr\.?|no\.?)(?:\s+[\p{L}]+){0,4}?\s*:?\s*([a-z]{0,4}[/\-]?\d[a-z0-9/\-\.]*[a-z0-9])",
    )
});
const MONTHS: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec";
static DATE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"(?i)\b(?:[0-3]?\d)\s+(?:{MONTHS})\.?(?:\s+(?:19|20)\d{{2}})?\b")));
static DATE_NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:\d{1,2}[\-/\.]\d{1,2}[\-/\.](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b"));
static BIRTH: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\b(?:geboren(?:\s+op)?|geb\.?|geboortedatum:?)\s*$"));
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:(\d{1,3})\s*(?:jaar|jr\.?)(?:\s+oud)?|(\d{1,3})-jarige|(?:van|is|werd|wordt)\s+(\d{1,3})\b(?:\s+jaar)?)|\p{Lu}\p{L}+\s+\((\d{1,3})\)",
    )
});
/// Words after a number that make it an amount or a count, not an age.
static NOT_AN_AGE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^\s*(?:euro|eur|cent|procent|%|keer|km|kilo|kg|minuten|uur|dagen|weken|maanden|stuks|personen|kinderen)\b",
    )
});

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The Dutch "elfproef" of a BSN: 9·d1 + 8·d2 + ... + 2·d8 − d9 divisible by 11.
pub fn elfproef(number: &str) -> bool {
    let d: Vec<i64> = number.bytes().map(|b| i64::from(b - b'0')).collect();
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = d[..8].iter().enumerate().map(|(i, x)| x * (9 - i as i64)).sum::<i64>() - d[8];
    sum % 11 == 0
}

/// ISO 13616 check of an IBAN (spaces allowed).
pub fn iban_valid(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if compact.len() < 15 || compact.len() > 34 || !compact.is_char_boundary(4) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        for digit in if value >= 10 { vec![value / 10, value % 10] } else { vec![value] } {
            remainder = (remainder * 10 + digit) % 97;
        }
    }
    remainder == 1
}

/// Whether the digits of a candidate are a Dutch phone number: ten digits from 0 (not 00),
/// or 31 followed by nine, as +31 / 0031 write it.
fn is_phone(candidate: &str) -> bool {
    let d = digits(candidate);
    let national = if let Some(rest) = d.strip_prefix("0031") {
        format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
    } else if candidate.trim_start().starts_with('+') {
        match d.strip_prefix("31") {
            Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
            None => return d.len() >= 9 && d.len() <= 15,
        }
    } else {
        d
    };
    national.len() == 10 && national.starts_with('0') && !national.starts_with("00")
}

fn plate(candidate: &str) -> bool {
    let groups: Vec<&str> = candidate.split('-').collect();
    let letters = candidate.chars().filter(char::is_ascii_uppercase).count();
    let numbers = candidate.chars().filter(char::is_ascii_digit).count();
    // Every Dutch side code has six characters, letters and digits, with each group all
    // letters or all digits.
    groups.len() == 3
        && letters + numbers == 6
        && letters > 0
        && numbers > 0
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()) || g.chars().all(|c| c.is_ascii_uppercase()))
}

fn valid_date(text: &str) -> bool {
    let parts: Vec<u32> = text.split(['-', '/', '.']).filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] if *y > 1000 => (1..=12).contains(m) && (1..=31).contains(d),
        [d, m, _] => (1..=12).contains(m) && (1..=31).contains(d),
        _ => false,
    }
}

/// The longest start of `candidate` that ends at a word boundary and passes `valid`: a greedy
/// pattern may run on into the next word or number ("NL34 RABO ... 26 zodat").
fn longest_valid(candidate: &str, valid: impl Fn(&str) -> bool) -> Option<usize> {
    let ends = candidate
        .char_indices()
        .filter(|&(i, c)| !c.is_alphanumeric() && i > 0)
        .map(|(i, _)| i)
        .chain(std::iter::once(candidate.len()))
        .filter(|&i| candidate[..i].chars().next_back().is_some_and(char::is_alphanumeric));
    let mut ends: Vec<usize> = ends.collect();
    ends.dedup();
    ends.into_iter().rev().find(|&i| valid(&candidate[..i]))
}

pub fn find(text: &str, ages_with_details: bool, out: &mut Vec<Found>) {
    for m in EMAIL.find_iter(text) {
        out.push(Found::new(m.start(), m.end(), Category::Email));
    }
    for m in IBAN.find_iter(text) {
        if let Some(len) = longest_valid(m.as_str(), iban_valid) {
            out.push(Found::new(m.start(), m.start() + len, Category::Iban));
        }
    }
    for m in NINE_DIGITS.find_iter(text) {
        if elfproef(&digits(m.as_str())) {
            out.push(Found::new(m.start(), m.end(), Category::Bsn));
        }
    }
    for m in PHONE.find_iter(text) {
        // A run of digits and separators may hold an amount, a number and more: try every
        // place a number can start, and the longest valid number from there.
        let run = m.as_str();
        let mut from = 0;
        while from < run.len() {
            let starts_here =
                run[from..].starts_with(['+', '(']) || run[from..].starts_with(|c: char| c.is_ascii_digit());
            let after_digit = run[..from].ends_with(|c: char| c.is_ascii_digit());
            if starts_here
                && !after_digit
                && let Some(len) = longest_valid(&run[from..], is_phone)
            {
                let s = &run[from..from + len];
                // A bracket belongs to the number only when it closes inside it: "(071) 512 3456",
                // not "(06-12345678)".
                let skip = usize::from(s.starts_with('(') && !s.contains(')'));
                out.push(Found::new(m.start() + from + skip, m.start() + from + len, Category::Phone));
                from += len;
                continue;
            }
            from += run[from..].chars().next().map_or(1, char::len_utf8);
        }
    }
    for m in POSTCODE.find_iter(text) {
        out.push(Found::new(m.start(), m.end(), Category::Postcode));
    }
    for m in PLATE.find_iter(text) {
        if plate(m.as_str()) {
            out.push(Found::new(m.start(), m.end(), Category::Plate));
        }
    }
    for c in CASE_NUMBER.captures_iter(text) {
        if let Some(number) = c.get(1) {
            out.push(Found::new(number.start(), number.end(), Category::CaseNumber));
        }
    }
    let mut dates: Vec<(usize, usize)> = DATE_WORDS.find_iter(text).map(|m| (m.start(), m.end())).collect();
    dates.extend(DATE_NUMERIC.find_iter(text).filter(|m| valid_date(m.as_str())).map(|m| (m.start(), m.end())));
    for (start, end) in dates {
        let birth = BIRTH.is_match(&text[start.saturating_sub(24)..start]) || {
            let before = text[..start].to_lowercase();
            before.trim_end().ends_with("geboren op") || before.trim_end().ends_with("geb.")
        };
        out.push(Found::new(start, end, if birth { Category::BirthDate } else { Category::Date }));
    }
    for c in AGE.captures_iter(text) {
        let Some(number) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)).or_else(|| c.get(4)) else { continue };
        if NOT_AN_AGE.is_match(&text[number.end()..]) || text[..number.start()].trim_end().ends_with('€') {
            continue;
        }
        let Ok(age) = number.as_str().parse::<u32>() else { continue };
        let whole = c.get(0).map_or((number.start(), number.end()), |m| (m.start(), m.end()));
        let sentence = sentence_around(text, whole.0, whole.1);
        if age > 89 && age < 130 || ages_with_details && (14..130).contains(&age) && has_detail(sentence) {
            out.push(Found::new(number.start(), number.end(), Category::Age));
        }
    }
}

/// The sentence that holds `start..end`.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let to = text[end..].find(['.', '!', '?', '\n']).map_or(text.len(), |i| end + i);
    &text[from..to]
}

/// Whether a sentence ties an age to a place or other detail ("uit de Merenwijk", "woont in").
fn has_detail(sentence: &str) -> bool {
    static DETAIL: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:uit\s+(?:de\s+|het\s+)?\p{Lu}|woont|wonend|woonachtig|afkomst|afkomstig|geboren|opgegroeid)")
    });
    DETAIL.is_match(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(elfproef("111222333"));
        assert!(!elfproef("111222334"));
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(iban_valid("NL91 ABNA 0417 1643 00"));
        assert!(!iban_valid("NL91ABNA0417164301"));
    }

    #[test]
    fn dutch_phone_numbers_in_their_usual_forms() {
        for yes in [
            "06-12345678",
            "06 1234 5678",
            "0612345678",
            "+31 6 12345678",
            "+31612345678",
            "0031 6 12345678",
            "071-5123456",
            "071 512 34 56",
            "020-1234567",
            "+31 (0)71 512 3456",
        ] {
            assert!(is_phone(yes), "{yes}");
        }
        for no in ["2021-04417", "12-03-2021", "123456789", "1.250"] {
            assert!(!is_phone(no), "{no}");
        }
    }

    fn kinds(text: &str) -> Vec<(String, Category)> {
        let mut out = Vec::new();
        find(text, true, &mut out);
        out.into_iter().map(|f| (text[f.start..f.end].to_string(), f.category)).collect()
    }

    #[test]
    fn shapes_are_found_with_their_category() {
        let found = kinds(
            "Bel (071) 512 3456 of mail a.b@hotmail.com; geboren op 14-02-1987, sinds 3 maart 2021 \
                           in 2312 AB, auto 12-ABC-3, dossiernummer 2021-04417, een vrouw van 93.",
        );
        let has = |s: &str, c: Category| found.iter().any(|(t, k)| t == s && *k == c);
        assert!(has("(071) 512 3456", Category::Phone), "{found:?}");
        assert!(has("a.b@hotmail.com", Category::Email));
        assert!(has("14-02-1987", Category::BirthDate));
        assert!(has("3 maart 2021", Category::Date));
        assert!(has("2312 AB", Category::Postcode));
        assert!(has("12-ABC-3", Category::Plate));
        assert!(has("2021-04417", Category::CaseNumber));
        assert!(has("93", Category::Age));
        assert!(kinds("3 kinderen, € 1.250 en 250 euro, een moeder van 34.").is_empty());
    }
}
