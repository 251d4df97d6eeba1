//! Normalisation: a licence as a lockfile, manifest or registry states it (`Apache 2`,
//! `MIT/Apache-2.0`, `GPLv3+`, `License :: OSI Approved :: MIT License`, `UNLICENSED`) read as
//! an SPDX expression, with the original kept beside it.
//!
//! The steps, first match wins (docs/licences.qmd describes them for users):
//! 1. the whole text is a name in `data/licences/aliases.toml` (PyPI classifiers are read by
//!    their last part, after `License :: ` and `OSI Approved :: `);
//! 2. npm's `SEE LICENSE IN <file>` names no licence, only a file;
//! 3. the text is a valid SPDX expression as written;
//! 4. it is one once cargo's old `/` is read as `OR`, `+` on GNU licences as `-or-later` and
//!    deprecated identifiers are replaced;
//! 5. each term between `AND`, `OR`, `WITH` and parentheses is mapped on its own: an alias, an
//!    SPDX identifier in other letter case, a version spelled `v2`/` 2.0`/`version 2`, a
//!    trailing `License`, a `+` or `or later`, a `/` between two licences, and last the `spdx`
//!    crate's imprecise names (only where its match covers the whole term; the alias table
//!    overrides the crate where the crate guesses a version the name does not give, e.g. its
//!    `bsd` → BSD-2-Clause or `gpl` → GPL-2.0-only, or is wrong, e.g. its `gnu gpl v2` →
//!    GPL-3.0-only);
//! 6. else the licence is unknown, and the original text is kept.
//!
//! The term scanner in step 5 is hand-written: no crate reads the free-form spellings found in
//! the wild, and the `spdx` crate's lexer rejects a multi-word name outright.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use spdx::{Expression, ParseMode};

use super::data::{Alias, LicenceData};
use super::expr::{Expr, Licence};

/// How a declared licence was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// It was a valid SPDX expression as declared.
    Spdx,
    /// It was rewritten into an SPDX expression by the rules above.
    Mapped,
    /// It could not be read as a licence.
    Unknown,
}

/// A declared licence and what shelflife reads it as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Normalised {
    /// The text as declared.
    pub declared: String,
    /// The SPDX expression, unless the text names no licence shelflife can read.
    pub expression: Option<Expr>,
    /// How it was read.
    pub reading: Reading,
    /// What a reader should know: ambiguous names, replaced identifiers, why it is unknown.
    pub notes: Vec<String>,
}

impl Normalised {
    fn unknown(declared: &str, note: String) -> Self {
        Self { declared: declared.to_owned(), expression: None, reading: Reading::Unknown, notes: vec![note] }
    }
}

/// The lenient syntax of step 4: `/` as OR, `+` on GNU identifiers, deprecated identifiers;
/// no imprecise names (step 5 applies them term by term, after the alias table).
const LENIENT: ParseMode = ParseMode {
    allow_slash_as_or_operator: true,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: false,
};

/// The longest text read as a licence name; longer ones are licence texts.
const MAX_NAME_LENGTH: usize = 200;

/// Reads a declared licence.
pub fn normalise(data: &LicenceData, declared: &str) -> Normalised {
    let text = strip_quotes(declared.trim());
    if text.is_empty() {
        return Normalised::unknown(declared, "the licence is empty".into());
    }
    if text.contains('\n') || text.len() > MAX_NAME_LENGTH {
        return from_licence_text(data, declared, text);
    }
    if let Some(alias) = whole_text_alias(data, text) {
        return from_alias(declared, alias);
    }
    if let Some(file) = strip_prefix_ignore_case(text, "SEE LICENSE IN ") {
        return Normalised::unknown(
            declared,
            format!("npm: the package names no licence, only its file `{}`: read that file", file.trim()),
        );
    }
    if let Ok(parsed) =
        Expression::parse_mode(text, ParseMode { allow_deprecated: false, ..ParseMode::STRICT })
    {
        if let Some(expr) = Expr::from_spdx(&parsed) {
            return Normalised {
                declared: declared.to_owned(),
                expression: Some(expr),
                reading: Reading::Spdx,
                notes: vec![],
            };
        }
    }
    let mut notes = Vec::new();
    let rewritten = match lenient(data, text, &mut notes) {
        Some(expr) => Some(expr),
        None => by_terms(data, text, &mut notes),
    };
    match rewritten {
        Some(expr) => Normalised {
            declared: declared.to_owned(),
            expression: Some(expr),
            reading: Reading::Mapped,
            notes,
        },
        None => {
            notes.insert(0, format!("`{text}` is not an SPDX expression and no known spelling of one"));
            Normalised { declared: declared.to_owned(), expression: None, reading: Reading::Unknown, notes }
        }
    }
}

