//! Where things stand in a report definition, so that every error about its content starts
//! with "regel N:". The definition is read a second time as a table of spans (the `toml`
//! crate's own reader); the typed reading stays free of positions.

use crate::lines::LineIndex;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub struct Places<'a> {
    source: &'a str,
    root: Option<Spanned<DeTable<'a>>>,
    index: LineIndex,
}

impl<'a> Places<'a> {
    pub fn new(source: &'a str) -> Places<'a> {
        Places { source, root: DeTable::parse(source).ok(), index: LineIndex::new(source.as_bytes()) }
    }

    fn line(&self, offset: usize) -> usize {
        self.index.line(offset)
    }

    fn root(&self) -> Option<&DeTable<'a>> {
        self.root.as_ref().map(|r| r.get_ref())
    }

    /// The line of a top-level key, or of a key in a top-level table (`["disclosure", "min_base"]`).
    pub fn key(&self, path: &[&str]) -> usize {
        let mut table = self.root();
        let mut line = 1;
        for name in path {
            let Some((key, value)) = table.and_then(|t| t.get_key_value(*name)) else { break };
            line = self.line(key.span().start);
            table = value.get_ref().as_table();
        }
        line
    }

    fn block_table(&self, section: usize, block: usize) -> Option<&Spanned<DeValue<'a>>> {
        let sections = self.root()?.get("sections")?.get_ref().as_array()?;
        let blocks = sections.get(section)?.get_ref().as_table()?.get("blocks")?.get_ref().as_array()?;
        blocks.get(block)
    }

    /// The line of a block: its `kind`, which every block has.
    pub fn block(&self, section: usize, block: usize) -> usize {
        self.block_key(section, block, "kind")
    }

    /// The line of a key in a block; the block's own line when the key is absent.
    pub fn block_key(&self, section: usize, block: usize, name: &str) -> usize {
        let table = self.block_table(section, block);
        match table.and_then(|t| t.get_ref().as_table()).and_then(|t| t.get_key_value(name)) {
            Some((key, _)) => self.line(key.span().start),
            None if name != "kind" => self.block(section, block),
            None => table.map_or(1, |t| self.line(t.span().start)),
        }
    }

    /// The line of the `item`-th element of an array in a block (`bins`).
    pub fn block_item(&self, section: usize, block: usize, name: &str, item: usize) -> usize {
        let value = self.block_table(section, block).and_then(|t| t.get_ref().as_table()).and_then(|t| t.get(name));
        match value.and_then(|v| v.get_ref().as_array()).and_then(|a| a.get(item)) {
            Some(element) => self.line(element.span().start),
            None => self.block_key(section, block, name),
        }
    }

    /// The line on which `needle` first stands in the value of a key in a block (a placeholder
    /// in a text of several lines); the key's line when it is not found as written.
    pub fn block_text(&self, section: usize, block: usize, name: &str, needle: &str) -> usize {
        let value = self.block_table(section, block).and_then(|t| t.get_ref().as_table()).and_then(|t| t.get(name));
        let found = value.and_then(|v| {
            let span = v.span();
            let written = self.source.get(span.clone())?;
            written.find(needle).map(|at| span.start + at)
        });
        match found {
            Some(offset) => self.line(offset),
            None => self.block_key(section, block, name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Places;

    const SOURCE: &str = r#"survey = "x"
title = "T"

[disclosure]
min_base = 0

[[sections]]
title = "Een"

[[sections.blocks]]
kind = "text"
text = "hallo"

[[sections.blocks]]
kind = "figure"
question = "Q1"
text = """
Eerste regel, \
tweede {foo} regel.
"""
bins = [
  { label = "a", from = 1 },
  { label = "b", from = 2 },
]

[[sections]]
title = "Twee"
blocks = [{ kind = "summary" }]
"#;

    #[test]
    fn keys_blocks_items_and_text_inside_a_value_have_their_lines() {
        let p = Places::new(SOURCE);
        assert_eq!(p.key(&["survey"]), 1);
        assert_eq!(p.key(&["disclosure", "min_base"]), 5);
        assert_eq!(p.block(0, 0), 11);
        assert_eq!(p.block(0, 1), 15);
        assert_eq!(p.block_key(0, 1, "question"), 16);
        assert_eq!(p.block_key(0, 1, "caption"), 15, "an absent key: the block");
        assert_eq!(p.block_text(0, 1, "text", "{foo}"), 19);
        assert_eq!(p.block_text(0, 1, "text", "{bar}"), 17);
        assert_eq!(p.block_item(0, 1, "bins", 1), 23);
        assert_eq!(p.block(1, 0), 28, "an inline block");
    }
}
