//! The plain report (no `reports/<code>.toml`) of a questionnaire of another shape than the
//! bundled one: three teams, a rapportcijfer, hours with an opt-out box, an agreement scale
//! with "geen mening" beside it, a single choice, a yes/no with "weet ik niet", a routed
//! multiple-answer question with an exclusive "weet niet", an open question. 28 of 36 invitees
//! answer through the respondent API with answers chosen so that every figure is known; the
//! PDF's text (pdftotext) must state each one.

use crate::helpers::{TestApp, open_and_collect_links};
use crate::on_both;
use crate::report::pdftotext;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const WERKDRUK: &str = r#"
id = "werkdruk-2027"
title = "Werkdruk in de wijkteams"
organisation = "Onderzoek en Statistiek"
contact = "onderzoek@example.org"
[[groups]]
code = "N"
name = "Team Noord"
[[groups]]
code = "O"
name = "Team Oost"
[[groups]]
code = "Z"
name = "Team Zuid"
[[questions]]
id = "cijfer"
page = "Werkplezier"
type = "scale"
text = "Welk rapportcijfer geef je je werkplezier?"
from = 1
to = 10
[[questions]]
id = "uren"
page = "Werkplezier"
type = "number"
text = "Hoeveel uur per week werk je over?"
unit = "uur"
min = 0
max = 60
opt_out = { label = "Ik werk niet over" }
[[questions]]
id = "stelling"
page = "Tijd"
type = "scale"
text = "Ik heb genoeg tijd voor mijn cliënten."
points = ["Helemaal mee eens", "Mee eens", "Neutraal", "Mee oneens", "Helemaal mee oneens", { label = "Geen mening", off_scale = true, in_base = true }]
[[questions]]
id = "vervoer"
page = "Tijd"
type = "single"
text = "Hoe kom je meestal naar je werk?"
options = ["Fiets", "Auto", "OV", "Lopend"]
[[questions]]
id = "thuis"
page = "Thuiswerken"
type = "yesno"
text = "Werk je weleens thuis?"
dont_know = "Weet ik niet"
[[questions]]
id = "waar"
page = "Thuiswerken"
type = "multiple"
text = "Waar werk je dan?"
show_if = "thuis = ja"
options = ["Keukentafel", "Werkkamer", "Trein", { label = "Weet niet", dont_know = true }]
[[questions]]
id = "opmerking"
page = "Tot slot"
type = "longtext"
text = "Wil je nog iets kwijt?"
"#;

/// The answers of the r-th respondent (0..28).
fn answers(r: usize) -> Value {
    let mut a = serde_json::Map::new();
    a.insert("cijfer".into(), json!([6, 7, 8, 5][r % 4]));
    if r.is_multiple_of(4) {
        a.insert("uren".into(), json!("ik_werk_niet_over"));
    } else {
        // The 21 others give 2, 4, 6, 8, 10, 12 and 16 hours, each three times.
        let given = r - r / 4 - 1;
        a.insert("uren".into(), json!([2, 4, 6, 8, 10, 12, 16][given % 7]));
    }
    let agree =
        ["helemaal_mee_eens", "mee_eens", "geen_mening", "neutraal", "mee_oneens", "mee_eens", "helemaal_mee_oneens"];
    a.insert("stelling".into(), json!(agree[r % 7]));
    a.insert("vervoer".into(), json!(["fiets", "fiets", "auto", "ov", "fiets", "ov", "lopend"][r % 7]));
    a.insert("thuis".into(), json!(["ja", "ja", "nee", "weet_ik_niet"][r % 4]));
    match r % 8 {
        0 | 4 => drop(a.insert("waar".into(), json!(["keukentafel", "werkkamer"]))),
        1 => drop(a.insert("waar".into(), json!(["trein"]))),
        5 => drop(a.insert("waar".into(), json!(["weet_niet"]))),
        _ => {}
    }
    if r.is_multiple_of(5) {
        a.insert("opmerking".into(), json!("Meer tijd voor overleg zou helpen."));
    }
    json!({ "answers": a })
}

