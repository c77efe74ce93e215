//! Breaking text into lines, for the pages (`layout`) and the chart labels (`charts`): one
//! greedy breaker over the caller's measure, so both break the same way and differ only in how
//! they measure (the chart counts glyphs the font lacks as wide) and in what they do with too
//! many lines (the chart ends its label with an ellipsis).

/// Breaks `text` into lines no wider than `width` as `measure` counts it. Line breaks in the text
/// start new lines; a word wider than a line is cut where it must be (one character wider than
/// the line stays whole: there is nothing to cut).
pub fn wrap(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let space = measure(" ");
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.to_string();
            let mut w = measure(&word);
            let gap = if line.is_empty() { 0.0 } else { space };
            if line_width + gap + w <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                line_width += gap + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            while w > width && word.chars().nth(1).is_some() {
                let (head, tail) = split_to_fit(&word, width, measure);
                lines.push(head);
                word = tail;
                w = measure(&word);
            }
            line = word;
            line_width = w;
        }
        lines.push(line);
    }
    lines
}

/// The longest prefix of `word` that fits in `width` (at least one character), and the rest.
fn split_to_fit(word: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> (String, String) {
    let mut end = 0;
    for (i, c) in word.char_indices() {
        let next = i + c.len_utf8();
        if end > 0 && measure(&word[..next]) > width {
            break;
        }
        end = next;
    }
    (word[..end].to_string(), word[end..].to_string())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    /// Every character one unit wide.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn words_fill_a_line_and_long_words_are_cut() {
        assert_eq!(wrap("een twee drie", 8.0, &chars), ["een twee", "drie"]);
        assert_eq!(wrap("abcdefghij kl", 4.0, &chars), ["abcd", "efgh", "ij", "kl"]);
        assert_eq!(wrap("een\ntwee", 20.0, &chars), ["een", "twee"]);
        assert_eq!(wrap("", 20.0, &chars), [""]);
        assert_eq!(wrap("WWW", 0.5, &chars), ["W", "W", "W"]);
    }
}
