//! A figure's breakdown of a mean or a share (`breakdown = { by = ..., mean = true, shares =
//! [...] }`): a table with a row per team (`by = "group"`) or per answer to another
//! single-answer question (`by = "F"`: experience by frequency of use), giving each row's n,
//! the mean and/or the share of some categories, and a total row.
//!
//! Disclosure control, beside what `breakdown` does for a whole distribution:
//! - A row whose base is under `min_base` is left out, and so is the next smallest row for as
//!   long as the left-out rows together are under `min_base`. Respondents in no row (who
//!   answered the question broken down by with "weet niet", or not at all) count as left out:
//!   the total minus the rows gives them back, so they too must be many enough.
//! - A printed share of a row gives its count back (share times n) and the count of the rest
//!   of the row (n minus it); the total row gives the same two counts over everyone. So each
//!   share is the table of `suppression` with two categories (in the share, not in it) that
//!   partition each row's n: a count of 1 to `min_count - 1` either way is hidden, with the
//!   complements that keep it from following from the total and the other rows.
//! - A printed mean gives back the row's sum (mean times the number who gave a mark) and the
//!   total mean the sum over everyone: one more equation, which solves a single hidden row
//!   (total minus the others) and with the shares of a two-point scale is a share itself. A
//!   mean also tells who gave what when it lies close to an end of the scale: a mean of 9,9
//!   from 10 people on 1-10 means nine gave 10 and one gave 9. So a row's mean is hidden when
//!   fewer than `min_count` marks can differ from the end it is near (the sum is within
//!   `min_count` of n times the end), and when any share of that row is hidden; then further
//!   means are hidden, smallest row first, until no hidden mean is alone in the total's
//!   equation and the hidden and left-out rows together are not near an end either.
//!
//! Percentages and means are treated as if they gave the counts and sums back exactly: on the
//! bases of a row they nearly do. What stays derivable is the left-out rows' mean or share
//! together, a group of at least `min_base`, which is what a total of those rows would print.

use super::breakdown::MARK;
use super::document::ReportData;
use super::figures::{Figure, figure_like, percent};
use super::layout::{self, Align, Block, Column};
use super::stats::{QuestionCounts, SurveyCounts};
use super::suppression::{self, Table};
use super::wording;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use serde::Deserialize;
use std::collections::HashMap;

/// What the definition asks for, under the figure's `breakdown` key.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BreakdownSpec {
    /// `"group"` for the teams, or the id of a single-answer question.
    pub by: String,
    /// A column with the mean (a numbered scale or a number question).
    #[serde(default)]
    pub mean: bool,
    /// Columns with the share of some categories of the figure.
    #[serde(default)]
    pub shares: Vec<ShareSpec>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ShareSpec {
    /// Category keys of the figure joined by `+`, as in sentences: `helemaal_eens+eens`.
    pub keys: String,
    /// The column's title after "%"; by default the categories' labels.
    pub label: Option<String>,
}

/// What the rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By<'a> {
    Group,
    Question(&'a str),
}

impl BreakdownSpec {
    pub fn by(&self) -> By<'_> {
        if self.by == "group" { By::Group } else { By::Question(&self.by) }
    }
}

/// Per question broken down by: the counts of those who gave each option, in option order.
pub type AnswerCounts = HashMap<String, Vec<(String, SurveyCounts)>>;

