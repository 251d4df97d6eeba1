//! Variable substitution as Docker Compose and Dockerfiles do it: `$NAME`, `${NAME}`,
//! `${NAME:-default}`, `${NAME-default}`, `${NAME:+alternative}`, `${NAME+alternative}`,
//! `${NAME:?error}`, `${NAME?error}`, with nesting in the words (`${A:-${B:-x}}`).
//!
//! Compose escapes a dollar as `$$`; a Dockerfile escapes with its escape character (`\` or
//! the one its `# escape=` directive names) and removes quotes as its shell-like lexer does.
//! Written by hand: no crate implements either dialect; the grammar is small.
//!
//! A variable with neither a value nor a default is not guessed: it expands to nothing (as both
//! tools do) and is listed in [`Expansion::unset`], so the caller can report the result as
//! unresolved.

use std::collections::HashMap;

/// Which tool's rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Docker Compose: `$$` is a literal dollar; quotes are plain characters.
    Compose,
    /// A Dockerfile word: the escape character escapes, quotes group and are removed.
    Dockerfile {
        /// `\` unless a `# escape=` directive says otherwise.
        escape: char,
    },
}

/// The result of expanding one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The text after substitution.
    pub value: String,
    /// Variables that were needed but had neither a value nor a default, in order of use.
    pub unset: Vec<String>,
    /// Template errors: `${X:?message}` with `X` unset, an unclosed `${`, an unknown operator.
    pub errors: Vec<String>,
}

impl Expansion {
    /// Whether the value is complete: every variable had a value or a default.
    pub fn is_resolved(&self) -> bool {
        self.unset.is_empty() && self.errors.is_empty()
    }
}

/// Expands `input` with `vars` (a name absent from `vars` is unset; present with `""` is set
/// and empty).
pub(crate) fn expand(input: &str, vars: &HashMap<String, String>, syntax: Syntax) -> Expansion {
    let mut expander = Expander { vars, syntax, unset: Vec::new(), errors: Vec::new() };
    let value = expander.word(input);
    Expansion { value, unset: expander.unset, errors: expander.errors }
}

struct Expander<'v> {
    vars: &'v HashMap<String, String>,
    syntax: Syntax,
    unset: Vec<String>,
    errors: Vec<String>,
}

