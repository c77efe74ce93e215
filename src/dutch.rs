//! Dutch formatting of numbers, dates and lists, for every place that writes to a person: the
//! report, the e-mails, the pages and the command line's messages. "3,3", "17 mei 2021",
//! "17 tot en met 31 mei 2021", "a, b en c".

use chrono::{Datelike, NaiveDate};

/// First letter upper case, for a phrase that starts a sentence.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A decimal number the Dutch way, "3,3", rounded half away from zero as percentages are
/// (6,25 is 6,3; formatting alone would round it to the even 6,2).
pub fn decimal(x: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals.min(9) as i32);
    let x = (x * scale).round() / scale;
    format!("{x:.decimals$}").replace('.', ",")
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// "17 mei 2021"
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// "Juni 2021", for the cover.
pub fn month_year(d: NaiveDate) -> String {
    capitalize(&format!("{} {}", month_name(d.month()), d.year()))
}

/// "17 tot en met 31 mei 2021", or with both months and years where they differ.
pub fn period(from: NaiveDate, to: NaiveDate) -> String {
    if from.year() != to.year() {
        format!("{} tot en met {}", date(from), date(to))
    } else if from.month() != to.month() {
        format!("{} {} tot en met {}", from.day(), month_name(from.month()), date(to))
    } else {
        format!("{} tot en met {}", from.day(), date(to))
    }
}

/// "a, b en c"
pub fn list(items: &[String]) -> String {
    joined(items, "en")
}

/// "a, b of c"
pub fn list_or(items: &[String]) -> String {
    joined(items, "of")
}

fn joined(items: &[String], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {last_word} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers_dates_and_lists() {
        assert_eq!(decimal(3.2777, 1), "3,3");
        assert_eq!(capitalize("bijna driekwart"), "Bijna driekwart");
        assert_eq!(capitalize("één"), "Één");
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(period(d(2021, 5, 17), d(2021, 5, 31)), "17 tot en met 31 mei 2021");
        assert_eq!(period(d(2021, 5, 17), d(2021, 6, 2)), "17 mei tot en met 2 juni 2021");
        assert_eq!(period(d(2021, 12, 20), d(2022, 1, 5)), "20 december 2021 tot en met 5 januari 2022");
        assert_eq!(month_year(d(2021, 6, 1)), "Juni 2021");
        assert_eq!(list(&["a".into(), "b".into(), "c".into()]), "a, b en c");
        assert_eq!(list(&["a".into()]), "a");
    }
}
