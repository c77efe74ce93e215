//! Exports of a closed survey: the CSV read back with a CSV reader against the database's own
//! counts, formula neutralisation, the XLSX opened with a reader, and the SPSS syntax.

use crate::helpers::TestDb;
use crate::on_both;
use peiling::export::{self, ExportError};
use peiling::questionnaire::{Answers, Mode};
use peiling::report::stats;
use peiling::store::{self, surveys::Survey};
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::HashMap;

/// The demo (closed, 54 responses) with the personal tokens its invitations carried.
async fn demo_with_tokens(db: &DatabaseConnection) -> (Survey, Vec<String>) {
    let memory = peiling::mail::transport::Memory::default();
    let bundled = &peiling::bundled::MAATWERKBUDGET_2021;
    let survey = peiling::demo::run_on(db, bundled, &memory, "http://peiling.test").await.unwrap().0;
    let tokens = memory
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|m| {
            let text = String::from_utf8_lossy(&m.formatted()).to_string();
            let start = text.find("http://peiling.test/s/")? + "http://peiling.test/s/".len();
            Some(text[start..start + 43].to_string())
        })
        .collect();
    (survey, tokens)
}

async fn csv_bytes(db: &DatabaseConnection, survey: &Survey) -> Vec<u8> {
    let mut out = Vec::new();
    export::csv(db, survey, &mut out).await.unwrap();
    out
}

/// Header and records of an exported CSV, read as a CSV reader would (BOM stripped).
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("a UTF-8 byte order mark");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records =
        reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect();
    (header, records)
}

fn count(records: &[HashMap<String, String>], column: &str, value: &str) -> u64 {
    records.iter().filter(|r| r[column] == value).count() as u64
}

#[tokio::test]
async fn the_csv_export_reads_back_to_the_counts_of_the_report() {
    on_both!("the_csv_export_reads_back_to_the_counts_of_the_report", |db| {
        let (survey, tokens) = demo_with_tokens(&db).await;
        assert_eq!(tokens.len(), 143);
        let bytes = csv_bytes(&db, &survey).await;
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "every response is one line, with CRLF");
        let (header, records) = parse_csv(&bytes);
        assert_eq!(&header[..3], ["respons", "team", "Q1"], "no moment of arrival");
        assert!(header.contains(&"Q1_nog_nooit".to_string()));
        assert!(header.contains(&"Q4_anders_tekst".to_string()));
        assert_eq!(records.len(), 54);
        let sequence: Vec<String> = records.iter().map(|r| r["respons"].clone()).collect();
        assert_eq!(sequence, (1..=54).map(|n| n.to_string()).collect::<Vec<_>>());
        // Team by team, in the questionnaire's order of the teams.
        let teams: Vec<&str> = records.iter().map(|r| r["team"].as_str()).collect();
        assert_eq!(teams, [vec!["SWT"; 37], vec!["JLR"; 17]].concat());

        let counts = stats::count(&db, survey.row.id, None).await.unwrap();
        let groups = stats::response_per_group(&db, survey.row.id).await.unwrap();
        for g in &groups {
            assert_eq!(count(&records, "team", &g.code), g.responded, "team {}", g.code);
        }
        // One-answer questions: the option code per response.
        for question in ["Q2", "Q3", "Q6", "Q10"] {
            let q = counts.question(question);
            for option in survey.questionnaire.question(question).unwrap().options() {
                assert_eq!(
                    count(&records, question, &option.code),
                    q.option(&option.code),
                    "{question} {}",
                    option.code
                );
            }
            let answered = records.iter().filter(|r| !r[question].is_empty()).count() as u64;
            assert_eq!(answered, q.answered, "{question} answered");
        }
        let q3 = counts.question("Q3");
        assert!(q3.option("ja") > 0 && q3.option("nee") > 0 && q3.option("weet_niet") > 0);
        // Multiple answers: a 0/1 column per option, empty where the question was not asked.
        for question in ["Q4", "Q5", "Q7", "Q11"] {
            let q = counts.question(question);
            for option in survey.questionnaire.question(question).unwrap().options() {
                let column = format!("{question}_{}", option.code);
                assert_eq!(count(&records, &column, "1"), q.option(&option.code), "{column}");
                assert_eq!(
                    count(&records, &column, "0") + count(&records, &column, "1"),
                    q.answered,
                    "{column}: 0 or 1 exactly where the question was answered"
                );
            }
        }
        let anders = records.iter().filter(|r| !r["Q4_anders_tekst"].is_empty()).count() as u64;
        assert_eq!(anders, counts.question("Q4").option("anders"));
        // The number question with its opt-out box.
        let q1 = counts.question("Q1");
        assert_eq!(count(&records, "Q1_nog_nooit", "1"), q1.option("nog_nooit"));
        assert_eq!(count(&records, "Q1_nog_nooit", "0"), q1.numbers.values().sum::<u64>());
        for (number, n) in &q1.numbers {
            assert_eq!(count(&records, "Q1", &number.to_string()), *n, "Q1 = {number}");
        }
        assert!(records.iter().all(|r| (r["Q1_nog_nooit"] == "1") == r["Q1"].is_empty()));
        // Open text.
        let tips = records.iter().filter(|r| !r["Q13"].is_empty()).count() as u64;
        assert_eq!(tips, counts.question("Q13").answered);

        // Nothing about the invitees: no address, no name, no token.
        let invitees = entity::invitee::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(&entity::invitee::Column::SurveyId, survey.row.id))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(invitees.len(), 143);
        assert!(!text.contains("@example.org"));
        for invitee in &invitees {
            assert!(!text.contains(&invitee.email), "{}", invitee.email);
            let name = invitee.name.as_deref().unwrap();
            assert!(!text.contains(name), "{name}");
        }
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "a personal token is in the export");
        }
        assert!(!text.contains("/s/"));

        // Reading in small chunks gives the same file.
        let mut small = Vec::new();
        assert_eq!(export::csv_in_chunks(&db, &survey, &mut small, 7).await.unwrap(), 54);
        assert!(small == bytes, "chunked reading changes the export");
    });
}

