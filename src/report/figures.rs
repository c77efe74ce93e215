//! From counts to the numbers printed in a figure: the base, a bar per category and means.
//!
//! Bases follow the report's conventions:
//! - the respondents who were shown the question and answered it (routing narrows it);
//! - minus those who answered "weet niet" (an option marked `dont_know`), who are counted
//!   apart, so "% van de 41 respondenten die een antwoord weten op deze vraag";
//! - a multiple-answer question is a percentage of respondents, so its bars may add up to
//!   more than 100%.
//!
//! Percentages are rounded per category, half away from zero (18.5% prints as 19%), and need
//! not add up to 100.

use super::definition::{Bin, FigureSpec};
use super::stats::QuestionCounts;
use crate::questionnaire::model::slug;
use crate::questionnaire::{ChoiceStyle, OffScale, Question, QuestionKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The option code, or the bin label for binned numbers.
    pub key: String,
    pub count: u64,
    pub percent: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figure {
    pub question: String,
    pub title: String,
    pub base: u64,
    /// Respondents who answered "weet niet", left out of the base.
    pub dont_know: u64,
    pub multiple: bool,
    /// The kind of question, for placeholders that fit only some kinds (`prose::PLACEHOLDERS`).
    pub kind: FigureKind,
    /// The question has a "weet niet" answer (even if nobody chose it).
    pub asks_dont_know: bool,
    /// The categories that make up the base, in the order they are drawn: a scale's points,
    /// then its answers beside the scale that count in the base (`off_scale`).
    pub bars: Vec<Bar>,
    /// A scale's answers beside its points that count in the base ("geen mening" with
    /// `in_base = true`), as percentages of the base; they are also the last of `bars`.
    pub off_scale: Vec<Bar>,
    /// A scale's answers beside its points kept out of the base ("niet van toepassing" with
    /// `in_base = false`), as percentages of everyone who answered the question.
    pub off_scale_apart: Vec<Bar>,
    /// For numbers: the mean over everyone who answered (an opt-out with a value counts as
    /// that value), and over those who gave a number.
    pub mean_all: Option<f64>,
    pub mean_given: Option<f64>,
    /// For numbers and rating scales: how many gave a number, and the median of those numbers
    /// (the middle one, or halfway between the middle two).
    pub given: u64,
    pub median: Option<f64>,
    /// How many people `mean_all` is over: those who gave a number, plus those who ticked an
    /// opt-out box with a value.
    pub mean_all_base: u64,
}

/// What kind of question a figure shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FigureKind {
    /// The default only for a `Figure::default()`; `figure` always says.
    #[default]
    Single,
    YesNo,
    /// A scale with a label per point (zeer positief .. zeer negatief).
    Scale,
    Multiple,
    /// A numbered scale (a 1-10 rapportcijfer).
    Rating,
    Number,
    Open,
}

impl FigureKind {
    pub fn of(kind: &QuestionKind) -> FigureKind {
        match kind {
            QuestionKind::Choice { style: ChoiceStyle::Single, .. } => FigureKind::Single,
            QuestionKind::Choice { style: ChoiceStyle::YesNo, .. } => FigureKind::YesNo,
            QuestionKind::Choice { style: ChoiceStyle::Scale, .. } => FigureKind::Scale,
            QuestionKind::Multiple { .. } => FigureKind::Multiple,
            QuestionKind::Rating { .. } => FigureKind::Rating,
            QuestionKind::Number { .. } => FigureKind::Number,
            QuestionKind::Text { .. } => FigureKind::Open,
        }
    }

    /// The kind in a sentence, for error messages: "niet bij een schaal met labels".
    pub fn name(self) -> &'static str {
        match self {
            FigureKind::Single => "een vraag met één antwoord",
            FigureKind::YesNo => "een ja/nee-vraag",
            FigureKind::Scale => "een schaal met labels",
            FigureKind::Multiple => "een vraag met meerdere antwoorden",
            FigureKind::Rating => "een cijferschaal",
            FigureKind::Number => "een getalvraag",
            FigureKind::Open => "een open vraag",
        }
    }
}

impl Figure {
    /// The categories of the scale itself, without the answers beside it: what a share of the
    /// top two points or a distribution over the scale is about.
    pub fn points(&self) -> &[Bar] {
        &self.bars[..self.bars.len().saturating_sub(self.off_scale.len())]
    }

