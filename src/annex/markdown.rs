//! Text from the inventory made safe for the annex's pandoc markdown, whatever it holds: a
//! package name with a pipe, a backtick, `<script>` or a line break cannot end a table cell,
//! open raw HTML, a code span, a citation, math, a shortcode or a list. Written by hand: no crate
//! escapes for pandoc's markdown, whose rules are those of the pandoc manual (every ASCII
//! punctuation character can be escaped with a backslash; `_` between letters or digits is not
//! emphasis).
//!
//! Every value the template prints goes through [`inline`] unless a filter has marked it safe:
//! the `yaml` filter (a YAML string for the front matter, whose values pandoc reads as markdown)
//! and the `code` filter (an inline code span).

/// Characters escaped wherever they are.
const ALWAYS: &[char] =
    &['\\', '`', '*', '[', ']', '<', '>', '|', '$', '@', '#', '~', '^', '&', '{', '}', '!', '"', '\''];

/// Characters escaped when doubled (`--`, `...`, `::`, `==`, `++`): dashes, ellipses, fenced
/// divs, highlights.
const WHEN_REPEATED: &[char] = &['-', '.', ':', '=', '+'];

/// Characters escaped at the start of the text, where they could open a block (list, definition,
/// title block).
const AT_START: &[char] = &['-', '+', ':', '%'];

/// Text as inline markdown that reads as exactly that text: control characters (line breaks,
/// tabs) become spaces, the ends are trimmed, and every character that could mean something is
/// escaped.
pub fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let start = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(chars.len());
    let end = chars.iter().rposition(|c| !c.is_whitespace()).map_or(start, |i| i + 1);
    let chars = &chars[start..end];
    let mut out = String::with_capacity(text.len() + 8);
    for (index, &c) in chars.iter().enumerate() {
        let before = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let after = chars.get(index + 1).copied();
        if needs_escape(c, before, after, chars, index) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn needs_escape(c: char, before: Option<char>, after: Option<char>, chars: &[char], index: usize) -> bool {
    let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    ALWAYS.contains(&c)
        || (c == '_' && !(alphanumeric(before) && alphanumeric(after)))
        || (WHEN_REPEATED.contains(&c) && (before == Some(c) || after == Some(c)))
        || (index == 0 && AT_START.contains(&c))
        || ((c == '.' || c == ')')
            && index > 0
            && chars[..index].iter().all(char::is_ascii_digit)
            && after.is_none_or(char::is_whitespace))
}

/// Text as a YAML double-quoted string holding [`inline`] markdown (pandoc reads front-matter
/// strings as markdown). JSON strings are YAML strings.
pub fn yaml(text: &str) -> String {
    serde_json::Value::String(inline(text)).to_string()
}

/// Text as an inline code span: fenced with one more backtick than its longest run of
/// backticks, padded with spaces where it starts or ends with one.
pub fn code(text: &str) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_and_versions_stay_readable() {
        for plain in ["serde_json", "1.0.203", "is-number", "pkg:npm/left-pad", "Node.js 20", "a_b_c"] {
            assert_eq!(inline(plain), plain);
        }
        assert_eq!(inline("@babel/core"), "\\@babel/core");
    }

    #[test]
    fn everything_that_could_mean_something_is_escaped() {
        assert_eq!(inline("a|b"), "a\\|b");
        assert_eq!(inline("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(inline("x`y"), "x\\`y");
        assert_eq!(inline("line\nbreak\r\tthere "), "line break  there");
        assert_eq!(inline("_em_ *strong*"), "\\_em\\_ \\*strong\\*");
        assert_eq!(inline("[link](http://x)"), "\\[link\\](http://x)");
        assert_eq!(inline("$x$ {{< kbd >}}"), "\\$x\\$ \\{\\{\\< kbd \\>\\}\\}");
        assert_eq!(inline("--- ..."), "\\-\\-\\- \\.\\.\\.");
        assert_eq!(inline("1. item"), "1\\. item");
        assert_eq!(inline("12) item"), "12\\) item");
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("::: {.callout}"), "\\:\\:\\: \\{.callout\\}");
        assert_eq!(inline("  \n"), "");
    }

    #[test]
    fn yaml_and_code() {
        assert_eq!(yaml("a \"b\" \\ c"), r#""a \\\"b\\\" \\\\ c""#);
        assert_eq!(code("shelflife annex ."), "`shelflife annex .`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
