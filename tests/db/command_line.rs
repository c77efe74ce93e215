//! The binary as a user runs it: `report check`, and output into a pipe that closes early.

use crate::helpers::TestDb;
use std::process::Command;

fn peiling(test: &TestDb, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_peiling"))
        .args(args)
        .env("DATABASE_URL", &test.url)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

const QUESTIONNAIRE: &str = r#"
id = "buurtpeiling"
title = "Buurtpeiling"
[[groups]]
code = "N"
name = "Noord"
[[questions]]
id = "C"
type = "scale"
text = "Welk rapportcijfer geeft u de buurt?"
from = 1
to = 10
[[questions]]
id = "B"
type = "yesno"
text = "Kent u het buurtcentrum?"
"#;

#[tokio::test]
async fn report_check_lists_every_problem_with_its_line_for_a_stored_or_bundled_questionnaire() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("buurtpeiling.toml");
    let path = file.to_str().unwrap();

    std::fs::write(
        &file,
        "survey = \"buurtpeiling\"\ntitle = \"Buurt\"\n\n[[sections]]\ntitle = \"Cijfer\"\n\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"C\"\ntext = \"Gemiddeld {mean_all}.\"\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = peiling(&test, &["report", "check", path]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("rapportdefinitie voor 'buurtpeiling' is in orde: 1 sectie, 1 figuur"), "{stdout}");

    std::fs::write(
        &file,
        "survey = \"buurtpeiling\"\ntitle = \"Buurt\"\n\n[[sections]]\ntitle = \"Cijfer\"\n\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"B\"\ntext = \"Gemiddeld {mean_all:.1}; {dont_know}.\"\n\n[[sections.blocks]]\nkind = \"open_answers\"\nquestion = \"Z\"\n",
    )
    .unwrap();
    let (ok, _, stderr) = peiling(&test, &["report", "check", path]);
    assert!(!ok);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].ends_with("buurtpeiling.toml: de rapportdefinitie bevat 3 fout(en):"), "{stderr}");
    assert!(
        lines[1].starts_with("  - regel 10: sectie 1 ('Cijfer'), figuur van B, 'text': '{mean_all:.1}': na ':'"),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("  - regel 10: sectie 1 ('Cijfer'), figuur van B, 'text': '{dont_know}' past alleen"),
        "{stderr}"
    );
    assert!(lines[3].starts_with("  - regel 14: sectie 1 ('Cijfer'): vraag 'Z' bestaat niet"), "{stderr}");

    // The bundled questionnaire without a stored survey; --survey names another one.
    let bundled = concat!(env!("CARGO_MANIFEST_DIR"), "/reports/maatwerkbudget-2021.toml");
    let (ok, stdout, stderr) = peiling(&test, &["report", "check", bundled]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("'maatwerkbudget-2021' is in orde: 11 secties, 9 figuren"), "{stdout}");
    let (ok, _, stderr) = peiling(&test, &["report", "check", bundled, "--survey", "buurtpeiling"]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "regel 5: de rapportdefinitie hoort bij vragenlijst 'maatwerkbudget-2021', niet bij 'buurtpeiling'"
        ),
        "{stderr}"
    );
    let (ok, _, stderr) = peiling(&test, &["report", "check", bundled, "--survey", "onbekend"]);
    assert!(!ok);
    assert!(stderr.contains("er is geen vragenlijst met code 'onbekend'"), "{stderr}");
}

#[tokio::test]
async fn report_set_stores_a_checked_definition_with_the_survey_and_show_prints_it_back() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("buurt.toml");
    let path = file.to_str().unwrap();
    let good = "survey = \"buurtpeiling\"\ntitle = \"Buurt in cijfers\"\n\n[[sections]]\ntitle = \"Cijfer\"\n\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"C\"\n";

    std::fs::write(&file, good.replace("\"C\"", "\"Z\"")).unwrap();
    let (ok, _, stderr) = peiling(&test, &["report", "set", "buurtpeiling", path]);
    assert!(!ok);
    assert!(stderr.contains("buurt.toml: niet opgeslagen"), "{stderr}");
    assert!(stderr.contains("regel 9: sectie 1 ('Cijfer'): vraag 'Z' bestaat niet"), "{stderr}");
    let (_, stdout, stderr) = peiling(&test, &["report", "show", "buurtpeiling"]);
    assert!(stderr.contains("standaarddefinitie"), "still the plain one: {stderr}");
    assert!(stdout.contains("survey = \"buurtpeiling\""), "{stdout}");

    std::fs::write(&file, good).unwrap();
    let (ok, stdout, stderr) = peiling(&test, &["report", "set", "buurtpeiling", path]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("rapportdefinitie van 'buurtpeiling' opgeslagen: 1 sectie, 1 figuur"), "{stdout}");
    let (_, stdout, stderr) = peiling(&test, &["report", "show", "buurtpeiling"]);
    assert_eq!(stdout, good, "show gives back the file set took");
    assert!(stderr.contains("eigen rapportdefinitie"), "{stderr}");

    let (ok, stdout, _) = peiling(&test, &["report", "reset", "buurtpeiling"]);
    assert!(ok && stdout.contains("gebruikt nu de standaarddefinitie"), "{stdout}");
}

