//! Dutch wording of figures, the way municipal research reports write them: a verbal
//! quantifier next to the percentage ("bijna een vijfde (19%)", "twee derde (67%)"), small
//! counts hidden ("5% (dit zijn een paar mensen)"), Dutch decimals and dates.
//!
//! The quantifier is chosen from the exact fraction, not the rounded percentage: 10 of 54 is
//! 18.5%, just under a fifth, so "bijna een vijfde". A fraction within half a percentage
//! point of an anchor is that anchor ("de helft"); a little under an anchor (up to 4 points)
//! is "bijna"; a little over (up to 3 points) is "ruim". When both apply, "bijna" wins,
//! because readers take "bijna X" as the closer description.

use chrono::{Datelike, NaiveDate};

/// The fractions that have a name, with that name.
const ANCHORS: &[(f64, &str)] = &[
    (0.1, "1 op de 10"),
    (0.2, "een vijfde"),
    (0.25, "een kwart"),
    (0.3, "3 op de 10"),
    (1.0 / 3.0, "een derde"),
    (0.4, "4 op de 10"),
    (0.5, "de helft"),
    (0.6, "6 op de 10"),
    (2.0 / 3.0, "twee derde"),
    (0.7, "7 op de 10"),
    (0.75, "driekwart"),
    (0.8, "8 op de 10"),
    (0.9, "9 op de 10"),
];

const EXACT: f64 = 0.005;
const BIJNA: f64 = 0.04;
const RUIM: f64 = 0.03;
/// 0.5 - 0.46 is 0.04000000000000001 in binary floating point; boundaries are inclusive.
const SLACK: f64 = 1e-9;

/// The verbal quantifier for `count` of `base`, if the fraction is close to a named one.
pub fn quantifier(count: u64, base: u64) -> Option<String> {
    if base == 0 {
        return None;
    }
    if count == base {
        return Some("iedereen".into());
    }
    let f = count as f64 / base as f64;
    if let Some((_, name)) = ANCHORS.iter().find(|(a, _)| (f - a).abs() < EXACT) {
        return Some(name.to_string());
    }
    if let Some((_, name)) = ANCHORS.iter().find(|(a, _)| *a > f && a - f <= BIJNA + SLACK) {
        return Some(format!("bijna {name}"));
    }
    ANCHORS.iter().rev().find(|(a, _)| *a < f && f - a <= RUIM + SLACK).map(|(_, name)| format!("ruim {name}"))
}

/// How a share of respondents is written in running text.
/// - a category smaller than `min_count` people: "5% (dit zijn een paar mensen)", never a count;
/// - otherwise, with a quantifier: "bijna een vijfde (19%)";
/// - otherwise just "12%".
pub fn share(count: u64, base: u64, min_count: u64) -> String {
    let pct = super::figures::percent(count, base);
    if count > 0 && count < min_count {
        return format!("{pct}% (dit zijn een paar mensen)");
    }
    match quantifier(count, base) {
        Some(q) => format!("{q} ({pct}%)"),
        None => format!("{pct}%"),
    }
}

/// A number of people in running text: "een paar" below the disclosure threshold.
pub fn people(count: u64, min_count: u64) -> String {
    if count > 0 && count < min_count { "een paar".into() } else { count.to_string() }
}

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
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_report_phrases() {
        assert_eq!(quantifier(10, 54).as_deref(), Some("bijna een vijfde")); // 18.5%
        assert_eq!(quantifier(32, 44).as_deref(), Some("bijna driekwart")); // 72.7%
        assert_eq!(quantifier(10, 44).as_deref(), Some("bijna een kwart")); // 22.7%
        assert_eq!(quantifier(10, 15).as_deref(), Some("twee derde")); // 66.7%
        assert_eq!(quantifier(7, 20).as_deref(), Some("ruim een derde")); // 35%
        assert_eq!(quantifier(15, 41).as_deref(), Some("bijna 4 op de 10")); // 36.6%
        assert_eq!(quantifier(8, 20).as_deref(), Some("4 op de 10"));
        assert_eq!(quantifier(10, 20).as_deref(), Some("de helft"));
        assert_eq!(quantifier(15, 20).as_deref(), Some("driekwart"));
        assert_eq!(quantifier(5, 20).as_deref(), Some("een kwart"));
        assert_eq!(quantifier(4, 15).as_deref(), Some("bijna 3 op de 10")); // 26.7%
        assert_eq!(quantifier(15, 54).as_deref(), Some("bijna 3 op de 10")); // 27.8%
        assert_eq!(quantifier(18, 54).as_deref(), Some("een derde"));
        assert_eq!(quantifier(35, 54).as_deref(), Some("bijna twee derde")); // 64.8%
        assert_eq!(quantifier(6, 20).as_deref(), Some("3 op de 10"));
        assert_eq!(quantifier(2, 20).as_deref(), Some("1 op de 10"));
    }

    #[test]
    fn boundaries_of_bijna_ruim_and_exact() {
        // Exact within half a point.
        assert_eq!(quantifier(499, 1000).as_deref(), Some("de helft"));
        assert_eq!(quantifier(504, 1000).as_deref(), Some("de helft"));
        // bijna: up to 4 points under; beyond that, nothing or the anchor below.
        assert_eq!(quantifier(460, 1000).as_deref(), Some("bijna de helft"));
        assert_eq!(quantifier(459, 1000), None);
        // ruim: up to 3 points over.
        assert_eq!(quantifier(530, 1000).as_deref(), Some("ruim de helft"));
        assert_eq!(quantifier(531, 1000), None);
        // Between two anchors close together, bijna wins.
        assert_eq!(quantifier(310, 1000).as_deref(), Some("bijna een derde"));
        // Everyone, nobody, tiny shares.
        assert_eq!(quantifier(7, 7).as_deref(), Some("iedereen"));
        assert_eq!(quantifier(0, 7), None);
        assert_eq!(quantifier(3, 100), None);
        assert_eq!(quantifier(1, 0), None);
        assert_eq!(quantifier(92, 100).as_deref(), Some("ruim 9 op de 10"));
    }

    #[test]
    fn small_counts_are_never_printed() {
        assert_eq!(share(2, 44, 5), "5% (dit zijn een paar mensen)");
        assert_eq!(share(5, 44, 5), "ruim 1 op de 10 (11%)");
        assert_eq!(share(3, 100, 2), "3%");
        assert_eq!(share(10, 54, 5), "bijna een vijfde (19%)");
        assert_eq!(share(0, 44, 5), "0%");
        assert_eq!(people(3, 5), "een paar");
        assert_eq!(people(5, 5), "5");
        assert_eq!(people(0, 5), "0");
    }

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