/// A text answer per risky prefix, in a response added to the closed demo.
async fn add_risky_response(db: &DatabaseConnection, survey: &Survey) {
    let raw = serde_json::json!({
        "Q1": 3,
        "Q2": "neutraal",
        "Q2t": "=HYPERLINK(\"http://x\")",
        "Q3": "ja",
        "Q4": {"options": ["anders"], "other": {"anders": "-2"}},
        "Q6": "nee",
        "Q7": ["fondsen"],
        "Q8": "+1",
        "Q9": "@SUM(1)",
        "Q10": "nee",
        "Q13": "gewoon een tip; met een \"citaat\"\nen een tweede regel",
    });
    let answers = Answers::parse(&survey.questionnaire, raw.as_object().unwrap(), Mode::Submit).unwrap();
    let txn = db.begin().await.unwrap();
    store::responses::insert_submitted(&txn, survey.row.id, &survey.questionnaire, survey.groups[1].id, &answers)
        .await
        .unwrap();
    txn.commit().await.unwrap();
}

#[tokio::test]
async fn texts_that_look_like_formulas_are_neutralised_in_csv_and_xlsx() {
    on_both!("texts_that_look_like_formulas_are_neutralised_in_csv_and_xlsx", |db| {
        let (survey, _) = demo_with_tokens(&db).await;
        add_risky_response(&db, &survey).await;
        let (_, records) = parse_csv(&csv_bytes(&db, &survey).await);
        assert_eq!(records.len(), 55);
        let last = records.iter().find(|r| r["Q8"] == "'+1").expect("the risky response");
        assert_eq!(last["team"], survey.groups[1].code);
        assert_eq!(last["Q2t"], "'=HYPERLINK(\"http://x\")");
        assert_eq!(last["Q4_anders_tekst"], "'-2");
        assert_eq!(last["Q8"], "'+1");
        assert_eq!(last["Q9"], "'@SUM(1)");
        assert_eq!(last["Q13"], "gewoon een tip; met een \"citaat\" en een tweede regel");
        assert_eq!(last["Q1"], "3");
        assert_eq!(last["Q4_anders"], "1");
        assert_eq!(last["Q4_partners"], "0");
        assert_eq!(last["Q5_voldoende"], "", "not asked");

        // The XLSX holds the same neutralised texts (and keeps the line break).
        let bytes = export::xlsx(&db, &survey).await.unwrap();
        let data = sheet(&bytes, "Data");
        let header: Vec<String> = data.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let number: f64 = last["respons"].parse().unwrap();
        let row = data.rows().find(|r| r[0] == calamine::Data::Float(number)).unwrap();
        let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
        assert_eq!(cell("Q2t"), calamine::Data::String("'=HYPERLINK(\"http://x\")".into()));
        assert_eq!(cell("Q4_anders_tekst"), calamine::Data::String("'-2".into()));
        assert_eq!(cell("Q8"), calamine::Data::String("'+1".into()));
        assert_eq!(cell("Q9"), calamine::Data::String("'@SUM(1)".into()));
        assert_eq!(
            cell("Q13"),
            calamine::Data::String("gewoon een tip; met een \"citaat\"\nen een tweede regel".into())
        );
        assert_eq!(cell("Q1"), calamine::Data::Float(3.0));
    });
}

