//! The demo's PDF report: what a council member reads, checked on the text `pdftotext` extracts.

use crate::helpers::TestDb;
use peiling::bundled::MAATWERKBUDGET_2021;
use peiling::store;
use std::process::Command;

/// The text of a PDF as poppler's `pdftotext` sees it; `None` (with a note) where it is not
/// installed, unless `PEILING_REQUIRE_PDFTOTEXT=1` (set by `.ci/run`, which installs it).
pub(crate) fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        other => {
            if std::env::var("PEILING_REQUIRE_PDFTOTEXT").is_ok_and(|v| v == "1") {
                panic!("pdftotext is required but failed: {other:?}");
            }
            crate::helpers::say_skipped(
                "the pdftotext checks: pdftotext (Debian package poppler-utils) is not installed",
            );
            None
        }
    }
}

async fn demo_report() -> (peiling::report::Generated, sea_orm::DatabaseConnection, peiling::store::surveys::Survey) {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let survey = crate::helpers::run_demo(&db).await;
    let date = chrono::NaiveDate::from_ymd_opt(2021, 6, 15).unwrap();
    let generated = peiling::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, date).await.unwrap();
    std::mem::forget(test); // keep the folder while `db` lives
    (generated, db, survey)
}

#[tokio::test]
async fn the_demo_report_matches_its_golden_text() {
    let (generated, _, _) = demo_report().await;
    assert!(generated.pdf.starts_with(b"%PDF-"));
    assert!(generated.pdf.len() < 1024 * 1024, "the demo PDF is {} bytes", generated.pdf.len());
    let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/maatwerkbudget-2021.txt");
    // UPDATE_GOLDEN=1 rewrites the file; review the diff before committing it.
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(golden_path, &generated.text).unwrap();
    }
    let golden = std::fs::read_to_string(golden_path).unwrap();
    assert!(
        golden == generated.text,
        "the report text differs from {golden_path}; run with UPDATE_GOLDEN=1 and review the diff"
    );
}

#[tokio::test]
async fn the_extracted_pdf_shows_every_figure_the_response_and_true_page_numbers() {
    let (generated, _, _) = demo_report().await;
    let Some(text) = pdftotext(&generated.pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");

    let captions = [
        "Figuur 1. Hoe vaak heb je het maatwerkbudget (ongeveer) ingezet? (% van de 54 respondenten)",
        "Figuur 2. Wat is je ervaring met het maatwerkbudget? (% van de 44 respondenten die ooit het maatwerkbudget hebben ingezet)",
        "Figuur 3. Zou je het maatwerkbudget vaker willen inzetten? (% van de 41 respondenten die een antwoord weten op deze vraag)",
        "Figuur 4. Wat is hiervoor nodig? (% van de 20 respondenten die een antwoord weten op deze vraag; meerdere antwoorden mogelijk)",
        "Figuur 5. Waarom zou je het maatwerkbudget niet vaker in willen zetten? (% van de 15 respondenten die een antwoord weten op deze vraag; meerdere antwoorden mogelijk)",
        "Figuur 6. Heb je wel eens spijt gehad dat je het maatwerkbudget had ingezet? En zo ja, (ongeveer) hoe vaak? (% van de 44 respondenten die een antwoord weten op deze vraag)",
        "Figuur 7. Als je ervoor kiest om het maatwerkbudget niet in te zetten, wat is dan een andere voorziening waar de cliënt gebruik van kan maken? (% van alle 54 respondenten; meerdere antwoorden mogelijk)",
        "Figuur 8. Heb jij als hulpverlener nog ergens behoefte aan met betrekking tot het maatwerkbudget? (% van alle 54 respondenten)",
        "Figuur 9. Waar heb je dan behoefte aan? (% van de 20 respondenten die ergens behoefte aan heeft; meerdere antwoorden mogelijk)",
    ];
    for caption in captions {
        assert!(flat.contains(caption), "missing caption: {caption}");
    }
    for phrase in [
        "In totaal hebben 54 van de 143 aangeschreven hulpverleners de vragenlijst ingevuld, een respons van 38%.",
        "Per groep: Sociaal Wijkteam 37 van de 75 (49%) en Jeugdteams Leidse Regio 17 van de 68 (25%).",
        "In de periode van 17 tot en met 31 mei 2021",
        "Bijna een vijfde (19%) van alle respondenten heeft het maatwerkbudget nog nooit ingezet.",
        "Bijna driekwart (73%) van hen is er (zeer) positief over, bijna een kwart (23%) neutraal en 5% (dit zijn een paar mensen) (zeer) negatief.",
        "Twee derde (67%) zet het naar eigen zeggen al voldoende in.",
        "Op de vraag 'Heb je nog tips of opmerkingen?' hebben 35 hulpverleners een antwoord gegeven.",
        "Bijlage 1. Casussen",
        "Casus 13",
    ] {
        assert!(flat.contains(phrase), "missing: {phrase}");
    }

    // The table of contents gives the page each section really starts on: the page (pages are
    // split by form feeds) with a line that is exactly the heading.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let contents: Vec<(String, usize)> = pages[1]
        .lines()
        .skip_while(|l| l.trim() != "Inhoudsopgave")
        .skip(1)
        .map_while(|l| {
            let (title, number) = l.trim().rsplit_once(' ')?;
            Some((title.trim().to_string(), number.parse().ok()?))
        })
        .collect();
    assert_eq!(contents.len(), 11, "{contents:?}");
    for (title, listed) in &contents {
        let actual = pages
            .iter()
            .position(|p| p.lines().any(|l| l.trim() == title))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("heading {title} not found"));
        assert_eq!(*listed, actual, "{title}: the contents say page {listed}, the heading is on page {actual}");
    }
}

