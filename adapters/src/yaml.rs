//! YAML for every adapter that reads it (compose, Kubernetes, Kustomize, Helm, GitHub Actions,
//! GitLab CI, pre-commit): multi-document streams where one broken document does not hide the
//! others, the line of every node, scalars as written, merge keys and GitLab's `!reference`.
//!
//! Built on `saphyr` (pure Rust, YAML 1.2, the maintained successor of `yaml-rust`; nodes carry
//! their spans). A YAML parser stops at the first error of a stream, so the stream is cut into
//! documents at the `---` / `...` marker lines first (as `kubectl` does) and each document is
//! parsed alone; line numbers are made absolute again. Aliases are expanded by the loader, with
//! its limit against alias bombs.
//!
//! Scalars are kept as written (`python-version: 3.10` stays `3.10`, not the number 3.1; `tag:
//! 8.0` stays `8.0`) by loading without early scalar parsing: [`Node::text`] gives the text of
//! any scalar, and a scalar's type is resolved only when asked ([`Node::kind`], [`Node::as_str`]).
//!
//! YAML 1.1 merge keys (`<<: *defaults`, `<<: [*a, *b]`), which Compose, GitLab CI and GitHub
//! Actions honour, are followed by [`Node::get`] and [`Node::entries`]: a mapping's own keys win,
//! then the merged mappings in order, each with what it merges in turn.
//!
//! Tags on collections (Compose's `!reset` and `!override`) are looked through, except GitLab's
//! `!reference [.job, key]`: it stands for another node, not for the sequence it is written as,
//! so it is a value of its own kind ([`Kind::Other`]) until [`Node::reference_path`] resolves it.

use std::borrow::Cow;
use std::collections::HashSet;

use saphyr::{MarkedYaml, Scalar, ScalarStyle, YamlData, YamlLoader};
use saphyr_parser::{Parser, ScanError};

use crate::adapter::ParseError;
use crate::finding::Location;

/// The key under which YAML 1.1 merge keys bring in other mappings.
const MERGE_KEY: &str = "<<";

/// How deep merges of merges are followed. Anchors cannot form loops, but a document could nest
/// merges without end in principle.
const MAX_MERGE_DEPTH: usize = 8;

/// The tag suffix of GitLab's `!reference`.
const REFERENCE_TAG: &str = "reference";

/// The parsed documents of a stream. Owns the trees the [`Node`]s borrow.
pub struct Stream<'a> {
    documents: Vec<(u32, Result<MarkedYaml<'a>, SyntaxError>)>,
}

/// One document of a stream, parsed, or why it could not be.
pub struct Document<'a> {
    /// The first line of the document in the file (1-based).
    pub first_line: u32,
    /// The root node, or the parse error with its absolute line and column.
    pub root: Result<Node<'a>, SyntaxError>,
}

/// A YAML syntax error at an absolute place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

impl SyntaxError {
    /// The error as one that makes the file at `path` unreadable.
    pub fn into_parse_error(self, path: &str) -> ParseError {
        ParseError {
            location: Location::line(path, self.line),
            column: Some(self.column),
            message: format!("YAML syntax error: {}", self.message),
        }
    }
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

    /// The documents in order, empty ones (nothing, only comments, `null`) left out.
    pub fn documents(&self) -> impl Iterator<Item = Document<'_>> {
        self.documents.iter().filter_map(|(first_line, parsed)| {
            let root = match parsed {
                Ok(yaml) if is_empty(yaml) => return None,
                Ok(yaml) => Ok(Node { yaml, line_offset: first_line - 1 }),
                Err(error) => Err(error.clone()),
            };
            Some(Document { first_line: *first_line, root })
        })
    }

    /// The root of the first document, for formats that are one document; `None` when the
    /// stream has none. A syntax error in that document makes the file at `path` unreadable.
    pub fn first(&self, path: &str) -> Result<Option<Node<'_>>, ParseError> {
        self.documents()
            .next()
            .map(|document| document.root.map_err(|e| e.into_parse_error(path)))
            .transpose()
    }
}