fn sheet(bytes: &[u8], name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(workbook.sheet_names(), ["Data", "Codeboek"]);
    workbook.worksheet_range(name).unwrap()
}

#[tokio::test]
async fn the_xlsx_export_has_the_data_and_a_code_book() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let (survey, _) = demo_with_tokens(&db).await;
    let bytes = export::xlsx(&db, &survey).await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let columns = export::columns(&survey);

    let data = sheet(&bytes, "Data");
    assert_eq!(data.height(), 1 + 54);
    assert_eq!(data.width(), columns.len());
    let header: Vec<String> = data.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
    let first = data.rows().nth(1).unwrap();
    assert_eq!(first[0], calamine::Data::Float(1.0), "numbers are numbers");
    assert!(matches!(first[1], calamine::Data::String(_)), "the team is text");
    assert!(!header.iter().any(|h| h.contains("ingevuld") || h.contains("datum")), "no moment of arrival");
    // The CSV and the Data sheet agree on every option count.
    let (_, records) = parse_csv(&csv_bytes(&db, &survey).await);
    let q3 = header.iter().position(|h| h == "Q3").unwrap();
    for code in ["ja", "nee", "weet_niet"] {
        let in_sheet =
            data.rows().skip(1).filter(|r| matches!(&r[q3], calamine::Data::String(s) if s == code)).count() as u64;
        assert_eq!(in_sheet, count(&records, "Q3", code), "Q3 {code}");
    }

    let book = sheet(&bytes, "Codeboek");
    assert_eq!(book.height(), 1 + columns.len());
    let rows: Vec<Vec<String>> = book.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0], ["kolom", "spss_naam", "vraag", "vraagtekst", "type", "waarden"]);
    let q2 = rows.iter().find(|r| r[0] == "Q2").unwrap();
    assert_eq!(q2[2], "Q2");
    assert_eq!(q2[3], "Wat is je ervaring met het maatwerkbudget?");
    assert_eq!(q2[4], "schaal (antwoordcode)");
    assert!(q2[5].starts_with("zeer_positief = Zeer positief; positief = Positief; neutraal = Neutraal"), "{}", q2[5]);
    let team = rows.iter().find(|r| r[0] == "team").unwrap();
    assert_eq!(team[5], "SWT = Sociaal Wijkteam; JLR = Jeugdteams Leidse Regio");
    let opt_out = rows.iter().find(|r| r[0] == "Q1_nog_nooit").unwrap();
    assert_eq!(opt_out[5], "0 = getal ingevuld; 1 = Nog nooit");
}

