//! A figure's breakdown of a mean or a share (`breakdown = { by = ..., mean = true, shares =
//! [...] }`): a table with a row per team (`by = "group"`) or per answer to another closed
//! question (`by = "F"`: experience by frequency of use), giving each row's n, the mean and/or
//! the share of some categories, and a total row. The rows of another question are the bars of
//! its own figure: its options, the points of a numbered scale, or ranges of a number (its
//! `bins`, or the automatic ranges of `figures`).
//!
//! Disclosure control, beside what `breakdown` does for a whole distribution, for rows that
//! split the respondents (teams, one answer each); rows that overlap (a question with several
//! answers) follow `overlap`:
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
use super::definition::{Bin, FigureSpec, check_bins};
use super::document::ReportData;
use super::figures::{Figure, figure_like, percent};
use super::layout::{self, Align, Block, Column};
use super::overlap::{self, Atom, Measures, Rules};
use super::stats::{Crossed, QuestionCounts};
use super::suppression::{self, Table};
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The most rows a breakdown by a question with several answers may have: every combination
/// of three of them is tried (`overlap`).
pub const MAX_OVERLAPPING_ROWS: usize = 20;

/// What the definition asks for, under the figure's `breakdown` key.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BreakdownSpec {
    /// `"group"` for the teams, or the id of a closed question.
    pub by: String,
    /// Ranges of the number (or numbered scale) broken down by; by default its figure's.
    #[serde(default)]
    pub bins: Vec<Bin>,
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

/// Per (question broken down by, question of the figure): each respondent's answers to both.
pub type Crossings = HashMap<(String, String), Vec<Crossed>>;

