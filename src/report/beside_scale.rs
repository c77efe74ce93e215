//! Answers beside a scale ("geen mening", "niet van toepassing": `off_scale` in the
//! questionnaire). Those counted in the base are the last bars of their figure, drawn after the
//! points; those kept out of the base are named under the figure, as a percentage of everyone
//! who answered the question, so the chart's bars still add up to its base.

use super::figures::Figure;
use super::wording;

/// The note under a figure that names its answers kept out of the base, e.g. "Niet in de
/// basis: niet van toepassing, 8 respondenten (7% van alle 120 die de vraag beantwoordden)."
/// `None` when the figure has none or nobody gave one. Small numbers are written as "een paar".
pub fn apart_note(figure: &Figure, population: &str, min_count: u64) -> Option<String> {
    let answered = figure.answered();
    let parts: Vec<String> = figure
        .off_scale_apart
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            format!(
                "{}: {} {population} ({}% van alle {answered} die de vraag beantwoordden)",
                b.label.to_lowercase(),
                wording::people(b.count, min_count),
                b.percent
            )
        })
        .collect();
    (!parts.is_empty()).then(|| format!("Niet in de basis van deze figuur: {}.", parts.join("; ")))
}

/// The lines of `peiling figures` for the answers kept out of the base.
pub fn apart_lines(figure: &Figure) -> Vec<String> {
    figure
        .off_scale_apart
        .iter()
        .map(|b| {
            let label: String = b.label.chars().take(60).collect();
            format!("  {label:<60} {:>5}  (niet in de basis; {}% van wie antwoordde)", b.count, b.percent)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse;
    use crate::report::definition::FigureSpec;
    use crate::report::figures::figure;
    use crate::report::prose::render;
    use crate::report::stats::counts;

    const DEFINITION: &str = r#"
id = "t"
title = "T"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "E"
type = "scale"
text = "Het loket helpt mij snel."
points = ["Helemaal eens", "Eens", "Oneens", "Helemaal oneens",
  { label = "Geen mening", off_scale = true, in_base = true },
  { label = "Niet van toepassing", code = "nvt", off_scale = true, in_base = false }]
dont_know = "Weet niet"
[[questions]]
id = "R"
type = "scale"
text = "Welk cijfer?"
from = 1
to = 10
off_scale = [{ label = "Niet van toepassing", code = "nvt", in_base = false }]
"#;

    fn spec(question: &str) -> FigureSpec {
        toml::from_str(&format!("question = \"{question}\"")).unwrap()
    }

    #[test]
    fn a_labelled_scale_draws_its_answer_in_the_base_after_the_points_and_names_the_one_apart() {
        let q = parse(DEFINITION).unwrap();
        // 100 answered: 80 on the scale, 10 geen mening (in the base), 6 nvt and 4 weet niet apart.
        let c = counts(
            100,
            &[
                ("helemaal_eens", 20),
                ("eens", 40),
                ("oneens", 15),
                ("helemaal_oneens", 5),
                ("geen_mening", 10),
                ("nvt", 6),
                ("weet_niet", 4),
            ],
            &[],
        );
        let f = figure(q.question("E").unwrap(), &spec("E"), &c);
        assert_eq!((f.base, f.dont_know, f.answered()), (90, 4, 100));
        let keys: Vec<(&str, i64)> = f.bars.iter().map(|b| (b.key.as_str(), b.percent)).collect();
        assert_eq!(
            keys,
            [("helemaal_eens", 22), ("eens", 44), ("oneens", 17), ("helemaal_oneens", 6), ("geen_mening", 11)]
        );
        assert_eq!(f.points().len(), 4, "the scale's own points");
        assert_eq!(f.off_scale.iter().map(|b| (b.key.as_str(), b.count)).collect::<Vec<_>>(), [("geen_mening", 10)]);
        assert_eq!(
            f.off_scale_apart.iter().map(|b| (b.key.as_str(), b.count, b.percent)).collect::<Vec<_>>(),
            [("nvt", 6, 6)]
        );
        let text = render("{Q:helemaal_eens+eens} is het eens; {pct:geen_mening} heeft geen mening; {n:nvt} ({pct:nvt}) vindt het niet van toepassing.", &f, 5).unwrap();
        assert_eq!(text, "Twee derde (67%) is het eens; 11% heeft geen mening; 6 (6%) vindt het niet van toepassing.");
        assert_eq!(
            apart_note(&f, "bewoners", 5).unwrap(),
            "Niet in de basis van deze figuur: niet van toepassing: 6 bewoners (6% van alle 100 die de vraag beantwoordden)."
        );
    }

    #[test]
    fn a_rating_keeps_its_answers_beside_the_scale_out_of_its_mean() {
        let q = parse(DEFINITION).unwrap();
        let c = counts(12, &[("nvt", 2)], &[(6, 5), (8, 5)]);
        let f = figure(q.question("R").unwrap(), &spec("R"), &c);
        assert_eq!((f.base, f.mean_given, f.mean_all), (10, Some(7.0), Some(7.0)));
        assert_eq!(f.bars.len(), 10, "the points only: nvt is kept apart");
        assert_eq!(f.off_scale_apart[0].count, 2);
        assert_eq!(render("{n:nvt}", &f, 5).unwrap(), "een paar", "a small count is not printed");
        assert_eq!(apart_note(&f, "bewoners", 1).unwrap().matches("2 bewoners").count(), 1);
    }
}