    /// Everyone who answered the question: the base, "weet niet" and the answers kept apart.
    pub fn answered(&self) -> u64 {
        self.base + self.dont_know + self.off_scale_apart.iter().map(|b| b.count).sum::<u64>()
    }
}

/// `count` as a whole percentage of `base`, rounded half away from zero; 0 when the base is 0.
pub fn percent(count: u64, base: u64) -> i64 {
    if base == 0 {
        return 0;
    }
    // Integer arithmetic, so 18.5 never becomes 18.4999 and rounds down.
    ((200 * count as u128 + base as u128) / (2 * base as u128)) as i64
}

fn bar(label: &str, key: &str, count: u64, base: u64) -> Bar {
    Bar { label: label.to_string(), key: key.to_string(), count, percent: percent(count, base) }
}

/// Computes one figure. `spec` may bin a number question; without bins, every number given
/// becomes a bar of its own.
pub fn figure(question: &Question, spec: &FigureSpec, counts: &QuestionCounts) -> Figure {
    let title = spec.title.clone().unwrap_or_else(|| question.text.clone());
    let mut out = Figure {
        question: question.id.clone(),
        title,
        base: counts.answered,
        dont_know: 0,
        multiple: false,
        kind: FigureKind::of(&question.kind),
        asks_dont_know: question.options().iter().any(|o| o.dont_know),
        bars: Vec::new(),
        off_scale: Vec::new(),
        off_scale_apart: Vec::new(),
        mean_all: None,
        mean_given: None,
        given: counts.numbers.values().sum(),
        median: median(&counts.numbers),
        mean_all_base: 0,
    };
    match &question.kind {
        QuestionKind::Choice { options, .. } | QuestionKind::Multiple { options, .. } => {
            out.multiple = matches!(question.kind, QuestionKind::Multiple { .. });
            out.dont_know = options.iter().filter(|o| o.dont_know).map(|o| counts.option(&o.code)).sum();
            beside_the_scale(&mut out, options, counts);
            out.bars = options
                .iter()
                .filter(|o| o.is_point())
                .map(|o| bar(&o.label, &o.code, counts.option(&o.code), out.base))
                .collect();
            out.bars.extend(out.off_scale.iter().cloned());
        }
        QuestionKind::Rating { from, to, options, low_label, high_label } => {
            out.dont_know = options.iter().filter(|o| o.dont_know).map(|o| counts.option(&o.code)).sum();
            beside_the_scale(&mut out, options, counts);
            out.bars = if spec.bins.is_empty() {
                // The ends carry their words ("1 (nooit)"), so a chart of numbers says which way is up.
                let label = |n: i64| match (n == *from, n == *to, low_label, high_label) {
                    (true, _, Some(l), _) | (_, true, _, Some(l)) => format!("{n} ({})", l.trim()),
                    _ => n.to_string(),
                };
                (*from..=*to)
                    .map(|n| bar(&label(n), &n.to_string(), counts.numbers.get(&n).copied().unwrap_or(0), out.base))
                    .collect()
            } else {
                // A 1-10 rapportcijfer in ranges ("onvoldoende" 1-5, "voldoende" 6-10); the
                // mean stays that of the points given.
                binned_bars(&spec.bins, None, 0, counts, out.base)
            };
            // Answers beside the scale are options, never numbers: the means leave them out.
            out.bars.extend(out.off_scale.iter().cloned());
            out.mean_given = mean(counts.numbers.iter().map(|(n, c)| (*n, *c)));
            out.mean_all = out.mean_given;
            out.mean_all_base = out.given;
        }
        QuestionKind::Number { opt_out, .. } => {
            let opted = opt_out.as_ref().map(|o| counts.option(&o.code)).unwrap_or(0);
            out.bars = number_bars(spec, opt_out.as_ref().map(|o| o.label.as_str()), opted, counts);
            out.mean_given = mean(counts.numbers.iter().map(|(n, c)| (*n, *c)));
            (out.mean_all, out.mean_all_base) = match opt_out.as_ref().and_then(|o| o.value) {
                Some(v) => (mean(counts.numbers.iter().map(|(n, c)| (*n, *c)).chain([(v, opted)])), out.given + opted),
                None => (out.mean_given, out.given),
            };
        }
        QuestionKind::Text { .. } => {}
    }
    out
}