fn strip_quotes(text: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|&quote| text.strip_prefix(quote).and_then(|inner| inner.strip_suffix(quote)))
        .map_or(text, str::trim)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// A whole licence text (PyPI's `license` field often holds one): read by its first line when
/// that line is a known name, else unknown.
fn from_licence_text(data: &LicenceData, declared: &str, text: &str) -> Normalised {
    let first = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
    let length = text.chars().count();
    if let Some(alias) = whole_text_alias(data, first).filter(|alias| alias.expression.is_some()) {
        let mut read = from_alias(declared, alias);
        read.notes
            .insert(0, format!("a licence text of {length} characters, read by its first line `{first}`"));
        return read;
    }
    Normalised::unknown(
        declared,
        format!("a licence text of {length} characters, not a licence name: not read"),
    )
}

/// The alias for the whole text, or for a PyPI classifier's licence part.
fn whole_text_alias<'a>(data: &'a LicenceData, text: &str) -> Option<&'a Alias> {
    data.licence_alias(text).or_else(|| {
        let rest = strip_prefix_ignore_case(text, "License ::")?.trim();
        let rest = strip_prefix_ignore_case(rest, "OSI Approved ::").map_or(rest, str::trim);
        data.licence_alias(rest)
    })
}

fn from_alias(declared: &str, alias: &Alias) -> Normalised {
    let notes = alias.note.iter().cloned().collect();
    let expression = alias.expression.as_deref().and_then(|text| {
        let parsed = Expression::parse_mode(text, LENIENT).ok()?;
        Expr::from_spdx(&parsed)
    });
    let reading = if expression.is_some() { Reading::Mapped } else { Reading::Unknown };
    Normalised { declared: declared.to_owned(), expression, reading, notes }
}

/// Step 4: the lenient syntax, then deprecated identifiers replaced.
fn lenient(data: &LicenceData, text: &str, notes: &mut Vec<String>) -> Option<Expr> {
    let parsed = Expression::parse_mode(text, LENIENT).ok()?;
    if text.contains('/') {
        notes.push("`/` read as OR (cargo's old syntax)".into());
    }
    notes.extend(gnu_plus_notes(text));
    let expr = Expr::from_spdx(&parsed)?;
    Some(replace_deprecated(data, expr, notes))
}

/// What the parser did to a `+` after a GNU identifier (`GPL-2.0+` → `GPL-2.0-or-later`).
fn gnu_plus_notes(text: &str) -> Vec<String> {
    let words = text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '/'));
    words
        .filter_map(|word| {
            let base = word.strip_suffix('+')?;
            let id = spdx::license_id(base).filter(|id| id.is_gnu())?;
            let current = spdx::gnu_license_id(id.name.strip_suffix("-only").unwrap_or(id.name), true)?;
            Some(format!("deprecated `{word}` is `{}`", current.name))
        })
        .collect()
}

/// Replaces deprecated identifiers: GNU ones by their `-only`/`-or-later` form, others as
/// `aliases.toml` says.
fn replace_deprecated(data: &LicenceData, expr: Expr, notes: &mut Vec<String>) -> Expr {
    match expr {
        Expr::Licence(licence) => replace_licence(data, licence, notes),
        Expr::And(parts) => {
            flatten_and(parts.into_iter().map(|p| replace_deprecated(data, p, notes)).collect())
        }
        Expr::Or(parts) => {
            flatten_or(parts.into_iter().map(|p| replace_deprecated(data, p, notes)).collect())
        }
    }
}

fn replace_licence(data: &LicenceData, licence: Licence, notes: &mut Vec<String>) -> Expr {
    let Some(id) = spdx::license_id(&licence.id).filter(|id| id.is_deprecated()) else {
        return Expr::Licence(licence);
    };
    if id.is_gnu() {
        if let Some(current) = spdx::gnu_license_id(id.name, licence.or_later) {
            notes.push(format!("deprecated `{}` is `{}`", licence.id_with_plus(), current.name));
            return Expr::Licence(Licence { id: current.name.to_owned(), or_later: false, ..licence });
        }
    }
    let replacement = data
        .licence_alias(id.name)
        .and_then(|alias| alias.expression.as_deref())
        .and_then(|text| Expression::parse_mode(text, LENIENT).ok().as_ref().and_then(Expr::from_spdx));
    match replacement {
        Some(Expr::Licence(current)) if licence.exception.is_none() || current.exception.is_none() => {
            notes.push(format!("deprecated `{}` is `{current}`", licence.id));
            let exception = current.exception.clone().or(licence.exception);
            Expr::Licence(Licence { exception, ..current })
        }
        _ => {
            notes.push(format!("`{}` is a deprecated SPDX identifier", licence.id));
            Expr::Licence(licence)
        }
    }
}

