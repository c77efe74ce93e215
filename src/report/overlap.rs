//! Disclosure control for a breakdown whose rows overlap: by a question with several answers
//! (`breakdown = { by = "M", ... }` where M is `multiple`), someone who chose two options is
//! in two rows. The rules of `breakdown_by` reason about rows that split the respondents, where
//! the total minus the shown rows is what is left out; here that is not so, and the reader can
//! compute other groups:
//! - the total minus a row: those who did not choose that option;
//! - one row minus another, when every one who chose the first also chose the second;
//! - a row minus two others that lie apart inside it, and so on.
//!
//! Each printed number (a row's n, its count in a share, its sum of marks behind the mean) is a
//! sum over the answer patterns (`Atom`: which of the options a person chose), so a sum of rows
//! with signs, plus or minus the total, is a sum over the patterns too; where it counts every
//! pattern zero or one times it is a group of people the reader knows exactly. Every such
//! combination of up to three printed rows with the total is tried, and the printed numbers are
//! thinned until no group found is smaller than `min_base`, has a share count of 1 to
//! `min_count - 1` either way, or a mean near an end of the scale (`near_an_end`), nor gives
//! the mean of a row whose mean is hidden. Combinations of four rows or more are not tried: the
//! module's tests show the three-row case, which a reader with a pencil does; beyond it the
//! groups are unions of many patterns and rarely small.

use super::breakdown_by::near_an_end;

/// The numbers a group of respondents adds to a breakdown's cells; additive over people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measures {
    /// Respondents in the figure's base.
    pub base: u64,
    /// Per share column: respondents in its categories.
    pub shares: Vec<u64>,
    /// Marks given (numbers) and their sum, behind the mean.
    pub marks: (u64, i128),
}

impl Measures {
    pub fn add(&mut self, other: &Measures) {
        self.base += other.base;
        self.shares.resize(other.shares.len().max(self.shares.len()), 0);
        for (a, b) in self.shares.iter_mut().zip(&other.shares) {
            *a += b;
        }
        self.marks.0 += other.marks.0;
        self.marks.1 += other.marks.1;
    }
}

/// The respondents who chose the same options: `rows` has bit r set when they are in row r.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub rows: u64,
    pub measures: Measures,
}

/// The disclosure settings and the scale a mean lies on.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub min_base: u64,
    pub min_count: u64,
    /// The ends of the scale when a mean is printed.
    pub mean: Option<(i64, i64)>,
}

/// What is printed: the rows shown (in row order) and left out, and per shown row whether a
/// share (`shares[s][k]`) or the mean is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    pub shown: Vec<usize>,
    pub left: Vec<usize>,
    pub shares: Vec<Vec<bool>>,
    pub means: Option<Vec<bool>>,
}

/// A group of people the reader can compute, and the printed rows it was computed from.
struct Group {
    from: Vec<usize>,
    measures: Measures,
    atoms: Vec<usize>,
}

/// The rows' own numbers.
pub fn row_measures(atoms: &[Atom], rows: usize) -> Vec<Measures> {
    (0..rows)
        .map(|r| {
            let mut m = Measures::default();
            for a in atoms.iter().filter(|a| a.rows & (1 << r) != 0) {
                m.add(&a.measures);
            }
            m
        })
        .collect()
}

