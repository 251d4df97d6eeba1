//! A fast path for the longest part of Python lockfiles: the arrays that list every
//! distribution file of a package with its hash (uv's `wheels = [...]`, Poetry's
//! `files = [...]`, PEP 751's `wheels = [...]` as uv writes it).
//!
//! They are four fifths of a large `uv.lock`, and the `toml` crate spends most of its time
//! building tables for them, although only the hashes are wanted. When such an array is written
//! as these tools write it — an array of inline tables holding plain strings, numbers, dates
//! and inline tables of those — [`cut`] takes the hashes out and replaces the array with `[]`,
//! so that `toml` parses the rest. Anything else in the array (a comment, an escape in a
//! string, a nested array) makes [`cut`] decline, and the whole section goes to `toml` as
//! written: the fast path never changes what is read, only how fast.

use super::{hash_of, parse_hash};
use crate::finding::Hash;

/// The text with the array `key = [...]` (starting a line) emptied, and the hashes it held:
/// `hash = "sha256:…"` in its tables, or `hashes = { sha256 = "…" }`. `None` when there is no
/// such array or it is not written in the plain form this reads.
pub(crate) fn cut(text: &str, key: &str) -> Option<(String, Vec<Hash>)> {
    let start = array_start(text, key)?;
    let mut scanner = Scanner { bytes: text.as_bytes(), position: start, hashes: Vec::new() };
    scanner.array()?;
    let end = scanner.position;
    let mut reduced = String::with_capacity(text.len() - (end - start) + 2);
    reduced.push_str(text.get(..start)?);
    reduced.push_str("[]");
    reduced.push_str(text.get(end..)?);
    Some((reduced, scanner.hashes))
}

/// The offset of the `[` of `key = [` at the start of a line.
fn array_start(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            let after_equals = rest.trim_start().strip_prefix('=').map(str::trim_start);
            if after_equals.is_some_and(|value| value.starts_with('[')) {
                let bracket = line.find('[')?;
                return Some(offset + bracket);
            }
        }
        offset += line.len();
    }
    None
}

