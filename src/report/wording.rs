//! Dutch wording of figures, the way municipal research reports write them: a verbal
//! quantifier next to the percentage ("bijna een vijfde (19%)", "twee derde (67%)"), small
//! counts hidden ("5% (dit zijn een paar mensen)"). Numbers, dates and lists are written by
//! `crate::dutch`, which mail and invitations use too.
//!
//! The quantifier is chosen from the exact fraction, not the rounded percentage: 10 of 54 is
//! 18.5%, just under a fifth, so "bijna een vijfde". A fraction within half a percentage
//! point of an anchor is that anchor ("de helft"); a little under an anchor (up to 4 points)
//! is "bijna"; a little over (up to 3 points) is "ruim". When both apply, "bijna" wins,
//! because readers take "bijna X" as the closer description.

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
}
