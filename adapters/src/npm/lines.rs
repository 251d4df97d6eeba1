//! Line numbers of lockfile entries.
//!
//! serde_json reports no positions for values it parsed successfully, but every entry is kept as
//! a [`RawValue`] that borrows its text from the file, so the entry's byte offset is where that
//! text starts. Entries are read in file order, so a cursor that counts newlines from the
//! previous entry to the next finds every line in one pass over the file (written by hand: it is
//! a dozen lines and no crate adds anything here).

use serde_json::value::RawValue;

/// Turns byte offsets of one text into 1-based lines, fastest for increasing offsets.
pub(super) struct LineCursor<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let newlines = self.text[self.offset..offset].iter().filter(|&&b| b == b'\n').count();
        self.line = self.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = offset;
        self.line
    }

    /// The line on which `raw` starts, when `raw` borrows from the text (an entry read from the
    /// file); line 1 otherwise.
    pub fn line_of_raw(&mut self, raw: &RawValue) -> u32 {
        let start = self.text.as_ptr() as usize;
        let offset = (raw.get().as_ptr() as usize).checked_sub(start).filter(|&o| o <= self.text.len());
        offset.map_or(1, |offset| self.line_of(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_forwards_and_backwards() {
        let mut cursor = LineCursor::new("a\nbc\n\nd");
        assert_eq!([0, 1, 2, 4, 5, 6, 7, 99].map(|o| cursor.line_of(o)), [1, 1, 2, 2, 3, 4, 4, 4]);
        assert_eq!([5, 0, 2].map(|o| cursor.line_of(o)), [3, 1, 2]);
    }

    #[test]
    fn raw_values_from_the_text_get_their_line() {
        let text = "{\n \"a\":\n  {\"b\": 1}\n}";
        let value: std::collections::BTreeMap<&str, &RawValue> = serde_json::from_str(text).unwrap();
        assert_eq!(LineCursor::new(text).line_of_raw(value["a"]), 3);
        let elsewhere: Box<RawValue> = RawValue::from_string("{}".into()).unwrap();
        assert_eq!(LineCursor::new(text).line_of_raw(&elsewhere), 1);
    }
}