/// The personal details the demo plan wrote into its casussen on purpose.
fn planted() -> Vec<String> {
    let plan: toml::Value = toml::from_str(MAATWERKBUDGET_2021.demo_plan).unwrap();
    let planted: Vec<String> = plan["questions"]
        .as_table()
        .unwrap()
        .values()
        .filter_map(|q| q.get("planted")?.as_array().cloned())
        .flatten()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(planted.len() >= 10, "the demo plants personal details in its casussen");
    planted
}

#[tokio::test]
async fn no_planted_personal_detail_reaches_the_pdf_and_only_included_casussen_are_printed() {
    let (generated, db, survey) = demo_report().await;
    let pdf_text = pdftotext(&generated.pdf);
    assert_eq!(generated.html.matches("<figure").count(), 9, "the HTML report has the nine figures");
    assert!(generated.html.contains("alt=\"Nog nooit: 19%"), "a figure's text alternative carries its numbers");
    for detail in planted() {
        assert!(!generated.text.contains(&detail), "'{detail}' is in the report text");
        assert!(!generated.html.contains(&detail), "'{detail}' is in the HTML report");
        if let Some(text) = &pdf_text {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(!flat.contains(&detail), "'{detail}' is in the PDF");
        }
    }
    assert!(generated.text.contains("[naam]") && generated.text.contains("[telefoonnummer]"));

    // Leaving casus 1 out and editing casus 2 shows in the next render, renumbered.
    let anonymiser = peiling::review::anonymiser_for(&db, survey.row.id).await.unwrap();
    let items = peiling::review::list(&db, survey.row.id, &anonymiser).await.unwrap();
    let casussen: Vec<&peiling::review::Item> = items.iter().filter(|i| i.question == "Q12").collect();
    assert_eq!(casussen.len(), 13);
    assert_eq!(items.len(), 13 + 35, "the quoted tips are reviewed too");
    assert!(items.iter().all(|i| i.decision == peiling::review::Decision::Include));
    let now = chrono::Utc::now();
    let (first, second) = (casussen[0].number, casussen[1].number);
    let actor = peiling::audit::Actor::System;
    let exclude = peiling::review::Change { anonymised: None, decision: Some(peiling::review::Decision::Exclude) };
    peiling::review::update(&db, &actor, &survey, first, exclude, &anonymiser, now).await.unwrap();
    let edited = "Een cliënt met een huurachterstand; het budget dekte die (tekst ingekort door de onderzoeker).";
    let edit = peiling::review::Change { anonymised: Some(edited.to_string()), decision: None };
    peiling::review::update(&db, &actor, &survey, second, edit, &anonymiser, now).await.unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2021, 6, 15).unwrap();
    let again = peiling::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, date).await.unwrap();
    let flat = again.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&format!("Casus 1 {edited}")), "the edited casus is now casus 1");
    assert!(!flat.contains("Casus 13"), "twelve casussen are left");
    assert!(!flat.contains(&casussen[0].anonymised.split_whitespace().collect::<Vec<_>>().join(" ")));
}

#[tokio::test]
async fn a_narrative_text_is_used_in_the_next_render() {
    let (_, db, survey) = demo_report().await;
    store::report_texts::set(
        &db,
        survey.row.id,
        "open:Q9",
        "Een eigen samenvatting van de onderzoeker.",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    store::report_texts::set(
        &db,
        survey.row.id,
        "section:4",
        "Een extra alinea aan het eind van sectie vier.",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    store::report_texts::set(&db, survey.row.id, "figure:Q10", "Een eigen tekst bij figuur 8.", chrono::Utc::now())
        .await
        .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2021, 6, 15).unwrap();
    let again = peiling::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, date).await.unwrap();
    let flat = again.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Een eigen samenvatting van de onderzoeker."));
    assert!(flat.contains("Een extra alinea aan het eind van sectie vier."));
    assert!(flat.contains("Een eigen tekst bij figuur 8."));
    assert!(
        !flat.contains("behoefte aan hebben rond het maatwerkbudget: bijna 4 op de 10"),
        "the override replaces the generated text"
    );
    // Removing the text brings the generated one back.
    store::report_texts::set(&db, survey.row.id, "figure:Q10", "", chrono::Utc::now()).await.unwrap();
    let back = peiling::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, date).await.unwrap();
    assert!(!back.text.contains("Een eigen tekst bij figuur 8."));
}

#[tokio::test]
async fn texts_are_reviewed_only_after_closing_whoever_asks() {
    crate::on_both!("texts_are_reviewed_only_after_closing_whoever_asks", |db| {
        use peiling::review::{self, Change, Decision, ReviewError};
        let (survey, _) = crate::helpers::open_with_tokens(&db, 2).await;
        let actor = peiling::audit::Actor::CommandLine;
        let printed = peiling::report::source::definition(&survey).unwrap().printed_questions();
        let now = chrono::Utc::now();
        let started = review::start(&db, &actor, &survey, &printed, now).await;
        assert!(matches!(started, Err(ReviewError::NotClosed(ref s)) if *s == survey.row.slug), "{started:?}");
        let anonymiser = review::anonymiser_for(&db, survey.row.id).await.unwrap();
        let change = Change { anonymised: None, decision: Some(Decision::Include) };
        let updated = review::update(&db, &actor, &survey, 1, change, &anonymiser, now).await;
        assert!(matches!(updated, Err(ReviewError::NotClosed(_))), "{updated:?}");
        let trail = peiling::audit::events(&db, Some(survey.row.id)).await.unwrap();
        assert!(!trail.iter().any(|e| e.action == "casussen_viewed"), "nobody saw an original");
    });
}
