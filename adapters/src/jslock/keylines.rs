//! Line numbers of lockfile entries, found by one pass over the raw text: the position of
//! each entry's key at its indentation. YAML and JSON parsers hand back values without
//! positions, so the adapters look the lines up here by key.

use std::borrow::Cow;

use super::{numbered_lines, FastMap};

/// The keys of a block of a lockfile, each with its 1-based line.
pub type KeyLines<'a> = FastMap<Cow<'a, str>, u32>;

/// The lines of the top-level keys of a block-style YAML file (yarn Berry's entries).
pub fn yaml_top_level_keys(text: &str) -> KeyLines<'_> {
    scan(text, None, 0, yaml_key).remove("").unwrap_or_default()
}

/// The lines of the keys written at `indent` spaces under each top-level key of a
/// block-style YAML file (pnpm's `importers:`, `packages:`, `snapshots:`), by section, in
/// one pass.
pub fn yaml_section_keys(text: &str, indent: usize) -> FastMap<Cow<'_, str>, KeyLines<'_>> {
    scan(text, Some(0), indent, yaml_key)
}

/// The lines of the keys written at `indent` spaces inside the object that the key `section`
/// opens at `indent - 2` spaces in a pretty-printed JSON file (bun's `"packages": {`).
pub fn json_keys<'a>(text: &'a str, section: &str, indent: usize) -> KeyLines<'a> {
    scan(text, Some(indent.saturating_sub(2)), indent, json_key).remove(section).unwrap_or_default()
}

/// Keys at `indent`, grouped by the key at `section_indent` they are under (all under `""`
/// when there are no sections).
fn scan<'a>(
    text: &'a str,
    section_indent: Option<usize>,
    indent: usize,
    key_of: fn(&'a str) -> Option<Cow<'a, str>>,
) -> FastMap<Cow<'a, str>, KeyLines<'a>> {
    let mut sections: FastMap<Cow<'a, str>, KeyLines<'a>> = FastMap::default();
    let mut current: Option<Cow<'a, str>> = section_indent.is_none().then_some(Cow::Borrowed(""));
    for (number, line) in numbered_lines(text) {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') || content.starts_with('\r') {
            continue;
        }
        let depth = line.len() - content.len();
        if let Some(section_indent) = section_indent {
            if depth <= section_indent {
                current = if depth == section_indent { key_of(content) } else { None };
                continue;
            }
        }
        if let (Some(section), true) = (&current, depth == indent) {
            if let Some(key) = key_of(content) {
                let line = u32::try_from(number).unwrap_or(u32::MAX);
                sections.entry(section.clone()).or_default().entry(key).or_insert(line);
            }
        }
    }
    sections
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
        let sections = yaml_section_keys(text, 2);
        let packages = &sections["packages"];
        assert_eq!(packages.len(), 3);
        assert_eq!(packages["@scope/a@1.0.0"], 10);
        assert_eq!(packages["b@2.0.0(c@1.0.0)"], 13);
        assert_eq!(packages["it's@1"], 15);
        assert_eq!(sections["snapshots"]["b@2.0.0(c@1.0.0)"], 20);
        assert_eq!(sections["importers"]["."], 5);
    }

    #[test]
    fn top_level_keys_of_yaml() {
        let text = "# comment\n__metadata:\n  version: 8\n\n\"a@npm:^1, a@npm:^1.1\":\n  version: 1.1.0\r\nb@npm:1:\n";
        let keys = yaml_top_level_keys(text);
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
