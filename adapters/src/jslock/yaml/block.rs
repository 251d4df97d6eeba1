//! A reader for the block-style YAML subset that pnpm (js-yaml) and yarn Berry write, about
//! five times faster than the YAML crates (libyaml ports and pure-Rust parsers alike read
//! 30–40 MB/s here: 13–20 ms for a 1,700-package lockfile, most of a scan's budget).
//!
//! What it reads: block mappings and sequences by indentation, plain, 'single-' and
//! "double-quoted" scalars, one-line flow mappings and sequences (`{integrity: sha512-...}`,
//! `[darwin]`), and comments. Anything else — anchors, aliases, tags, block scalars (`|`, `>`),
//! multi-line scalars or flow collections, escapes other than `\"`, `\\` and `\/`, tabs,
//! several documents — is [`Unsupported`], and the caller then reads the file with a full
//! YAML parser. So this reader never has to be right about YAML it does not know: it only
//! has to be right about what it accepts, which the differential tests check on real
//! lockfiles.

use std::borrow::Cow;

use crate::jslock::numbered_lines;

/// A YAML node, borrowing from the text where it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    /// A plain scalar as written; typed (null, boolean, text) when it is read.
    Plain(&'a str),
    /// A quoted scalar, unescaped: always text.
    Quoted(Cow<'a, str>),
    /// A mapping, in file order.
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
    /// A sequence.
    Seq(Vec<Node<'a>>),
}

/// Why the text is outside the subset (or not valid YAML): the 1-based line and what was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The line.
    pub line: usize,
    /// What was met there.
    pub what: &'static str,
}

/// Reads a whole document.
pub fn parse(text: &str) -> Result<Node<'_>, Unsupported> {
    let mut lines = Vec::new();
    for (number, raw) in numbered_lines(text) {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let line = Line { number, indent: raw.len() - content.len(), content };
        if content.starts_with('\t') {
            return Err(line.unsupported("a tab in indentation"));
        }
        if line.indent == 0
            && (content.starts_with("---") || content.starts_with("...") || content.starts_with('%'))
        {
            return Err(line.unsupported("a document marker or directive"));
        }
        lines.push(line);
    }
    let mut parser = Parser { lines, position: 0, depth: 0 };
    let Some(first) = parser.peek() else { return Ok(Node::Plain("")) };
    if first.indent != 0 {
        return Err(first.unsupported("an indented first line"));
    }
    let node = parser.block(0)?;
    match parser.peek() {
        Some(line) => Err(line.unsupported("unexpected indentation")),
        None => Ok(node),
    }
}

#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    content: &'a str,
}

impl Line<'_> {
    fn unsupported(&self, what: &'static str) -> Unsupported {
        Unsupported { line: self.number, what }
    }
}

/// How deeply collections may nest (lockfiles nest four or five levels): deeper input goes to
/// the full parser, which has its own limit, instead of deepening this reader's recursion.
const MAX_DEPTH: usize = 32;

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    position: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.position).copied()
    }

    fn block(&mut self, indent: usize) -> Result<Node<'a>, Unsupported> {
        let line = self.peek();
        if self.depth >= MAX_DEPTH {
            let number = line.map_or(0, |l| l.number);
            return Err(Unsupported { line: number, what: "nesting deeper than this reader goes" });
        }
        self.depth += 1;
        let node = match line {
            Some(line) if is_sequence_item(line.content) => self.sequence(indent),
            _ => self.mapping(indent),
        };
        self.depth -= 1;
        node
    }

    fn mapping(&mut self, indent: usize) -> Result<Node<'a>, Unsupported> {
        let mut entries = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_sequence_item(line.content) {
                return Err(line.unsupported("unexpected indentation or sequence item"));
            }
            let (key, rest) = block_key(line.content).map_err(|what| line.unsupported(what))?;
            self.position += 1;
            let value = self.value_after(line, rest)?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }

    fn sequence(&mut self, indent: usize) -> Result<Node<'a>, Unsupported> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_sequence_item(line.content)) {
                break;
            }
            if line.indent > indent {
                return Err(line.unsupported("unexpected indentation in a sequence"));
            }
            let rest = line.content[1..].trim_start_matches(' ');
            self.position += 1;
            items.push(self.value_after(line, rest)?);
        }
        Ok(Node::Seq(items))
    }

    /// The value of a `key:` or `-` line: inline after it, or the block below it.
    fn value_after(&mut self, line: Line<'a>, rest: &'a str) -> Result<Node<'a>, Unsupported> {
        let next = self.peek();
        if rest.is_empty() || rest.starts_with('#') {
            return match next {
                Some(next) if next.indent > line.indent => self.block(next.indent),
                Some(next)
                    if next.indent == line.indent
                        && is_sequence_item(next.content)
                        && !is_sequence_item(line.content) =>
                {
                    self.sequence(line.indent)
                }
                _ => Ok(Node::Plain("")),
            };
        }
        if next.is_some_and(|next| next.indent > line.indent) {
            return Err(line.unsupported("a value over several lines"));
        }
        inline_value(rest).map_err(|what| line.unsupported(what))
    }
}