/// Every group made of up to three of the rows in `pool`, each added or taken off, with or
/// without the total (added or taken off).
fn groups(atoms: &[Atom], pool: &[usize]) -> Vec<Group> {
    let counted: Vec<usize> =
        (0..atoms.len()).filter(|&a| atoms[a].measures.base > 0 || atoms[a].measures.marks.0 > 0).collect();
    let mut picks: Vec<Vec<(usize, i64)>> = Vec::new();
    for (i, &a) in pool.iter().enumerate() {
        for sa in [1, -1] {
            picks.push(vec![(a, sa)]);
            for (j, &b) in pool.iter().enumerate().skip(i + 1) {
                for sb in [1, -1] {
                    picks.push(vec![(a, sa), (b, sb)]);
                    for &c in pool.iter().skip(j + 1) {
                        for sc in [1, -1] {
                            picks.push(vec![(a, sa), (b, sb), (c, sc)]);
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for pick in &picks {
        for total in [0, 1, -1] {
            let weight =
                |a: &Atom| total + pick.iter().filter(|(r, _)| a.rows & (1 << r) != 0).map(|(_, s)| s).sum::<i64>();
            if counted.iter().any(|&a| !matches!(weight(&atoms[a]), 0 | 1)) {
                continue;
            }
            let members: Vec<usize> = counted.iter().copied().filter(|&a| weight(&atoms[a]) == 1).collect();
            if members.is_empty() {
                continue;
            }
            let mut measures = Measures::default();
            for &a in &members {
                measures.add(&atoms[a].measures);
            }
            out.push(Group { from: pick.iter().map(|(r, _)| *r).collect(), measures, atoms: members });
        }
    }
    out
}

/// Whether `part` of `whole` people is a count a reader must not learn: 1 to `min_count - 1`
/// either way.
fn small(part: u64, whole: u64, min_count: u64) -> bool {
    let rest = whole - part;
    (part > 0 && part < min_count) || (rest > 0 && rest < min_count)
}

/// The row among `from` with the smallest base: the one whose number goes.
fn smallest(from: &[usize], rows: &[Measures]) -> usize {
    *from.iter().min_by_key(|&&r| rows[r].base).unwrap_or(&from[0])
}

/// What a breakdown over `rows` overlapping rows may print (see the module's notes).
pub fn hide(atoms: &[Atom], rows: usize, share_columns: usize, rules: Rules) -> Hidden {
    let own = row_measures(atoms, rows);
    let mut shown: Vec<usize> = (0..rows).filter(|&r| own[r].base >= rules.min_base).collect();
    while let Some(g) =
        groups(atoms, &shown).into_iter().find(|g| g.measures.base > 0 && g.measures.base < rules.min_base)
    {
        let r = smallest(&g.from, &own);
        shown.retain(|&s| s != r);
    }
    let left: Vec<usize> = (0..rows).filter(|r| !shown.contains(r)).collect();

    let mut share_hidden: Vec<Vec<usize>> = vec![Vec::new(); share_columns];
    for (s, hidden) in share_hidden.iter_mut().enumerate() {
        loop {
            let pool: Vec<usize> = shown.iter().copied().filter(|r| !hidden.contains(r)).collect();
            let exposing = groups(atoms, &pool)
                .into_iter()
                .find(|g| small(g.measures.shares[s], g.measures.base, rules.min_count));
            let Some(g) = exposing else { break };
            hidden.push(smallest(&g.from, &own));
        }
    }

    let means = rules.mean.map(|range| {
        let mut hidden: Vec<usize> =
            shown.iter().copied().filter(|r| share_hidden.iter().any(|h| h.contains(r))).collect();
        let row_atoms = |r: usize| -> Vec<usize> {
            (0..atoms.len())
                .filter(|&a| atoms[a].rows & (1 << r) != 0)
                .filter(|&a| atoms[a].measures.base > 0 || atoms[a].measures.marks.0 > 0)
                .collect()
        };
        loop {
            let pool: Vec<usize> = shown.iter().copied().filter(|r| !hidden.contains(r)).collect();
            let exposing = groups(atoms, &pool).into_iter().find(|g| {
                let m = &g.measures;
                near_an_end(m.marks.0, m.marks.1, range, rules.min_count)
                    || m.shares.iter().any(|&k| small(k, m.base, rules.min_count))
                    || hidden.iter().any(|&r| row_atoms(r) == g.atoms)
            });
            let Some(g) = exposing else { break };
            hidden.push(smallest(&g.from, &own));
        }
        shown.iter().map(|r| hidden.contains(r)).collect()
    });
    let shares = share_hidden.iter().map(|h| shown.iter().map(|r| h.contains(r)).collect()).collect();
    Hidden { shown, left, shares, means }
}

#[cfg(test)]
#[path = "overlap_tests.rs"]
mod tests;