/// The problems of a figure's breakdown, for the report definition's check; `empty` is the
/// figure on no answers, which has every category key.
pub fn check(place: &str, question: &Question, bd: &BreakdownSpec, empty: &Figure, q: &Questionnaire) -> Vec<String> {
    let mut errors = Vec::new();
    let id = &question.id;
    if let By::Question(by) = bd.by() {
        match q.question(by) {
            None => errors.push(format!(
                "{place}, figuur van {id}: breakdown by = '{by}': die vraag bestaat niet; gebruik \"group\" of de code van een vraag met één antwoord"
            )),
            Some(b) if !matches!(b.kind, QuestionKind::Choice { .. }) => errors.push(format!(
                "{place}, figuur van {id}: breakdown by = '{by}': alleen een vraag met één antwoord (single, yesno, een schaal met points) verdeelt de respondenten in rijen"
            )),
            Some(b) if b.id == *id => {
                errors.push(format!("{place}, figuur van {id}: breakdown by = '{by}' is de vraag van de figuur zelf"))
            }
            Some(_) => {}
        }
    }
    if !bd.mean && bd.shares.is_empty() {
        errors.push(format!(
            "{place}, figuur van {id}: breakdown toont niets; zet mean = true of geef shares = [{{ keys = \"...\" }}]"
        ));
    }
    if bd.mean && !matches!(question.kind, QuestionKind::Rating { .. } | QuestionKind::Number { .. }) {
        errors.push(format!(
            "{place}, figuur van {id}: breakdown mean = true kan alleen bij een cijfer of een getal; gebruik shares"
        ));
    }
    let known: Vec<&str> = empty.bars.iter().map(|b| b.key.as_str()).collect();
    for share in &bd.shares {
        let keys: Vec<&str> = share.keys.split('+').map(str::trim).collect();
        for key in &keys {
            if !known.contains(key) {
                errors.push(format!(
                    "{place}, figuur van {id}: breakdown share '{}': '{key}' is geen categorie van deze figuur; mogelijk zijn: {}",
                    share.keys,
                    known.join(", ")
                ));
            }
        }
        if empty.multiple && keys.len() > 1 {
            errors.push(format!(
                "{place}, figuur van {id}: breakdown share '{}': bij meerdere antwoorden telt een share één categorie (wie er twee koos, telt anders dubbel)",
                share.keys
            ));
        }
    }
    errors
}

/// One row before anything is hidden.
struct Row {
    label: String,
    figure: Figure,
    counts: QuestionCounts,
}

/// The marks (or numbers) given in a row and their sum.
fn marks(counts: &QuestionCounts) -> (u64, i128) {
    counts.numbers.iter().fold((0, 0), |(n, s), (v, c)| (n + c, s + i128::from(*v) * i128::from(*c)))
}

fn share_count(figure: &Figure, keys: &str) -> u64 {
    keys.split('+').map(str::trim).filter_map(|k| figure.bars.iter().find(|b| b.key == k)).map(|b| b.count).sum()
}

/// The range of the values whose mean is printed.
fn ends(question: &Question) -> Option<(i64, i64)> {
    match question.kind {
        QuestionKind::Rating { from, to, .. } => Some((from, to)),
        QuestionKind::Number { min, max, .. } => Some((min, max)),
        _ => None,
    }
}

/// Whether `n` marks with sum `sum` tell who gave what: fewer than `min_count` of them can
/// differ from the end the mean is near.
pub fn near_an_end(n: u64, sum: i128, (low, high): (i64, i64), min_count: u64) -> bool {
    if n == 0 {
        return false;
    }
    let n = i128::from(n);
    let below_top = n * i128::from(high) - sum;
    let above_bottom = sum - n * i128::from(low);
    below_top < i128::from(min_count) || above_bottom < i128::from(min_count)
}

/// Which rows are shown; the others are left out together (`rest`), with `outside` people in
/// no row at all.
fn leave_out(rows: &[Row], outside: u64, min_base: u64) -> (Vec<usize>, Vec<usize>) {
    let mut shown: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].figure.base >= min_base).collect();
    let mut left: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].figure.base < min_base).collect();
    let hidden_base = |left: &[usize]| outside + left.iter().map(|&i| rows[i].figure.base).sum::<u64>();
    while (outside > 0 || !left.is_empty()) && hidden_base(&left) < min_base && !shown.is_empty() {
        let smallest = (0..shown.len()).min_by_key(|&k| rows[shown[k]].figure.base).unwrap_or(0);
        left.push(shown.remove(smallest));
    }
    (shown, left)
}

