//! YAML documents with the line of every node, read with `saphyr` (the maintained successor of
//! `yaml-rust`, YAML 1.2), for CI definitions.
//!
//! Scalars are kept as written (`saphyr`'s representation mode), so that `python-version: 3.10`
//! stays `3.10` and not the number 3.1; a scalar's type is resolved only when asked. Aliases are
//! expanded by the loader (with its limit against alias bombs) and `<<` merge keys are followed
//! on lookup, as GitLab CI reads them.

use std::borrow::Cow;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, ScalarStyle, YamlData, YamlLoader};
use saphyr_parser::Parser;

use crate::adapter::ParseError;
use crate::finding::Location;

/// The merge key of YAML 1.1, which GitLab CI (and GitHub Actions) honour.
const MERGE_KEY: &str = "<<";

/// Loads every document of `text`; a syntax error names the file, line and column.
pub fn load<'a>(path: &str, text: &'a str) -> Result<Vec<MarkedYaml<'a>>, ParseError> {
    let mut loader: YamlLoader<'a, MarkedYaml<'a>> = YamlLoader::default();
    loader.early_parse(false);
    let mut parser = Parser::new_from_str(text);
    let scan_error = |error: &saphyr::ScanError| {
        let marker = error.marker();
        let line = u32::try_from(marker.line()).unwrap_or(u32::MAX).max(1);
        let column = u32::try_from(marker.col() + 1).unwrap_or(u32::MAX);
        let mut parse_error = ParseError::at(Location::line(path, line), error.info().to_owned());
        parse_error.column = Some(column);
        parse_error
    };
    parser.load(&mut loader, true).map_err(|error| scan_error(&error))?;
    if let Some(error) = loader.error() {
        return Err(scan_error(error));
    }
    Ok(loader.into_documents())
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
    /// A custom-tagged collection (GitLab's `!reference`) or an unresolvable value.
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

/// A view of one node of a loaded document.
#[derive(Debug, Clone, Copy)]
pub struct Node<'n, 'a>(pub &'n MarkedYaml<'a>);

impl<'n, 'a> Node<'n, 'a> {
    /// The 1-based line on which the node starts.
    pub fn line(self) -> u32 {
        u32::try_from(self.0.span.start.line()).unwrap_or(u32::MAX).max(1)
    }

    /// What the node holds.
    pub fn kind(self) -> Kind {
        match &self.0.data {
            YamlData::Mapping(_) => Kind::Mapping,
            YamlData::Sequence(_) => Kind::Sequence,
            YamlData::Representation(text, style, tag) => {
                match Scalar::parse_from_cow_and_metadata(Cow::Borrowed(text.as_ref()), *style, tag.as_ref())
                {
                    Some(Scalar::String(_)) => Kind::String,
                    Some(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => Kind::Number,
                    Some(Scalar::Boolean(_)) => Kind::Boolean,
                    Some(Scalar::Null) => Kind::Null,
                    None => Kind::Other,
                }
            }
            YamlData::Value(Scalar::Null) => Kind::Null,
            YamlData::Value(_) | YamlData::Tagged(..) | YamlData::Alias(_) | YamlData::BadValue => {
                Kind::Other
            }
        }
    }

    /// The text of a scalar exactly as written, whatever its type; `None` for collections and
    /// nulls.
    pub fn text(self) -> Option<&'n str> {
        match &self.0.data {
            YamlData::Representation(text, _, _) if self.kind() != Kind::Null => Some(text.as_ref()),
            _ => None,
        }
    }