fn is_sequence_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// A block mapping key and the text after its `:`.
fn block_key(content: &str) -> Result<(Cow<'_, str>, &str), &'static str> {
    let (key, rest) = match content.as_bytes().first() {
        Some(b'\'' | b'"') => quoted(content)?,
        Some(b'?' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'{' | b'[') => {
            return Err("a key this reader does not take")
        }
        _ => {
            let end = plain_end(content).ok_or("a line that is not `key: value`")?;
            (Cow::Borrowed(content[..end].trim_end()), &content[end..])
        }
    };
    let rest = rest.strip_prefix(':').ok_or("a key without `:`")?;
    if !(rest.is_empty() || rest.starts_with(' ')) || key == "<<" {
        return Err("a key this reader does not take");
    }
    Ok((key, rest.trim_start_matches(' ')))
}

/// Where a plain block key ends: at the first `:` followed by a space or the line's end.
fn plain_end(content: &str) -> Option<usize> {
    content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ')))
}

/// A value written on the same line as its key.
fn inline_value(text: &str) -> Result<Node<'_>, &'static str> {
    match text.as_bytes().first() {
        Some(b'{' | b'[') => {
            let (node, rest) = flow(text, 0)?;
            end_of_line(rest).map(|()| node)
        }
        Some(b'"' | b'\'') => {
            let (value, rest) = quoted(text)?;
            end_of_line(rest).map(|()| Node::Quoted(value))
        }
        Some(b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`') => {
            Err("a value this reader does not take")
        }
        _ => {
            let value = text[..comment_start(text)].trim_end();
            match plain_end(value) {
                Some(_) => Err("a `:` that would start a mapping"),
                None => Ok(Node::Plain(value)),
            }
        }
    }
}

/// Where a comment (` #`) starts in a plain value, or its end.
fn comment_start(text: &str) -> usize {
    memchr::memchr_iter(b'#', text.as_bytes())
        .find(|&i| i > 0 && text.as_bytes()[i - 1] == b' ')
        .unwrap_or(text.len())
}

/// Only spaces or a comment may follow a complete value.
fn end_of_line(rest: &str) -> Result<(), &'static str> {
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with('#') {
        Ok(())
    } else {
        Err("text after a value")
    }
}

/// A flow mapping or sequence that opens at the start of `text`, and the text after it.
fn flow(text: &str, depth: usize) -> Result<(Node<'_>, &str), &'static str> {
    if depth >= MAX_DEPTH {
        return Err("nesting deeper than this reader goes");
    }
    let (is_map, close) = if text.starts_with('{') { (true, b'}') } else { (false, b']') };
    let mut rest = &text[1..];
    let mut entries = Vec::new();
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start_matches(' ');
        match rest.as_bytes().first() {
            None => return Err("a flow collection over several lines"),
            Some(&b) if b == close => break,
            _ => {}
        }
        if is_map {
            let (key, after) = flow_scalar(rest, true)?;
            let after = after.trim_start_matches(' ').strip_prefix(':').ok_or("a flow key without `:`")?;
            let (value, after) = flow_value(after.trim_start_matches(' '), depth)?;
            let key = match key {
                Node::Plain(key) => Cow::Borrowed(key),
                Node::Quoted(key) => key,
                _ => return Err("a collection as a key"),
            };
            entries.push((key, value));
            rest = after;
        } else {
            let (value, after) = flow_value(rest, depth)?;
            items.push(value);
            rest = after;
        }
        rest = rest.trim_start_matches(' ');
        match rest.as_bytes().first() {
            Some(b',') => rest = &rest[1..],
            Some(&b) if b == close => break,
            _ => return Err("a flow collection this reader does not take"),
        }
    }
    let node = if is_map { Node::Map(entries) } else { Node::Seq(items) };
    Ok((node, &rest[1..]))
}

fn flow_value(text: &str, depth: usize) -> Result<(Node<'_>, &str), &'static str> {
    match text.as_bytes().first() {
        Some(b'{' | b'[') => flow(text, depth + 1),
        _ => flow_scalar(text, false),
    }
}

/// A scalar inside a flow collection: quoted, or plain up to `,`, `]`, `}` (or `:` for a key).
fn flow_scalar(text: &str, is_key: bool) -> Result<(Node<'_>, &str), &'static str> {
    match text.as_bytes().first() {
        Some(b'"' | b'\'') => quoted(text).map(|(value, rest)| (Node::Quoted(value), rest)),
        Some(b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'?') => {
            Err("a value this reader does not take")
        }
        _ => {
            let stops: &[char] = if is_key { &[',', ']', '}', ':'] } else { &[',', ']', '}'] };
            let end = text.find(stops).unwrap_or(text.len());
            Ok((Node::Plain(text[..end].trim_end()), &text[end..]))
        }
    }
}

/// A quoted scalar at the start of `text` (which starts with `'` or `"`), and the text after.
pub fn quoted(text: &str) -> Result<(Cow<'_, str>, &str), &'static str> {
    let quote = text.as_bytes().first().copied().ok_or("an empty value")?;
    let body = &text[1..];
    let mut owned: Option<String> = None;
    let mut start = 0;
    let mut index = 0;
    let bytes = body.as_bytes();
    while index < bytes.len() {
        let byte = bytes[index];
        if quote == b'\'' && byte == b'\'' && bytes.get(index + 1) == Some(&b'\'') {
            owned.get_or_insert_with(String::new).push_str(&body[start..=index]);
            index += 2;
            start = index;
        } else if quote == b'"' && byte == b'\\' {
            let unescaped = match bytes.get(index + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                _ => return Err("an escape sequence this reader does not take"),
            };
            let buffer = owned.get_or_insert_with(String::new);
            buffer.push_str(&body[start..index]);
            buffer.push(unescaped);
            index += 2;
            start = index;
        } else if byte == quote {
            let value = match owned {
                Some(mut buffer) => {
                    buffer.push_str(&body[start..index]);
                    Cow::Owned(buffer)
                }
                None => Cow::Borrowed(&body[..index]),
            };
            return Ok((value, &body[index + 1..]));
        } else {
            index += 1;
        }
    }
    Err("a quoted value over several lines")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<'a>(entries: Vec<(&'a str, Node<'a>)>) -> Node<'a> {
        Node::Map(entries.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect())
    }

    #[test]
    fn the_pnpm_and_yarn_subset() {
        let text = "# comment\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@s/a':\n        \
                    specifier: ^1.0.0 # trailing\n        version: 1.0.0(b@2.0.0)\n\npackages:\n  \"x@npm:1, x@npm:^1\":\n    \
                    resolution: {integrity: sha512-AB/c==, tarball: 'https://h/x.tgz'}\n    os: [darwin, 'linux']\n    \
                    empty: {}\n    list:\n    - a\n    - \"b\\\"c\"\n    nothing:\n    it's: 'it''s'\n";
        let expected = map(vec![
            ("lockfileVersion", Node::Quoted("9.0".into())),
            (
                "importers",
                map(vec![(
                    ".",
                    map(vec![(
                        "dependencies",
                        map(vec![(
                            "@s/a",
                            map(vec![
                                ("specifier", Node::Plain("^1.0.0")),
                                ("version", Node::Plain("1.0.0(b@2.0.0)")),
                            ]),
                        )]),
                    )]),
                )]),
            ),
            (
                "packages",
                map(vec![(
                    "x@npm:1, x@npm:^1",
                    map(vec![
                        (
                            "resolution",
                            map(vec![
                                ("integrity", Node::Plain("sha512-AB/c==")),
                                ("tarball", Node::Quoted("https://h/x.tgz".into())),
                            ]),
                        ),
                        ("os", Node::Seq(vec![Node::Plain("darwin"), Node::Quoted("linux".into())])),
                        ("empty", Node::Map(vec![])),
                        ("list", Node::Seq(vec![Node::Plain("a"), Node::Quoted("b\"c".into())])),
                        ("nothing", Node::Plain("")),
                        ("it's", Node::Quoted("it's".into())),
                    ]),
                )]),
            ),
        ]);
        assert_eq!(parse(text), Ok(expected));
    }

    #[test]
    fn what_it_leaves_to_a_full_parser() {
        let cases = [
            ("a: &x 1\n", 1),
            ("a: *x\n", 1),
            ("a: !tag 1\n", 1),
            ("a: |\n  text\n", 1),
            ("a: plain\n  continued\n", 1),
            ("a: {b: 1,\n  c: 2}\n", 1),
            ("a: 'open\n  close'\n", 1),
            ("a: \"tab\\t\"\n", 1),
            ("---\na: 1\n", 1),
            ("a:\n\t- 1\n", 2),
            ("a:\n  - b: 1\n", 2),
            ("? complex\n: value\n", 1),
            ("a: 1\n  b: 2\n", 1),
            ("a: 1\nnot a mapping\n", 2),
            ("a: 1 trailing: 2\n", 1),
            ("'@bad: 1\n", 1),
        ];
        for (text, line) in cases {
            assert_eq!(parse(text).map_err(|e| e.line), Err(line), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_left_to_the_full_parser() {
        let flow = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse(&flow).is_err());
        let block: String = (0..100).map(|depth| format!("{}k:\n", "  ".repeat(depth))).collect();
        assert_eq!(parse(&block).map_err(|e| e.what), Err("nesting deeper than this reader goes"));
        let shallow: String = (0..10).map(|depth| format!("{}k:\n", "  ".repeat(depth))).collect();
        assert!(parse(&shallow).is_ok());
    }

    #[test]
    fn empty_documents_are_null() {
        assert_eq!(parse(""), Ok(Node::Plain("")));
        assert_eq!(parse("# only a comment\n\n"), Ok(Node::Plain("")));
    }
}