/// The base (answered minus "weet niet" and the answers kept apart) and the bars of the
/// answers beside the scale, for a question whose "weet niet" is already counted.
fn beside_the_scale(out: &mut Figure, options: &[crate::questionnaire::Choice], counts: &QuestionCounts) {
    let apart: u64 =
        options.iter().filter(|o| o.off_scale == Some(OffScale::Apart)).map(|o| counts.option(&o.code)).sum();
    out.base = counts.answered.saturating_sub(out.dont_know + apart);
    let answered = out.base + out.dont_know + apart;
    for o in options {
        match o.off_scale {
            Some(OffScale::InBase) => out.off_scale.push(bar(&o.label, &o.code, counts.option(&o.code), out.base)),
            Some(OffScale::Apart) => out.off_scale_apart.push(bar(&o.label, &o.code, counts.option(&o.code), answered)),
            None => {}
        }
    }
}

fn number_bars(spec: &FigureSpec, opt_out_label: Option<&str>, opted: u64, counts: &QuestionCounts) -> Vec<Bar> {
    let base = counts.answered;
    if spec.bins.is_empty() {
        let mut bars: Vec<Bar> = Vec::new();
        if let Some(label) = opt_out_label {
            bars.push(bar(label, &slug(label), opted, base));
        }
        if !needs_ranges(counts) {
            bars.extend(counts.numbers.iter().map(|(n, c)| bar(&n.to_string(), &n.to_string(), *c, base)));
        } else {
            bars.extend(automatic_bins(counts, base));
        }
        return bars;
    }
    binned_bars(&spec.bins, opt_out_label, opted, counts, base)
}

/// A bar per bin of the definition, then the opt-out box when no bin holds it, then "Overig"
/// for numbers that no bin holds.
fn binned_bars(bins: &[Bin], opt_out_label: Option<&str>, opted: u64, counts: &QuestionCounts, base: u64) -> Vec<Bar> {
    let mut bars: Vec<Bar> = bins
        .iter()
        .map(|b: &Bin| {
            let count = if b.opt_out {
                opted
            } else {
                counts.numbers.iter().filter(|(n, _)| b.contains(**n)).map(|(_, c)| c).sum()
            };
            bar(&b.label, &b.key(), count, base)
        })
        .collect();
    // Answers that no bin holds are shown, not dropped: the bars must account for the base.
    if !bins.iter().any(|b| b.opt_out)
        && let Some(label) = opt_out_label.filter(|_| opted > 0)
    {
        bars.push(bar(label, &slug(label), opted, base));
    }
    let outside: u64 =
        counts.numbers.iter().filter(|(n, _)| !bins.iter().any(|b| b.contains(**n))).map(|(_, c)| c).sum();
    if outside > 0 {
        bars.push(bar(OUTSIDE_BINS, &slug(OUTSIDE_BINS), outside, base));
    }
    bars
}

/// A group's figure in the categories of the total's: where the total grouped many distinct
/// numbers into ranges of its own, the group is counted in those same ranges, so every cell of
/// a per-group table counts what its row says.
pub fn figure_like(question: &Question, spec: &FigureSpec, total: &QuestionCounts, counts: &QuestionCounts) -> Figure {
    let automatic = matches!(question.kind, QuestionKind::Number { .. }) && spec.bins.is_empty() && needs_ranges(total);
    if !automatic {
        return figure(question, spec, counts);
    }
    let bins = automatic_ranges(total)
        .into_iter()
        .map(|(from, to)| Bin {
            label: range_label(from, to),
            key: None,
            opt_out: false,
            from: Some(from),
            to: Some(to),
        })
        .collect();
    figure(question, &FigureSpec { bins, ..spec.clone() }, counts)
}

/// Whether numbers given without bins in the definition are grouped into ranges: when a bar
/// per value would be many bars (more than `MAX_UNBINNED`), or when the values are spread so far
/// apart that single values say little (more than `MAX_SPREAD_UNBINNED` distinct values over a
/// span of more than `MAX_SPAN_UNBINNED`: hours of 4, 8, 12, ... 36).
fn needs_ranges(counts: &QuestionCounts) -> bool {
    let span = match (counts.numbers.first_key_value(), counts.numbers.last_key_value()) {
        (Some((lo, _)), Some((hi, _))) => hi.saturating_sub(*lo),
        _ => 0,
    };
    let distinct = counts.numbers.len();
    distinct > MAX_UNBINNED || (distinct > MAX_SPREAD_UNBINNED && span > MAX_SPAN_UNBINNED)
}