/// The problems of a figure's breakdown, for the report definition's check; `empty` is the
/// figure on no answers, which has every category key.
pub fn check(place: &str, question: &Question, bd: &BreakdownSpec, empty: &Figure, q: &Questionnaire) -> Vec<String> {
    let mut errors = Vec::new();
    let id = &question.id;
    match bd.by() {
        By::Question(by) => match q.question(by) {
            None => errors.push(format!(
                "{place}, figuur van {id}: breakdown by = '{by}': die vraag bestaat niet; gebruik \"group\" of de code van een gesloten vraag"
            )),
            Some(b) if b.is_open_text() => errors.push(format!(
                "{place}, figuur van {id}: breakdown by = '{by}' is een open vraag; alleen de antwoorden op een gesloten vraag verdelen de respondenten in rijen"
            )),
            Some(b) if b.id == *id => {
                errors.push(format!("{place}, figuur van {id}: breakdown by = '{by}' is de vraag van de figuur zelf"))
            }
            Some(b) => {
                let at = |i: Option<usize>| match i {
                    Some(i) => format!("{place}, figuur van {id}, breakdown bins, klasse {}", i + 1),
                    None => format!("{place}, figuur van {id}, breakdown bins"),
                };
                errors.extend(check_bins(&at, by, &bd.bins, &b.kind));
                if matches!(b.kind, QuestionKind::Multiple { .. }) && b.options().len() > MAX_OVERLAPPING_ROWS {
                    errors.push(format!(
                        "{place}, figuur van {id}: breakdown by = '{by}' heeft {} antwoorden; bij meerdere antwoorden kan een uitsplitsing er hoogstens {MAX_OVERLAPPING_ROWS} hebben",
                        b.options().len()
                    ));
                }
            }
        },
        By::Group if !bd.bins.is_empty() => errors.push(format!(
            "{place}, figuur van {id}: breakdown bins hoort bij by = de code van een getalvraag of cijferschaal, niet bij de teams"
        )),
        By::Group => {}
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
    // Rows of nobody give nobody back: they cost no other row.
    while hidden_base(&left) > 0 && hidden_base(&left) < min_base && !shown.is_empty() {
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
pub fn blocks(data: &ReportData, spec: &FigureSpec, bd: &BreakdownSpec, total: &Figure) -> Vec<Block> {
    let def = data.definition;
    let (min_base, min_count) = (def.disclosure.min_base, def.disclosure.min_count);
    let Some(question) = data.questionnaire.question(&spec.question) else { return Vec::new() };
    let total_counts = data.counts.question(&spec.question);
    let row = |label: String, own: &QuestionCounts| Row {
        label,
        figure: figure_like(question, spec, &total_counts, own),
        counts: own.clone(),
    };
    let (rows, by_title, by_text, overlapping) = match bd.by() {
        By::Group => (
            data.group_counts.iter().map(|(g, c)| row(g.name.clone(), &c.question(&spec.question))).collect(),
            "Team",
            "Uitgesplitst per team".to_string(),
            None,
        ),
        By::Question(by) => {
            let Some(by_question) = data.questionnaire.question(by) else { return Vec::new() };
            let key = (by.to_string(), spec.question.clone());
            let people = data.crossings.get(&key).map(Vec::as_slice).unwrap_or_default();
            let (labels, member) = split(by_question, bd, &data.counts.question(by), people);
            let mut per_row = vec![QuestionCounts::default(); labels.len()];
            for (person, rows) in people.iter().zip(&member) {
                for &r in rows {
                    per_row[r].add(&person.of);
                }
            }
            let rows: Vec<Row> = labels.into_iter().zip(&per_row).map(|(label, counts)| row(label, counts)).collect();
            let overlapping = matches!(by_question.kind, QuestionKind::Multiple { .. }).then(|| {
                let mut patterns: BTreeMap<u64, QuestionCounts> = BTreeMap::new();
                for (person, rows) in people.iter().zip(&member) {
                    let mask = rows.iter().fold(0u64, |m, r| m | (1 << r));
                    patterns.entry(mask).or_default().add(&person.of);
                }
                patterns
                    .into_iter()
                    .map(|(mask, counts)| {
                        let figure = figure_like(question, spec, &total_counts, &counts);
                        let shares = bd.shares.iter().map(|s| share_count(&figure, &s.keys)).collect();
                        Atom { rows: mask, measures: Measures { base: figure.base, shares, marks: marks(&counts) } }
                    })
                    .collect::<Vec<Atom>>()
            });
            (rows, "Antwoord", format!("Uitgesplitst naar het antwoord op '{}'", by_question.text), overlapping)
        }
    };
    let range = ends(question).filter(|_| bd.mean);
    let (shown, left, shares, means) = match &overlapping {
        None => {
            let outside = total.base.saturating_sub(rows.iter().map(|r| r.figure.base).sum());
            let (shown, left) = leave_out(&rows, outside, min_base);
            let anyone_left = outside + left.iter().map(|&i| rows[i].figure.base).sum::<u64>() > 0;
            let shares = hidden_shares(&rows, &shown, total, bd, min_count, anyone_left);
            let means =
                range.map(|range| hidden_means(&rows, &shown, &total_counts, range, &shares, min_count, anyone_left));
            (shown, left, shares, means)
        }
        Some(atoms) => {
            let rules = Rules { min_base, min_count, mean: range };
            let hidden = overlap::hide(atoms, rows.len(), bd.shares.len(), rules);
            (hidden.shown, hidden.left, hidden.shares, hidden.means)
        }
    };

    let share_title = |share: &ShareSpec| {
        let label = share.label.clone().unwrap_or_else(|| {
            let labels: Vec<String> = share
                .keys
                .split('+')
                .filter_map(|k| total.bars.iter().find(|b| b.key == k.trim()))
                .map(|b| b.label.to_lowercase())
                .collect();
            crate::dutch::list(&labels).replace(" en ", " of ")
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
        if n == 0 { "-".to_string() } else { crate::dutch::decimal(sum as f64 / n as f64, 1) }
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
    if overlapping.is_some() {
        out.push(note(format!(
            "Bij '{}' waren meerdere antwoorden mogelijk: wie er meer gaf, telt in meer rijen.",
            data.questionnaire.question(&bd.by).map_or("", |q| q.text.as_str())
        )));
    }
    let left_names: Vec<String> = left.iter().map(|&i| rows[i].label.clone()).collect();
    if !left_names.is_empty() {
        out.push(note(format!(
            "Niet uitgesplitst voor {}: te weinig {} (minder dan {min_base}) om uitkomsten te tonen die niet naar personen te herleiden zijn.",
            crate::dutch::list(&left_names),
            def.respondents()
        )));
    }
    out
}

/// The rows of a breakdown by the question `by`: the bars of its own figure (with the
/// breakdown's bins, or the automatic ranges of a number), and per respondent the rows their
/// answer falls in, found the same way, from the figure of their answer alone.
fn split(
    by: &Question,
    bd: &BreakdownSpec,
    counts: &QuestionCounts,
    people: &[Crossed],
) -> (Vec<String>, Vec<Vec<usize>>) {
    let spec = FigureSpec { question: by.id.clone(), bins: bd.bins.clone(), ..FigureSpec::default() };
    let all = figure_like(by, &spec, counts, counts).bars;
    let member = people
        .iter()
        .map(|person| {
            let own = QuestionCounts {
                answered: 1,
                options: person.options.iter().map(|o| (o.clone(), 1)).collect(),
                numbers: person.number.map(|n| (n, 1)).into_iter().collect(),
            };
            // Keys, not positions: a number's figure without ranges has a bar per number given.
            let bars = figure_like(by, &spec, counts, &own).bars;
            let theirs: Vec<&str> = bars.iter().filter(|b| b.count > 0).map(|b| b.key.as_str()).collect();
            (0..all.len()).filter(|&b| theirs.contains(&all[b].key.as_str())).collect()
        })
        .collect();
    (all.into_iter().map(|b| b.label).collect(), member)
}

#[cfg(test)]
#[path = "breakdown_by_tests.rs"]
mod tests;
