//! The lines of a text, indexed once: the line of a byte offset (for parsers that give offsets
//! or borrowed slices, not lines) and the text of a numbered line, each found without rescanning
//! the text. Written by hand: a sorted list of line starts (found with `memchr`) and a binary
//! search.

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// The byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        Self { text, starts }
    }

    /// The 1-based line on which byte `offset` falls (a line break belongs to the line it ends;
    /// an offset past the end, to the last line).
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// The 1-based line on which `slice` starts, when it is a part of the text; `None` for a
    /// slice of other memory.
    pub fn line_of_slice(&self, slice: &str) -> Option<u32> {
        let start = self.text.as_ptr() as usize;
        let offset =
            (slice.as_ptr() as usize).checked_sub(start).filter(|&offset| offset <= self.text.len())?;
        Some(self.line_of(offset))
    }

    /// The text of the 1-based `line`, without its line break.
    pub fn line(&self, line: u32) -> Option<&'t str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_forwards_and_backwards() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!([0, 1, 2, 4, 5, 6, 7, 99].map(|o| index.line_of(o)), [1, 1, 2, 2, 3, 4, 4, 4]);
        assert_eq!([5, 0, 2].map(|o| index.line_of(o)), [3, 1, 2]);
    }

    #[test]
    fn slices_of_the_text_get_their_line() {
        let text = "a\nbc\n\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of_slice(&text[3..]), Some(2));
        assert_eq!(index.line_of_slice(&text[7..]), Some(4));
        assert_eq!(index.line_of_slice(&String::from("bc")), None);
    }

    #[test]
    fn numbered_lines_without_their_breaks() {
        let index = LineIndex::new("a\r\nbc\n\nd");
        assert_eq!([1, 2, 3, 4].map(|n| index.line(n)), [Some("a\r"), Some("bc"), Some(""), Some("d")]);
        assert_eq!(index.line(0), None);
        assert_eq!(index.line(5), None);
        assert_eq!(LineIndex::new("").line(1), Some(""));
    }
}