fn flatten_and(parts: Vec<Expr>) -> Expr {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Expr::And(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    Expr::And(out)
}

fn flatten_or(parts: Vec<Expr>) -> Expr {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Expr::Or(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    Expr::Or(out)
}

/// A piece of a licence text as the term scanner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Open,
    Close,
    And,
    Or,
    With,
    Term(String),
}

/// Splits a text at parentheses and the operator words; the words between operators form one
/// term (`Apache License 2.0`). `or later` / `or any later version` after a term is a `+`.
fn pieces(text: &str) -> Vec<Piece> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut pieces = Vec::new();
    let mut term: Vec<&str> = Vec::new();
    let mut index = 0;
    while let Some(&word) = words.get(index) {
        let later = words.get(index..).map_or(0, or_later_length);
        if later > 0 && !term.is_empty() {
            term.push("+");
            index += later;
            continue;
        }
        let operator = match word.to_ascii_uppercase().as_str() {
            "(" => Some(Piece::Open),
            ")" => Some(Piece::Close),
            "AND" => Some(Piece::And),
            "OR" => Some(Piece::Or),
            "WITH" => Some(Piece::With),
            _ => None,
        };
        match operator {
            Some(operator) => {
                push_term(&mut pieces, &mut term);
                pieces.push(operator);
            }
            None => term.push(word),
        }
        index += 1;
    }
    push_term(&mut pieces, &mut term);
    pieces
}

/// How many words an `or later` phrase at the start of `words` takes (0: none).
fn or_later_length(words: &[&str]) -> usize {
    let lower: Vec<String> = words.iter().take(4).map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        ["or", "any", "later", "version", ..] => 4,
        ["or", "later", ..] | ["or", "newer", ..] => 2,
        _ => 0,
    }
}

fn push_term(pieces: &mut Vec<Piece>, term: &mut Vec<&str>) {
    if !term.is_empty() {
        let text = term.join(" ").replace(" +", "+");
        pieces.push(Piece::Term(text));
        term.clear();
    }
}

/// Step 5: each term mapped on its own, then the whole read with the lenient syntax.
fn by_terms(data: &LicenceData, text: &str, notes: &mut Vec<String>) -> Option<Expr> {
    let mut rebuilt = String::new();
    let mut pending_with = false;
    for piece in pieces(text) {
        match piece {
            Piece::Open => rebuilt.push('('),
            Piece::Close => rebuilt.push(')'),
            Piece::And => rebuilt.push_str(" AND "),
            Piece::Or => rebuilt.push_str(" OR "),
            Piece::With => pending_with = true,
            Piece::Term(term) if pending_with => {
                pending_with = false;
                match exception_term(data, &term) {
                    Some(exception) => rebuilt.push_str(&format!(" WITH {exception}")),
                    None => {
                        let licence = licence_term(data, &term, notes)?;
                        notes.push(format!("`{term}` is not an exception: read as AND"));
                        rebuilt.push_str(&format!(" AND {}", grouped(licence)));
                    }
                }
            }
            Piece::Term(term) => rebuilt.push_str(&grouped(licence_term(data, &term, notes)?)),
        }
    }
    let parsed = Expression::parse_mode(&rebuilt, LENIENT).ok()?;
    let expr = Expr::from_spdx(&parsed)?;
    Some(dedupe(replace_deprecated(data, expr, notes)))
}

/// A mapped term in parentheses where it is compound, so that it stays one operand.
fn grouped(text: String) -> String {
    if text.contains(' ') {
        format!("({text})")
    } else {
        text
    }
}

/// `A AND A` as `A` (a term and its alias's own expansion may repeat a licence).
fn dedupe(expr: Expr) -> Expr {
    match expr {
        Expr::And(parts) => {
            Expr::all_of(parts.into_iter().map(dedupe).collect()).unwrap_or(Expr::And(Vec::new()))
        }
        Expr::Or(parts) => {
            let mut unique: Vec<Expr> = Vec::new();
            for part in parts.into_iter().map(dedupe) {
                if !unique.contains(&part) {
                    unique.push(part);
                }
            }
            if unique.len() == 1 {
                unique.pop().unwrap_or(Expr::Or(Vec::new()))
            } else {
                Expr::Or(unique)
            }
        }
        licence => licence,
    }
}