#[cfg(test)]
impl Stream<'_> {
    /// The root of the first document, which the test expects to parse.
    pub(crate) fn test_root(&self) -> Node<'_> {
        match self.first("test.yml") {
            Ok(Some(root)) => root,
            other => panic!("expected a document, found {:?}", other.map(|root| root.map(Node::kind))),
        }
    }
}

impl Document<'_> {
    /// The line where the document's content starts, or where its syntax error is.
    pub fn line(&self) -> u32 {
        match &self.root {
            Ok(root) => root.line(),
            Err(error) => error.line,
        }
    }
}

/// Cuts a stream at lines that start a (`---`) or end a (`...`) document. The `---` line
/// belongs to the document it starts (it may carry content: `--- {a: 1}`), and so do the
/// directives (`%YAML 1.2`) before it. Only lines that begin with a marker's characters are
/// looked at (found with `memchr`), so a one-document file costs two fast searches.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut counted = (0, 1u32);
    for offset in marker_lines(text) {
        let (counted_to, line) = counted;
        let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..offset]).count();
        let line_number = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        counted = (offset, line_number);
        let end = memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |at| offset + at + 1);
        let line = &text[offset..end];
        if is_marker(line, "---") && offset > start && !is_directives(&text[start..offset]) {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = line_number;
        }
        if is_marker(line, "...") {
            chunks.push((start_line, &text[start..end]));
            start = end;
            start_line = line_number.saturating_add(1);
        }
    }
    if text.len() > start {
        chunks.push((start_line, &text[start..]));
    }
    chunks
}

/// The offsets of the lines that begin with `---` or `...`, in order.
fn marker_lines(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets: Vec<usize> = [&b"\n---"[..], &b"\n..."[..]]
        .into_iter()
        .flat_map(|marker| memchr::memmem::find_iter(bytes, marker).map(|at| at + 1))
        .collect();
    if bytes.starts_with(b"---") || bytes.starts_with(b"...") {
        offsets.push(0);
    }
    offsets.sort_unstable();
    offsets
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Whether a chunk is the directives (`%YAML 1.2`, `%TAG …`) of the document whose `---` follows,
/// with blank lines and comments between them.
fn is_directives(chunk: &str) -> bool {
    let is_directive = |line: &str| line.starts_with('%');
    chunk.lines().any(is_directive)
        && chunk.lines().all(|line| {
            let trimmed = line.trim();
            is_directive(line) || trimmed.is_empty() || trimmed.starts_with('#')
        })
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
        line: u32::try_from(error.marker().line()).unwrap_or(u32::MAX).saturating_add(line_offset).max(1),
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

/// Whether loading left a document empty: nothing, or a null scalar.
fn is_empty(yaml: &MarkedYaml<'_>) -> bool {
    match &yaml.data {
        YamlData::BadValue => true,
        YamlData::Representation(text, style, tag) => is_null_scalar(text, *style, tag.as_ref()),
        _ => false,
    }
}

/// Whether a scalar resolves to null: written `null`, `~` or nothing, and not quoted.
fn is_null_scalar(text: &str, style: ScalarStyle, tag: Option<&Cow<'_, saphyr::Tag>>) -> bool {
    match tag {
        None => style == ScalarStyle::Plain && matches!(text, "" | "~" | "null" | "Null" | "NULL"),
        Some(_) => matches!(scalar(text, style, tag), Some(Scalar::Null)),
    }
}

fn scalar<'t>(text: &'t str, style: ScalarStyle, tag: Option<&Cow<'t, saphyr::Tag>>) -> Option<Scalar<'t>> {
    Scalar::parse_from_cow_and_metadata(Cow::Borrowed(text), style, tag)
}

/// What a node holds, for shape checks and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A mapping.
    Mapping,
    /// A sequence.
    Sequence,
    /// A string scalar.
    String,
    /// An integer or floating-point scalar.
    Number,
    /// `true` or `false`.
    Boolean,
    /// `null`, `~` or nothing.
    Null,
    /// GitLab's `!reference`, or a value that cannot be resolved (an unknown alias).
    Other,
}

impl Kind {
    /// The kind with an article, for messages (`a mapping`).
    pub fn describe(self) -> &'static str {
        match self {
            Self::Mapping => "a mapping",
            Self::Sequence => "a sequence",
            Self::String => "a string",
            Self::Number => "a number",
            Self::Boolean => "a boolean",
            Self::Null => "null",
            Self::Other => "a tagged or invalid value",
        }
    }
}