/// Per share, per shown row: whether its percentage is hidden.
fn hidden_shares(
    rows: &[Row],
    shown: &[usize],
    total: &Figure,
    bd: &BreakdownSpec,
    min_count: u64,
    anyone_left: bool,
) -> Vec<Vec<bool>> {
    bd.shares
        .iter()
        .map(|share| {
            let inside: Vec<u64> = shown.iter().map(|&i| share_count(&rows[i].figure, &share.keys)).collect();
            let outside: Vec<u64> = shown.iter().zip(&inside).map(|(&i, k)| rows[i].figure.base - k).collect();
            let all_in = share_count(total, &share.keys);
            let rest = anyone_left.then(|| {
                vec![
                    all_in.saturating_sub(inside.iter().sum()),
                    (total.base - all_in).saturating_sub(outside.iter().sum()),
                ]
            });
            let table = Table { cells: vec![inside, outside], rest, partition: true };
            let s = suppression::suppress(&table, min_count);
            (0..shown.len()).map(|g| s.is_hidden(0, g) || s.is_hidden(1, g)).collect()
        })
        .collect()
}

/// Per shown row: whether its mean is hidden (see the module's notes).
fn hidden_means(
    rows: &[Row],
    shown: &[usize],
    total: &QuestionCounts,
    range: (i64, i64),
    shares: &[Vec<bool>],
    min_count: u64,
    anyone_left: bool,
) -> Vec<bool> {
    let mut hidden: Vec<bool> = shown
        .iter()
        .enumerate()
        .map(|(g, &i)| {
            let (n, sum) = marks(&rows[i].counts);
            near_an_end(n, sum, range, min_count) || shares.iter().any(|s| s[g])
        })
        .collect();
    let (all_n, all_sum) = marks(total);
    loop {
        let printed: Vec<usize> = (0..shown.len()).filter(|&g| !hidden[g]).collect();
        let (shown_n, shown_sum) =
            printed.iter().map(|&g| marks(&rows[shown[g]].counts)).fold((0, 0), |(n, s), (a, b)| (n + a, s + b));
        let unknowns = hidden.iter().filter(|h| **h).count() + usize::from(anyone_left);
        // What the total minus the printed rows gives: the hidden and left-out rows together.
        let together_exposed = unknowns > 0 && near_an_end(all_n - shown_n, all_sum - shown_sum, range, min_count);
        let alone = unknowns == 1 && !anyone_left;
        if !(together_exposed || alone) {
            break;
        }
        let Some(&next) = printed.iter().min_by_key(|&&g| marks(&rows[shown[g]].counts).0) else { break };
        hidden[next] = true;
    }
    hidden
}

