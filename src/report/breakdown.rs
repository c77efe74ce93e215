//! A figure's table per group (`by_group = true`), with disclosure control: groups whose base
//! is under `min_base` are left out, and cells of fewer than `min_count` people are not
//! printed, nor the cells that would give them back (`suppression`). The PDF and the reading
//! room's HTML are rendered from the blocks made here, so both show the same table.
//!
//! No mean per group is printed. A mean of a group with a base of at least `min_base` does
//! not by itself point at a person, but beside this table it is one more equation (the sum of
//! the values), which with two hidden cells in one column of a rating could solve both; a
//! per-group mean added here must be added to the equations of `suppression` too. A table of
//! the mean and shares per group is `breakdown_by`, which has its own rules for means.

use super::definition::{FigureSpec, ReportDefinition};
use super::document::ReportData;
use super::figures::{Figure, figure_like};
use super::layout::{self, Align, Block, Column, Fonts};
use super::suppression::{self, Suppressed, Table};

/// What a cell shows instead of a number that is not printed.
pub const MARK: &str = "•";

/// A group as the table prints it: its code and its figure.
struct Shown {
    code: String,
    figure: Figure,
}

/// The per-group table(s) and their notes, under the figure `total`.
pub fn blocks(data: &ReportData, spec: &FigureSpec, total: &Figure, fonts: &Fonts) -> Vec<Block> {
    let def = data.definition;
    let Some(question) = data.questionnaire.question(&spec.question) else { return Vec::new() };
    let total_counts = data.counts.question(&spec.question);
    let all: Vec<Shown> = data
        .group_counts
        .iter()
        .map(|(group, counts)| Shown {
            code: group.code.clone(),
            figure: figure_like(question, spec, &total_counts, &counts.question(&spec.question)),
        })
        .collect();
    let (shown, hidden) = leave_out_small_groups(all, def.disclosure.min_base);
    let table = counts_table(total, &shown, !hidden.is_empty());
    let suppressed = suppression::suppress(&table, def.disclosure.min_count);
    let mut out = tables(def, total, &shown, &suppressed, fonts);
    if shown.iter().any(|s| s.figure.base < def.disclosure.indicative_base) {
        out.push(note(format!("* Minder dan {} {}: indicatief.", def.disclosure.indicative_base, def.respondents())));
    }
    if suppressed.any() {
        out.push(note(format!(
            "{MARK} Niet getoond: hier gaat het om minder dan {} {}, of het getal is weggelaten omdat zo'n klein \
             aantal anders uit de totalen en de andere groepen terug te rekenen is.",
            def.disclosure.min_count,
            def.respondents()
        )));
    }
    if !hidden.is_empty() {
        out.push(note(format!(
            "Niet uitgesplitst voor {}: te weinig {} (minder dan {}) om uitkomsten te tonen die niet naar personen te herleiden zijn.",
            crate::dutch::list(&hidden),
            def.respondents(),
            def.disclosure.min_base
        )));
    }
    out
}

fn note(text: String) -> Block {
    Block::Paragraph { text, style: layout::NOTE }
}

/// Groups whose base is under `min_base` are left out, and so is the next smallest group for
/// as long as the left-out groups together are under `min_base`: otherwise their numbers
/// would follow from the total minus the groups shown. Left-out groups of nobody at all
/// give nobody back, and cost no other group its column.
fn leave_out_small_groups(all: Vec<Shown>, min_base: u64) -> (Vec<Shown>, Vec<String>) {
    let (mut shown, small): (Vec<Shown>, Vec<Shown>) = all.into_iter().partition(|s| s.figure.base >= min_base);
    let mut hidden: Vec<(String, u64)> = small.into_iter().map(|s| (s.code, s.figure.base)).collect();
    let people = |hidden: &[(String, u64)]| hidden.iter().map(|(_, n)| n).sum::<u64>();
    while people(&hidden) > 0 && people(&hidden) < min_base && !shown.is_empty() {
        let smallest = shown.iter().enumerate().min_by_key(|(_, s)| s.figure.base).map_or(0, |(i, _)| i);
        let s = shown.remove(smallest);
        hidden.push((s.code, s.figure.base));
    }
    (shown, hidden.into_iter().map(|(c, _)| c).collect())
}

