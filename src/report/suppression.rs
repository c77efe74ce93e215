//! Which cells of a per-group table stay unprinted, so that no small number of people can be
//! read or computed back from what is printed.
//!
//! A reader of a per-group table knows, besides the printed cells:
//! - per category, the overall count (the "Totaal" column is the overall figure, printed as
//!   accepted practice), which is the sum over all groups, the left-out ones included;
//! - per group, its base (n); for a single-answer question a group's categories partition
//!   its base, so its cells add up to n. A multiple-answer question has no such sum;
//! - the left-out groups (too small to show) together: total minus the groups shown.
//!
//! Each of these is an exact linear equation in the counts. A cell is derivable when some
//! combination of them isolates it, which is found by row-reducing the equations over the
//! cells not printed. Percentages are treated as if they gave the count back exactly: on the
//! bases of a team they mostly do.
//!
//! Primary suppression hides every cell of 1 to `min_count - 1` people; complementary
//! suppression then hides further cells, smallest first, until no hidden cell (and no small
//! cell of the left-out groups together) can be derived. A zero is not a small cell (it
//! points at nobody), but it is the last choice as a complement: a hidden 0 beside a hidden 2
//! protects little, since the reader can guess that one of the two is small.

use std::collections::BTreeSet;

/// The counts of a per-group table, before anything is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// `cells[category][group]`: the groups that are shown, in their order.
    pub cells: Vec<Vec<u64>>,
    /// Per category, the groups that were left out together (total minus the groups shown);
    /// `None` when every group is shown.
    pub rest: Option<Vec<u64>>,
    /// Each shown group's cells add up to its printed base (a single-answer question).
    pub partition: bool,
}

/// A cell: (category, group).
pub type Cell = (usize, usize);

/// Which cells are not printed (`hidden[category][group]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub hidden: Vec<Vec<bool>>,
}

impl Suppressed {
    pub fn is_hidden(&self, category: usize, group: usize) -> bool {
        self.hidden.get(category).and_then(|row| row.get(group)).copied().unwrap_or(false)
    }

    pub fn any(&self) -> bool {
        self.hidden.iter().flatten().any(|h| *h)
    }

    pub fn cells(&self) -> Vec<Cell> {
        let mut out = Vec::new();
        for (c, row) in self.hidden.iter().enumerate() {
            for (g, h) in row.iter().enumerate() {
                if *h {
                    out.push((c, g));
                }
            }
        }
        out
    }
}

/// A value in the table's equations: a shown group's cell, or a category of the left-out groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Var {
    Cell(usize, usize),
    Rest(usize),
}

impl Table {
    fn categories(&self) -> usize {
        self.cells.len()
    }

    fn groups(&self) -> usize {
        self.cells.first().map_or(0, Vec::len)
    }

    fn value(&self, v: Var) -> u64 {
        match v {
            Var::Cell(c, g) => self.cells[c][g],
            Var::Rest(c) => self.rest.as_ref().map_or(0, |r| r.get(c).copied().unwrap_or(0)),
        }
    }

    /// Every exact sum a reader knows, as the values it adds up.
    fn equations(&self) -> Vec<Vec<Var>> {
        let (categories, groups) = (self.categories(), self.groups());
        let mut out = Vec::new();
        for c in 0..categories {
            let mut row: Vec<Var> = (0..groups).map(|g| Var::Cell(c, g)).collect();
            if self.rest.is_some() {
                row.push(Var::Rest(c));
            }
            out.push(row);
        }
        if self.partition {
            for g in 0..groups {
                out.push((0..categories).map(|c| Var::Cell(c, g)).collect());
            }
            // The left-out groups' base is the total base minus the bases shown.
            if self.rest.is_some() {
                out.push((0..categories).map(Var::Rest).collect());
            }
        }
        out
    }
}

fn small(count: u64, min_count: u64) -> bool {
    count > 0 && count < min_count
}

