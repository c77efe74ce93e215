//! A survey of a shape the bundled one does not have, for the questionnaire format's answers
//! beside a scale, bins on a rapportcijfer, breakdowns of a mean or a share by team and by
//! another question, and the exports (SPSS missing values, the R script). Three teams of 40,
//! 30 and 8 respondents; every count below is known from the tables in this file.

use peiling::domain::EmailAddress;
use peiling::store::{self, invitees::NewInvitee, surveys::Survey};
use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::{Map, Value, json};

pub fn definition(id: &str) -> String {
    format!(
        r#"id = "{id}"
title = "Tevredenheid over het loket"
organisation = "Onderzoek en Statistiek"

[[groups]]
code = "CENTRUM"
name = "Loket Centrum"

[[groups]]
code = "NOORD"
name = "Loket Noord"

[[groups]]
code = "ZUID"
name = "Loket Zuid"

[[questions]]
id = "F"
type = "single"
text = "Hoe vaak had u het afgelopen jaar contact met het loket?"
options = ["Eén keer", "Twee tot vijf keer", "Vaker"]

[[questions]]
id = "R"
type = "scale"
text = "Welk rapportcijfer geeft u het loket?"
from = 1
to = 10
off_scale = [{{ label = "Niet van toepassing", code = "nvt", in_base = false }}]
dont_know = "Weet niet"

[[questions]]
id = "E"
type = "scale"
text = "Het loket helpt mij snel."
points = ["Helemaal eens", "Eens", "Neutraal", "Oneens", "Helemaal oneens",
  {{ label = "Geen mening", off_scale = true, in_base = true }}]
dont_know = "Weet niet"

[[questions]]
id = "W"
type = "text"
text = "Waarom heeft u geen mening?"
show_if = "E = geen_mening"

[[questions]]
id = "U"
type = "number"
text = "Hoeveel minuten wachtte u bij uw laatste bezoek?"
max = 240
opt_out = {{ label = "Weet ik niet meer" }}
"#
    )
}

pub const TEAMS: [&str; 3] = ["CENTRUM", "NOORD", "ZUID"];
pub const SIZES: [usize; 3] = [40, 30, 8];

pub const F_CODES: [&str; 3] = ["een_keer", "twee_tot_vijf_keer", "vaker"];
/// Per team: een keer, twee tot vijf keer, vaker.
pub const FREQUENCY: [[usize; 3]; 3] = [[10, 20, 10], [12, 12, 6], [4, 3, 1]];

/// Per team: how many gave each answer to R, in this order.
pub fn ratings(t: usize) -> Vec<(Value, usize)> {
    let marks: &[(i64, usize)] = match t {
        0 => &[(4, 3), (5, 5), (6, 6), (7, 10), (8, 8), (9, 3)],
        1 => &[(3, 2), (5, 4), (6, 5), (7, 8), (8, 6), (10, 2)],
        _ => &[(6, 2), (7, 3), (8, 2)],
    };
    let (nvt, weet_niet) = [(3, 2), (2, 1), (1, 0)][t];
    let mut out: Vec<(Value, usize)> = marks.iter().map(|(m, n)| (json!(m), *n)).collect();
    out.push((json!("nvt"), nvt));
    out.push((json!("weet_niet"), weet_niet));
    out
}

pub const E_CODES: [&str; 7] =
    ["helemaal_eens", "eens", "neutraal", "oneens", "helemaal_oneens", "geen_mening", "weet_niet"];
/// Per team, in the order of `E_CODES`.
pub const AGREEMENT: [[usize; 7]; 3] = [[8, 14, 6, 5, 2, 4, 1], [5, 11, 5, 4, 1, 3, 1], [2, 3, 1, 1, 0, 1, 0]];

fn nth<T: Clone>(counts: &[(T, usize)], i: usize) -> T {
    let mut seen = 0;
    for (value, n) in counts {
        seen += n;
        if i < seen {
            return value.clone();
        }
    }
    panic!("respondent {i} is beyond the plan")
}

fn plan(codes: &[&str], counts: &[usize]) -> Vec<(Value, usize)> {
    codes.iter().zip(counts).map(|(c, n)| (json!(c), *n)).collect()
}

/// The answers of respondent `i` of team `t`; every fourth waited 5, 10, 15 or 20 minutes,
/// and the last of each team no longer knows.
pub fn answers(t: usize, i: usize) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("F".into(), nth(&plan(&F_CODES, &FREQUENCY[t]), i));
    map.insert("R".into(), nth(&ratings(t), i));
    let e = nth(&plan(&E_CODES, &AGREEMENT[t]), i);
    if e == json!("geen_mening") {
        map.insert("W".into(), json!("Ik kom er zelden."));
    }
    map.insert("E".into(), e);
    let waited = if i + 1 == SIZES[t] { json!("weet_ik_niet_meer") } else { json!(5 * (i % 4 + 1)) };
    map.insert("U".into(), waited);
    map
}

/// A closed survey `id` with every planned response submitted.
pub async fn closed_survey(db: &DatabaseConnection, id: &str) -> Survey {
    closed_survey_with(db, &definition(id), answers).await
}

/// A closed survey of the teams and sizes of this file with another definition (the loket
/// questions and more) and the answers `answers(team, respondent)`.
pub async fn closed_survey_with(
    db: &DatabaseConnection,
    definition: &str,
    answers: impl Fn(usize, usize) -> Map<String, Value>,
) -> Survey {
    let now = chrono::Utc::now();
    let survey = store::surveys::create(db, definition, now).await.unwrap();
    let id = survey.row.slug.clone();
    let id = id.as_str();
    let people = (0..3)
        .flat_map(|t| {
            (0..SIZES[t] + 5).map(move |i| NewInvitee {
                email: EmailAddress::parse(&format!("{}{i}@example.org", TEAMS[t].to_lowercase())).unwrap(),
                name: None,
                group: TEAMS[t].to_string(),
            })
        })
        .collect();
    store::invitees::add_all(db, &survey, people, now).await.unwrap();
    let survey = store::surveys::load(db, id).await.unwrap();
    let system = peiling::audit::Actor::System;
    peiling::invitations::lifecycle::open(db, &system, &survey, now + chrono::Duration::days(7), now).await.unwrap();
    let survey = store::surveys::load(db, id).await.unwrap();
    let txn = db.begin().await.unwrap();
    for (t, size) in SIZES.iter().enumerate() {
        let group = survey.group_by_code(TEAMS[t]).unwrap().id;
        for i in 0..*size {
            let parsed = peiling::questionnaire::Answers::parse(
                &survey.questionnaire,
                &answers(t, i),
                peiling::questionnaire::answers::Mode::Submit,
            )
            .unwrap();
            store::responses::insert_submitted(&txn, survey.row.id, &survey.questionnaire, group, &parsed)
                .await
                .unwrap();
        }
    }
    txn.commit().await.unwrap();
    peiling::invitations::lifecycle::close(db, &system, &survey, now).await.unwrap();
    store::surveys::load(db, id).await.unwrap()
}

/// The report's text on one line, as a reader would quote it.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