/// One licence term as SPDX text, or `None` when it cannot be read.
fn licence_term(data: &LicenceData, term: &str, notes: &mut Vec<String>) -> Option<String> {
    if let Some(plain) = term.strip_suffix('+') {
        let mapped = licence_term(data, plain.trim_end(), notes)?;
        return single_identifier(&mapped).then(|| format!("{mapped}+"));
    }
    if let Some(alias) = data.licence_alias(term) {
        notes.extend(alias.note.iter().cloned());
        return alias.expression.clone();
    }
    if spdx::license_id(term).is_some() || term.starts_with("LicenseRef-") || term.starts_with("DocumentRef-")
    {
        return Some(term.to_owned());
    }
    if let Some(id) = identifier_ignoring_case(term) {
        return Some(id.to_owned());
    }
    if let Some(without) = strip_licence_word(term) {
        return licence_term(data, without, notes);
    }
    if let Some(id) = versioned_identifier(term) {
        return Some(id);
    }
    if term.contains('/') {
        let options: Option<Vec<String>> =
            term.split('/').map(|option| licence_term(data, option.trim(), notes)).collect();
        return options
            .map(|options| options.iter().map(|o| format!("({o})")).collect::<Vec<_>>().join(" OR "));
    }
    spdx::imprecise_license_id(term)
        .filter(|(_, length)| *length == term.len())
        .map(|(id, _)| id.name.to_owned())
}

/// Whether a mapped term is one identifier (that a `+` can follow).
fn single_identifier(text: &str) -> bool {
    !text.contains(' ') && !text.ends_with('+')
}

/// An exception term as SPDX text.
fn exception_term(data: &LicenceData, term: &str) -> Option<String> {
    if spdx::exception_id(term).is_some() || term.starts_with("AdditionRef-") {
        return Some(term.to_owned());
    }
    if let Some(expression) = data.exception_alias(term).and_then(|alias| alias.expression.clone()) {
        return Some(expression);
    }
    lowercase_index(Kind::Exception).get(&term.to_lowercase()).map(|&name| name.to_owned())
}

/// `License` or `Licence` as the last word (`MIT License`, `ISC Licence`).
fn strip_licence_word(term: &str) -> Option<&str> {
    let (head, last) = term.rsplit_once(' ')?;
    (last.eq_ignore_ascii_case("license") || last.eq_ignore_ascii_case("licence")).then_some(head.trim_end())
}

/// A name and a version spelled apart (`MPL 2.0`, `LGPLv2.1`, `Apache Version 2`, `EPL-2`),
/// joined as SPDX joins them, with `.0` added where the identifier needs it.
fn versioned_identifier(term: &str) -> Option<String> {
    let split_at = term.find(|c: char| c.is_ascii_digit())?;
    let (name, version) = term.split_at(split_at);
    if !version.chars().all(|c| c.is_ascii_digit() || c == '.') || version.ends_with('.') {
        return None;
    }
    let name = name.trim_end();
    let name = ["version", "ver.", "ver", "v.", "v", "-"]
        .iter()
        .find_map(|suffix| {
            let cut = name.len().checked_sub(suffix.len())?;
            name.get(cut..).filter(|tail| tail.eq_ignore_ascii_case(suffix)).map(|_| name[..cut].trim_end())
        })
        .unwrap_or(name)
        .trim_end_matches(['-', ',', ' ']);
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let candidates = [format!("{name}-{version}"), format!("{name}-{version}.0")];
    candidates.iter().find_map(|candidate| identifier_ignoring_case(candidate)).map(str::to_owned)
}

#[derive(Clone, Copy)]
enum Kind {
    Licence,
    Exception,
}

/// An SPDX licence identifier written in other letter case (`apache-2.0` → `Apache-2.0`).
fn identifier_ignoring_case(text: &str) -> Option<&'static str> {
    lowercase_index(Kind::Licence).get(&text.to_lowercase()).copied()
}

fn lowercase_index(kind: Kind) -> &'static HashMap<String, &'static str> {
    static LICENCES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    static EXCEPTIONS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    match kind {
        Kind::Licence => LICENCES.get_or_init(|| {
            spdx::identifiers::LICENSES.iter().map(|l| (l.name.to_lowercase(), l.name)).collect()
        }),
        Kind::Exception => EXCEPTIONS.get_or_init(|| {
            spdx::identifiers::EXCEPTIONS.iter().map(|e| (e.name.to_lowercase(), e.name)).collect()
        }),
    }
}

#[cfg(test)]
mod tests;
