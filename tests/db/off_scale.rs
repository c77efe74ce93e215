//! Answers beside a scale and bins on a rapportcijfer, through the database: the report's
//! figures and sentences, and the exports, on the `loket` survey.

use crate::loket::{closed_survey, flat};
use crate::on_both;

const REPORT: &str = r#"survey = "loket-2026"
title = "Tevredenheid over het loket"
population = "bezoekers"

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "figure"
question = "E"
text = "{Q:helemaal_eens+eens} is het (helemaal) eens; {pct:geen_mening} heeft er geen mening over."

[[sections.blocks]]
kind = "figure"
question = "R"
text = "{Q:voldoende} geeft een voldoende, gemiddeld een {mean_given:1}; {n:nvt} bezoekers ({pct:nvt}) vinden de vraag niet van toepassing."
bins = [{ label = "Onvoldoende", from = 1, to = 5 }, { label = "Voldoende", from = 6, to = 10 }]
"#;

#[tokio::test]
async fn answers_beside_a_scale_are_counted_as_the_definition_says_and_a_cijfer_takes_bins() {
    on_both!("answers_beside_a_scale_are_counted_as_the_definition_says_and_a_cijfer_takes_bins", |db| {
        let survey = closed_survey(&db, "loket-2026").await;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let generated = peiling::report::generate(&db, &survey, REPORT, date).await.unwrap();
        let text = flat(&generated.text);
        // E: 78 answered, 2 weet niet apart, geen mening (8) in the base of 76; 15 + 28 eens.
        // R: 69 marks (55 of 6 or more, sum 463), 6 nvt and 3 weet niet apart.
        for expected in [
            "Bijna 6 op de 10 (57%) is het (helemaal) eens; 11% heeft er geen mening over.",
            "% van de 76 bezoekers die een antwoord weten op deze vraag",
            "8 op de 10 (80%) geeft een voldoende, gemiddeld een 6,7; 6 bezoekers (8%) vinden de vraag niet van toepassing.",
            "Niet in de basis van deze figuur: niet van toepassing: 6 bezoekers (8% van alle 78 die de vraag beantwoordden).",
            "% van de 69 bezoekers die een antwoord weten op deze vraag",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        let counts = peiling::report::stats::count(&db, survey.row.id, None).await.unwrap();
        let def = peiling::report::ReportDefinition::parse(REPORT, &survey.questionnaire).unwrap();
        let figures = peiling::report::text_table::figures(&def, &survey.questionnaire, &counts);
        let e = &figures[0].1;
        let bars: Vec<(&str, u64)> = e.bars.iter().map(|b| (b.key.as_str(), b.count)).collect();
        assert_eq!(
            bars,
            [
                ("helemaal_eens", 15),
                ("eens", 28),
                ("neutraal", 12),
                ("oneens", 10),
                ("helemaal_oneens", 3),
                ("geen_mening", 8)
            ],
            "geen mening is drawn after the points"
        );
        assert_eq!(e.points().len(), 5);
        let r = &figures[1].1;
        assert_eq!(
            r.bars.iter().map(|b| (b.key.as_str(), b.percent)).collect::<Vec<_>>(),
            [("onvoldoende", 20), ("voldoende", 80)]
        );
        assert_eq!(r.mean_given, Some(463.0 / 69.0), "nvt and weet niet are not marks");
    });
}

fn csv_records(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap();
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

#[tokio::test]
async fn exports_never_code_an_answer_beside_the_scale_as_a_point() {
    on_both!("exports_never_code_an_answer_beside_the_scale_as_a_point", |db| {
        let survey = closed_survey(&db, "loket-2026").await;
        let mut csv = Vec::new();
        peiling::export::csv(&db, &survey, &mut csv).await.unwrap();
        let records = csv_records(&csv);
        let count = |column: &str, value: &str| records.iter().filter(|r| r[column] == value).count();
        // The cijfer's column holds marks only; nvt and weet niet have 0/1 columns.
        assert_eq!((count("R", ""), count("R_nvt", "1"), count("R_weet_niet", "1")), (9, 6, 3));
        assert!(records.iter().all(|r| r["R"].is_empty() || (1..=10).contains(&r["R"].parse::<i64>().unwrap())));
        assert_eq!((count("E", "geen_mening"), count("E", "weet_niet")), (8, 2));

        let sps = peiling::export::spss(&db, &survey, "loket-2026.csv").await.unwrap();
        for expected in [
            // A five-point scale stays 1..5; weet niet and geen mening get codes above it.
            "RECODE E_s\n  ('helemaal_eens'=1)\n  ('eens'=2)\n  ('neutraal'=3)\n  ('oneens'=4)\n  ('helemaal_oneens'=5)\n  ('geen_mening'=98)\n  ('weet_niet'=99)\n  (ELSE=SYSMIS) INTO E.",
            "IF (R_nvt = 1) R = 98.\nIF (R_weet_niet = 1) R = 99.\n",
            "IF (U_weet_ik_niet_meer = 1) U = 999.\n",
            "\n  /E\n    1 'Helemaal eens'\n    2 'Eens'\n    3 'Neutraal'\n    4 'Oneens'\n    5 'Helemaal oneens'\n    98 'Geen mening'\n    99 'Weet niet'",
            "\n  /R\n    98 'Niet van toepassing'\n    99 'Weet niet'",
            "\n  /U\n    999 'Weet ik niet meer'",
            // In the base, geen mening is no missing value; weet niet, nvt and the box are.
            "MISSING VALUES\n   R (98, 99)\n  /E (99)\n  /U (999).",
            "* E: 98 'Geen mening' telt mee in de percentages, zoals in het rapport, maar is geen punt",
            "MISSING VALUES E (98 THRU 99).",
        ] {
            assert!(sps.contains(expected), "missing {expected:?} in\n{sps}");
        }
    });
}

/// Runs `script` with `Rscript` in `dir`; `None` (with a note) where R is not installed.
fn rscript(dir: &std::path::Path, script: &str) -> Option<String> {
    std::fs::write(dir.join("check.R"), script).unwrap();
    match std::process::Command::new("Rscript").arg("check.R").current_dir(dir).output() {
        Ok(out) => {
            assert!(out.status.success(), "R failed: {}", String::from_utf8_lossy(&out.stderr));
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            crate::helpers::say_skipped("running the R script: Rscript (Debian package r-base-core) is not installed");
            None
        }
    }
}

#[tokio::test]
async fn the_r_script_reads_the_csv_with_factors_labels_and_missing_values() {
    on_both!("the_r_script_reads_the_csv_with_factors_labels_and_missing_values", |db| {
        let survey = closed_survey(&db, "loket-2026").await;
        let script = peiling::export::r_script(&survey, "loket-2026.csv").unwrap();
        for expected in [
            "d <- read.csv(\"loket-2026.csv\", sep = \";\", fileEncoding = \"UTF-8-BOM\"",
            "d[[\"E\"]] <- factor(d[[\"E\"]], levels = c(\"helemaal_eens\", \"eens\", \"neutraal\", \"oneens\", \"helemaal_oneens\"), labels = c(\"Helemaal eens\", \"Eens\", \"Neutraal\", \"Oneens\", \"Helemaal oneens\"), ordered = TRUE)",
            "attr(d[[\"R\"]], \"label\") <- \"Welk rapportcijfer geeft u het loket?\"",
        ] {
            assert!(script.contains(expected), "missing {expected:?} in\n{script}");
        }
        // The same file through the export that the pages and the API hand out.
        let bytes = peiling::export::bytes(
            &db,
            &peiling::audit::Actor::CommandLine,
            &survey,
            peiling::export::Format::R,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), script);
        assert_eq!(peiling::export::Format::parse("r"), Some(peiling::export::Format::R));

        let dir = tempfile::tempdir().unwrap();
        let mut csv = Vec::new();
        peiling::export::csv(&db, &survey, &mut csv).await.unwrap();
        std::fs::write(dir.path().join("loket-2026.csv"), csv).unwrap();
        std::fs::write(dir.path().join("loket-2026.R"), &script).unwrap();
        let check = r#"source("loket-2026.R", encoding = "UTF-8")
cat(levels(d$E), sep = "|"); cat("\n")
cat(is.ordered(d$E), sum(is.na(d$E)), "\n")
cat(levels(d$E_antwoord), sep = "|"); cat("\n")
cat(sum(d$E_antwoord == "Geen mening", na.rm = TRUE), sum(!is.na(d$E_antwoord)), "\n")
cat(levels(d$team), sep = "|"); cat("\n")
cat(levels(d$F), is.ordered(d$F), "\n")
cat(sum(is.na(d$R)), sum(d$R_nvt, na.rm = TRUE), sprintf("%.4f", mean(d$R, na.rm = TRUE)), "\n")
cat(sum(is.na(d$U)), is.integer(d$U), "\n")
cat(attr(d$E, "label"), "\n")
"#;
        let Some(out) = rscript(dir.path(), check) else { return };
        let lines: Vec<&str> = out.lines().map(str::trim).collect();
        assert_eq!(
            lines,
            [
                "Helemaal eens|Eens|Neutraal|Oneens|Helemaal oneens",
                // Geen mening (8) and weet niet (2) are no points of the scale.
                "TRUE 10",
                "Helemaal eens|Eens|Neutraal|Oneens|Helemaal oneens|Geen mening",
                "8 76",
                "Loket Centrum|Loket Noord|Loket Zuid",
                "Eén keer Twee tot vijf keer Vaker FALSE",
                // 6 nvt and 3 weet niet; the mean of the 69 marks, 463 / 69.
                "9 6 6.7101",
                "3 TRUE",
                "Het loket helpt mij snel.",
            ]
        );
    });
}
