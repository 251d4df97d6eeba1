//! The `.env` file Docker Compose reads beside a compose file: `KEY=VALUE` lines, `export`
//! prefixes, comments, single quotes (literal), double quotes (escapes, may span lines) and
//! `${VAR}` references to earlier keys in unquoted and double-quoted values.
//!
//! Written by hand: the `dotenv` crates load into the process environment or differ from
//! Compose's rules on quotes and interpolation; this format is a few lines.

use std::collections::HashMap;

use crate::containers::interpolate::{expand, Syntax};
use crate::finding::{Location, Problem};

/// The variables of a `.env` text, and the lines that could not be read.
pub(crate) fn parse(text: &str, path: &str) -> (HashMap<String, String>, Vec<Problem>) {
    let mut vars = HashMap::new();
    let mut problems = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let statement = trimmed.strip_prefix("export ").map_or(trimmed, str::trim_start);
        let Some((key, raw)) = statement.split_once('=') else {
            let message = format!("expected KEY=VALUE, found {trimmed:?}");
            problems.push(Problem { location: Location::line(path, line_number), message });
            continue;
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            let message = format!("{key:?} is not a variable name");
            problems.push(Problem { location: Location::line(path, line_number), message });
            continue;
        }
        match value(raw.trim_start(), &mut lines, &vars) {
            Ok(value) => {
                vars.insert(key.to_owned(), value);
            }
            Err(message) => problems.push(Problem { location: Location::line(path, line_number), message }),
        }
    }
    (vars, problems)
}

/// Reads one value; a double-quoted value may continue on the following lines.
fn value<'t>(
    raw: &'t str,
    lines: &mut impl Iterator<Item = (usize, &'t str)>,
    vars: &HashMap<String, String>,
) -> Result<String, String> {
    if let Some(quoted) = raw.strip_prefix('\'') {
        return match quoted.split_once('\'') {
            Some((literal, _)) => Ok(literal.to_owned()),
            None => Err("single-quoted value is not closed".to_owned()),
        };
    }
    if let Some(quoted) = raw.strip_prefix('"') {
        let mut body = String::new();
        let mut rest = quoted;
        loop {
            if let Some(end) = closing_quote(rest) {
                body.push_str(&rest[..end]);
                return Ok(substitute(&unescape(&body), vars));
            }
            body.push_str(rest);
            body.push('\n');
            rest = lines.next().ok_or("double-quoted value is not closed")?.1;
        }
    }
    let unquoted = match raw.find(" #") {
        Some(comment) => &raw[..comment],
        None => raw,
    };
    Ok(substitute(unquoted.trim_end(), vars))
}

/// The index of the first `"` not preceded by a backslash.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(index),
            _ => escaped = false,
        }
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// References to keys not defined above are left as written: the shell environment, which
/// could define them, is not read.
fn substitute(value: &str, vars: &HashMap<String, String>) -> String {
    let expansion = expand(value, vars, Syntax::Compose);
    if expansion.is_resolved() {
        expansion.value
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compose_env_forms() {
        let text =
            "# comment\n\nMYSQL_TAG=8.0\nexport REDIS_TAG = 7.2 # inline comment\nQ1='lit ${MYSQL_TAG}'\n\
                    Q2=\"v${MYSQL_TAG}\\t.\"\nMULTI=\"a\nb\"\nEMPTY=\nHASH=a#b\n";
        let (vars, problems) = parse(text, ".env");
        assert_eq!(problems, []);
        assert_eq!(vars["MYSQL_TAG"], "8.0");
        assert_eq!(vars["REDIS_TAG"], "7.2");
        assert_eq!(vars["Q1"], "lit ${MYSQL_TAG}");
        assert_eq!(vars["Q2"], "v8.0\t.");
        assert_eq!(vars["MULTI"], "a\nb");
        assert_eq!(vars["EMPTY"], "");
        assert_eq!(vars["HASH"], "a#b");
    }

    #[test]
    fn unknown_references_stay_as_written() {
        let (vars, _) = parse("A=${HOME}/x\n", ".env");
        assert_eq!(vars["A"], "${HOME}/x");
    }

    #[test]
    fn bad_lines_are_problems_with_their_line() {
        let (vars, problems) = parse("GOOD=1\nnot a pair\nBAD KEY=1\nOPEN='x\nLAST=\"y\n", "deploy/.env");
        assert_eq!(vars.len(), 1);
        let lines: Vec<_> = problems.iter().map(|p| p.location.to_string()).collect();
        assert_eq!(lines, ["deploy/.env:2", "deploy/.env:3", "deploy/.env:4", "deploy/.env:5"]);
    }
}
