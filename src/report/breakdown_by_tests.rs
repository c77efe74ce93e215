//! Tests of `breakdown_by`: what a reader could compute from a printed breakdown, and the
//! checks of the definition.

mod mean {
    use super::super::*;

    #[test]
    fn a_mean_near_an_end_tells_who_gave_what() {
        // Nine gave 10 and one gave 9: the mean 9,9 says so.
        assert!(near_an_end(10, 99, (1, 10), 5));
        // Five marks below the top can be anyone's: 9,5 from 10 people.
        assert!(!near_an_end(10, 95, (1, 10), 5));
        assert!(near_an_end(12, 13, (1, 10), 5), "eleven gave 1 and one gave 2");
        assert!(!near_an_end(0, 0, (1, 10), 5));
    }
}

mod attacks {
    //! What a reader could compute from a printed breakdown, and that the rules leave it
    //! uncomputable.
    use super::super::*;
    use crate::report::figures::figure;
    use crate::report::suppression::{Suppressed, derivable};

    const DEFINITION: &str = r#"
id = "t"
title = "T"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "R"
type = "scale"
text = "Welk cijfer?"
from = 1
to = 10
"#;

    fn spec() -> crate::report::FigureSpec {
        toml::from_str(
            r#"question = "R"
bins = [{ label = "Onvoldoende", from = 1, to = 5 }, { label = "Voldoende", from = 6, to = 10 }]
breakdown = { by = "group", mean = true, shares = [{ keys = "voldoende" }] }"#,
        )
        .unwrap()
    }

    fn row(label: &str, marks: &[(i64, u64)]) -> Row {
        let q = crate::questionnaire::parse(DEFINITION).unwrap();
        let counts = QuestionCounts {
            answered: marks.iter().map(|(_, c)| c).sum(),
            options: HashMap::new(),
            numbers: marks.iter().copied().collect(),
        };
        Row { label: label.into(), figure: figure(&q.questions[0], &spec(), &counts), counts }
    }

    fn total(rows: &[Row]) -> (Figure, QuestionCounts) {
        let mut counts = QuestionCounts::default();
        for r in rows {
            counts.answered += r.counts.answered;
            for (v, c) in &r.counts.numbers {
                *counts.numbers.entry(*v).or_default() += c;
            }
        }
        let q = crate::questionnaire::parse(DEFINITION).unwrap();
        (figure(&q.questions[0], &spec(), &counts), counts)
    }

    fn breakdown() -> BreakdownSpec {
        spec().breakdown.unwrap()
    }

    #[test]
    fn a_mean_near_the_top_is_hidden_and_cannot_be_computed_from_the_total() {
        // Team A: eleven gave 10, one gave 9. Its mean (9,9) would say who gave what; printed
        // alone beside the total's mean and B's and C's, it would follow as well.
        let rows = vec![
            row("A", &[(10, 11), (9, 1)]),
            row("B", &[(4, 4), (6, 6), (7, 6), (8, 4)]),
            row("C", &[(5, 5), (7, 5), (9, 5)]),
        ];
        let (fig, counts) = total(&rows);
        let (shown, left) = leave_out(&rows, 0, 10);
        assert_eq!((shown.len(), left.len()), (3, 0));
        let shares = hidden_shares(&rows, &shown, &fig, &breakdown(), 5, false);
        let means = hidden_means(&rows, &shown, &counts, (1, 10), &shares, 5, false);
        assert!(means[0], "A's mean is hidden");
        // The attack: total sum minus the printed rows' sums gives the hidden rows' sum. With one
        // hidden row that is A's sum; the rule hides a second, and the two together are no
        // longer near an end.
        let hidden: Vec<usize> = (0..3).filter(|&g| means[g]).collect();
        assert!(hidden.len() >= 2, "{means:?}");
        let (n, sum) = hidden.iter().map(|&g| marks(&rows[g].counts)).fold((0, 0), |(n, s), (a, b)| (n + a, s + b));
        assert!(!near_an_end(n, sum, (1, 10), 5), "together they say nothing of a person");
    }

    #[test]
    fn a_share_that_gives_a_small_count_back_is_hidden_with_its_complement() {
        // Team A: 2 of 12 gave an onvoldoende; "83% voldoende" of 12 gives those 2 back.
        let rows = vec![row("A", &[(4, 2), (7, 10)]), row("B", &[(4, 6), (7, 14)]), row("C", &[(3, 5), (8, 10)])];
        let (fig, counts) = total(&rows);
        let (shown, _) = leave_out(&rows, 0, 10);
        let shares = hidden_shares(&rows, &shown, &fig, &breakdown(), 5, false);
        assert!(shares[0][0], "A's share is hidden");
        let hidden_rows: Vec<usize> = (0..3).filter(|&g| shares[0][g]).collect();
        assert!(hidden_rows.len() >= 2, "the total's share would give a single hidden row back: {shares:?}");
        // The reader's equations: per row in + out = n, per column the total's counts.
        let inside: Vec<u64> = shown.iter().map(|&i| share_count(&rows[i].figure, "voldoende")).collect();
        let outside: Vec<u64> = shown.iter().zip(&inside).map(|(&i, k)| rows[i].figure.base - k).collect();
        let table = Table { cells: vec![inside, outside], rest: None, partition: true };
        let printed = Suppressed { hidden: vec![shares[0].clone(), shares[0].clone()] };
        assert_eq!(derivable(&table, &printed), vec![], "no hidden count follows");
        // A hidden share hides the row's mean too: with two marks it would be the share.
        let means = hidden_means(&rows, &shown, &counts, (1, 10), &shares, 5, false);
        assert!(hidden_rows.iter().all(|&g| means[g]), "{means:?}");
    }