/// The blocks of a figure's breakdown: a caption, the table and its notes.
pub fn blocks(data: &ReportData, spec: &super::FigureSpec, bd: &BreakdownSpec, total: &Figure) -> Vec<Block> {
    let def = data.definition;
    let (min_base, min_count) = (def.disclosure.min_base, def.disclosure.min_count);
    let Some(question) = data.questionnaire.question(&spec.question) else { return Vec::new() };
    let total_counts = data.counts.question(&spec.question);
    let row = |label: String, counts: &SurveyCounts| {
        let own = counts.question(&spec.question);
        Row { label, figure: figure_like(question, spec, &total_counts, &own), counts: own }
    };
    let (rows, by_title, by_text): (Vec<Row>, &str, String) = match bd.by() {
        By::Group => (
            data.group_counts.iter().map(|(g, c)| row(g.name.clone(), c)).collect(),
            "Team",
            "Uitgesplitst per team".to_string(),
        ),
        By::Question(by) => {
            let Some(by_question) = data.questionnaire.question(by) else { return Vec::new() };
            let per_option = data.answer_counts.get(by).map(Vec::as_slice).unwrap_or_default();
            let rows = by_question
                .options()
                .iter()
                .filter(|o| !o.outside_base())
                .map(|o| {
                    let counts = per_option.iter().find(|(code, _)| *code == o.code).map(|(_, c)| c.clone());
                    row(o.label.clone(), &counts.unwrap_or_default())
                })
                .collect();
            (rows, "Antwoord", format!("Uitgesplitst naar het antwoord op '{}'", by_question.text))
        }
    };
    let outside = total.base.saturating_sub(rows.iter().map(|r| r.figure.base).sum());
    let (shown, left) = leave_out(&rows, outside, min_base);
    let anyone_left = outside > 0 || !left.is_empty();
    let shares = hidden_shares(&rows, &shown, total, bd, min_count, anyone_left);
    let means = match (bd.mean, ends(question)) {
        (true, Some(range)) => Some(hidden_means(&rows, &shown, &total_counts, range, &shares, min_count, anyone_left)),
        _ => None,
    };

    let share_title = |share: &ShareSpec| {
        let label = share.label.clone().unwrap_or_else(|| {
            let labels: Vec<String> = share
                .keys
                .split('+')
                .filter_map(|k| total.bars.iter().find(|b| b.key == k.trim()))
                .map(|b| b.label.to_lowercase())
                .collect();
            wording::list(&labels).replace(" en ", " of ")
        });
        format!("% {label}")
    };
    let value_columns = 1 + usize::from(means.is_some()) + bd.shares.len();
    let value_w = (0.6 / value_columns as f32).min(0.16);
    let mut columns =
        vec![Column { title: by_title.into(), width: 1.0 - value_w * value_columns as f32, align: Align::Left }];
    columns.push(Column { title: "n".into(), width: value_w, align: Align::Right });
    if means.is_some() {
        columns.push(Column { title: "Gemiddelde".into(), width: value_w, align: Align::Right });
    }
    for share in &bd.shares {
        columns.push(Column { title: share_title(share), width: value_w, align: Align::Right });
    }
    let mean_text = |counts: &QuestionCounts| {
        let (n, sum) = marks(counts);
        if n == 0 { "-".to_string() } else { wording::decimal(sum as f64 / n as f64, 1) }
    };
    let mut table_rows: Vec<Vec<String>> = shown
        .iter()
        .enumerate()
        .map(|(g, &i)| {
            let r = &rows[i];
            let star = if r.figure.base < def.disclosure.indicative_base { "*" } else { "" };
            let mut cells = vec![format!("{}{star}", r.label), r.figure.base.to_string()];
            if let Some(hidden) = &means {
                cells.push(if hidden[g] { MARK.to_string() } else { mean_text(&r.counts) });
            }
            for (s, share) in bd.shares.iter().enumerate() {
                cells.push(if shares[s][g] {
                    MARK.to_string()
                } else {
                    format!("{}%", percent(share_count(&r.figure, &share.keys), r.figure.base))
                });
            }
            cells
        })
        .collect();
    let mut total_row = vec!["Totaal".to_string(), total.base.to_string()];
    if means.is_some() {
        total_row.push(mean_text(&total_counts));
    }
    for share in &bd.shares {
        total_row.push(format!("{}%", percent(share_count(total, &share.keys), total.base)));
    }
    table_rows.push(total_row);

    let note = |text: String| Block::Paragraph { text, style: layout::NOTE };
    let mut out = vec![
        Block::Paragraph { text: format!("{} {by_text}.", total.title), style: layout::CAPTION },
        Block::Table { columns, rows: table_rows, total_row: true },
    ];
    if shown.iter().any(|&i| rows[i].figure.base < def.disclosure.indicative_base) {
        out.push(note(format!("* Minder dan {} {}: indicatief.", def.disclosure.indicative_base, def.respondents())));
    }
    if shares.iter().flatten().chain(means.iter().flatten()).any(|h| *h) {
        out.push(note(format!(
            "{MARK} Niet getoond: het getal zou laten zien wat minder dan {} {} antwoordden, direct of samen met \
             het totaal en de andere rijen.",
            min_count,
            def.respondents()
        )));
    }
    let left_names: Vec<String> = left.iter().map(|&i| rows[i].label.clone()).collect();
    if !left_names.is_empty() {
        out.push(note(format!(
            "Niet uitgesplitst voor {}: te weinig {} (minder dan {min_base}) om uitkomsten te tonen die niet naar personen te herleiden zijn.",
            wording::list(&left_names),
            def.respondents()
        )));
    }
    out
}

#[cfg(test)]
#[path = "breakdown_by_tests.rs"]
mod tests;
