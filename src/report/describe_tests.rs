//! The plain sentences on a questionnaire of another shape than the bundled one: a workload
//! survey of three teams with a rapportcijfer, hours with an opt-out, an agreement scale, a
//! routed yes/no and a multiple-answer question with "weet niet".

use super::*;
use crate::questionnaire::parse;
use crate::report::definition::FigureSpec;
use crate::report::figures::figure;
use crate::report::stats::{QuestionCounts, counts};

const WERKDRUK: &str = r#"
id = "werkdruk-2027"
title = "Werkdruk"
[[groups]]
code = "N"
name = "Team Noord"
[[questions]]
id = "cijfer"
type = "scale"
text = "Welk rapportcijfer geef je je werkplezier?"
from = 1
to = 10
[[questions]]
id = "uren"
type = "number"
text = "Hoeveel uur per week overwerk je?"
unit = "uur"
min = 0
max = 60
opt_out = { label = "Ik werk niet over" }
[[questions]]
id = "stelling"
type = "scale"
text = "Ik heb genoeg tijd voor mijn cliënten."
points = ["Helemaal mee eens", "Mee eens", "Neutraal", "Mee oneens", "Helemaal mee oneens"]
[[questions]]
id = "thuis"
type = "yesno"
text = "Werk je weleens thuis?"
dont_know = "Weet ik niet"
[[questions]]
id = "waar"
type = "multiple"
text = "Waar werk je dan?"
show_if = "thuis = ja"
options = ["Keukentafel", "Werkkamer", "Trein", { label = "Weet niet", dont_know = true }]
"#;

fn spec(question: &str) -> FigureSpec {
    toml::from_str(&format!("question = \"{question}\"")).unwrap()
}

fn sentences(id: &str, c: QuestionCounts) -> (String, String, String) {
    let q = parse(WERKDRUK).unwrap();
    let question = q.question(id).unwrap();
    let f = figure(question, &spec(id), &c);
    let words = Words { questionnaire: &q, respondents: "respondenten", min_count: 5 };
    (text(question, &f, &words), summary(question, &f, &words).unwrap_or_default(), base(question, &f, &words))
}

#[test]
fn a_rapportcijfer_gets_its_mean_with_a_decimal_and_the_share_voldoende() {
    // 4 x 5, 6 x 7, 8 x 8, 2 x 9: 144 / 20 = 7.2; 16 of 20 a 6 or higher.
    let (text, summary, base) = sentences("cijfer", counts(20, &[], &[(5, 4), (7, 6), (8, 8), (9, 2)]));
    assert_eq!(
        text,
        "Het gemiddelde cijfer van de 20 respondenten is een 7,2; 8 op de 10 (80%) geeft een voldoende (6 of hoger)."
    );
    assert_eq!(
        summary,
        "Welk rapportcijfer geef je je werkplezier? Gemiddeld een 7,2; 8 op de 10 (80%) geeft een voldoende (6 of hoger)."
    );
    assert_eq!(base, "% van de {n} respondenten");
}

#[test]
fn a_number_gets_mean_median_and_the_opt_out_as_a_count() {
    // 12 gave hours (2, 2, 4, 4, 4, 6, 8, 8, 10, 12, 16, 20: mean 96/12 = 8, median 7) and 9
    // do not work overtime.
    let numbers = [(2, 2), (4, 3), (6, 1), (8, 2), (10, 1), (12, 1), (16, 1), (20, 1)];
    let (text, summary, _) = sentences("uren", counts(21, &[("ik_werk_niet_over", 9)], &numbers));
    assert_eq!(
        text,
        "De 12 respondenten die een getal invulden, noemen gemiddeld 8,0 uur; de helft van hen noemt 7 uur of minder (de mediaan). Daarnaast kozen 9 respondenten 'ik werk niet over'."
    );
    assert_eq!(
        summary,
        "Hoeveel uur per week overwerk je? Gemiddeld 8,0 uur (de helft 7 uur of minder); 9 respondenten kozen 'ik werk niet over'."
    );
}

#[test]
fn an_agreement_scale_gets_both_ends_and_its_middle() {
    let options =
        [("helemaal_mee_eens", 3), ("mee_eens", 9), ("neutraal", 4), ("mee_oneens", 6), ("helemaal_mee_oneens", 2)];
    let (text, summary, _) = sentences("stelling", counts(24, &options, &[]));
    assert_eq!(
        text,
        "De helft (50%) antwoordt (helemaal) mee eens en een derde (33%) (helemaal) mee oneens; 17% (dit zijn een paar mensen) kiest 'neutraal'."
    );
    assert!(summary.starts_with("Ik heb genoeg tijd voor mijn cliënten. De helft (50%) antwoordt"), "{summary}");
}

