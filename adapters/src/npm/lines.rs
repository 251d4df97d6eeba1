//! Line numbers of lockfile entries.
//!
//! serde_json reports no positions for values it parsed successfully, but every entry is kept as
//! a [`RawValue`] that borrows its text from the file, so the entry's byte offset is where that
//! text starts. This index turns offsets into lines with one scan for newlines and a binary
//! search per entry (written by hand: it is a dozen lines and no crate adds anything here).

use serde_json::value::RawValue;

/// Byte offsets of every line start of one text.
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
        let starts = std::iter::once(0).chain(newlines).collect();
        Self { text, starts }
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// The line on which `raw` starts, when `raw` borrows from the indexed text (an entry read
    /// from the file); line 1 otherwise.
    pub fn line_of_raw(&self, raw: &RawValue) -> u32 {
        let start = self.text.as_ptr() as usize;
        let offset = (raw.get().as_ptr() as usize).checked_sub(start).filter(|&o| o <= self.text.len());
        offset.map_or(1, |offset| self.line_of(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!([0, 1, 2, 4, 5, 6, 7].map(|o| index.line_of(o)), [1, 1, 2, 2, 3, 4, 4]);
    }

    #[test]
    fn raw_values_from_the_text_get_their_line() {
        let text = "{\n \"a\":\n  {\"b\": 1}\n}";
        let value: std::collections::BTreeMap<&str, &RawValue> = serde_json::from_str(text).unwrap();
        assert_eq!(LineIndex::new(text).line_of_raw(value["a"]), 3);
    }
}
