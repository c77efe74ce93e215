//! Tests of `overlap`: the groups a reader computes from overlapping rows, and that the rules
//! leave none of them small.
use super::*;

const RULES: Rules = Rules { min_base: 10, min_count: 5, mean: None };

/// `people` respondents who chose the rows in `rows` (bits), of whom `agree` are in the share
/// and whose marks sum to `sum`.
fn atom(rows: u64, people: u64, agree: u64, sum: i128) -> Atom {
    Atom { rows, measures: Measures { base: people, shares: vec![agree], marks: (people, sum) } }
}

const A: u64 = 1;
const B: u64 = 2;
const C: u64 = 4;

#[test]
fn rows_chosen_freely_are_all_printed() {
    let atoms = [atom(A, 15, 7, 90), atom(B, 15, 8, 90), atom(A | B, 15, 7, 90), atom(0, 15, 8, 90)];
    let hidden = hide(&atoms, 2, 1, Rules { mean: Some((1, 10)), ..RULES });
    assert_eq!(
        hidden,
        Hidden { shown: vec![0, 1], left: vec![], shares: vec![vec![false, false]], means: Some(vec![false, false]) }
    );
}

#[test]
fn a_row_inside_another_goes_when_their_difference_is_a_few_people() {
    // Everyone who chose A also chose B; B minus A is 3 people.
    let atoms = [atom(A | B, 20, 10, 0), atom(B, 3, 1, 0), atom(0, 15, 7, 0)];
    let hidden = hide(&atoms, 2, 1, RULES);
    assert_eq!((hidden.shown, hidden.left), (vec![1], vec![0]));
}

#[test]
fn the_total_minus_rows_gives_those_who_chose_none_of_them() {
    // A and B lie apart: the total minus both is the 3 who chose neither.
    let atoms = [atom(A, 30, 10, 0), atom(B, 12, 5, 0), atom(0, 3, 1, 0)];
    assert_eq!(hide(&atoms, 2, 1, RULES).left, vec![1], "B, the smaller, goes");
    // Five chose both: the total minus A and B counts them minus once, no group at all.
    let atoms = [atom(A, 30, 10, 0), atom(B, 12, 5, 0), atom(A | B, 5, 2, 0), atom(0, 3, 1, 0)];
    assert_eq!(hide(&atoms, 2, 1, RULES).left, Vec::<usize>::new());
    // Everyone in A but 3: the total minus A gives those 3.
    let atoms = [atom(A, 30, 10, 0), atom(A | B, 12, 5, 0), atom(0, 3, 1, 0)];
    assert_eq!(hide(&atoms, 2, 1, RULES).left, vec![0]);
}

#[test]
fn a_row_minus_two_that_lie_apart_inside_it_is_tried() {
    // C holds A and B, which nobody chose together, and 2 more: C - A - B = 2.
    let atoms = [atom(A | C, 12, 6, 0), atom(B | C, 13, 6, 0), atom(C, 2, 1, 0), atom(0, 20, 10, 0)];
    let hidden = hide(&atoms, 3, 1, RULES);
    assert_eq!(hidden.left, vec![0], "A, the smallest of the three, goes");
    // What is left: B (13), C (27) and the total (47); C - B = 14, total - C = 20, total - B = 34.
    assert_eq!(hidden.shown, vec![1, 2]);
}

#[test]
fn a_share_that_a_difference_of_rows_gives_back_is_hidden() {
    // A inside B; B minus A is 12 people (enough), of whom 2 agree: B's share minus A's says so.
    let atoms = [atom(A | B, 20, 10, 0), atom(B, 12, 2, 0), atom(0, 15, 7, 0)];
    let hidden = hide(&atoms, 2, 1, RULES);
    assert_eq!(hidden.shown, vec![0, 1]);
    assert_eq!(hidden.shares, vec![vec![true, false]], "A's share goes; B's alone with the total gives nothing small");
    let agree_outside_b = 7;
    assert!(!small(agree_outside_b, 15, 5), "the total minus B: 7 of 15");
}

#[test]
fn a_mean_that_the_total_and_other_rows_would_give_back_is_hidden_too() {
    // Everyone chose exactly one of A, B, C: the rows split the respondents after all. A's
    // marks (eleven 10s and one 9) are near the top; its mean would follow from the total
    // minus B and C, so one of them goes as well.
    let atoms = [atom(A, 12, 6, 119), atom(B, 20, 10, 120), atom(C, 15, 7, 90)];
    let hidden = hide(&atoms, 3, 1, Rules { mean: Some((1, 10)), ..RULES });
    let means = hidden.means.unwrap();
    assert!(means[0], "A's mean is near the top");
    assert!(means.iter().filter(|h| **h).count() >= 2, "{means:?}");
}
