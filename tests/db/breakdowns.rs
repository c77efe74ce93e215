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
