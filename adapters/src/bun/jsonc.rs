//! bun.lock is JSONC: JSON that allows trailing commas (and comments). serde_json does not
//! accept those, so this blanks them to spaces first. Every other byte stays where it was, so
//! serde_json's line and column in an error still point into the original file, and the file
//! is then read with serde_json into typed structs — faster and with better error positions
//! than the JSON5 crates, which build a generic value tree (`json5`, pest-based) or need their
//! own tree walked (`jsonc-parser`).

/// The text with trailing commas and comments replaced by spaces (newlines kept).
pub fn blank_trailing_commas_and_comments(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'"' => index = end_of_string(&bytes, index),
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                let end = bytes[index..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| index + p);
                blank(&mut bytes[index..end]);
                index = end;
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                let end = find(&bytes, index + 2, b"*/").map_or(bytes.len(), |p| p + 2);
                blank(&mut bytes[index..end]);
                index = end;
            }
            b',' => {
                if matches!(next_significant(&bytes, index + 1), Some(b'}' | b']')) {
                    bytes[index] = b' ';
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
    // Only ASCII bytes were replaced, by ASCII spaces (a comment's multi-byte characters
    // become several spaces), so the bytes are still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The index just past the string that opens at `start`.
fn end_of_string(bytes: &[u8], start: usize) -> usize {
    let mut index = start + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'"' => return index + 1,
            _ => index += 1,
        }
    }
    bytes.len()
}

/// The next byte after `from` that is not whitespace or inside a comment.
fn next_significant(bytes: &[u8], from: usize) -> Option<u8> {
    let mut index = from;
    while index < bytes.len() {
        match bytes[index] {
            b' ' | b'\t' | b'\r' | b'\n' => index += 1,
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                index = bytes[index..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| index + p);
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index = find(bytes, index + 2, b"*/").map_or(bytes.len(), |p| p + 2);
            }
            byte => return Some(byte),
        }
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn blank(bytes: &mut [u8]) {
    for byte in bytes.iter_mut().filter(|b| **b != b'\n') {
        *byte = b' ';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_commas_and_comments_become_spaces() {
        let text = "{\n  \"a\": [1, 2,],\n  // note, with a comma,\n  \"b\": \"x,]\", /* c, */\n}\n";
        let json = blank_trailing_commas_and_comments(text);
        assert_eq!(json.len(), text.len());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], "x,]", "commas inside strings stay");
        assert_eq!(json.lines().count(), text.lines().count());
    }

    #[test]
    fn escaped_quotes_and_unclosed_input() {
        let json = blank_trailing_commas_and_comments("[\"a\\\",]\",]");
        assert_eq!(json, "[\"a\\\",]\" ]");
        assert_eq!(blank_trailing_commas_and_comments("[\"open,]"), "[\"open,]");
        assert_eq!(blank_trailing_commas_and_comments("[1, /* open"), "[1,        ");
    }
}