    /// The text of a string scalar; `None` for numbers, booleans, nulls and collections.
    pub fn as_str(self) -> Option<&'n str> {
        self.text().filter(|_| self.kind() == Kind::String)
    }

    /// Whether a scalar is plain (unquoted): YAML resolves plain `3.10` to a number.
    pub fn is_plain(self) -> bool {
        matches!(&self.0.data, YamlData::Representation(_, ScalarStyle::Plain, _))
    }

    /// The items of a sequence.
    pub fn items(self) -> Option<impl Iterator<Item = Node<'n, 'a>>> {
        match &self.0.data {
            YamlData::Sequence(items) => Some(items.iter().map(Node)),
            _ => None,
        }
    }

    /// The entries of a mapping whose keys are scalars, in file order, merge keys not followed.
    pub fn entries(self) -> Option<impl Iterator<Item = (&'n str, Node<'n, 'a>)>> {
        match &self.0.data {
            YamlData::Mapping(map) => {
                Some(map.iter().filter_map(|(key, value)| Some((Node(key).text()?, Node(value)))))
            }
            _ => None,
        }
    }

    /// The value at `key` of a mapping, looked up in the mapping's own entries first and then in
    /// the mappings merged into it with `<<`.
    pub fn get(self, key: &str) -> Option<Node<'n, 'a>> {
        let mut entries = self.entries()?;
        let mut merged = None;
        for (name, value) in entries.by_ref() {
            if name == key {
                return Some(value);
            }
            if name == MERGE_KEY {
                merged = Some(value);
            }
        }
        let merged = merged?;
        match merged.kind() {
            Kind::Mapping => merged.get(key),
            Kind::Sequence => merged.items()?.find_map(|source| source.get(key)),
            _ => None,
        }
    }

    /// The path of keys of a GitLab `!reference [.job, key]`, when the node is one.
    pub fn reference_path(self) -> Option<Vec<&'n str>> {
        let YamlData::Tagged(tag, inner) = &self.0.data else { return None };
        if tag.suffix != "reference" {
            return None;
        }
        Node(inner.as_ref()).items()?.map(Node::text).collect()
    }
}

/// Whether loading left a document empty (a stream of comments, say).
pub fn is_empty_document(document: &MarkedYaml<'_>) -> bool {
    document.is_badvalue() || Node(document).kind() == Kind::Null
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_their_text_and_resolve_their_type_on_demand() {
        let docs = load("x.yml", "a: 3.10\nb: '3.10'\nc: true\nd:\ne: text\n").unwrap();
        let root = Node(&docs[0]);
        let a = root.get("a").unwrap();
        assert_eq!((a.text(), a.kind(), a.as_str()), (Some("3.10"), Kind::Number, None));
        assert_eq!(root.get("b").unwrap().as_str(), Some("3.10"));
        assert_eq!(root.get("c").unwrap().kind(), Kind::Boolean);
        assert_eq!(root.get("d").unwrap().kind(), Kind::Null);
        assert_eq!(root.get("e").unwrap().line(), 5);
    }

    #[test]
    fn merge_keys_are_followed() {
        let text = "base: &base\n  image: node:20\njob:\n  <<: *base\n  script: [x]\nmulti:\n  <<: [*base]\n";
        let docs = load("x.yml", text).unwrap();
        let root = Node(&docs[0]);
        let image = root.get("job").unwrap().get("image").unwrap();
        assert_eq!((image.as_str(), image.line()), (Some("node:20"), 2));
        assert!(root.get("multi").unwrap().get("image").is_some());
    }

    #[test]
    fn syntax_errors_and_duplicate_keys_have_lines() {
        let error = load("x.yml", "a: [1, 2\nb: c\n").unwrap_err();
        assert!(error.location.line.is_some());
        let duplicate = load("x.yml", "a: 1\na: 2\n").unwrap_err();
        assert_eq!(duplicate.location.line, Some(2));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(load("x.yml", &text).is_err());
    }

    #[test]
    fn reference_tags() {
        let docs =
            load("x.yml", ".base:\n  image: ruby\njob:\n  image: !reference [.base, image]\n").unwrap();
        let image = Node(&docs[0]).get("job").unwrap().get("image").unwrap();
        assert_eq!(image.reference_path(), Some(vec![".base", "image"]));
        assert_eq!(image.kind(), Kind::Other);
    }
}