#[test]
fn yes_no_gives_both_shares_and_weet_niet_as_a_count() {
    let (text, _, base) = sentences("thuis", counts(40, &[("ja", 26), ("nee", 8), ("weet_ik_niet", 6)], &[]));
    assert_eq!(
        text,
        "Bijna 8 op de 10 (76%) antwoordt ja, bijna een kwart (24%) nee. Daarnaast kozen 6 respondenten 'weet ik niet'; zij tellen niet mee in de percentages."
    );
    assert_eq!(base, "% van de {n} respondenten die een antwoord weten op deze vraag");
}

#[test]
fn a_ranking_names_ties_as_ties_and_a_routed_caption_says_who_was_asked() {
    let options = [("keukentafel", 10), ("werkkamer", 10), ("trein", 4), ("weet_niet", 2)];
    let (text, summary, base) = sentences("waar", counts(26, &options, &[]));
    assert_eq!(
        text,
        "'Keukentafel' en 'werkkamer' worden even vaak genoemd, elk door ruim 4 op de 10 (42%), gevolgd door 'trein' (17%). Meerdere antwoorden waren mogelijk. Daarnaast kozen een paar respondenten 'weet niet'; zij tellen niet mee in de percentages."
    );
    assert_eq!(
        summary,
        "Waar werk je dan? 'Keukentafel' en 'werkkamer' worden even vaak genoemd, elk door ruim 4 op de 10 (42%). Dit gaat over de 24 respondenten die bij de vraag 'Werk je weleens thuis?' 'ja' kozen en die een antwoord weten."
    );
    assert_eq!(
        base,
        "% van de {n} respondenten die bij de vraag 'Werk je weleens thuis?' 'ja' kozen en die een antwoord weten"
    );
}

#[test]
fn a_single_winner_is_named_with_its_quantifier_and_the_next_two_follow() {
    let options = [("keukentafel", 12), ("werkkamer", 7), ("trein", 3)];
    let (text, _, _) = sentences("waar", counts(22, &options, &[]));
    assert!(
        text.starts_with("Het vaakst genoemd is 'keukentafel': 55%, gevolgd door 'werkkamer' (32%) en 'trein' (14%)."),
        "{text}"
    );
}

#[test]
fn a_mean_of_a_few_is_not_printed_and_a_number_condition_is_put_in_words() {
    let (text, summary, _) = sentences("uren", counts(6, &[("ik_werk_niet_over", 3)], &[(4, 2), (30, 1)]));
    assert_eq!(text, "Een paar respondenten vulden een getal in; dat zijn te weinig om een gemiddelde te noemen.");
    assert_eq!(summary, "", "a mean of three is no key figure");
    let q = parse(&WERKDRUK.replace("show_if = \"thuis = ja\"", "show_if = \"uren >= 4\"")).unwrap();
    let question = q.question("waar").unwrap();
    let f = figure(question, &spec("waar"), &counts(10, &[("trein", 10)], &[]));
    let words = Words { questionnaire: &q, respondents: "respondenten", min_count: 5 };
    assert_eq!(
        base(question, &f, &words),
        "% van de {n} respondenten die bij de vraag 'Hoeveel uur per week overwerk je?' 4 of meer invulden"
    );
}

#[test]
fn when_everyone_asked_chose_weet_niet_the_text_says_so() {
    let (text, _, _) = sentences("waar", counts(6, &[("weet_niet", 6)], &[]));
    assert_eq!(text, "Alle 6 respondenten die deze vraag beantwoordden, kozen 'weet niet'.");
}

#[test]
fn a_numbered_scale_names_its_ends_and_a_condition_on_it_says_hoger() {
    let q = parse(
        &WERKDRUK
            .replace("from = 1\nto = 10", "from = 1\nto = 5\nlow_label = \"Nooit\"\nhigh_label = \"Heel vaak\"")
            .replace("show_if = \"thuis = ja\"", "show_if = \"cijfer >= 3\""),
    )
    .unwrap();
    let question = q.question("cijfer").unwrap();
    let f = figure(question, &spec("cijfer"), &counts(10, &[], &[(1, 2), (3, 4), (4, 2), (5, 2)]));
    assert_eq!(f.bars.first().map(|b| b.label.as_str()), Some("1 (Nooit)"));
    assert_eq!(f.bars.last().map(|b| b.label.as_str()), Some("5 (Heel vaak)"));
    let words = Words { questionnaire: &q, respondents: "respondenten", min_count: 1 };
    assert_eq!(
        text(question, &f, &words),
        "Op de schaal van 1 tot 5 is het gemiddelde van de 10 respondenten 3,2; 4 op de 10 (40%) geeft een 4 of 5 (5 is 'heel vaak')."
    );
    let routed = q.question("waar").unwrap();
    let g = figure(routed, &spec("waar"), &counts(8, &[("trein", 8)], &[]));
    assert_eq!(
        base(routed, &g, &words),
        "% van de {n} respondenten die bij de vraag 'Welk rapportcijfer geef je je werkplezier?' 3 of hoger kozen"
    );
}
