//! Breakdowns of a mean and a share, by team and by another question, through the database on
//! the `loket` survey: the printed numbers are those of the plan, a small team is left out with
//! the next smallest, and the PDF and the reading room's HTML print the same table.

use crate::loket::{SIZES, TEAMS, answers, closed_survey, flat};
use crate::on_both;
use serde_json::json;

const REPORT: &str = r#"survey = "loket-2026"
title = "Tevredenheid over het loket"
population = "bezoekers"

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "figure"
question = "R"
bins = [{ label = "Onvoldoende", from = 1, to = 5 }, { label = "Voldoende", from = 6, to = 10 }]
breakdown = { by = "group", mean = true, shares = [{ keys = "voldoende" }] }

[[sections.blocks]]
kind = "figure"
question = "E"
breakdown = { by = "F", shares = [{ keys = "helemaal_eens+eens", label = "(helemaal) eens" }] }
"#;

/// Per answer to F: (base of E, helemaal eens or eens), counted from the plan itself.
fn agreement_by_frequency() -> Vec<(u64, u64)> {
    let mut out = vec![(0, 0); 3];
    for (t, size) in SIZES.iter().enumerate() {
        for i in 0..*size {
            let a = answers(t, i);
            let f = ["een_keer", "twee_tot_vijf_keer", "vaker"].iter().position(|c| a["F"] == json!(c)).unwrap();
            if a["E"] != json!("weet_niet") {
                out[f].0 += 1;
            }
            if a["E"] == json!("helemaal_eens") || a["E"] == json!("eens") {
                out[f].1 += 1;
            }
        }
    }
    out
}

#[tokio::test]
async fn a_mean_and_a_share_are_broken_down_by_team_and_by_another_question() {
    on_both!("a_mean_and_a_share_are_broken_down_by_team_and_by_another_question", |db| {
        let survey = closed_survey(&db, "loket-2026").await;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let generated = peiling::report::generate(&db, &survey, REPORT, date).await.unwrap();
        let text = flat(&generated.text);
        assert_eq!(TEAMS.len(), 3);
        // R per team: Centrum 35 marks (sum 234, 27 voldoende); Zuid has 7, under 10, and
        // Noord (27) goes with it, or the total minus Centrum would give Zuid back.
        for expected in [
            "Welk rapportcijfer geeft u het loket? Uitgesplitst per team.",
            "Team n Gemiddelde % voldoende",
            "Loket Centrum 35 6,7 77%",
            "Totaal 69 6,7 80%",
            "Niet uitgesplitst voor Loket Zuid en Loket Noord: te weinig bezoekers (minder dan 10)",
            "Het loket helpt mij snel. Uitgesplitst naar het antwoord op 'Hoe vaak had u het afgelopen jaar contact met het loket?'.",
            "Antwoord n % (helemaal) eens",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        assert!(!text.contains("Loket Zuid 7"), "{text}");
        for ((base, agree), label) in agreement_by_frequency().iter().zip(["Eén keer", "Twee tot vijf keer", "Vaker"])
        {
            // Rows under 30 are marked indicative.
            let star = if *base < 30 { "*" } else { "" };
            let row = format!("{label}{star} {base} {}%", peiling::report::figures::percent(*agree, *base));
            assert!(text.contains(&row), "missing {row:?} in {text}");
        }
        assert!(text.contains("Totaal 76 57%"), "{text}");
        // The reading room's HTML has the same table.
        let row = "<th scope=\"row\">Loket Centrum</th><td>35</td><td>6,7</td><td>77%</td>";
        assert!(generated.html.contains(row), "missing {row} in {}", generated.html);
    });
}

/// The loket questions and one with several answers: why the visitor came. Moving house comes
/// only with a passport (the row lies inside another), and a parking permit with a driving
/// licence, but for three visitors of Loket Centrum who came for the licence alone.
const WHY: &str = r#"
[[questions]]
id = "K"
type = "multiple"
text = "Waarvoor kwam u naar het loket?"
options = ["Paspoort of ID-kaart", "Verhuizing", "Rijbewijs", "Parkeervergunning"]
"#;

fn why(t: usize, i: usize) -> Vec<&'static str> {
    match i % 3 {
        0 => vec!["paspoort_of_id_kaart"],
        1 => vec!["paspoort_of_id_kaart", "verhuizing"],
        _ if t == 0 && i < 9 => vec!["rijbewijs"],
        _ => vec!["rijbewijs", "parkeervergunning"],
    }
}

const BY_ANSWERS: &str = r#"survey = "loket-waarom"
title = "Tevredenheid over het loket"
population = "bezoekers"

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "figure"
question = "R"
breakdown = { by = "K", mean = true }

[[sections.blocks]]
kind = "figure"
question = "E"
breakdown = { by = "R", bins = [{ label = "6 of lager", to = 6 }, { label = "7 of hoger", from = 7 }], shares = [{ keys = "helemaal_eens+eens", label = "(helemaal) eens" }] }

[[sections.blocks]]
kind = "figure"
question = "R"
breakdown = { by = "U", mean = true }
"#;