/// SPSS names: a letter first, then letters, digits and `_`, at most 64 bytes.
fn valid_spss_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[tokio::test]
async fn the_spss_syntax_reads_the_csv_with_labels() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let (survey, _) = demo_with_tokens(&db).await;
    let sps = export::spss(&db, &survey, "maatwerkbudget-2021.csv").await.unwrap();
    assert!(sps.starts_with("* Encoding: UTF-8.\n"));
    for expected in [
        "GET DATA\n  /TYPE=TXT\n  /FILE='maatwerkbudget-2021.csv'\n  /ENCODING='UTF8'",
        "/DELIMITERS=';'",
        "/QUALIFIER='\"'",
        "/FIRSTCASE=2",
        "\n    respons F8.0\n    team_s A3\n    Q1 F8.0\n    Q1_nog_nooit F8.0\n    Q2_s A13\n",
        // "Weet niet" is no answer among the others: a code above them, and missing.
        "RECODE Q3_s\n  ('ja'=1)\n  ('nee'=2)\n  ('weet_niet'=99)\n  (ELSE=SYSMIS) INTO Q3.",
        "IF (Q1_nog_nooit = 1) Q1 = 999.",
        "VARIABLE LABELS\n   respons 'Regelnummer",
        "\n  /Q3 'Zou je het maatwerkbudget vaker willen inzetten?'",
        "VALUE LABELS\n   team\n    1 'Sociaal Wijkteam'\n    2 'Jeugdteams Leidse Regio'",
        "\n  /Q3\n    1 'Ja'\n    2 'Nee'\n    99 'Weet niet'",
        "\n  /Q1\n    999 'Nog nooit'",
        "MISSING VALUES\n   Q1 (999)\n",
        "\n  /Q3 (99)\n",
        "\n  /Q1_nog_nooit\n    0 'getal ingevuld'\n    1 'Nog nooit'",
        // Who answered "weet niet" to Q4 is out of its options' base, as in the report.
        "IF (Q4_weet_niet = 1) Q4_partners = 9.",
        "\n  /Q4_partners\n    0 'niet gekozen'\n    1 'gekozen'\n    9 'Weet niet'",
        "\n  /Q4_partners (9)",
        "VARIABLE LEVEL\n",
        "(ORDINAL)",
    ] {
        assert!(sps.contains(expected), "missing {expected:?} in\n{sps}");
    }
    // Every column is read, then kept under a valid, unique name; string widths fit the data.
    let columns = export::columns(&survey);
    let variables: Vec<(&str, &str)> = sps
        .split("/VARIABLES=")
        .nth(1)
        .unwrap()
        .split_once(".\n")
        .unwrap()
        .0
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().split_once(' ').unwrap())
        .collect();
    assert_eq!(variables.len(), columns.len());
    let mut seen = std::collections::HashSet::new();
    for c in &columns {
        assert!(valid_spss_name(&c.spss_name), "{}", c.spss_name);
        assert!(seen.insert(c.spss_name.to_ascii_lowercase()), "{} twice", c.spss_name);
    }
    for (name, _) in &variables {
        assert!(valid_spss_name(name), "{name}");
    }
    let (_, records) = parse_csv(&csv_bytes(&db, &survey).await);
    for ((name, format), column) in variables.iter().zip(&columns) {
        if let Some(width) = format.strip_prefix('A') {
            let widest = records.iter().map(|r| r[&column.name].len()).max().unwrap_or(0).max(1);
            assert!(width.parse::<usize>().unwrap() >= widest, "{name} {format}: {widest} bytes in the data");
        }
    }
    // The R script on the same CSV: it runs, and "weet niet" to Q4 makes its options NA.
    let script = export::r_script(&survey, "maatwerkbudget-2021.csv").unwrap();
    assert!(script.contains("d[[\"Q4_partners\"]][d[[\"Q4_weet_niet\"]] %in% \"1\"] <- NA"), "{script}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("maatwerkbudget-2021.csv"), csv_bytes(&db, &survey).await).unwrap();
    std::fs::write(dir.path().join("maatwerkbudget-2021.R"), &script).unwrap();
    let check = "source('maatwerkbudget-2021.R', encoding = 'UTF-8')\ncat(levels(d$Q2), sep = '|')\ncat('\\n', sum(d$Q4_weet_niet %in% 1), sum(is.na(d$Q4_partners) & !is.na(d$Q4_weet_niet)), '\\n')\n";
    std::fs::write(dir.path().join("check.R"), check).unwrap();
    match std::process::Command::new("Rscript").arg("check.R").current_dir(dir.path()).output() {
        Ok(out) => {
            assert!(out.status.success(), "R failed: {}", String::from_utf8_lossy(&out.stderr));
            let out = String::from_utf8(out.stdout).unwrap();
            let lines: Vec<&str> = out.lines().map(str::trim).collect();
            assert_eq!(lines[0], "Zeer positief|Positief|Neutraal|Negatief|Zeer negatief");
            let (weet_niet, na) = lines[1].split_once(' ').unwrap();
            assert_eq!(weet_niet, na.trim(), "every weet niet of Q4 is NA in its options");
            assert_ne!(weet_niet, "0");
        }
        Err(_) => crate::helpers::say_skipped("running the R script: Rscript is not installed"),
    }
    let q12 = variables.iter().find(|(n, _)| *n == "Q12").unwrap();
    let widest = records.iter().map(|r| r["Q12"].len()).max().unwrap();
    assert_eq!(q12.1, format!("A{widest}"), "the real maximum width");
}

