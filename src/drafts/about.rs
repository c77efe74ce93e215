//! What a questionnaire says about itself (title, introduction, thanks, who asks, the contact
//! address, the minutes it takes) and its teams, as one form on the questionnaire page. The
//! form changes the stored questionnaire and writes it out (`questionnaire::to_toml`), and the
//! engine checks the result like any file: an address that is no address, a team code twice.

use crate::questionnaire::model::{Group, Questionnaire, slug};

/// The form as posted; empty texts are left out of the file.
pub struct About<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub thanks: &'a str,
    pub organisation: &'a str,
    pub contact: &'a str,
    pub minutes: &'a str,
    /// One team a line: `CODE = Naam`, or a name whose code is made from it.
    pub teams: &'a str,
}

/// The teams of a text area, one a line.
pub fn teams(text: &str) -> Vec<Group> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once('=') {
            Some((code, name)) => Group { code: code.trim().to_string(), name: name.trim().to_string() },
            None => Group { code: slug(line).to_uppercase(), name: line.to_string() },
        })
        .collect()
}

/// The teams as the text area shows them.
pub fn teams_text(q: &Questionnaire) -> String {
    q.groups.iter().map(|g| format!("{} = {}", g.code, g.name)).collect::<Vec<_>>().join("\n")
}

/// The definition with the form's texts and teams; minutes that are not a number are refused
/// here, as the engine never sees them.
pub fn with_about(q: &Questionnaire, about: &About) -> Result<String, String> {
    let mut q = q.clone();
    q.title = about.title.trim().to_string();
    q.intro = about.intro.trim().to_string();
    q.thanks = about.thanks.trim().to_string();
    q.organisation = about.organisation.trim().to_string();
    q.contact = about.contact.trim().to_string();
    q.minutes = match about.minutes.trim() {
        "" => None,
        text => Some(text.parse().map_err(|_| format!("'{text}' is geen aantal minuten; schrijf een heel getal"))?),
    };
    q.groups = teams(about.teams);
    Ok(crate::questionnaire::to_toml(&q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_and_teams_change_and_the_rest_stays() {
        let q = crate::questionnaire::parse(crate::bundled::ALL[0].definition).unwrap();
        let about = About {
            title: "Een nieuwe titel",
            intro: q.intro.as_str(),
            thanks: "Dank je wel!",
            organisation: q.organisation.as_str(),
            contact: q.contact.as_str(),
            minutes: "7",
            teams: &format!("{}\nWIJK = Wijkteam West", teams_text(&q)),
        };
        let changed = crate::questionnaire::parse(&with_about(&q, &about).unwrap()).unwrap();
        assert_eq!(
            (changed.title.as_str(), changed.thanks.as_str(), changed.minutes),
            ("Een nieuwe titel", "Dank je wel!", Some(7))
        );
        assert_eq!(changed.groups.len(), q.groups.len() + 1);
        assert_eq!(changed.questions, q.questions);
        assert!(with_about(&q, &About { minutes: "zeven", ..about }).is_err());
    }
}
