//! Changing a draft's questionnaire (`peiling::drafts`): the same code, kept teams keep their
//! invitees, a team with invitees cannot go, the survey's own report definition must still fit,
//! and nothing changes once the survey is open.

use crate::on_both;
use peiling::audit::Actor;
use peiling::drafts::{self, DraftError};
use peiling::store::surveys;

const FIRST: &str = r#"id = "sportpark-2027"
title = "Gebruik van het sportpark"

[[groups]]
code = "NOORD"
name = "Park Noord"

[[groups]]
code = "ZUID"
name = "Park Zuid"

[[questions]]
id = "S1"
type = "single"
text = "Hoe vaak sport u in het park?"
options = ["Elke week", "Elke maand", "Zelden"]

[[questions]]
id = "S2"
type = "longtext"
text = "Wat mist u in het park?"
"#;

/// The same survey with a question more, team ZUID renamed and team OOST added, NOORD gone.
fn second() -> String {
    FIRST
        .replace("code = \"NOORD\"\nname = \"Park Noord\"", "code = \"OOST\"\nname = \"Park Oost\"")
        .replace("name = \"Park Zuid\"", "name = \"Sportpark Zuid\"")
        + "\n[[questions]]\nid = \"S3\"\ntype = \"yesno\"\ntext = \"Zou u vaker komen met verlichting?\"\n"
}

const REPORT: &str = r#"survey = "sportpark-2027"
title = "Het sportpark"

[[sections]]
title = "Gebruik"

[[sections.blocks]]
kind = "figure"
question = "S1"
"#;

#[tokio::test]
async fn a_draft_changes_its_questions_and_teams_and_keeps_its_invitees() {
    on_both!("a_draft_changes_its_questions_and_teams_and_keeps_its_invitees", |db| {
        let now = chrono::Utc::now();
        let survey = surveys::create(&db, FIRST, now).await.unwrap();
        let csv = "email;team\nlid@example.org;ZUID\n";
        peiling::invitations::import_file(&db, &Actor::CommandLine, &survey, csv.as_bytes(), now).await.unwrap();

        let changed = drafts::replace(&db, &Actor::CommandLine, &survey, &second(), now).await.unwrap();
        let ids: Vec<&str> = changed.questionnaire.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["S1", "S2", "S3"]);
        let teams: Vec<(&str, &str)> = changed.groups.iter().map(|g| (g.code.as_str(), g.name.as_str())).collect();
        assert_eq!(teams, [("OOST", "Park Oost"), ("ZUID", "Sportpark Zuid")]);
        let zuid = survey.groups.iter().find(|g| g.code == "ZUID").unwrap().id;
        assert_eq!(changed.groups[1].id, zuid, "a kept team keeps its row, so its invitees stay in it");
        assert_eq!(changed.row.definition, second());
        let trail = peiling::audit::events(&db, Some(survey.row.id)).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "questionnaire_changed" && e.detail == "3 vragen, 2 team(s)"));

        // ZUID has an invitee: a definition without it is refused, and nothing changes.
        let without_zuid =
            second().replace("code = \"ZUID\"\nname = \"Sportpark Zuid\"", "code = \"WEST\"\nname = \"West\"");
        let refused = drafts::replace(&db, &Actor::CommandLine, &changed, &without_zuid, now).await;
        assert!(matches!(&refused, Err(DraftError::TeamInUse { code, invitees: 1 }) if code == "ZUID"), "{refused:?}");
        assert_eq!(surveys::load(&db, "sportpark-2027").await.unwrap().row.definition, second());
    });
}

#[tokio::test]
async fn a_draft_keeps_its_code_its_report_and_its_frozen_copy_once_open() {
    on_both!("a_draft_keeps_its_code_its_report_and_its_frozen_copy_once_open", |db| {
        let now = chrono::Utc::now();
        let survey = surveys::create(&db, FIRST, now).await.unwrap();

        let renamed = FIRST.replace("id = \"sportpark-2027\"", "id = \"sportpark-2028\"");
        let refused = drafts::replace(&db, &Actor::CommandLine, &survey, &renamed, now).await;
        assert!(matches!(&refused, Err(DraftError::CodeChanged { kept, .. }) if kept == "sportpark-2027"));

        let broken = FIRST.replace("type = \"single\"", "type = \"keuze\"");
        let refused = drafts::replace(&db, &Actor::CommandLine, &survey, &broken, now).await;
        let Err(DraftError::Definition(errors)) = refused else { panic!("{refused:?}") };
        assert!(errors.to_string().contains("regel 13, vraag S1"), "{errors}");

        // The survey's own report shows S1: a definition without S1 would break it.
        peiling::report::source::set(&db, &Actor::CommandLine, &survey, REPORT, now).await.unwrap();
        let survey = surveys::load(&db, "sportpark-2027").await.unwrap();
        let without_s1 = FIRST.replace("id = \"S1\"", "id = \"S9\"");
        let refused = drafts::replace(&db, &Actor::CommandLine, &survey, &without_s1, now).await;
        let Err(DraftError::Report(problems)) = &refused else { panic!("{refused:?}") };
        assert!(problems.to_string().contains("'S1'"), "{problems}");

        let csv = "email;team\nlid@example.org;NOORD\n";
        peiling::invitations::import_file(&db, &Actor::CommandLine, &survey, csv.as_bytes(), now).await.unwrap();
        let closes = now + chrono::Duration::days(7);
        peiling::invitations::lifecycle::open(&db, &Actor::CommandLine, &survey, closes, now).await.unwrap();
        let open = surveys::load(&db, "sportpark-2027").await.unwrap();
        let refused = drafts::replace(&db, &Actor::CommandLine, &open, &second(), now).await;
        assert!(matches!(refused, Err(DraftError::NotDraft(_))), "{refused:?}");
        // Also a survey read before it was opened in another tab is refused.
        let refused = drafts::replace(&db, &Actor::CommandLine, &survey, &second(), now).await;
        assert!(matches!(refused, Err(DraftError::NotDraft(_))), "{refused:?}");
    });
}