#[tokio::test]
async fn every_kind_of_question_gets_its_columns() {
    on_both!("every_kind_of_question_gets_its_columns", |db| {
        let definition = r#"
id = "alle-typen"
title = "Alle typen"
[[groups]]
code = "A-team"
name = "Team A"
[[questions]]
id = "K1"
type = "single"
text = "Welke kleur?"
options = ["Rood", "Blauw", { code = "anders", label = "Anders, namelijk", other = true }]
[[questions]]
id = "K2"
type = "scale"
text = "Rapportcijfer?"
from = 1
to = 10
low_label = "Slecht"
high_label = "Uitstekend"
dont_know = "Weet niet"
[[questions]]
id = "K3"
type = "number"
text = "Saldo?"
min = -100
max = 100
[[questions]]
id = "K4"
type = "text"
text = "Opmerking?"
required = false
"#;
        let now = chrono::Utc::now();
        let survey = store::surveys::create(&db, definition, now).await.unwrap();
        let invitee = store::invitees::NewInvitee {
            email: peiling::domain::EmailAddress::parse("a@example.org").unwrap(),
            name: None,
            group: "A-team".into(),
        };
        store::invitees::add_all(&db, &survey, vec![invitee], now).await.unwrap();
        let survey = store::surveys::load(&db, "alle-typen").await.unwrap();
        peiling::invitations::lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &survey,
            now + chrono::Duration::days(1),
            now,
        )
        .await
        .unwrap();
        let survey = store::surveys::load(&db, "alle-typen").await.unwrap();
        for raw in [
            serde_json::json!({"K1": {"option": "anders", "other": "Groen"}, "K2": 7, "K3": -5, "K4": "-5 is te weinig"}),
            serde_json::json!({"K1": "rood", "K2": "weet_niet", "K3": 0}),
        ] {
            let answers = Answers::parse(&survey.questionnaire, raw.as_object().unwrap(), Mode::Submit).unwrap();
            let txn = db.begin().await.unwrap();
            store::responses::insert_submitted(
                &txn,
                survey.row.id,
                &survey.questionnaire,
                survey.groups[0].id,
                &answers,
            )
            .await
            .unwrap();
            txn.commit().await.unwrap();
        }
        assert!(matches!(export::csv(&db, &survey, &mut Vec::new()).await, Err(ExportError::NotClosed)));
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, now).await.unwrap();
        let survey = store::surveys::load(&db, "alle-typen").await.unwrap();

        let (header, records) = parse_csv(&csv_bytes(&db, &survey).await);
        assert_eq!(header, ["respons", "team", "K1", "K1_anders", "K2", "K2_weet_niet", "K3", "K4"]);
        let values = |r: &HashMap<String, String>| header.iter().skip(2).map(|h| r[h].clone()).collect::<Vec<_>>();
        let mut rows: Vec<Vec<String>> = records.iter().map(values).collect();
        rows.sort();
        assert_eq!(rows[0], ["anders", "Groen", "7", "0", "-5", "'-5 is te weinig"]);
        assert_eq!(rows[1], ["rood", "", "", "1", "0", ""]);
        assert_eq!(records[0]["team"], "A-team");

        let bytes = export::xlsx(&db, &survey).await.unwrap();
        let data = sheet(&bytes, "Data");
        let row: Vec<calamine::Data> =
            data.rows().find(|r| r[2] == calamine::Data::String("anders".into())).unwrap().to_vec();
        assert_eq!(row[6], calamine::Data::Float(-5.0), "a negative number stays a number");
        assert_eq!(row[7], calamine::Data::String("'-5 is te weinig".into()));

        let sps = export::spss(&db, &survey, "alle-typen.csv").await.unwrap();
        assert!(sps.contains("\n    team_s A6\n"), "{sps}");
        assert!(sps.contains("RECODE team_s\n  ('A-team'=1)\n  (ELSE=SYSMIS) INTO team."), "{sps}");
        assert!(sps.contains("\n  /K2\n    1 'Slecht'\n    10 'Uitstekend'"), "{sps}");
        assert!(sps.contains("\n    K1_anders A5\n"), "{sps}");
        assert!(sps.contains("\n    K4 A16.\n"), "{sps}");
    });
}

