//! Changing a report definition one click at a time, as the report editor
//! (`/onderzoek/{survey}/rapport/bewerken`) does: sections added, renamed, moved and removed,
//! a figure, an open question's answers or its casussen added to a section, blocks moved and removed, a figure's sentence and summary
//! bullet set. An edit gives the whole new definition; `report::source::set` then writes it
//! out and checks it like any file (`write::to_toml`, `ReportDefinition::parse`), so a
//! placeholder that does not fit is refused by the same check, with the same reason, as on the
//! command line. Here only what the check cannot know: which section or block was meant.

use super::definition::{Block, FigureSpec, ReportDefinition, Section};

/// A change the editor's buttons and forms make. Sections and blocks are counted from 0, in
/// the order the page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    AddSection {
        title: String,
    },
    RenameSection {
        section: usize,
        title: String,
    },
    SectionUp(usize),
    SectionDown(usize),
    RemoveSection(usize),
    /// A figure of a closed question at the end of the section.
    AddFigure {
        section: usize,
        question: String,
    },
    /// The answers to an open question at the end of the section: how many gave one, and up to
    /// three reviewed quotes, as the plain definition has them.
    AddOpenAnswers {
        section: usize,
        question: String,
    },
    /// The annex of an open question's reviewed cases at the end of the section.
    AddCasussen {
        section: usize,
        question: String,
    },
    BlockUp {
        section: usize,
        block: usize,
    },
    BlockDown {
        section: usize,
        block: usize,
    },
    RemoveBlock {
        section: usize,
        block: usize,
    },
    /// A figure's paragraph (`text`) and its bullet in the summary (`summary`); an empty one is
    /// left out, so the report chooses the sentence for that kind of question.
    Sentences {
        section: usize,
        block: usize,
        text: String,
        summary: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("er is geen sectie {0}")]
    NoSection(usize),
    #[error("sectie {section} heeft geen onderdeel {block}")]
    NoBlock { section: usize, block: usize },
    #[error("onderdeel {block} van sectie {section} is geen figuur en heeft geen zin met invulplekken")]
    NotAFigure { section: usize, block: usize },
    #[error("een sectie heeft een titel nodig")]
    NoTitle,
    #[error("kies een vraag voor de figuur")]
    NoQuestion,
    #[error("onbekende actie '{0}'")]
    Unknown(String),
}

/// What a form of the editor posts, as text.
#[derive(Debug, Default, Clone, Copy)]
pub struct Posted<'a> {
    pub action: &'a str,
    pub section: &'a str,
    pub block: &'a str,
    pub title: &'a str,
    pub question: &'a str,
    pub text: &'a str,
    pub summary: &'a str,
}

impl Edit {
    /// From a form of the editor. Numbers are as the page shows them (from 1), so that an
    /// error names the section the researcher sees.
    pub fn parse(p: Posted) -> Result<Edit, EditError> {
        let number = |s: &str, missing: EditError| -> Result<usize, EditError> {
            s.trim().parse::<usize>().ok().and_then(|n| n.checked_sub(1)).ok_or(missing)
        };
        let section = || number(p.section, EditError::NoSection(0));
        let block = |section: usize| number(p.block, EditError::NoBlock { section: section + 1, block: 0 });
        let title = || {
            let t = p.title.trim();
            if t.is_empty() { Err(EditError::NoTitle) } else { Ok(t.to_string()) }
        };
        Ok(match p.action {
            "sectie-toevoegen" => Edit::AddSection { title: title()? },
            "sectie-hernoemen" => Edit::RenameSection { section: section()?, title: title()? },
            "sectie-omhoog" => Edit::SectionUp(section()?),
            "sectie-omlaag" => Edit::SectionDown(section()?),
            "sectie-verwijderen" => Edit::RemoveSection(section()?),
            "figuur-toevoegen" | "open-toevoegen" | "casussen-toevoegen" => {
                let question = p.question.trim().to_string();
                if question.is_empty() {
                    return Err(EditError::NoQuestion);
                }
                let section = section()?;
                match p.action {
                    "figuur-toevoegen" => Edit::AddFigure { section, question },
                    "open-toevoegen" => Edit::AddOpenAnswers { section, question },
                    _ => Edit::AddCasussen { section, question },
                }
            }
            "omhoog" | "omlaag" | "verwijderen" | "zinnen" | "voorbeeld" => {
                let section = section()?;
                let block = block(section)?;
                match p.action {
                    "omhoog" => Edit::BlockUp { section, block },
                    "omlaag" => Edit::BlockDown { section, block },
                    "verwijderen" => Edit::RemoveBlock { section, block },
                    _ => Edit::Sentences {
                        section,
                        block,
                        text: p.text.replace("\r\n", "\n"),
                        summary: p.summary.replace("\r\n", "\n"),
                    },
                }
            }
            other => return Err(EditError::Unknown(other.to_string())),
        })
    }
}

