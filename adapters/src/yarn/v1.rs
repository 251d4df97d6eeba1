//! A reader for the yarn v1 lockfile format.
//!
//! Written by hand: the format is yarn's own (not YAML, not JSON), and the one crate that reads
//! it (`yarn-lock-parser`, nom-based) fails the whole file on the first bad entry with no line
//! number and keeps no positions, where shelflife must report a broken entry with its line and
//! still read the rest. The format as yarn 1 writes it:
//!
//! ```text
//! # yarn lockfile v1
//!
//! "@scope/name@^1.0.0", "@scope/name@^1.1.0":
//!   version "1.2.0"
//!   resolved "https://registry.yarnpkg.com/@scope/name/-/name-1.2.0.tgz#<sha1>"
//!   integrity sha512-...
//!   dependencies:
//!     other "^2.0.0"
//!   optionalDependencies:
//!     "@scope/opt" "~3.0.0"
//! ```
//!
//! One pass over the lines, no regular expressions: a line at indentation 0 starts an entry
//! (its descriptors, comma-separated, ending in `:`), indentation 2 holds a field or opens a
//! block, indentation 4 holds a block's `name range` pairs. Strings are bare or
//! double-quoted with JSON escapes.

use std::borrow::Cow;

use super::entry::LineProblem;
use crate::jslock::numbered_lines;

/// One entry of a v1 lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The descriptors (`name@range`) the entry resolves.
    pub descriptors: Vec<Cow<'a, str>>,
    /// The 1-based line of the entry's header.
    pub line: u32,
    /// `version`.
    pub version: Option<Cow<'a, str>>,
    /// `resolved`: where the package was downloaded from.
    pub resolved: Option<Cow<'a, str>>,
    /// `integrity`: an SRI string.
    pub integrity: Option<Cow<'a, str>>,
    /// `dependencies` and `optionalDependencies`: name → range.
    pub dependencies: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// Which block of an entry the indentation-4 lines belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    Dependencies,
    Ignored,
}

/// Reads every entry; lines that cannot be read are problems and the rest is still read. An
/// entry whose header cannot be read is skipped up to the next header (with a problem).
pub fn parse(text: &str) -> (Vec<Entry<'_>>, Vec<LineProblem>) {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut problems = Vec::new();
    let mut in_entry = false;
    let mut block = Block::None;
    for (number, raw) in numbered_lines(text) {
        let line = u32::try_from(number).unwrap_or(u32::MAX);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let mut problem = |message: String| problems.push((line, message));
        match (raw.len() - content.len(), in_entry) {
            (0, _) => {
                block = Block::None;
                in_entry = match header(content) {
                    Ok(descriptors) => {
                        entries.push(Entry {
                            descriptors,
                            line,
                            version: None,
                            resolved: None,
                            integrity: None,
                            dependencies: Vec::new(),
                        });
                        true
                    }
                    Err(message) => {
                        problem(format!("cannot read the entry header ({message}); entry skipped"));
                        false
                    }
                };
            }
            (2, true) => match field(content) {
                Ok(Field::Block(name)) => {
                    block = match name.as_ref() {
                        "dependencies" | "optionalDependencies" => Block::Dependencies,
                        _ => Block::Ignored,
                    }
                }
                Ok(Field::Value(name, value)) => {
                    block = Block::None;
                    if let Some(entry) = entries.last_mut() {
                        set_field(entry, &name, value);
                    }
                }
                Err(message) => problem(format!("cannot read the field ({message})")),
            },
            (4, true) if block == Block::Dependencies => match field(content) {
                Ok(Field::Value(name, range)) => {
                    if let Some(entry) = entries.last_mut() {
                        entry.dependencies.push((name, range));
                    }
                }
                Ok(Field::Block(_)) => problem("a dependency without a range".to_owned()),
                Err(message) => problem(format!("cannot read the dependency ({message})")),
            },
            (4, true) if block == Block::Ignored => {}
            (_, false) => {}
            (depth, true) => problem(format!("unexpected indentation of {depth} spaces")),
        }
    }
    (entries, problems)
}

fn set_field<'a>(entry: &mut Entry<'a>, name: &str, value: Cow<'a, str>) {
    match name {
        "version" => entry.version = Some(value),
        "resolved" => entry.resolved = Some(value),
        "integrity" => entry.integrity = Some(value),
        _ => {}
    }
}

/// An indentation-2 or -4 line: `name value`, or `name:` opening a block.
enum Field<'a> {
    Value(Cow<'a, str>, Cow<'a, str>),
    Block(Cow<'a, str>),
}