#[tokio::test]
async fn survey_copy_makes_a_new_wave_with_the_report_definition_and_says_what_is_wrong() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let survey = peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
    let report = "survey = \"buurtpeiling\"\ntitle = \"Buurtpeiling\"\n\n[[sections]]\ntitle = \"Cijfer\"\n\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"C\"\n";
    let actor = peiling::audit::Actor::CommandLine;
    peiling::report::source::set(&db, &actor, &survey, report, chrono::Utc::now()).await.unwrap();
    let email = peiling::domain::EmailAddress::parse("eigenaar@example.org").unwrap();
    let role = peiling::accounts::Role::Researcher;
    peiling::accounts::add_user(&db, &email, "een lang wachtwoord", role, chrono::Utc::now()).await.unwrap();

    let args = ["survey", "copy", "buurtpeiling", "buurtpeiling-2", "--title", "Buurtpeiling 2"];
    let (ok, stdout, stderr) = peiling(&test, &[&args[..], &["--owner", "eigenaar@example.org"]].concat());
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("vragenlijst 'buurtpeiling-2' opgeslagen als concept (id 2): nieuwe ronde van 'buurtpeiling', zonder genodigden"),
        "{stdout}"
    );
    assert!(stdout.contains("rapportdefinitie: eigen rapportdefinitie van dit onderzoek"), "{stdout}");
    assert!(stdout.contains("eigenaar: eigenaar@example.org"), "{stdout}");
    let (_, shown, _) = peiling(&test, &["report", "show", "buurtpeiling-2"]);
    assert_eq!(
        shown,
        report.replace("\"buurtpeiling\"\ntitle = \"Buurtpeiling\"", "\"buurtpeiling-2\"\ntitle = \"Buurtpeiling 2\"")
    );
    let copy = peiling::store::surveys::load(&db, "buurtpeiling-2").await.unwrap();
    let trail = peiling::audit::events(&db, Some(copy.row.id)).await.unwrap();
    let created = trail.iter().find(|e| e.action == "survey_created").unwrap();
    assert!(created.actor.starts_with("opdrachtregel"), "{created:?}");
    assert_eq!(created.detail, "nieuwe ronde van buurtpeiling");

    for (args, message) in [
        (&args[..], "er bestaat al een vragenlijst met code 'buurtpeiling-2'"),
        (
            &["survey", "copy", "bestaat-niet", "b-3", "--title", "B"][..],
            "er is geen vragenlijst met code 'bestaat-niet'",
        ),
        (&["survey", "copy", "buurtpeiling", "3b", "--title", "B"][..], "code '3b' is ongeldig"),
        (&["survey", "copy", "buurtpeiling", "b-3", "--title", " "][..], "geef de nieuwe ronde een titel"),
    ] {
        let (ok, _, stderr) = peiling(&test, args);
        assert!(!ok, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(peiling::store::surveys::list(&db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_narrative_text_is_taken_only_where_the_report_has_a_place_for_it() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tekst.txt");
    std::fs::write(&file, "Een eigen zin bij het cijfer.").unwrap();
    let path = file.to_str().unwrap();
    // The plain report has a figure of C; an open question Z does not exist.
    let (ok, _, stderr) = peiling(&test, &["narrative", "buurtpeiling", "open:Z", "--file", path]);
    assert!(!ok);
    assert!(stderr.contains("'open:Z' is geen plek voor een tekst in dit rapport; mogelijk zijn: "), "{stderr}");
    assert!(stderr.contains("figure:C"), "{stderr}");
    let (ok, stdout, stderr) = peiling(&test, &["narrative", "buurtpeiling", "figure:C", "--file", path]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("tekst 'figure:C' van 'buurtpeiling' opgeslagen"), "{stdout}");
}

#[tokio::test]
async fn output_into_a_pipe_that_closed_early_ends_quietly_and_successfully() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
    let bundled = concat!(env!("CARGO_MANIFEST_DIR"), "/reports/maatwerkbudget-2021.toml");
    let commands: [&[&str]; 3] =
        [&["survey", "progress", "buurtpeiling"], &["survey", "list"], &["report", "check", bundled]];
    for args in commands {
        // The reading end is gone before the command writes a byte, as after `| head -0`.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_peiling"))
            .args(args)
            .env("DATABASE_URL", &test.url)
            .env("RUST_LOG", "error")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert_eq!(stderr, "", "{args:?}");
    }
}
