//! YAML access for the container adapters: multi-document streams where one broken document
//! does not hide the others, line numbers for every node, scalars as written, and merge keys.
//!
//! Built on `saphyr` (pure Rust, YAML 1.2, maintained, nodes carry their spans). A YAML
//! parser stops at the first error of a stream, so the stream is cut into documents at the
//! `---` / `...` marker lines first (as `kubectl` does) and each document is parsed alone;
//! line numbers are made absolute again. Scalars are kept as written (`tag: 8.0` stays `8.0`,
//! not the float 8) by loading without early scalar parsing.

use std::collections::HashSet;

use saphyr::{MarkedYaml, ScalarStyle, YamlData, YamlLoader};
use saphyr_parser::{Parser, ScanError};

/// One document of a stream, parsed, or why it could not be.
pub(crate) struct Document<'a> {
    /// The first line of the document in the file (1-based).
    pub first_line: u32,
    /// The root node, or the parse error with its absolute line and column.
    pub root: Result<Node<'a>, SyntaxError>,
}

/// A YAML syntax error at an absolute place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

/// A node of a parsed document, with the line offset of its document.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    yaml: &'a MarkedYaml<'a>,
    line_offset: u32,
}

/// The parsed documents of a stream. Owns the trees the [`Node`]s borrow.
pub(crate) struct Stream<'a> {
    documents: Vec<(u32, Result<MarkedYaml<'a>, SyntaxError>)>,
}

impl<'a> Stream<'a> {
    /// Parses every document of `text`.
    pub fn parse(text: &'a str) -> Self {
        let documents = split_documents(text)
            .into_iter()
            .filter(|(_, chunk)| !is_blank_document(chunk))
            .map(|(first_line, chunk)| (first_line, parse_document(chunk, first_line - 1)))
            .collect();
        Self { documents }
    }

    /// The documents in order, empty ones left out.
    pub fn documents(&self) -> impl Iterator<Item = Document<'_>> {
        self.documents.iter().filter_map(|(first_line, parsed)| {
            let root = match parsed {
                Ok(yaml) if is_null(yaml) => return None,
                Ok(yaml) => Ok(Node { yaml, line_offset: first_line - 1 }),
                Err(error) => Err(error.clone()),
            };
            Some(Document { first_line: *first_line, root })
        })
    }
}

/// Cuts a stream at lines that start a (`---`) or end a (`...`) document. The `---` line
/// belongs to the document it starts (it may carry content: `--- {a: 1}`).
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if is_marker(line, "---") && offset > start {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = line_number;
        }
        offset += line.len();
        if is_marker(line, "...") {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = line_number + 1;
        }
    }
    if offset > start {
        chunks.push((start_line, &text[start..offset]));
    }
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Whether a chunk holds nothing but comments, blank lines and markers.
fn is_blank_document(chunk: &str) -> bool {
    chunk.lines().all(|line| {
        let trimmed = line.trim();
        trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" || trimmed == "..."
    })
}

fn parse_document(chunk: &str, line_offset: u32) -> Result<MarkedYaml<'_>, SyntaxError> {
    let to_error = |error: &ScanError| SyntaxError {
        line: u32::try_from(error.marker().line()).unwrap_or(u32::MAX).saturating_add(line_offset),
        column: u32::try_from(error.marker().col() + 1).unwrap_or(u32::MAX),
        message: error.info().to_owned(),
    };
    let mut loader = YamlLoader::<MarkedYaml>::default();
    loader.early_parse(false);
    let mut parser = Parser::new_from_str(chunk);
    parser.load(&mut loader, false).map_err(|error| to_error(&error))?;
    if let Some(error) = loader.error() {
        return Err(to_error(error));
    }
    Ok(loader.into_documents().into_iter().next().unwrap_or_else(|| MarkedYaml::from(YamlData::BadValue)))
}

fn is_null(yaml: &MarkedYaml<'_>) -> bool {
    match &yaml.data {
        YamlData::BadValue => true,
        YamlData::Representation(text, ScalarStyle::Plain, _) => is_null_text(text),
        _ => false,
    }
}

fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// The key under which YAML 1.1 merge keys (`<<: *defaults`) bring in other mappings.
const MERGE_KEY: &str = "<<";