/// Per row: the marks of R (1 to 10) of the respondents `in_row` picks.
fn marks_of(in_row: impl Fn(usize, usize, &serde_json::Map<String, serde_json::Value>) -> bool) -> (u64, i64) {
    let mut out = (0, 0);
    for (t, size) in SIZES.iter().enumerate() {
        for i in 0..*size {
            let a = answers(t, i);
            if let (true, Some(mark)) = (in_row(t, i, &a), a["R"].as_i64()) {
                out = (out.0 + 1, out.1 + mark);
            }
        }
    }
    out
}

/// A row as the table prints it: its label (starred under 30), n and mean.
fn mean_row(label: impl std::fmt::Display, marks: (u64, i64)) -> String {
    let star = if marks.0 < 30 { "*" } else { "" };
    format!("{label}{star} {} {}", marks.0, format!("{:.1}", marks.1 as f64 / marks.0 as f64).replace('.', ","))
}

#[tokio::test]
async fn a_breakdown_by_several_answers_a_scale_in_ranges_or_a_number_keeps_its_rows_apart() {
    on_both!("a_breakdown_by_several_answers_a_scale_in_ranges_or_a_number_keeps_its_rows_apart", |db| {
        let definition = format!("{}{WHY}", crate::loket::definition("loket-waarom"));
        let survey = crate::loket::closed_survey_with(&db, &definition, |t, i| {
            let mut a = answers(t, i);
            a.insert("K".into(), json!(why(t, i)));
            a
        })
        .await;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let generated = peiling::report::generate(&db, &survey, BY_ANSWERS, date).await.unwrap();
        let text = flat(&generated.text);
        let chose = |code: &'static str| move |t: usize, i: usize, _: &serde_json::Map<_, _>| why(t, i).contains(&code);
        let passport = marks_of(chose("paspoort_of_id_kaart"));
        let moving = marks_of(chose("verhuizing"));
        let licence = marks_of(chose("rijbewijs"));
        let everyone = marks_of(|_, _, _| true);
        for expected in [
            "Uitgesplitst naar het antwoord op 'Waarvoor kwam u naar het loket?'.".to_string(),
            "Antwoord n Gemiddelde".to_string(),
            mean_row("Paspoort of ID-kaart", passport),
            mean_row("Verhuizing", moving),
            mean_row("Rijbewijs", licence),
            mean_row("Totaal", everyone),
            // The licence minus the permit would be the three who came for the licence alone.
            "Niet uitgesplitst voor Parkeervergunning".to_string(),
            "Bij 'Waarvoor kwam u naar het loket?' waren meerdere antwoorden mogelijk".to_string(),
        ] {
            assert!(text.contains(&expected), "missing {expected:?} in {text}");
        }
        assert!(!text.contains("Parkeervergunning 2"), "{text}");

        // E by R in two ranges: those who gave R 1 to 6, and 7 to 10; nvt and weet niet in no row.
        let agree = |low: i64, high: i64| {
            let (mut base, mut yes) = (0, 0);
            for (t, size) in SIZES.iter().enumerate() {
                for i in 0..*size {
                    let a = answers(t, i);
                    let in_row = a["R"].as_i64().is_some_and(|m| (low..=high).contains(&m));
                    if in_row && a["E"] != json!("weet_niet") {
                        base += 1;
                        yes += u64::from(a["E"] == json!("helemaal_eens") || a["E"] == json!("eens"));
                    }
                }
            }
            (base, yes)
        };
        // Those who answered E but gave R no mark (nvt, weet niet) are in no row; too few to be
        // left out alone, so the smaller row goes with them.
        let (low, high) = (agree(1, 6), agree(7, 10));
        let (everyone, _) = agree(i64::MIN, i64::MAX);
        assert!(low.0 < high.0 && low.0 >= 10);
        let e_base = agreement_by_frequency().iter().map(|(base, _)| base).sum::<u64>();
        assert!(e_base - everyone < 10, "{e_base} - {everyone}");
        let row = format!("7 of hoger {} {}%", high.0, peiling::report::figures::percent(high.1, high.0));
        assert!(text.contains(&row), "missing {row:?} in {text}");
        assert!(text.contains("Niet uitgesplitst voor 6 of lager: te weinig bezoekers"), "{text}");

        // R by U: a row per number of minutes given (5, 10, 15, 20) and one for the opt-out.
        // The last of each team no longer knows and gave R no mark either: that row holds
        // nobody, and leaving it out costs no other row.
        let waited = |minutes: i64| marks_of(move |_, _, a| a["U"] == json!(minutes));
        assert_eq!(marks_of(|_, _, a| a["U"] == json!("weet_ik_niet_meer")).0, 0);
        for minutes in [5, 10, 15, 20] {
            let row = mean_row(minutes, waited(minutes));
            assert!(text.contains(&row), "missing {row:?} in {text}");
        }
        assert!(text.contains("Niet uitgesplitst voor Weet ik niet meer: te weinig bezoekers"), "{text}");
    });
}