    #[test]
    fn a_small_row_is_left_out_with_the_next_smallest_so_the_total_does_not_give_it_back() {
        let rows = vec![row("A", &[(7, 20)]), row("B", &[(6, 15)]), row("C", &[(2, 4)])];
        let (shown, left) = leave_out(&rows, 0, 10);
        assert_eq!(shown, [0], "C (4) alone would be the total minus A and B");
        assert_eq!(left, [2, 1]);
        // A row of nobody gives nobody back.
        let rows = vec![row("A", &[(7, 20)]), row("B", &[(6, 15)]), row("C", &[])];
        assert_eq!(leave_out(&rows, 0, 10), (vec![0, 1], vec![2]));
        // Respondents in no row (weet niet on the question broken down by) count as left out.
        let rows = vec![row("A", &[(7, 20)]), row("B", &[(6, 15)])];
        assert_eq!(leave_out(&rows, 3, 10).0, [0]);
    }
}

mod checks {
    use crate::report::ReportDefinition;

    const QUESTIONS: &str = r#"
id = "t"
title = "T"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "F"
type = "single"
text = "Hoe vaak?"
options = ["Eén keer", "Vaker"]
[[questions]]
id = "M"
type = "multiple"
text = "Wat?"
options = ["Een", "Twee"]
[[questions]]
id = "E"
type = "scale"
text = "Eens?"
points = ["Eens", "Oneens"]
[[questions]]
id = "R"
type = "scale"
text = "Cijfer?"
from = 1
to = 10
[[questions]]
id = "T"
type = "text"
text = "Waarom?"
"#;

    fn errors(question: &str, breakdown: &str) -> Vec<String> {
        let q = crate::questionnaire::parse(QUESTIONS).unwrap();
        let source = format!(
            "survey = \"t\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"{question}\"\nbreakdown = {breakdown}\n"
        );
        match ReportDefinition::parse(&source, &q) {
            Ok(_) => Vec::new(),
            Err(e) => e.0,
        }
    }

    #[test]
    fn a_breakdown_is_checked_against_the_questionnaire() {
        assert_eq!(
            errors("R", r#"{ by = "group", mean = true, shares = [{ keys = "6+7+8+9+10" }] }"#),
            Vec::<String>::new()
        );
        assert_eq!(errors("E", r#"{ by = "F", shares = [{ keys = "eens", label = "eens" }] }"#), Vec::<String>::new());
        assert_eq!(
            errors("E", r#"{ by = "F", mean = true }"#),
            [
                "regel 8: sectie 1 ('S'), figuur van E: breakdown mean = true kan alleen bij een cijfer of een getal; gebruik shares"
            ]
        );
        // Any closed question splits the respondents: several answers, a numbered scale in bins.
        assert_eq!(errors("R", r#"{ by = "M", mean = true }"#), Vec::<String>::new());
        assert_eq!(
            errors(
                "E",
                r#"{ by = "R", bins = [{ label = "Laag", to = 5 }, { label = "Hoog", from = 6 }], shares = [{ keys = "eens" }] }"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            errors("R", r#"{ by = "T", mean = true }"#),
            [
                "regel 8: sectie 1 ('S'), figuur van R: breakdown by = 'T' is een open vraag; alleen de antwoorden op een gesloten vraag verdelen de respondenten in rijen"
            ]
        );
        assert_eq!(
            errors("R", r#"{ by = "F", bins = [{ label = "Laag", to = 5 }], mean = true }"#),
            [
                "regel 8: sectie 1 ('S'), figuur van R, breakdown bins: vraag 'F' is geen getalvraag of cijferschaal; 'bins' kan alleen bij getallen en cijfers"
            ]
        );
        assert!(
            errors("E", r#"{ by = "R", bins = [{ label = "Laag", to = 5 }, { label = "Ook laag", from = 4, to = 6 }], shares = [{ keys = "eens" }] }"#)[0]
                .contains("breakdown bins, klasse 2: klassen 'Laag' en 'Ook laag' overlappen")
        );
        assert!(
            errors("R", r#"{ by = "group", bins = [{ label = "Laag", to = 5 }], mean = true }"#)[0]
                .contains("breakdown bins hoort bij by = de code van een getalvraag")
        );
        assert!(errors("R", r#"{ by = "X", mean = true }"#)[0].contains("by = 'X': die vraag bestaat niet"));
        assert!(
            errors("F", r#"{ by = "F", shares = [{ keys = "vaker" }] }"#)[0].contains("is de vraag van de figuur zelf")
        );
        assert!(errors("R", r#"{ by = "group" }"#)[0].contains("breakdown toont niets"));
        assert!(errors("E", r#"{ by = "F", shares = [{ keys = "eens+ja" }] }"#)[0].contains(
            "breakdown share 'eens+ja': 'ja' is geen categorie van deze figuur; mogelijk zijn: eens, oneens"
        ));
        assert!(
            errors("M", r#"{ by = "F", shares = [{ keys = "een+twee" }] }"#)[0]
                .contains("telt een share één categorie")
        );
        assert!(
            errors("R", r#"{ by = "group", mean = true, extra = 1 }"#)[0].contains("het veld 'extra' bestaat niet")
        );
    }
}