impl Expander<'_> {
    fn escape(&self) -> Option<char> {
        match self.syntax {
            Syntax::Compose => None,
            Syntax::Dockerfile { escape } => Some(escape),
        }
    }

    fn word(&mut self, input: &str) -> String {
        let mut out = String::with_capacity(input.len());
        let mut in_double = false;
        let mut rest = input;
        while let Some(c) = rest.chars().next() {
            let after = &rest[c.len_utf8()..];
            rest = match c {
                '$' => self.dollar(after, &mut out),
                '\'' if self.escape().is_some() && !in_double => self.single_quoted(after, &mut out),
                '"' if self.escape().is_some() => {
                    in_double = !in_double;
                    after
                }
                _ if Some(c) == self.escape() => Self::escaped(c, after, in_double, &mut out),
                _ => {
                    out.push(c);
                    after
                }
            };
        }
        if in_double {
            self.errors.push("unterminated double quote".to_owned());
        }
        out
    }

    fn single_quoted<'s>(&mut self, after: &'s str, out: &mut String) -> &'s str {
        match after.split_once('\'') {
            Some((quoted, rest)) => {
                out.push_str(quoted);
                rest
            }
            None => {
                self.errors.push("unterminated single quote".to_owned());
                out.push_str(after);
                ""
            }
        }
    }

    /// A Dockerfile escape: outside quotes it makes the next character literal; inside double
    /// quotes only before `"`, `$` or the escape character itself.
    fn escaped<'s>(escape: char, after: &'s str, in_double: bool, out: &mut String) -> &'s str {
        match after.chars().next() {
            Some(next) => {
                if in_double && !matches!(next, '"' | '$') && next != escape {
                    out.push(escape);
                }
                out.push(next);
                &after[next.len_utf8()..]
            }
            None => {
                out.push(escape);
                after
            }
        }
    }

    /// Handles what follows a `$`; returns the rest of the input.
    fn dollar<'s>(&mut self, after: &'s str, out: &mut String) -> &'s str {
        match after.chars().next() {
            Some('$') if self.syntax == Syntax::Compose => {
                out.push('$');
                &after[1..]
            }
            Some('{') => self.braced(&after[1..], out),
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let end = after.find(|c: char| c != '_' && !c.is_ascii_alphanumeric()).unwrap_or(after.len());
                let value = self.lookup(&after[..end]).unwrap_or_default();
                out.push_str(&value);
                &after[end..]
            }
            _ if self.syntax == Syntax::Compose => {
                self.errors.push("invalid template: '$' must be followed by a name, '{' or '$'".to_owned());
                after
            }
            _ => {
                out.push('$');
                after
            }
        }
    }

    /// Handles `${…}`; `inside` starts after the brace.
    fn braced<'s>(&mut self, inside: &'s str, out: &mut String) -> &'s str {
        let Some(close) = matching_brace(inside, self.escape()) else {
            self.errors.push(format!("unclosed '${{' in \"${{{inside}\""));
            return "";
        };
        let body = &inside[..close];
        let name_end = body.find(|c: char| c != '_' && !c.is_ascii_alphanumeric()).unwrap_or(body.len());
        let (name, operation) = body.split_at(name_end);
        let starts_well = name.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic());
        if !starts_well {
            self.errors.push(format!("invalid variable name in \"${{{body}}}\""));
        } else if let Some(value) = self.operate(name, operation) {
            out.push_str(&value);
        }
        &inside[close + 1..]
    }

    /// Applies `operation` (empty, or `:-word`, `-word`, …) to the variable `name`.
    fn operate(&mut self, name: &str, operation: &str) -> Option<String> {
        let value = self.vars.get(name).map(String::as_str);
        let (colon, operation) = match operation.strip_prefix(':') {
            Some(rest) => (true, rest),
            None => (false, operation),
        };
        let is_set = if colon { value.is_some_and(|v| !v.is_empty()) } else { value.is_some() };
        let mut chars = operation.chars();
        let operator = chars.next();
        let word = chars.as_str();
        match operator {
            None if !colon => self.lookup(name),
            Some('-') if is_set => value.map(str::to_owned),
            Some('-') => Some(self.word(word)),
            Some('+') if is_set => Some(self.word(word)),
            Some('+') => Some(String::new()),
            Some('?') if is_set => value.map(str::to_owned),
            Some('?') => {
                let message = self.word(word);
                let message = if message.is_empty() { format!("{name} is required") } else { message };
                self.errors.push(format!("required variable {name} is not set: {message}"));
                None
            }
            _ => {
                self.errors.push(format!(
                    "unsupported expansion \"${{{name}{}{operation}}}\"",
                    if colon { ":" } else { "" }
                ));
                None
            }
        }
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        match self.vars.get(name) {
            Some(value) => Some(value.clone()),
            None => {
                if !self.unset.iter().any(|known| known == name) {
                    self.unset.push(name.to_owned());
                }
                None
            }
        }
    }
}

