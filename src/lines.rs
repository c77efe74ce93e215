//! Line numbers for error messages about files people wrote (definitions, invitee lists).

/// The 1-based line on which byte `offset` of `text` stands (past the end: the last line).
pub fn line_at(text: &[u8], offset: usize) -> usize {
    text[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Line numbers for many offsets of one text: the newlines are found once, and each offset
/// is looked up by bisection, so a definition with thousands of questions is not scanned from
/// its start for each of them.
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> LineIndex {
        LineIndex { newlines: text.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i).collect() }
    }

    /// As [`line_at`] for the text the index was made of.
    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, line_at};

    #[test]
    fn the_index_agrees_with_counting() {
        let text = b"a\nbb\n\nccc\n";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(index.line(offset), line_at(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn counts_from_one() {
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
        assert_eq!(line_at(b"a\nb\nc", 2), 2);
        assert_eq!(line_at(b"a\nb\nc", 99), 3);
    }
}