/// A node of a parsed document, with the line offset of its document.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    yaml: &'a MarkedYaml<'a>,
    line_offset: u32,
}

impl<'a> Node<'a> {
    /// The 1-based line where the node starts in the file.
    pub fn line(self) -> u32 {
        u32::try_from(self.yaml.span.start.line()).unwrap_or(u32::MAX).saturating_add(self.line_offset).max(1)
    }

    fn wrap(self, yaml: &'a MarkedYaml<'a>) -> Self {
        Self { yaml, line_offset: self.line_offset }
    }

    /// What the node holds, tags other than `!reference` looked through.
    fn data(self) -> &'a YamlData<'a, MarkedYaml<'a>> {
        let mut yaml = self.yaml;
        while let YamlData::Tagged(tag, inner) = &yaml.data {
            if tag.suffix == REFERENCE_TAG {
                break;
            }
            yaml = inner;
        }
        &yaml.data
    }

    /// What the node holds.
    pub fn kind(self) -> Kind {
        match self.data() {
            YamlData::Mapping(_) => Kind::Mapping,
            YamlData::Sequence(_) => Kind::Sequence,
            YamlData::Representation(text, style, tag) => match scalar(text, *style, tag.as_ref()) {
                Some(Scalar::String(_)) => Kind::String,
                Some(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => Kind::Number,
                Some(Scalar::Boolean(_)) => Kind::Boolean,
                Some(Scalar::Null) => Kind::Null,
                None => Kind::Other,
            },
            YamlData::Value(Scalar::Null) => Kind::Null,
            YamlData::Value(_) | YamlData::Tagged(..) | YamlData::Alias(_) | YamlData::BadValue => {
                Kind::Other
            }
        }
    }

    /// The text of a scalar exactly as written (quotes removed), whatever its type; `None` for
    /// nulls and collections.
    pub fn text(self) -> Option<&'a str> {
        match self.data() {
            YamlData::Representation(text, style, tag) if !is_null_scalar(text, *style, tag.as_ref()) => {
                Some(text.as_ref())
            }
            _ => None,
        }
    }

    /// The text of a string scalar; `None` for numbers, booleans, nulls and collections.
    pub fn as_str(self) -> Option<&'a str> {
        self.text().filter(|_| self.kind() == Kind::String)
    }

    /// Whether a scalar is plain (unquoted): YAML resolves plain `3.10` to a number.
    pub fn is_plain(self) -> bool {
        matches!(self.data(), YamlData::Representation(_, ScalarStyle::Plain, _))
    }

    /// Whether the node is null (written `null`, `~` or nothing).
    pub fn is_null(self) -> bool {
        match self.data() {
            YamlData::Representation(text, style, tag) => is_null_scalar(text, *style, tag.as_ref()),
            YamlData::Value(Scalar::Null) | YamlData::BadValue => true,
            _ => false,
        }
    }

    /// Whether the node is a mapping.
    pub fn is_mapping(self) -> bool {
        matches!(self.data(), YamlData::Mapping(_))
    }

    /// Whether the node is a sequence.
    pub fn is_sequence(self) -> bool {
        matches!(self.data(), YamlData::Sequence(_))
    }

    /// The items of a sequence; none for anything else.
    pub fn items(self) -> impl ExactSizeIterator<Item = Node<'a>> {
        let items: &'a [MarkedYaml<'a>] = match self.data() {
            YamlData::Sequence(items) => items,
            _ => &[],
        };
        items.iter().map(move |item| self.wrap(item))
    }

    /// The entries of a mapping whose keys are scalars, in order, with merged (`<<`) entries
    /// after the mapping's own ones (an own key wins, and an earlier merged mapping wins over a
    /// later one). Empty for anything but a mapping.
    pub fn entries(self) -> Vec<(&'a str, Node<'a>)> {
        let mut entries = Vec::new();
        let mut merged = Vec::new();
        self.own_entries(&mut entries, &mut merged);
        if !merged.is_empty() {
            let mut seen: HashSet<&str> = entries.iter().map(|(key, _)| *key).collect();
            for value in merged {
                value.add_merged_entries(&mut entries, &mut seen, 1);
            }
        }
        entries
    }

    /// Adds the entries of the mappings a merge key's `self` names, and of what they merge in
    /// turn, that are not in `seen` yet.
    fn add_merged_entries(
        self,
        entries: &mut Vec<(&'a str, Node<'a>)>,
        seen: &mut HashSet<&'a str>,
        depth: usize,
    ) {
        if depth > MAX_MERGE_DEPTH {
            return;
        }
        for source in self.merge_sources() {
            let mut own = Vec::new();
            let mut nested = Vec::new();
            source.own_entries(&mut own, &mut nested);
            entries.extend(own.into_iter().filter(|(key, _)| seen.insert(key)));
            for value in nested {
                value.add_merged_entries(entries, seen, depth + 1);
            }
        }
    }

    /// The mapping's own entries, and the values of its merge keys.
    fn own_entries(self, entries: &mut Vec<(&'a str, Node<'a>)>, merged: &mut Vec<Node<'a>>) {
        let YamlData::Mapping(mapping) = self.data() else {
            return;
        };
        for (key, value) in mapping {
            match self.wrap(key).text() {
                Some(MERGE_KEY) => merged.push(self.wrap(value)),
                Some(key) => entries.push((key, self.wrap(value))),
                None => {}
            }
        }
    }

    /// The mappings the value of a merge key names: `<<: *a` or `<<: [*a, *b]`.
    fn merge_sources(self) -> impl Iterator<Item = Node<'a>> {
        let single = self.is_mapping().then_some(self);
        single.into_iter().chain(self.items().filter(|item| item.is_mapping()))
    }

    /// The node, when it is a mapping: the root of a document whose format is one. Otherwise the
    /// file at `path` is not of that format, and the error says what its top level is.
    pub fn top_level_mapping(self, path: &str) -> Result<Self, ParseError> {
        if self.is_mapping() {
            return Ok(self);
        }
        let message = format!("the top level must be a mapping, found {}", self.kind().describe());
        Err(ParseError::at(Location::line(path, self.line()), message))
    }

    /// The value at `key` of a mapping, looked up in the mapping's own entries first and then in
    /// the mappings merged into it with `<<`.
    pub fn get(self, key: &str) -> Option<Node<'a>> {
        self.get_merged(key, 0)
    }

    fn get_merged(self, key: &str, depth: usize) -> Option<Node<'a>> {
        let YamlData::Mapping(mapping) = self.data() else {
            return None;
        };
        let mut merged = None;
        for (name, value) in mapping {
            match self.wrap(name).text() {
                Some(name) if name == key => return Some(self.wrap(value)),
                Some(MERGE_KEY) => merged = Some(self.wrap(value)),
                _ => {}
            }
        }
        if depth >= MAX_MERGE_DEPTH {
            return None;
        }
        merged?.merge_sources().find_map(|source| source.get_merged(key, depth + 1))
    }

    /// The value at a path of keys.
    pub fn path(self, keys: &[&str]) -> Option<Node<'a>> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The path of keys of a GitLab `!reference [.job, key]`, when the node is one.
    pub fn reference_path(self) -> Option<Vec<&'a str>> {
        let YamlData::Tagged(tag, inner) = &self.yaml.data else { return None };
        if tag.suffix != REFERENCE_TAG {
            return None;
        }
        let inner = self.wrap(inner);
        if !inner.is_sequence() {
            return None;
        }
        inner.items().map(Node::text).collect()
    }
}

#[cfg(test)]
mod tests;
