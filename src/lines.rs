//! Line numbers for error messages about files people wrote (definitions, invitee lists).

/// The 1-based line on which byte `offset` of `text` stands (past the end: the last line).
pub fn line_at(text: &[u8], offset: usize) -> usize {
    text[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::line_at;

    #[test]
    fn counts_from_one() {
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
        assert_eq!(line_at(b"a\nb\nc", 2), 2);
        assert_eq!(line_at(b"a\nb\nc", 99), 3);
    }
}