/// The cells that stay unprinted: every small cell, and the complements that keep each of
/// them (and every small cell of the left-out groups) from being derived.
pub fn suppress(table: &Table, min_count: u64) -> Suppressed {
    let (categories, groups) = (table.categories(), table.groups());
    let equations = table.equations();
    let mut hidden: BTreeSet<Var> = BTreeSet::new();
    for c in 0..categories {
        for g in 0..groups {
            if small(table.cells[c][g], min_count) {
                hidden.insert(Var::Cell(c, g));
            }
        }
    }
    let rest: Vec<Var> = match &table.rest {
        Some(r) => (0..r.len().min(categories)).map(Var::Rest).collect(),
        None => Vec::new(),
    };
    let protected = |hidden: &BTreeSet<Var>, v: Var| match v {
        Var::Cell(..) => hidden.contains(&v),
        Var::Rest(_) => small(table.value(v), min_count),
    };
    // The hidden values a reader can compute, with the printed cells taken as known.
    let exposed = |hidden: &BTreeSet<Var>| -> BTreeSet<Var> {
        let unknown: Vec<Var> = hidden.iter().copied().chain(rest.iter().copied()).collect();
        determined(&equations, &unknown).into_iter().filter(|v| protected(hidden, *v)).collect()
    };
    loop {
        let now = exposed(&hidden);
        if now.is_empty() {
            break;
        }
        // Candidates share a sum with an exposed value; smallest non-zero first.
        let mut candidates: Vec<Var> = equations
            .iter()
            .filter(|eq| eq.iter().any(|v| now.contains(v)))
            .flatten()
            .copied()
            .filter(|v| matches!(v, Var::Cell(..)) && !hidden.contains(v))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if candidates.is_empty() {
            candidates = (0..categories)
                .flat_map(|c| (0..groups).map(move |g| Var::Cell(c, g)))
                .filter(|v| !hidden.contains(v))
                .collect();
        }
        candidates.sort_by_key(|v| (table.value(*v) == 0, table.value(*v), *v));
        let Some(first) = candidates.first().copied() else {
            // Everything is hidden and a value still follows: the table is the total itself
            // (one group, nobody left out), which the overall figure prints anyway.
            break;
        };
        // The smallest cell that leaves fewer values exposed; else the smallest, and go on.
        let chosen = candidates
            .iter()
            .copied()
            .find(|v| {
                let mut trial = hidden.clone();
                trial.insert(*v);
                exposed(&trial).len() < now.len()
            })
            .unwrap_or(first);
        hidden.insert(chosen);
    }
    let mut out = vec![vec![false; groups]; categories];
    for v in hidden {
        if let Var::Cell(c, g) = v {
            out[c][g] = true;
        }
    }
    Suppressed { hidden: out }
}

/// Whether a reader can compute the value of each unprinted cell from the printed ones: for
/// tests and checks, the same reasoning `suppress` protects against.
pub fn derivable(table: &Table, hidden: &Suppressed) -> Vec<Cell> {
    let mut unknown: Vec<Var> = hidden.cells().into_iter().map(|(c, g)| Var::Cell(c, g)).collect();
    if let Some(r) = &table.rest {
        unknown.extend((0..r.len()).map(Var::Rest));
    }
    let derived = determined(&table.equations(), &unknown);
    derived
        .into_iter()
        .filter_map(|v| match v {
            Var::Cell(c, g) => Some((c, g)),
            Var::Rest(_) => None,
        })
        .collect()
}

