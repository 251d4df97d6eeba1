//! Small text helpers: the lines of JSON object keys, and lexical joining of `/`-separated
//! display paths.
//!
//! `serde_json` does not report where a member of a deserialised object starts; the scan here
//! recovers the lines of a `Pipfile.lock`'s packages cheaply, in one pass over the text.

use std::collections::HashMap;

/// The lines of the keys of the objects nested one level inside the top-level JSON object:
/// `(outer key, inner key) → line`, keys as written between their quotes (escapes not
/// decoded). Not a validator: the text is parsed by `serde_json` as well.
pub(crate) fn json_member_lines(text: &str) -> HashMap<(&str, &str), u32> {
    let bytes = text.as_bytes();
    let mut lines = HashMap::new();
    let mut depth = 0usize;
    let mut line = 1u32;
    let mut outer_key: &str = "";
    let mut last_string: Option<&str> = None;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\n' => line += 1,
            b'"' => {
                let end = string_end(bytes, index + 1);
                last_string = text.get(index + 1..end);
                index = end;
            }
            b':' => {
                if let Some(key) = last_string.take() {
                    match depth {
                        1 => outer_key = key,
                        2 => {
                            lines.insert((outer_key, key), line);
                        }
                        _ => {}
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if byte != b'"' && !byte.is_ascii_whitespace() && byte != b':' {
            last_string = None;
        }
        index += 1;
    }
    lines
}

/// The index of the closing quote of a JSON string whose content starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut index = start;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\\' => index += 2,
            b'"' => return index,
            _ => index += 1,
        }
    }
    bytes.len()
}

/// Joins `relative` onto the directory of the display path `from` (`/`-separated), resolving
/// `.` and `..` lexically. An absolute `relative` stands for itself.
pub(crate) fn join_display(from: &str, relative: &str) -> String {
    let relative = relative.replace('\\', "/");
    if relative.starts_with('/') {
        return relative;
    }
    let mut parts: Vec<&str> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').filter(|p| !p.is_empty()).collect(),
        None => Vec::new(),
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_of_the_second_level_with_their_lines() {
        let text = "{\n \"_meta\": {\"hash\": {\"a\": 1}},\n \"default\": {\n  \"x\\\"y\": {\"version\": \"==1\"},\n  \"requests\": {}\n }\n}";
        let lines = json_member_lines(text);
        assert_eq!(lines.get(&("default", "requests")), Some(&5));
        assert_eq!(lines.get(&("default", "x\\\"y")), Some(&4));
        assert_eq!(lines.get(&("_meta", "hash")), Some(&2));
        assert_eq!(lines.get(&("default", "version")), None, "third-level keys are not listed");
    }

    #[test]
    fn display_paths_join_lexically() {
        assert_eq!(join_display("app/requirements.txt", "../common/base.txt"), "common/base.txt");
        assert_eq!(join_display("requirements.txt", "./dev.txt"), "dev.txt");
        assert_eq!(join_display("requirements.txt", "../x.txt"), "../x.txt");
        assert_eq!(join_display("a/b.txt", "/etc/c.txt"), "/etc/c.txt");
    }
}