/// The byte index of the `}` that closes a `${` whose body starts at `inside`, counting nested
/// `${…}` and skipping escaped characters.
fn matching_brace(inside: &str, escape: Option<char>) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = inside.char_indices();
    while let Some((index, c)) = chars.next() {
        if Some(c) == escape {
            chars.next();
        } else if c == '$' && inside[index + 1..].starts_with('{') {
            depth += 1;
            chars.next();
        } else if c == '}' {
            if depth == 0 {
                return Some(index);
            }
            depth -= 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSE: Syntax = Syntax::Compose;
    const DOCKERFILE: Syntax = Syntax::Dockerfile { escape: '\\' };

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn compose_forms() {
        let vars = vars(&[("TAG", "8.0"), ("EMPTY", ""), ("REG", "quay.io")]);
        let cases = [
            ("mysql:${TAG}", "mysql:8.0"),
            ("mysql:$TAG", "mysql:8.0"),
            ("mysql:${MISSING:-8.4}", "mysql:8.4"),
            ("mysql:${EMPTY:-8.4}", "mysql:8.4"),
            ("mysql:${EMPTY-8.4}x", "mysql:x"),
            ("mysql:${MISSING-8.4}", "mysql:8.4"),
            ("${REG:+$REG/}app", "quay.io/app"),
            ("${MISSING:+x/}app", "app"),
            ("${EMPTY+set}", "set"),
            ("${MISSING:-${REG:-docker.io}}/app", "quay.io/app"),
            ("${MISSING:-${ALSO_MISSING:-docker.io}}/app", "docker.io/app"),
            ("price: $$5", "price: $5"),
            ("${TAG:?tag is required}", "8.0"),
            ("'${TAG}'", "'8.0'"),
        ];
        for (input, expected) in cases {
            let expansion = expand(input, &vars, COMPOSE);
            assert_eq!(expansion.value, expected, "{input}");
            assert!(expansion.is_resolved(), "{input}: {expansion:?}");
        }
    }

    #[test]
    fn unset_variables_without_default_are_listed_once() {
        let expansion = expand("${A}:${B}-$A", &HashMap::new(), COMPOSE);
        assert_eq!(expansion.value, ":-");
        assert_eq!(expansion.unset, ["A", "B"]);
        assert!(!expansion.is_resolved());
    }

    #[test]
    fn defaults_that_are_not_used_are_not_expanded() {
        let expansion = expand("${A:-$UNSET}", &vars(&[("A", "x")]), COMPOSE);
        assert_eq!(expansion.value, "x");
        assert!(expansion.is_resolved());
    }

    #[test]
    fn template_errors() {
        let none = HashMap::new();
        let required = expand("${TAG:?set TAG in .env}", &none, COMPOSE);
        assert_eq!(required.errors, ["required variable TAG is not set: set TAG in .env"]);
        let plain_required = expand("${TAG?}", &none, COMPOSE);
        assert_eq!(plain_required.errors, ["required variable TAG is not set: TAG is required"]);
        assert_eq!(expand("${TAG", &none, COMPOSE).errors, ["unclosed '${' in \"${TAG\""]);
        assert_eq!(expand("${1}", &none, COMPOSE).errors, ["invalid variable name in \"${1}\""]);
        assert_eq!(expand("${A/x/y}", &none, COMPOSE).errors, ["unsupported expansion \"${A/x/y}\""]);
        assert_eq!(expand("a $ b", &none, COMPOSE).errors.len(), 1);
    }

    #[test]
    fn dockerfile_words_remove_quotes_and_escapes() {
        let vars = vars(&[("PY", "3.12"), ("V", "1")]);
        let cases = [
            ("python:${PY}-slim", "python:3.12-slim"),
            ("\"python:$PY\"", "python:3.12"),
            ("'python:$PY'", "python:$PY"),
            ("python:\\$PY", "python:$PY"),
            ("a$", "a$"),
            ("cost $ 5", "cost $ 5"),
            ("\"a\\b\"", "a\\b"),
            ("${V:-\"x y\"}", "1"),
            ("${MISSING:-\"x y\"}", "x y"),
        ];
        for (input, expected) in cases {
            let expansion = expand(input, &vars, DOCKERFILE);
            assert_eq!(expansion.value, expected, "{input}");
            assert!(expansion.is_resolved(), "{input}: {expansion:?}");
        }
        let backtick = expand("a`$PY", &vars, Syntax::Dockerfile { escape: '`' });
        assert_eq!(backtick.value, "a$PY");
        assert_eq!(expand("'open", &vars, DOCKERFILE).errors, ["unterminated single quote"]);
        assert_eq!(expand("\"open", &vars, DOCKERFILE).errors, ["unterminated double quote"]);
    }
}