/// More distinct numbers than this, without bins in the definition, are grouped automatically.
pub const MAX_UNBINNED: usize = 15;
const MAX_SPREAD_UNBINNED: usize = 6;
const MAX_SPAN_UNBINNED: i64 = 12;
/// At most this many ranges when numbers are grouped automatically.
const MAX_RANGES: i64 = 7;

/// Ranges of a round width over the numbers given, so a chart never gets a bar per value.
fn automatic_bins(counts: &QuestionCounts, base: u64) -> Vec<Bar> {
    automatic_ranges(counts)
        .into_iter()
        .map(|(from, to)| {
            let count = counts.numbers.range(from..=to).map(|(_, c)| c).sum();
            let label = range_label(from, to);
            bar(&label, &slug(&label), count, base)
        })
        .collect()
}

fn range_label(from: i64, to: i64) -> String {
    if from == to { from.to_string() } else { format!("{from}-{to}") }
}

/// The ranges of `automatic_bins`: the smallest round width (1, 2, 5, 10, 20, 25, 50, 100, ...)
/// that covers the numbers given in at most `MAX_RANGES` ranges, each starting at a multiple of
/// the width (0-4, 5-9, ...), as a researcher would bin them by hand.
fn automatic_ranges(counts: &QuestionCounts) -> Vec<(i64, i64)> {
    let (Some((&lo, _)), Some((&hi, _))) = (counts.numbers.first_key_value(), counts.numbers.last_key_value()) else {
        return Vec::new();
    };
    let start = |w: i64| lo.div_euclid(w).saturating_mul(w);
    let ranges_for = |w: i64| (hi.saturating_sub(start(w)) / w).saturating_add(1);
    // 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, ...: 2.5 only from 25 on, to stay whole.
    let widths = std::iter::successors(Some(1i64), |s| s.checked_mul(10))
        .flat_map(|scale| [scale, scale * 2, scale.saturating_mul(25) / 10, scale * 5]);
    let width = widths.into_iter().find(|w| ranges_for(*w) <= MAX_RANGES).unwrap_or(i64::MAX / 2);
    let mut ranges = Vec::new();
    let mut from = start(width);
    while from <= hi {
        let to = from.saturating_add(width - 1);
        ranges.push((from, to));
        if to >= hi {
            break;
        }
        from = to + 1;
    }
    ranges
}

/// The label of the bar for numbers that fall in none of the definition's bins.
pub const OUTSIDE_BINS: &str = "Overig";

/// The median of numbers given with their counts.
fn median(numbers: &std::collections::BTreeMap<i64, u64>) -> Option<f64> {
    let n: u64 = numbers.values().sum();
    if n == 0 {
        return None;
    }
    // The values at (1-based) places (n+1)/2 and n/2+1: the same place when n is odd.
    let at = |place: u64| {
        let mut seen = 0;
        numbers.iter().find_map(|(v, c)| {
            seen += c;
            (seen >= place).then_some(*v)
        })
    };
    let (low, high) = (at(n.div_ceil(2))?, at(n / 2 + 1)?);
    Some((low + high) as f64 / 2.0)
}

