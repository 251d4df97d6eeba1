//! Line numbers of lockfile entries, found by one pass over the raw text: the position of
//! each entry's key at its indentation. YAML and JSON parsers hand back values without
//! positions, so the adapters look the lines up here by key.

use std::borrow::Cow;
use std::collections::HashMap;

/// The keys of a block of a lockfile, each with its 1-based line.
pub type KeyLines<'a> = HashMap<Cow<'a, str>, u32>;

/// The lines of the keys written at `indent` spaces in a block-style YAML file (as pnpm and
/// yarn write them): within the top-level `section` (`packages:`), or across the whole file
/// when `section` is `None` (top-level keys).
pub fn yaml_keys<'a>(text: &'a str, section: Option<&str>, indent: usize) -> KeyLines<'a> {
    keys(text, section, 0, indent, yaml_key)
}

/// The lines of the keys written at `indent` spaces inside the object that the key `section`
/// opens at `indent - 2` spaces in a pretty-printed JSON file (bun's `"packages": {`).
pub fn json_keys<'a>(text: &'a str, section: &str, indent: usize) -> KeyLines<'a> {
    keys(text, Some(section), indent.saturating_sub(2), indent, json_key)
}

fn keys<'a>(
    text: &'a str,
    section: Option<&str>,
    section_indent: usize,
    indent: usize,
    key_of: fn(&'a str) -> Option<Cow<'a, str>>,
) -> KeyLines<'a> {
    let mut found = HashMap::new();
    let mut inside = section.is_none();
    for (number, line) in text.split('\n').enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') || content.starts_with('\r') {
            continue;
        }
        let depth = line.len() - content.len();
        if let Some(section) = section {
            if depth <= section_indent {
                inside = depth == section_indent && key_of(content).is_some_and(|k| k == section);
                continue;
            }
        }
        if inside && depth == indent {
            if let Some(key) = key_of(content) {
                found.entry(key).or_insert(u32::try_from(number + 1).unwrap_or(u32::MAX));
            }
        }
    }
    found
}

/// The key of a YAML `key:` line: plain, 'single-quoted' or "double-quoted".
fn yaml_key(content: &str) -> Option<Cow<'_, str>> {
    let (key, rest) = match content.as_bytes().first()? {
        b'\'' => single_quoted(content)?,
        b'"' => double_quoted(content)?,
        _ => {
            let end = content
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ' | b'\r')))?;
            (Cow::Borrowed(&content[..end]), &content[end..])
        }
    };
    rest.starts_with(':').then_some(key)
}

/// The key of a JSON `"key": value` line.
fn json_key(content: &str) -> Option<Cow<'_, str>> {
    let (key, rest) = double_quoted(content)?;
    rest.trim_start().starts_with(':').then_some(key)
}

fn single_quoted(content: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = content.strip_prefix('\'')?;
    let mut end = 0;
    loop {
        end += body[end..].find('\'')?;
        if body[end + 1..].starts_with('\'') {
            end += 2;
        } else {
            let key = &body[..end];
            let key =
                if key.contains("''") { Cow::Owned(key.replace("''", "'")) } else { Cow::Borrowed(key) };
            return Some((key, &body[end + 1..]));
        }
    }
}

fn double_quoted(content: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = content.strip_prefix('"')?;
    let mut escaped = false;
    for (index, byte) in body.bytes().enumerate() {
        match byte {
            b'\\' if !escaped => escaped = true,
            b'"' if !escaped => {
                let key = &body[..index];
                let key = if key.contains('\\') { Cow::Owned(unescape(key)) } else { Cow::Borrowed(key) };
                return Some((key, &body[index + 1..]));
            }
            _ => escaped = false,
        }
    }
    None
}

/// Undoes the escapes that lockfile keys can hold (`\"`, `\\`, `\/`).
fn unescape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_sections_and_quoting() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies: {}\n\npackages:\n\n  \
                    '@scope/a@1.0.0':\n    resolution: {integrity: x}\n\n  b@2.0.0(c@1.0.0):\n    x: 1\n  \
                    'it''s@1':\n    x: 1\n\nsnapshots:\n\n  b@2.0.0(c@1.0.0):\n    x: 1\n";
        let packages = yaml_keys(text, Some("packages"), 2);
        assert_eq!(packages.len(), 3);
        assert_eq!(packages["@scope/a@1.0.0"], 10);
        assert_eq!(packages["b@2.0.0(c@1.0.0)"], 13);
        assert_eq!(packages["it's@1"], 15);
        assert_eq!(yaml_keys(text, Some("snapshots"), 2)["b@2.0.0(c@1.0.0)"], 20);
        assert_eq!(yaml_keys(text, Some("importers"), 2)["."], 5);
    }

    #[test]
    fn yaml_top_level_keys() {
        let text = "# comment\n__metadata:\n  version: 8\n\n\"a@npm:^1, a@npm:^1.1\":\n  version: 1.1.0\r\nb@npm:1:\n";
        let keys = yaml_keys(text, None, 0);
        assert_eq!(keys["__metadata"], 2);
        assert_eq!(keys["a@npm:^1, a@npm:^1.1"], 5);
        assert_eq!(keys["b@npm:1"], 7);
    }

    #[test]
    fn json_object_keys() {
        let text =
            "{\n  \"workspaces\": {\n    \"\": {},\n  },\n  \"packages\": {\n    \"a\": [\"a@1\"],\n\n    \
                    \"a/b\\\"c\": [\"b@1\"],\n  }\n}\n";
        let keys = json_keys(text, "packages", 4);
        assert_eq!(keys.len(), 2);
        assert_eq!(keys["a"], 6);
        assert_eq!(keys["a/b\"c"], 8);
    }
}