#[tokio::test]
async fn only_a_closed_survey_is_exported() {
    on_both!("only_a_closed_survey_is_exported", |db| {
        let draft = crate::helpers::survey_with_invitees(&db, "export", 2).await;
        let now = chrono::Utc::now();
        let mut out = Vec::new();
        let refused = export::csv(&db, &draft, &mut out).await.unwrap_err();
        assert!(matches!(refused, ExportError::NotClosed));
        assert_eq!(refused.to_string(), "exporteren kan pas als de vragenlijst gesloten is");
        assert!(out.is_empty(), "nothing is written");
        peiling::invitations::lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &draft,
            now + chrono::Duration::days(7),
            now,
        )
        .await
        .unwrap();
        let open = store::surveys::load(&db, &draft.row.slug).await.unwrap();
        assert!(matches!(export::csv(&db, &open, &mut out).await, Err(ExportError::NotClosed)));
        assert!(matches!(export::xlsx(&db, &open).await, Err(ExportError::NotClosed)));
        assert!(matches!(export::spss(&db, &open, "x.csv").await, Err(ExportError::NotClosed)));
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &open, now).await.unwrap();
        let closed = store::surveys::load(&db, &draft.row.slug).await.unwrap();
        let (_, records) = parse_csv(&csv_bytes(&db, &closed).await);
        assert!(records.is_empty(), "a closed survey without responses gives just the header");
    });
}

/// The exports run in web handlers and spawned tasks: their futures must be `Send`.
#[allow(dead_code)]
fn exports_are_send(db: &DatabaseConnection, survey: &Survey, out: &mut Vec<u8>) {
    fn send<T: Send>(_: T) {}
    send(export::csv(db, survey, out));
    send(export::xlsx(db, survey));
    send(export::spss(db, survey, "x.csv"));
}