/// The unknowns that the equations fix, whatever the printed values: Gauss-Jordan elimination
/// over the unknowns' coefficients (whole numbers, kept small by dividing out common factors);
/// an unknown is fixed when a reduced row holds it alone.
fn determined(equations: &[Vec<Var>], unknown: &[Var]) -> BTreeSet<Var> {
    let columns: Vec<Var> = unknown.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let mut rows: Vec<Vec<i128>> = equations
        .iter()
        .map(|eq| columns.iter().map(|v| i128::from(eq.contains(v))).collect::<Vec<i128>>())
        .filter(|row| row.iter().any(|x| *x != 0))
        .collect();
    let mut rank = 0;
    for col in 0..columns.len() {
        let Some(pivot) = (rank..rows.len()).find(|r| rows[*r][col] != 0) else { continue };
        rows.swap(rank, pivot);
        let pivot_row = rows[rank].clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if i == rank || row[col] == 0 {
                continue;
            }
            let (a, b) = (pivot_row[col], row[col]);
            for (x, p) in row.iter_mut().zip(&pivot_row) {
                *x = *x * a - p * b;
            }
            let divisor = row.iter().fold(0i128, |g, x| gcd(g, x.abs()));
            if divisor > 1 {
                row.iter_mut().for_each(|x| *x /= divisor);
            }
        }
        rank += 1;
    }
    rows.iter()
        .take(rank)
        .filter_map(|row| {
            let mut nonzero = row.iter().enumerate().filter(|(_, x)| **x != 0);
            match (nonzero.next(), nonzero.next()) {
                (Some((col, _)), None) => Some(columns[col]),
                _ => None,
            }
        })
        .collect()
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cells: &[&[u64]], rest: Option<&[u64]>, partition: bool) -> Table {
        Table { cells: cells.iter().map(|r| r.to_vec()).collect(), rest: rest.map(<[u64]>::to_vec), partition }
    }

    /// What a reader gets by plain subtraction, repeated: a line (category total, or a group's
    /// base for a single-answer question) with one unknown value left gives that value.
    fn by_subtraction(t: &Table, s: &Suppressed) -> Vec<Cell> {
        let equations = t.equations();
        let mut unknown: BTreeSet<Var> = s.cells().into_iter().map(|(c, g)| Var::Cell(c, g)).collect();
        if let Some(r) = &t.rest {
            unknown.extend((0..r.len()).map(Var::Rest));
        }
        let mut found = Vec::new();
        loop {
            let next = equations.iter().find_map(|eq| {
                let open: Vec<&Var> = eq.iter().filter(|v| unknown.contains(v)).collect();
                (open.len() == 1).then(|| *open[0])
            });
            let Some(v) = next else { break };
            unknown.remove(&v);
            if let Var::Cell(c, g) = v {
                found.push((c, g));
            }
        }
        found
    }

    fn check(t: &Table, min_count: u64) -> Suppressed {
        let s = suppress(t, min_count);
        for (c, row) in t.cells.iter().enumerate() {
            for (g, v) in row.iter().enumerate() {
                if small(*v, min_count) {
                    assert!(s.is_hidden(c, g), "small cell ({c}, {g}) = {v} is printed");
                }
            }
        }
        assert_eq!(derivable(t, &s), Vec::<Cell>::new(), "a hidden cell can be derived: {s:?}");
        assert_eq!(by_subtraction(t, &s), Vec::<Cell>::new(), "a hidden cell follows by subtraction: {s:?}");
        s
    }

    #[test]
    fn nothing_small_hides_nothing() {
        let t = table(&[&[10, 20, 30], &[21, 57, 25]], None, true);
        assert!(!check(&t, 5).any());
    }

    #[test]
    fn one_small_cell_of_a_single_answer_question_takes_a_rectangle_of_four() {
        // Categories x three teams (31, 77, 55); team A's "laag" is 2 people.
        let t = table(&[&[2, 10, 8], &[9, 30, 20], &[20, 37, 27]], None, true);
        let s = check(&t, 5);
        assert!(s.is_hidden(0, 0));
        // The second hidden cell (in A's row or column) leaves the first derivable along the
        // other line; a third and a fourth close the rectangle.
        assert_eq!(s.cells().len(), 4, "{s:?}");
        let rows: BTreeSet<usize> = s.cells().iter().map(|(c, _)| *c).collect();
        let cols: BTreeSet<usize> = s.cells().iter().map(|(_, g)| *g).collect();
        assert_eq!((rows.len(), cols.len()), (2, 2), "a rectangle: {s:?}");
        // Smallest first: team C's 8 beside it in the row, A's 9 below it.
        assert!(s.is_hidden(0, 2) && s.is_hidden(1, 0) && s.is_hidden(1, 2), "{s:?}");
    }

    #[test]
    fn the_second_suppression_triggers_a_third() {
        // Two categories, two teams, single answer: hiding the 3 needs its row partner (the
        // 12), and then each column gives its hidden cell back until all four are hidden.
        let t = table(&[&[3, 12], &[20, 30]], None, true);
        let after_two = Suppressed { hidden: vec![vec![true, true], vec![false, false]] };
        assert!(!derivable(&t, &after_two).is_empty(), "two hidden cells in a row fall to the column sums");
        let s = check(&t, 5);
        assert_eq!(s.cells().len(), 4, "{s:?}");
    }

    #[test]
    fn a_multiple_answer_question_needs_only_a_partner_in_the_category() {
        // Group cells do not add up to the base, so only the category totals bind.
        let t = table(&[&[3, 12, 7], &[20, 30, 18]], None, false);
        let s = check(&t, 5);
        assert_eq!(s.cells(), vec![(0, 0), (0, 2)], "the 3 and the smallest other cell of its row");
    }

    #[test]
    fn two_small_cells_in_one_category_protect_each_other_without_partition() {
        let t = table(&[&[3, 2, 40], &[20, 30, 18]], None, false);
        let s = check(&t, 5);
        assert_eq!(s.cells(), vec![(0, 0), (0, 1)]);
    }

    #[test]
    fn a_zero_is_printed_and_is_the_last_choice_as_a_complement() {
        let t = table(&[&[3, 0, 9], &[20, 31, 18]], None, false);
        let s = check(&t, 5);
        assert!(!s.is_hidden(0, 1), "the 9 protects the 3, not the 0: {s:?}");
        assert!(s.is_hidden(0, 2));
    }

    #[test]
    fn a_small_count_of_the_left_out_groups_is_protected_too() {
        // Nothing shown is small, but the total minus the shown groups gives 2 for the
        // left-out groups together: a cell of a shown group goes in that category.
        let t = table(&[&[10, 20], &[15, 25]], Some(&[2, 10]), true);
        let s = check(&t, 5);
        assert!(s.any(), "{s:?}");
        assert!(s.cells().iter().any(|(c, _)| *c == 0), "a cell of the category of the 2: {s:?}");
    }

    #[test]
    fn left_out_groups_are_unknown_so_a_row_with_them_needs_a_column_partner() {
        // A's 3 is alone in its row beside the unknown rest; but A's column gives it back.
        let t = table(&[&[3, 20], &[27, 30]], Some(&[6, 6]), true);
        let s = check(&t, 5);
        assert!(s.is_hidden(0, 0) && s.cells().len() >= 2, "{s:?}");
    }

    #[test]
    fn a_single_group_with_nobody_left_out_is_the_total_and_cannot_be_protected() {
        let t = table(&[&[3], &[27]], None, true);
        let s = suppress(&t, 5);
        assert!(s.is_hidden(0, 0));
        assert!(!derivable(&t, &s).is_empty(), "it equals the overall figure");
    }

    #[test]
    fn a_larger_table_of_ratings_is_protected_and_keeps_most_cells() {
        // A 1-10 rating over three teams of 31, 77 and 55: rare low marks of 1 to 4 people.
        let a = [0, 1, 2, 1, 3, 4, 6, 8, 4, 2];
        let b = [1, 0, 3, 4, 6, 10, 18, 20, 10, 5];
        let c = [0, 2, 1, 3, 5, 8, 12, 14, 7, 3];
        let cells: Vec<Vec<u64>> = (0..10).map(|i| vec![a[i], b[i], c[i]]).collect();
        let t = Table { cells, rest: None, partition: true };
        let s = check(&t, 5);
        let hidden = s.cells().len();
        assert!(hidden < 30, "not everything: {hidden}");
    }
}