#[tokio::test]
async fn the_plain_report_of_another_survey_states_each_key_figure() {
    on_both!("the_plain_report_of_another_survey_states_each_key_figure", |db| {
        use peiling::store::{self, invitees::NewInvitee};
        let now = chrono::Utc::now();
        let survey = store::surveys::create(&db, WERKDRUK, now).await.unwrap();
        // 36 invitees, twelve per team: invitee i is in team i % 3.
        let people = (0..36)
            .map(|i| NewInvitee {
                email: peiling::domain::EmailAddress::parse(&format!("medewerker{i}@example.org")).unwrap(),
                name: None,
                group: survey.groups[i % 3].code.clone(),
            })
            .collect();
        store::invitees::add_all(&db, &survey, people, now).await.unwrap();
        let survey = store::surveys::load(&db, "werkdruk-2027").await.unwrap();
        let mut links = open_and_collect_links(&db, &survey).await;
        let index = |address: &str| -> usize {
            address.trim_start_matches("medewerker").trim_end_matches("@example.org").parse().unwrap()
        };
        links.sort_by_key(|(address, _)| index(address));
        // Noord answers but for invitees 0 and 3 (10 of 12), Oost all (12), Zuid its first six.
        let answering: Vec<&String> = links
            .iter()
            .filter(|(address, _)| {
                let i = index(address);
                !(i == 0 || i == 3 || (i % 3 == 2 && i >= 18))
            })
            .map(|(_, token)| token)
            .collect();
        assert_eq!(answering.len(), 28);
        let app = TestApp::spawn(&db).await;
        let client = TestApp::browser();
        for (r, token) in answering.iter().enumerate() {
            let sent =
                client.post(app.url(&format!("/api/v1/r/{token}/submit"))).json(&answers(r)).send().await.unwrap();
            assert_eq!(sent.status(), reqwest::StatusCode::CREATED, "respondent {r}: {}", sent.text().await.unwrap());
        }
        let survey = store::surveys::load(&db, "werkdruk-2027").await.unwrap();
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, now).await.unwrap();
        // Opened on 2 November, planned to close at the end of June, closed on 20 November: the
        // report must give the fieldwork as it was.
        db.execute_unprepared(
            "UPDATE surveys SET opened_at = '2026-11-02 09:00:00+00:00', closes_at = '2027-06-30 23:59:00+00:00', \
             closed_at = '2026-11-20 17:00:00+00:00' WHERE slug = 'werkdruk-2027'",
        )
        .await
        .unwrap();
        let survey = store::surveys::load(&db, "werkdruk-2027").await.unwrap();
        let source = peiling::report::source::of(&survey).0;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let report = peiling::report::generate(&db, &survey, &source, date).await.unwrap();
        let Some(text) = pdftotext(&report.pdf) else { return };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for phrase in [
            // The real fieldwork; invitees are not yet respondents; teams by name.
            "In de periode van 2 tot en met 20 november 2026 is de vragenlijst per e-mail verstuurd aan 36 genodigden.",
            "In totaal hebben 28 van de 36 genodigden de vragenlijst ingevuld, een respons van 78%.",
            "Per groep: Team Noord 10 van de 12 (83%), Team Oost 12 van de 12 (100%) en Team Zuid 6 van de 12 (50%).",
            // The rapportcijfer: 7 x 6, 7, 8 and 5 is 182 / 28 = 6.5; 21 of 28 a 6 or more.
            "Het gemiddelde cijfer van de 28 respondenten is een 6,5; driekwart (75%) geeft een voldoende (6 of hoger).",
            "Welk rapportcijfer geef je je werkplezier? Gemiddeld een 6,5; driekwart (75%) geeft een voldoende (6 of hoger).",
            // Hours: 174 / 21 = 8.29; the 11th of 21 sorted is 8; seven chose the box.
            "De 21 respondenten die een getal invulden, noemen gemiddeld 8,3 uur; de helft van hen noemt 8 uur of minder (de mediaan). Daarnaast kozen 7 respondenten 'ik werk niet over'.",
            "Hoeveel uur per week werk je over? Gemiddeld 8,3 uur (de helft 8 uur of minder); 7 respondenten kozen 'ik werk niet over'.",
            // Agreement: 4 + 8 of 28 agree, 4 + 4 disagree, 4 neutral and 4 "geen mening", an
            // answer beside the scale that counts in the base (both under min_count 5).
            "Ruim 4 op de 10 (43%) antwoordt (helemaal) mee eens en bijna 3 op de 10 (29%) (helemaal) mee oneens; 14% (dit zijn een paar mensen) kiest 'neutraal'; 14% (dit zijn een paar mensen) kiest 'geen mening'.",
            // A single choice ranked, the tie of the last two named: 12 fiets, 8 OV, 4 and 4.
            "Het vaakst gekozen is 'fiets': ruim 4 op de 10 (43%), gevolgd door 'OV' (29%) en 'auto' en 'lopend' (elk 14%).",
            "Hoe kom je meestal naar je werk? Het vaakst gekozen is 'fiets': ruim 4 op de 10 (43%).",
            // Yes/no: 14 ja, 7 nee, 7 weet ik niet.
            "Twee derde (67%) antwoordt ja, een derde (33%) nee. Daarnaast kozen 7 respondenten 'weet ik niet'; zij tellen niet mee in de percentages.",
            "(% van de 21 respondenten die een antwoord weten op deze vraag)",
            // Routed multiple answers: of the 14 who work at home, 3 do not know; 7 and 7 tie.
            "'Keukentafel' en 'werkkamer' worden even vaak genoemd, elk door bijna twee derde (64%), gevolgd door 'trein' (36%). Meerdere antwoorden waren mogelijk.",
            "Daarnaast kozen een paar respondenten 'weet niet'",
            "(% van de 11 respondenten die bij de vraag 'Werk je weleens thuis?' 'ja' kozen en die een antwoord weten; meerdere antwoorden mogelijk)",
            "Op de vraag 'Wil je nog iets kwijt?' hebben 6 respondenten een antwoord gegeven.",
            // A routed question's bullet says whom its shares are of.
            "Waar werk je dan? 'Keukentafel' en 'werkkamer' worden even vaak genoemd, elk door bijna twee derde (64%). Dit gaat over de 11 respondenten die bij de vraag 'Werk je weleens thuis?' 'ja' kozen en die een antwoord weten.",
        ] {
            assert!(flat.contains(phrase), "missing: {phrase}\n\nin:\n{text}");
        }
        for draft in
            ["Het meest gekozen antwoord is", "is het meest gekozen", "respondenten is de vragenlijst", "van N ("]
        {
            assert!(!flat.contains(draft), "a draft phrase is left: {draft}");
        }
    });
}