/// The counts behind the table: a row per category of the total, a column per group shown,
/// matched by category key (unbinned numbers give each group only the numbers it has).
fn counts_table(total: &Figure, shown: &[Shown], anyone_left_out: bool) -> Table {
    let count = |f: &Figure, key: &str| f.bars.iter().find(|b| b.key == key).map_or(0, |b| b.count);
    let cells: Vec<Vec<u64>> =
        total.bars.iter().map(|bar| shown.iter().map(|s| count(&s.figure, &bar.key)).collect()).collect();
    let rest = anyone_left_out
        .then(|| total.bars.iter().zip(&cells).map(|(bar, row)| bar.count.saturating_sub(row.iter().sum())).collect());
    Table { cells, rest, partition: !total.multiple }
}

/// As many group columns as fit beside the answer labels; more groups get more tables.
fn tables(def: &ReportDefinition, total: &Figure, shown: &[Shown], hidden: &Suppressed, fonts: &Fonts) -> Vec<Block> {
    let style = layout::TABLE_HEAD;
    let column_w = |code: &str, n: u64| {
        let words = [format!("{code}*"), format!("(n={n})"), "100%".to_string()];
        let longest = words.iter().map(|w| fonts.width(w, &style)).fold(0.0, f32::max);
        (longest + 12.0) / layout::CONTENT_WIDTH
    };
    let total_w = column_w("Totaal", total.base);
    let mut chunks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0.4 + total_w;
    for (i, s) in shown.iter().enumerate() {
        let w = column_w(&s.code, s.figure.base);
        if used + w > 1.0 && chunks.last().is_some_and(|c| !c.is_empty()) {
            chunks.push(Vec::new());
            used = 0.4 + total_w;
        }
        used += w;
        if let Some(last) = chunks.last_mut() {
            last.push(i);
        }
    }
    let mut out = Vec::new();
    for chunk in chunks.into_iter().filter(|c| !c.is_empty()) {
        let widths: Vec<f32> = chunk.iter().map(|g| column_w(&shown[*g].code, shown[*g].figure.base)).collect();
        let label_w = 1.0 - widths.iter().sum::<f32>() - total_w;
        let mut columns = vec![Column { title: "Antwoord".into(), width: label_w, align: Align::Left }];
        for (g, w) in chunk.iter().zip(&widths) {
            let f = &shown[*g].figure;
            let star = if f.base < def.disclosure.indicative_base { "*" } else { "" };
            columns.push(Column {
                title: format!("{}{star} (n={})", shown[*g].code, f.base),
                width: *w,
                align: Align::Right,
            });
        }
        columns.push(Column { title: format!("Totaal (n={})", total.base), width: total_w, align: Align::Right });
        let rows = total
            .bars
            .iter()
            .enumerate()
            .map(|(c, bar)| {
                let mut row = vec![bar.label.clone()];
                row.extend(chunk.iter().map(|g| {
                    if hidden.is_hidden(c, *g) {
                        return MARK.to_string();
                    }
                    let pct = shown[*g].figure.bars.iter().find(|b| b.key == bar.key).map_or(0, |b| b.percent);
                    format!("{pct}%")
                }));
                row.push(format!("{}%", bar.percent));
                row
            })
            .collect();
        out.push(Block::Table { columns, rows, total_row: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(code: &str, base: u64) -> Shown {
        Shown { code: code.into(), figure: Figure { base, ..Figure::default() } }
    }

    fn left_out(bases: &[(&str, u64)]) -> Vec<String> {
        leave_out_small_groups(bases.iter().map(|(c, b)| group(c, *b)).collect(), 10).1
    }

    #[test]
    fn a_small_group_goes_with_the_next_smallest_but_an_empty_one_alone() {
        assert_eq!(left_out(&[("A", 20), ("B", 15), ("C", 4)]), ["C", "B"]);
        // A team nobody of answered gives nobody back: B keeps its column.
        assert_eq!(left_out(&[("A", 20), ("B", 15), ("C", 0)]), ["C"]);
        assert_eq!(left_out(&[("A", 20), ("B", 15)]), Vec::<String>::new());
    }
}