/// A cursor over the array; every method returns `None` on anything outside the plain form.
struct Scanner<'b> {
    bytes: &'b [u8],
    position: usize,
    hashes: Vec<Hash>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.position += 1)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    /// Skips a `,` and the whitespace after it, if there is one.
    fn skip_comma(&mut self) {
        if self.peek() == Some(b',') {
            self.position += 1;
            self.skip_whitespace();
        }
    }

    /// `[ {…}, {…} ]`
    fn array(&mut self) -> Option<()> {
        self.expect(b'[')?;
        self.skip_whitespace();
        while self.peek()? != b']' {
            self.table(None)?;
            self.skip_whitespace();
            self.skip_comma();
        }
        self.expect(b']')
    }

    /// `{ key = value, … }`; `parent` is the key of the enclosing pair inside a table.
    fn table(&mut self, parent: Option<&str>) -> Option<()> {
        self.expect(b'{')?;
        self.skip_whitespace();
        while self.peek()? != b'}' {
            let key = self.key()?;
            self.skip_whitespace();
            self.expect(b'=')?;
            self.skip_whitespace();
            match self.peek()? {
                b'"' | b'\'' => {
                    let value = self.string()?;
                    self.record(parent, &key, &value);
                }
                b'{' if parent.is_none() => self.table(Some(&key))?,
                _ => self.bare()?,
            }
            self.skip_whitespace();
            self.skip_comma();
        }
        self.expect(b'}')
    }

    fn record(&mut self, parent: Option<&str>, key: &str, value: &str) {
        let hash = match parent {
            Some("hashes") => hash_of(key, value),
            None if key == "hash" => parse_hash(value),
            _ => None,
        };
        self.hashes.extend(hash);
    }

    fn key(&mut self) -> Option<String> {
        let start = self.position;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')) {
            self.position += 1;
        }
        let key = std::str::from_utf8(self.bytes.get(start..self.position)?).ok()?;
        (!key.is_empty()).then(|| key.to_owned())
    }

    /// A basic string without escapes, or a literal string, on one line.
    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.position += 1;
        let start = self.position;
        loop {
            match self.peek()? {
                b'\\' if quote == b'"' => return None,
                b'\n' => return None,
                byte if byte == quote => break,
                _ => self.position += 1,
            }
        }
        let value = std::str::from_utf8(self.bytes.get(start..self.position)?).ok()?.to_owned();
        self.position += 1;
        Some(value)
    }

    /// A number, boolean or date-time.
    fn bare(&mut self) -> Option<()> {
        let start = self.position;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'+' | b'-' | b'_'))
        {
            self.position += 1;
        }
        (self.position > start).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn uv_wheels_are_cut_and_their_hashes_kept() {
        let text = format!(
            "[[package]]\nname = \"x\"\nwheels = [\n    {{ url = \"https://h/x.whl\", hash = \"sha256:{A}\", size = 10, upload-time = \"2024-01-01T00:00:00Z\" }},\n    {{ url = \"https://h/y.whl\", hash = \"sha256:{B}\", size = 11 }},\n]\n\n[package.metadata]\nrequires-dist = []\n"
        );
        let (reduced, hashes) = cut(&text, "wheels").unwrap();
        assert_eq!(
            reduced,
            "[[package]]\nname = \"x\"\nwheels = []\n\n[package.metadata]\nrequires-dist = []\n"
        );
        assert_eq!(hashes.iter().map(|h| h.value.as_str()).collect::<Vec<_>>(), vec![A, B]);
    }

    #[test]
    fn pylock_wheels_on_one_line_with_nested_hashes() {
        let text = format!(
            "[[packages]]\nname = \"x\"\nwheels = [{{ url = \"u\", upload-time = 2026-03-19T14:22:23Z, size = 1, hashes = {{ sha256 = \"{A}\" }} }}]\n"
        );
        let (reduced, hashes) = cut(&text, "wheels").unwrap();
        assert_eq!(reduced, "[[packages]]\nname = \"x\"\nwheels = []\n");
        assert_eq!(hashes.len(), 1);
    }

    #[test]
    fn poetry_files_without_spaces() {
        let text = format!("files = [\n    {{file = \"x.whl\", hash = \"sha256:{A}\"}},\n]\n");
        assert_eq!(cut(&text, "files").unwrap().0, "files = []\n");
    }

    /// The hashes the slow path finds: every `hash` and `hashes.*` string in the array's tables.
    fn hashes_by_toml(section: &str, key: &str) -> Vec<Hash> {
        let table: toml::Table = toml::from_str(section).unwrap();
        let entry = table.values().find_map(|v| v.as_array()).and_then(|a| a.first()).unwrap();
        let files = entry.get(key).and_then(|f| f.as_array()).cloned().unwrap_or_default();
        let mut hashes = Vec::new();
        for file in files.iter().filter_map(|f| f.as_table()) {
            hashes.extend(file.get("hash").and_then(|h| h.as_str()).and_then(parse_hash));
            for (algorithm, value) in file.get("hashes").and_then(|h| h.as_table()).into_iter().flatten() {
                hashes.extend(value.as_str().and_then(|v| hash_of(algorithm, v)));
            }
        }
        hashes
    }

    #[test]
    fn the_fast_path_reads_the_real_locks_as_toml_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        for (file, array, key) in [
            ("python/uv/uv.lock", "package", "wheels"),
            ("python/uv/pylock.toml", "packages", "wheels"),
            ("python/poetry-2.5/poetry.lock", "package", "files"),
            ("demo/worker/uv.lock", "package", "wheels"),
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let mut cut_count = 0;
            for section in super::super::sections::sections(&text, array).iter().filter(|s| s.is_entry) {
                let Some((reduced, hashes)) = cut(&section.text, key) else { continue };
                cut_count += 1;
                assert_eq!(hashes, hashes_by_toml(&section.text, key), "{file}:{}", section.line);
                assert!(hashes_by_toml(&reduced, key).is_empty());
                let mut whole: toml::Table = toml::from_str(&section.text).unwrap();
                let mut rest: toml::Table = toml::from_str(&reduced).unwrap();
                for table in [&mut whole, &mut rest] {
                    let entry =
                        table.iter_mut().find_map(|(_, v)| v.as_array_mut()).and_then(|a| a.first_mut());
                    entry.and_then(|e| e.as_table_mut()).map(|e| e.remove(key));
                }
                assert_eq!(whole, rest, "{file}:{}: nothing but the array changes", section.line);
            }
            assert!(cut_count > 5, "{file}: the fast path was taken ({cut_count})");
        }
    }

    #[test]
    fn anything_unusual_declines() {
        assert!(cut("wheels = [\n  # a comment\n]\n", "wheels").is_none());
        assert!(cut("wheels = [{ url = \"a\\\"b\" }]\n", "wheels").is_none(), "an escape");
        assert!(cut("wheels = [{ tags = [\"a\"] }]\n", "wheels").is_none(), "a nested array");
        assert!(cut("wheels = [{ url = \"a\"\n", "wheels").is_none(), "unterminated");
        assert!(cut("other = [{ url = \"a\" }]\n", "wheels").is_none(), "no such array");
        assert!(cut("  wheels = []\nx = 1\n", "wheels").is_none(), "not at the start of a line");
    }
}