/// The mappings merge keys bring in, in order of precedence: `<<: *a` or `<<: [*a, *b]`, and
/// what those mappings merge in turn (to a bounded depth: anchors cannot form loops, but a
/// document can nest merges without end in principle).
fn merge_order(sources: Vec<Node<'_>>) -> Vec<Node<'_>> {
    const MAX_DEPTH: usize = 8;
    let mut ordered = Vec::new();
    let mut level = sources;
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for source in level {
            let mappings = if source.is_mapping() { vec![source] } else { source.items() };
            for mapping in mappings.into_iter().filter(Node::is_mapping) {
                mapping.own_entries(&mut Vec::new(), &mut next);
                ordered.push(mapping);
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    ordered
}

impl<'a> Node<'a> {
    /// The 1-based line where the node starts in the file.
    pub fn line(&self) -> u32 {
        u32::try_from(self.yaml.span.start.line()).unwrap_or(u32::MAX).saturating_add(self.line_offset)
    }

    fn wrap(&self, yaml: &'a MarkedYaml<'a>) -> Self {
        Self { yaml, line_offset: self.line_offset }
    }

    /// The node under a tag (`!Ref x`) is the node itself for our purposes.
    fn data(&self) -> &'a YamlData<'a, MarkedYaml<'a>> {
        let mut yaml = self.yaml;
        while let YamlData::Tagged(_, inner) = &yaml.data {
            yaml = inner;
        }
        &yaml.data
    }

    /// The scalar's text as written (quotes removed), `None` for null, mappings and sequences.
    pub fn as_str(&self) -> Option<&'a str> {
        match self.data() {
            YamlData::Representation(text, style, _) => {
                if *style == ScalarStyle::Plain && is_null_text(text) {
                    None
                } else {
                    Some(text.as_ref())
                }
            }
            _ => None,
        }
    }

    /// Whether the node is a mapping.
    pub fn is_mapping(&self) -> bool {
        matches!(self.data(), YamlData::Mapping(_))
    }

    /// Whether the node is null (written `null`, `~` or nothing).
    pub fn is_null(&self) -> bool {
        is_null(self.yaml)
    }

    /// The entries of a mapping, in order, with merged (`<<`) entries after the mapping's own
    /// ones (an own key wins, and an earlier merged mapping wins over a later one); keys that are
    /// not scalars are left out. Empty for anything but a mapping.
    pub fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        let mut entries = Vec::new();
        let mut sources = Vec::new();
        self.own_entries(&mut entries, &mut sources);
        if sources.is_empty() {
            return entries;
        }
        let mut seen: HashSet<&str> = entries.iter().map(|(key, _)| *key).collect();
        for source in merge_order(sources) {
            let mut merged = Vec::new();
            source.own_entries(&mut merged, &mut Vec::new());
            entries.extend(merged.into_iter().filter(|(key, _)| seen.insert(key)));
        }
        entries
    }

    /// The mapping's own entries, and the nodes its merge keys name.
    fn own_entries(&self, entries: &mut Vec<(&'a str, Node<'a>)>, sources: &mut Vec<Node<'a>>) {
        let YamlData::Mapping(mapping) = self.data() else {
            return;
        };
        for (key, value) in mapping {
            match self.wrap(key).as_str() {
                Some(MERGE_KEY) => sources.push(self.wrap(value)),
                Some(key) => entries.push((key, self.wrap(value))),
                None => {}
            }
        }
    }

    /// The value under `key` in a mapping (merge keys included).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let mut own = Vec::new();
        let mut sources = Vec::new();
        self.own_entries(&mut own, &mut sources);
        if let Some((_, value)) = own.into_iter().find(|(k, _)| *k == key) {
            return Some(value);
        }
        merge_order(sources).into_iter().find_map(|source| {
            let mut entries = Vec::new();
            source.own_entries(&mut entries, &mut Vec::new());
            entries.into_iter().find_map(|(k, value)| (k == key).then_some(value))
        })
    }

    /// The value at a path of keys.
    pub fn path(&self, keys: &[&str]) -> Option<Node<'a>> {
        keys.iter().try_fold(*self, |node, key| node.get(key))
    }

    /// The items of a sequence; empty for anything else.
    pub fn items(&self) -> Vec<Node<'a>> {
        match self.data() {
            YamlData::Sequence(items) => items.iter().map(|item| self.wrap(item)).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(text: &str) -> Vec<Result<u32, SyntaxError>> {
        Stream::parse(text).documents().map(|d| d.root.map(|n| n.line())).collect()
    }

    #[test]
    fn documents_are_cut_at_markers_and_keep_absolute_lines() {
        let text = "a: 1\n---\nb: 2\n--- # third\nc:\n  d: 3\n...\n";
        let stream = Stream::parse(text);
        let docs: Vec<_> = stream.documents().collect();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].first_line, 1);
        assert_eq!(docs[1].first_line, 2);
        let third = docs[2].root.as_ref().map_err(|e| e.message.clone()).unwrap();
        assert_eq!(third.path(&["c", "d"]).map(|n| n.line()), Some(6));
        assert_eq!(third.path(&["c", "d"]).and_then(|n| n.as_str()), Some("3"));
    }

    #[test]
    fn a_broken_document_is_an_error_at_its_line_and_the_others_still_parse() {
        let text = "a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n";
        let results = roots(text);
        assert_eq!(results.len(), 3);
        assert_eq!(results[0], Ok(1));
        let error = results[1].clone().unwrap_err();
        assert!(error.line >= 3 && error.line <= 5, "{error:?}");
        assert_eq!(results[2], Ok(6));
    }

    #[test]
    fn empty_documents_and_comment_only_chunks_are_skipped() {
        assert!(roots("---\n# nothing\n---\n\n...\n").is_empty());
        assert_eq!(roots("---\nnull\n---\nx: 1\n"), vec![Ok(4)]);
    }

    #[test]
    fn scalars_are_kept_as_written() {
        let stream = Stream::parse("tag: 8.0\nq: \"1.10\"\nn: ~\nb: true\n");
        let root = stream.documents().next().unwrap().root.ok().unwrap();
        assert_eq!(root.get("tag").and_then(|n| n.as_str()), Some("8.0"));
        assert_eq!(root.get("q").and_then(|n| n.as_str()), Some("1.10"));
        assert_eq!(root.get("n").and_then(|n| n.as_str()), None);
        assert!(root.get("n").unwrap().is_null());
        assert_eq!(root.get("b").and_then(|n| n.as_str()), Some("true"));
    }

    #[test]
    fn merge_keys_bring_in_entries_without_overriding_own_ones() {
        let text = "base: &base\n  image: redis:7\n  restart: always\nsvc:\n  <<: *base\n  restart: no\n";
        let stream = Stream::parse(text);
        let root = stream.documents().next().unwrap().root.ok().unwrap();
        let svc = root.get("svc").unwrap();
        assert_eq!(svc.get("image").and_then(|n| n.as_str()), Some("redis:7"));
        assert_eq!(svc.get("restart").and_then(|n| n.as_str()), Some("no"));
        let merged_list = "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n";
        let stream = Stream::parse(merged_list);
        let root = stream.documents().next().unwrap().root.ok().unwrap();
        assert_eq!(root.path(&["c", "y"]).and_then(|n| n.as_str()), Some("2"));
    }

    #[test]
    fn merges_of_merges_are_followed_and_own_keys_win() {
        let text = "a: &a {x: 1, y: 0}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n";
        let stream = Stream::parse(text);
        let root = stream.documents().next().unwrap().root.ok().unwrap();
        let c = root.get("c").unwrap();
        let keys: Vec<_> = c.entries().into_iter().map(|(key, value)| (key, value.as_str())).collect();
        assert_eq!(keys, [("z", Some("3")), ("y", Some("2")), ("x", Some("1"))]);
        assert_eq!(c.get("x").and_then(|n| n.as_str()), Some("1"));
    }

    #[test]
    fn malformed_streams_never_panic() {
        let inputs = [
            "{",
            "[",
            "a: *undefined",
            "- - - -",
            "\t a: b",
            "? [a]\n: b",
            "a: !!int x",
            "&a [*a]",
            "---\n...\n---",
            "\u{feff}a: 1",
            "key: 'open",
            ": :",
            "a:\n  - b\n c: d",
            "%YAML 1.2\n---\na: 1",
            "a: |\n x\n  y\n",
        ];
        for text in inputs {
            for document in Stream::parse(text).documents() {
                if let Ok(root) = document.root {
                    let _ = (root.entries(), root.items(), root.as_str(), root.line());
                }
            }
        }
    }

    #[test]
    fn duplicate_keys_are_a_syntax_error() {
        let results = roots("a: 1\na: 2\n");
        assert!(results[0].is_err());
    }
}