fn section_mut(def: &mut ReportDefinition, at: usize) -> Result<&mut Section, EditError> {
    def.sections.get_mut(at).ok_or(EditError::NoSection(at + 1))
}

fn check_block(section: &Section, s: usize, b: usize) -> Result<(), EditError> {
    if b < section.blocks.len() { Ok(()) } else { Err(EditError::NoBlock { section: s + 1, block: b + 1 }) }
}

/// A text as the definition keeps it: none when only blanks, so the report's own sentence
/// applies.
fn optional(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// `def` after `edit`, not yet checked against the questionnaire (`source::set` does that).
/// Moving the first up or the last down changes nothing.
pub fn edited(def: &ReportDefinition, edit: &Edit) -> Result<ReportDefinition, EditError> {
    let mut def = def.clone();
    match edit {
        Edit::AddSection { title } => {
            def.sections.push(Section { title: title.clone(), numbered: true, new_page: false, blocks: Vec::new() });
        }
        Edit::RenameSection { section, title } => section_mut(&mut def, *section)?.title = title.clone(),
        Edit::SectionUp(at) | Edit::SectionDown(at) | Edit::RemoveSection(at) => {
            let at = *at;
            section_mut(&mut def, at)?;
            match edit {
                Edit::SectionUp(_) if at > 0 => def.sections.swap(at, at - 1),
                Edit::SectionDown(_) if at + 1 < def.sections.len() => def.sections.swap(at, at + 1),
                Edit::RemoveSection(_) => {
                    def.sections.remove(at);
                }
                _ => {}
            }
        }
        Edit::AddFigure { section, question } => section_mut(&mut def, *section)?
            .blocks
            .push(Block::Figure(FigureSpec { question: question.clone(), ..Default::default() })),
        Edit::AddOpenAnswers { section, question } => section_mut(&mut def, *section)?
            .blocks
            .push(Block::OpenAnswers { question: question.clone(), text: String::new(), quotes: 3 }),
        Edit::AddCasussen { section, question } => {
            section_mut(&mut def, *section)?.blocks.push(Block::Casussen { question: question.clone() })
        }
        Edit::BlockUp { section: s, block: b }
        | Edit::BlockDown { section: s, block: b }
        | Edit::RemoveBlock { section: s, block: b } => {
            let (s, b) = (*s, *b);
            let section = section_mut(&mut def, s)?;
            check_block(section, s, b)?;
            match edit {
                Edit::BlockUp { .. } if b > 0 => section.blocks.swap(b, b - 1),
                Edit::BlockDown { .. } if b + 1 < section.blocks.len() => section.blocks.swap(b, b + 1),
                Edit::RemoveBlock { .. } => {
                    section.blocks.remove(b);
                }
                _ => {}
            }
        }
        Edit::Sentences { section: s, block: b, text, summary } => {
            let (s, b) = (*s, *b);
            let section = section_mut(&mut def, s)?;
            check_block(section, s, b)?;
            let Some(Block::Figure(spec)) = section.blocks.get_mut(b) else {
                return Err(EditError::NotAFigure { section: s + 1, block: b + 1 });
            };
            spec.text = optional(text);
            spec.summary = optional(summary);
        }
    }
    Ok(def)
}

/// A block in a few words, as the editor lists it: "Figuur: Q3 — Zou je ...?", "Tekst".
pub fn describe(block: &Block, questionnaire: &crate::questionnaire::Questionnaire) -> String {
    let question = |id: &str| match questionnaire.question(id) {
        Some(q) => format!("{id} — {}", q.text),
        None => id.to_string(),
    };
    match block {
        Block::Text { .. } => "Tekst".into(),
        Block::Response => "Respons per team".into(),
        Block::Summary => "Samenvatting (een opsomming per figuur)".into(),
        Block::Figure(spec) => format!("Figuur: {}", question(&spec.question)),
        Block::OpenAnswers { question, .. } => format!("Open antwoorden bij {question}"),
        Block::Casussen { question } => format!("Casussen bij {question}"),
    }
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
