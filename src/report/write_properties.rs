//! The bundled report definition as an editor changes it (sections and blocks reordered,
//! blocks moved between sections, sections added, titles and texts rewritten with quotes,
//! backslashes, line breaks and emoji) comes back from `to_toml` with the same meaning.
use super::same_when_written;
use crate::report::definition::{Block, ReportDefinition, Section};
use proptest::prelude::*;
use proptest::sample::{Index, select};

const PIECES: &[&str] = &[
    "ja", " ", "\"", "'", "''", "'''", "\"\"\"", "\\", "\\n", "\n", "\r\n", "\r", "\t", "ë", "é", "😀", "#", "[", "=",
    ",", "a b", "{", "}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(PIECES), 0..6).prop_map(|pieces| pieces.concat())
}

/// Text added to a template: no braces, which would be placeholders.
fn plain_text() -> impl Strategy<Value = String> {
    text().prop_map(|t| t.replace(['{', '}'], ""))
}

#[derive(Debug, Clone)]
struct Edit {
    section_order: Vec<usize>,
    block_orders: Vec<Vec<usize>>,
    /// (from section, block, to section, place): a block moved.
    moves: Vec<(Index, Index, Index, Index)>,
    /// Per section after the moves: a new title, and its `numbered` and `new_page` flipped.
    titles: Vec<(Option<String>, bool, bool)>,
    /// Per block, in order over the sections: a new text or one added to the template.
    texts: Vec<Option<String>>,
    /// The cover's title, subtitle, department, population.
    cover: [Option<String>; 4],
    /// New sections with a text block, at a place.
    added: Vec<(Index, String, String)>,
}

fn bundled() -> (crate::questionnaire::Questionnaire, ReportDefinition) {
    let bundled = &crate::bundled::MAATWERKBUDGET_2021;
    let q = crate::questionnaire::parse(bundled.definition).unwrap();
    let def = ReportDefinition::parse(bundled.report, &q).unwrap();
    (q, def)
}

fn edit() -> impl Strategy<Value = Edit> {
    let def = bundled().1;
    let section_order = Just((0..def.sections.len()).collect::<Vec<_>>()).prop_shuffle();
    let block_orders: Vec<_> =
        def.sections.iter().map(|s| Just((0..s.blocks.len()).collect::<Vec<_>>()).prop_shuffle()).collect();
    let moves = prop::collection::vec(any::<(Index, Index, Index, Index)>(), 0..4);
    let sections = def.sections.len() + 2;
    let titles = prop::collection::vec((prop::option::of(text()), any::<bool>(), any::<bool>()), sections);
    let blocks = def.sections.iter().map(|s| s.blocks.len()).sum::<usize>();
    let texts = prop::collection::vec(prop::option::of(text()), blocks);
    let cover =
        [prop::option::of(text()), prop::option::of(text()), prop::option::of(text()), prop::option::of(text())];
    let added = prop::collection::vec((any::<Index>(), text(), text()), 0..3);
    (section_order, block_orders, moves, titles, texts, cover, added).prop_map(
        |(section_order, block_orders, moves, titles, texts, cover, added)| Edit {
            section_order,
            block_orders,
            moves,
            titles,
            texts,
            cover,
            added,
        },
    )
}

impl Edit {
    fn apply(&self, def: &ReportDefinition) -> ReportDefinition {
        let mut out = def.clone();
        let mut sections: Vec<Section> = self.section_order.iter().map(|&i| def.sections[i].clone()).collect();
        for (section, &i) in sections.iter_mut().zip(&self.section_order) {
            section.blocks = self.block_orders[i].iter().map(|&b| def.sections[i].blocks[b].clone()).collect();
        }
        for (from, block, to, place) in &self.moves {
            let from = from.index(sections.len());
            if sections[from].blocks.is_empty() {
                continue;
            }
            let block = block.index(sections[from].blocks.len());
            let moved = sections[from].blocks.remove(block);
            let to = to.index(sections.len());
            let place = place.index(sections[to].blocks.len() + 1);
            sections[to].blocks.insert(place, moved);
        }
        for (at, title, text) in &self.added {
            let section = Section {
                title: title.clone(),
                numbered: true,
                new_page: false,
                blocks: vec![Block::Text { text: text.clone() }],
            };
            sections.insert(at.index(sections.len() + 1), section);
        }
        for (section, (title, numbered, new_page)) in sections.iter_mut().zip(&self.titles) {
            if let Some(title) = title {
                section.title = title.clone();
            }
            section.numbered ^= numbered;
            section.new_page ^= new_page;
        }
        let blocks = sections.iter_mut().flat_map(|s| &mut s.blocks);
        for (block, new) in blocks.zip(&self.texts) {
            if let Some(new) = new {
                rewrite(block, new);
            }
        }
        out.sections = sections;
        let [title, subtitle, department, population] = &self.cover;
        for (field, new) in [(&mut out.title, title), (&mut out.subtitle, subtitle), (&mut out.department, department)]
        {
            if let Some(new) = new {
                *field = new.clone();
            }
        }
        if population.is_some() {
            out.population = population.clone();
        }
        out
    }
}

/// Free text where there are no placeholders; text without braces added to the templates.
fn rewrite(block: &mut Block, new: &str) {
    let plain = new.replace(['{', '}'], "");
    match block {
        Block::Text { text } | Block::OpenAnswers { text, .. } => *text = new.to_string(),
        Block::Figure(spec) => {
            spec.title = Some(new.to_string());
            for template in [&mut spec.caption, &mut spec.text, &mut spec.summary] {
                *template = Some(format!("{}{plain}", template.as_deref().unwrap_or_default()));
            }
        }
        Block::Response | Block::Summary | Block::Casussen { .. } => {}
    }
}

/// 64 cases keep the test well under a second; `PROPTEST_CASES=N` hunts longer.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_bundled_definition_edited_comes_back_unchanged(edit in edit(), extra in plain_text()) {
        let (q, def) = bundled();
        let mut edited = edit.apply(&def);
        // A template may also end in a placeholder after the edit.
        if let Some(Block::Figure(spec)) = edited.sections.iter_mut().flat_map(|s| &mut s.blocks).last() {
            spec.caption = Some(format!("{extra}{{n}}"));
        }
        same_when_written(&edited, &q);
    }
}