fn mean(values: impl Iterator<Item = (i64, u64)>) -> Option<f64> {
    let (sum, n) = values.fold((0f64, 0u64), |(s, n), (v, c)| (s + v as f64 * c as f64, n + c));
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse;
    use crate::report::definition::FigureSpec;
    use crate::report::stats::counts;

    const DEFINITION: &str = r#"
id = "t"
title = "T"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "K"
type = "yesno"
text = "Ken je het?"
dont_know = "Weet niet"
[[questions]]
id = "M"
type = "multiple"
text = "Wat?"
options = ["Een", "Twee", { label = "Weet niet", dont_know = true }]
[[questions]]
id = "N"
type = "number"
text = "Hoe vaak?"
opt_out = { label = "Nog nooit", value = 0 }
[[questions]]
id = "R"
type = "scale"
text = "Welk cijfer?"
from = 1
to = 10
dont_know = "Weet niet"
"#;

    fn spec(question: &str, bins: Vec<Bin>) -> FigureSpec {
        FigureSpec {
            question: question.into(),
            title: None,
            caption: None,
            text: None,
            summary: None,
            bins,
            by_group: false,
            breakdown: None,
        }
    }

    #[test]
    fn weet_niet_is_left_out_of_the_base() {
        let q = parse(DEFINITION).unwrap();
        let f = figure(
            q.question("K").unwrap(),
            &spec("K", vec![]),
            &counts(54, &[("ja", 26), ("nee", 15), ("weet_niet", 13)], &[]),
        );
        assert_eq!((f.base, f.dont_know), (41, 13));
        assert_eq!(f.bars.iter().map(|b| (b.key.as_str(), b.percent)).collect::<Vec<_>>(), [("ja", 63), ("nee", 37)]);
    }

    #[test]
    fn multiple_answers_are_percentages_of_respondents() {
        let q = parse(DEFINITION).unwrap();
        let f = figure(
            q.question("M").unwrap(),
            &spec("M", vec![]),
            &counts(26, &[("een", 15), ("twee", 10), ("weet_niet", 6)], &[]),
        );
        assert!(f.multiple);
        assert_eq!(f.base, 20);
        let total: i64 = f.bars.iter().map(|b| b.percent).sum();
        assert_eq!(total, 125, "bars of a multiple-answer question may add up to more than 100");
    }

    #[test]
    fn numbers_are_binned_and_nothing_falls_through() {
        let q = parse(DEFINITION).unwrap();
        let bins = vec![
            Bin { label: "Nog nooit".into(), key: None, opt_out: true, from: None, to: None },
            Bin { label: "1-4".into(), key: None, opt_out: false, from: Some(1), to: Some(4) },
        ];
        let c = counts(10, &[("nog_nooit", 2)], &[(1, 3), (4, 2), (9, 3)]);
        let f = figure(q.question("N").unwrap(), &spec("N", bins), &c);
        let bars: Vec<(&str, u64)> = f.bars.iter().map(|b| (b.label.as_str(), b.count)).collect();
        assert_eq!(bars, [("Nog nooit", 2), ("1-4", 5), (OUTSIDE_BINS, 3)]);
        // (3*1 + 2*4 + 3*9) = 38 over 8 numbers; with the two "nog nooit" as 0 over 10.
        assert_eq!((f.mean_given, f.given), (Some(38.0 / 8.0), 8));
        assert_eq!((f.mean_all, f.mean_all_base), (Some(3.8), 10));
    }

    #[test]
    fn a_rating_is_binned_and_keeps_the_mean_of_its_points() {
        let q = parse(DEFINITION).unwrap();
        let bins = vec![
            Bin { label: "Onvoldoende".into(), key: None, opt_out: false, from: Some(1), to: Some(5) },
            Bin { label: "Voldoende".into(), key: None, opt_out: false, from: Some(6), to: Some(10) },
        ];
        let c = counts(12, &[("weet_niet", 2)], &[(4, 2), (6, 3), (8, 5)]);
        let f = figure(q.question("R").unwrap(), &spec("R", bins), &c);
        let bars: Vec<(&str, u64, i64)> = f.bars.iter().map(|b| (b.key.as_str(), b.count, b.percent)).collect();
        assert_eq!(bars, [("onvoldoende", 2, 20), ("voldoende", 8, 80)]);
        assert_eq!((f.base, f.dont_know), (10, 2));
        assert_eq!(f.mean_given, Some(66.0 / 10.0));
    }

    #[test]
    fn many_distinct_numbers_are_grouped_and_an_opt_out_keeps_its_own_bar() {
        let q = parse(DEFINITION).unwrap();
        let numbers: Vec<(i64, u64)> = (1..=200).map(|n| (n, 1)).collect();
        let c = counts(203, &[("nog_nooit", 3)], &numbers);
        let f = figure(q.question("N").unwrap(), &spec("N", vec![]), &c);
        assert!(f.bars.len() <= 11, "{} bars", f.bars.len());
        assert_eq!(f.bars[0].label, "Nog nooit");
        assert_eq!(f.bars.iter().map(|b| b.count).sum::<u64>(), 203);
        let bins = vec![Bin { label: "1-4".into(), key: None, opt_out: false, from: Some(1), to: Some(4) }];
        let f = figure(q.question("N").unwrap(), &spec("N", bins), &c);
        assert!(f.bars.iter().any(|b| b.label == "Nog nooit" && b.count == 3), "not hidden in 'Overig'");
    }

    #[test]
    fn spread_numbers_get_round_ranges_and_a_few_close_ones_keep_a_bar_each() {
        let q = parse(DEFINITION).unwrap();
        let question = q.question("N").unwrap();
        let labels = |numbers: &[i64]| {
            let c = counts(numbers.len() as u64, &[], &numbers.iter().map(|n| (*n, 1)).collect::<Vec<_>>());
            figure(question, &spec("N", vec![]), &c).bars.into_iter().skip(1).map(|b| b.label).collect::<Vec<_>>()
        };
        // Hours of 4, 8, ... 36: nine values far apart become ranges of ten, from 0.
        let hours = labels(&[4, 8, 12, 16, 20, 24, 28, 32, 36]);
        assert_eq!(hours, ["0-9", "10-19", "20-29", "30-39"]);
        // 2 to 16 hours: ranges of five.
        assert_eq!(labels(&[2, 4, 6, 8, 10, 12, 16]), ["0-4", "5-9", "10-14", "15-19"]);
        // 1 to 9 children: close together, a bar each.
        assert_eq!(labels(&[1, 2, 3, 4, 5, 6, 7, 8, 9]).len(), 9);
        // Amounts of 0 to 1,950 euro: ranges of 500 (0-499, 500-999, ...).
        let amounts = labels(&(0..40).map(|i| i * 50).collect::<Vec<_>>());
        assert_eq!(amounts, ["0-499", "500-999", "1000-1499", "1500-1999"]);
    }

    #[test]
    fn a_group_is_counted_in_the_ranges_of_the_total() {
        // The total spans 1..200 and gets ranges of 50; a group that gave only 5..30 would get
        // ranges of its own (5-7, 8-10, ...), which no row of a per-group table has.
        let q = parse(DEFINITION).unwrap();
        let total = counts(200, &[], &(1..=200).map(|n| (n, 1)).collect::<Vec<_>>());
        let group = counts(26, &[], &(5..=30).map(|n| (n, 1)).collect::<Vec<_>>());
        let question = q.question("N").unwrap();
        let all = figure(question, &spec("N", vec![]), &total);
        let part = figure_like(question, &spec("N", vec![]), &total, &group);
        let keys = |f: &Figure| f.bars.iter().filter(|b| b.count > 0).map(|b| b.key.clone()).collect::<Vec<_>>();
        assert!(keys(&part).iter().all(|k| all.bars.iter().any(|b| &b.key == k)), "{:?}", keys(&part));
        let in_total = |key: &str| part.bars.iter().find(|b| b.key == key).map_or(0, |b| b.count);
        assert_eq!((in_total("0_49"), in_total("50_99")), (26, 0), "{:?}", part.bars);
    }

    #[test]
    fn an_empty_base_gives_zero_not_a_division_error() {
        let q = parse(DEFINITION).unwrap();
        let f = figure(q.question("K").unwrap(), &spec("K", vec![]), &QuestionCounts::default());
        assert_eq!(f.base, 0);
        assert!(f.bars.iter().all(|b| b.percent == 0));
    }

    #[test]
    fn the_median_is_the_middle_number_or_halfway_between_the_middle_two() {
        let m = |pairs: &[(i64, u64)]| median(&pairs.iter().copied().collect());
        assert_eq!(m(&[]), None);
        assert_eq!(m(&[(7, 1)]), Some(7.0));
        assert_eq!(m(&[(1, 1), (2, 1), (10, 1)]), Some(2.0));
        assert_eq!(m(&[(1, 2), (4, 2)]), Some(2.5));
        assert_eq!(m(&[(0, 5), (3, 1), (40, 4)]), Some(0.0 + 3.0 / 2.0));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(percent(10, 54), 19); // 18.52
        assert_eq!(percent(1, 8), 13); // 12.5
        assert_eq!(percent(2, 44), 5); // 4.545
        assert_eq!(percent(3, 8), 38); // 37.5
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 7), 0);
        assert_eq!(percent(7, 7), 100);
        assert_eq!(percent(5, 0), 0);
    }
}