fn field(content: &str) -> Result<Field<'_>, String> {
    let (name, rest) = token(content)?;
    if rest == ":" {
        return Ok(Field::Block(name));
    }
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() {
        return Err(format!("`{name}` has no value"));
    }
    if rest.starts_with('"') {
        let (value, after) = token(rest)?;
        return match after.trim() {
            "" => Ok(Field::Value(name, value)),
            extra => Err(format!("unexpected `{extra}` after the value")),
        };
    }
    Ok(Field::Value(name, Cow::Borrowed(rest.trim_end())))
}

/// `a@^1, "b@^2":` → the descriptors.
fn header(content: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let mut descriptors = Vec::new();
    let mut rest = content;
    loop {
        let (descriptor, after) = token(rest)?;
        descriptors.push(descriptor);
        let after = after.trim_start_matches(' ');
        if let Some(next) = after.strip_prefix(',') {
            rest = next.trim_start_matches(' ');
        } else if after == ":" {
            return Ok(descriptors);
        } else {
            return Err("a header is descriptors separated by `,` and ending in `:`".to_owned());
        }
    }
}

/// One string at the start of `text`: double-quoted (JSON escapes), or bare up to a space,
/// `,` or a final `:`. Returns it and the text after it.
fn token(text: &str) -> Result<(Cow<'_, str>, &str), String> {
    if let Some(body) = text.strip_prefix('"') {
        return quoted(body);
    }
    let bytes = text.as_bytes();
    let end = bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b' ' || b == b',' || (b == b':' && text[i + 1..].trim_end().is_empty()))
        .map_or(text.len(), |(i, _)| i);
    if end == 0 {
        return Err("an empty name".to_owned());
    }
    Ok((Cow::Borrowed(&text[..end]), &text[end..]))
}

fn quoted(body: &str) -> Result<(Cow<'_, str>, &str), String> {
    let mut escaped = false;
    let mut has_escape = false;
    for (index, byte) in body.bytes().enumerate() {
        match byte {
            b'\\' if !escaped => {
                escaped = true;
                has_escape = true;
            }
            b'"' if !escaped => {
                let raw = &body[..index];
                let value = if has_escape { Cow::Owned(unescape(raw)?) } else { Cow::Borrowed(raw) };
                return Ok((value, &body[index + 1..]));
            }
            _ => escaped = false,
        }
    }
    Err("a quoted string is not closed".to_owned())
}

fn unescape(raw: &str) -> Result<String, String> {
    serde_json::from_str(&format!("\"{raw}\"")).map_err(|e| format!("bad escape in a quoted string: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_fields_and_blocks() {
        let text = "# yarn lockfile v1\n\n\n\"@s/a@^1.0.0\", \"@s/a@^1.1.0\":\n  version \"1.2.0\"\n  \
                    resolved \"https://r/@s/a/-/a-1.2.0.tgz#abc\"\n  integrity sha512-xyz==\n  dependencies:\n    \
                    b \"^2.0.0\"\n    \"@s/c\" \"npm:d@~3\"\n  optionalDependencies:\n    e \"1\"\n\nb@^2.0.0:\n  \
                    version \"2.0.1\"\r\n  uid \"\"\n";
        let (entries, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries.len(), 2);
        let a = &entries[0];
        assert_eq!(a.descriptors, ["@s/a@^1.0.0", "@s/a@^1.1.0"]);
        assert_eq!(a.line, 4);
        assert_eq!(a.version.as_deref(), Some("1.2.0"));
        assert_eq!(a.integrity.as_deref(), Some("sha512-xyz=="));
        let deps: Vec<(&str, &str)> = a.dependencies.iter().map(|(n, r)| (n.as_ref(), r.as_ref())).collect();
        assert_eq!(deps, [("b", "^2.0.0"), ("@s/c", "npm:d@~3"), ("e", "1")]);
        assert_eq!(entries[1].descriptors, ["b@^2.0.0"]);
        assert_eq!(entries[1].version.as_deref(), Some("2.0.1"));
    }

    #[test]
    fn escapes_in_quoted_strings() {
        let (entries, problems) = parse("\"a@\\\"x\\\"\":\n  version \"1\"\n");
        assert!(problems.is_empty());
        assert_eq!(entries[0].descriptors, ["a@\"x\""]);
    }

    #[test]
    fn broken_lines_are_problems_and_the_rest_is_read() {
        let text = "\"a@^1:\n  version \"1.0.0\"\n\nb@^1:\n  version \"1.0.0\n   odd\n  dependencies:\n    \
                    c\n\nd@1 e@1:\n  version \"1\"\n\nf@1:\n  version \"1.0.0\"\n";
        let (entries, problems) = parse(text);
        let names: Vec<&str> = entries.iter().map(|e| e.descriptors[0].as_ref()).collect();
        assert_eq!(names, ["b@^1", "f@1"]);
        let lines: Vec<u32> = problems.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 5, 6, 8, 10], "{problems:?}");
        assert_eq!(entries[0].version, None);
        assert_eq!(entries[1].version.as_deref(), Some("1.0.0"));
    }
}
