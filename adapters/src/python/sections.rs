//! TOML lockfiles read one `[[package]]` at a time.
//!
//! Poetry, uv and PEP 751 locks are long arrays of tables. The text is cut before each
//! top-level header (`[[package]]`, `[metadata]`…): a `[[package]]` section runs to the next
//! top-level header and keeps its own sub-tables (`[package.dependencies]`,
//! `[[packages.wheels]]`). Each section is valid TOML on its own, so
//!
//! - a broken package (bad syntax or a field of the wrong type) costs that package only: it is
//!   a [`Problem`] with its line, and the rest of the file is still read;
//! - every package knows its line without a second scan;
//! - a large lock is parsed on all cores (the `toml` crate reads some 50 MB/s, and a uv lock
//!   with every wheel listed runs to megabytes).
//!
//! A header inside a multi-line string would cut a section wrongly; lockfile writers do not
//! put one there, and if one did the affected sections would fail to parse and be reported.
//!
//! Before parsing, [`cut_hash_arrays`] can take the long per-file hash arrays out of each entry
//! through the fast path of [`super::hash_arrays`].

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Deserialize;

use super::hash_arrays;
use crate::adapter::ParseError;
use crate::finding::{Hash, Problem};

/// Above this size the entry sections are parsed in parallel.
const PARALLEL_BYTES: usize = 256 * 1024;

/// One top-level section of a TOML file.
#[derive(Debug, Clone)]
pub(crate) struct Section<'t> {
    /// The 1-based line where the section starts.
    pub line: u32,
    /// Its text, header included; owned once [`cut_hash_arrays`] has emptied an array in it.
    pub text: Cow<'t, str>,
    /// Whether it is an entry of the array being read (`[[package]]`).
    pub is_entry: bool,
    /// The hashes [`cut_hash_arrays`] took out of the text.
    pub cut_hashes: Vec<Hash>,
}

impl<'t> Section<'t> {
    fn new(line: u32, text: &'t str, is_entry: bool) -> Self {
        Self { line, text: Cow::Borrowed(text), is_entry, cut_hashes: Vec::new() }
    }
}

/// Cuts `text` before each top-level header; `array` names the array of tables whose entries
/// are sections of their own (`package`). Headers of its sub-tables (`[package.x]`,
/// `[[package.x]]`) stay in the entry.
pub(crate) fn sections<'t>(text: &'t str, array: &str) -> Vec<Section<'t>> {
    let mut sections = Vec::new();
    let mut start = 0;
    let mut start_line = 1u32;
    let mut is_entry = false;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(header) = header_key(line) {
            let sub_table = header.strip_prefix(array).is_some_and(|rest| rest.starts_with('.'));
            if !sub_table {
                if offset > start {
                    sections.push(Section::new(start_line, &text[start..offset], is_entry));
                }
                start = offset;
                start_line = u32::try_from(index + 1).unwrap_or(u32::MAX);
                is_entry = header == array && line.trim_start().starts_with("[[");
            }
        }
        offset += line.len();
    }
    if offset > start {
        sections.push(Section::new(start_line, &text[start..offset], is_entry));
    }
    sections
}

/// The key of a table header line (`[a.b]`, `[[a]]` → `a.b`, `a`), spaces removed.
fn header_key(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = line
        .strip_prefix("[[")
        .map(|rest| (rest, "]]"))
        .or_else(|| line.strip_prefix('[').map(|rest| (rest, "]")));
    let (rest, close) = inner?;
    let end = rest.find(close)?;
    let after = rest[end + close.len()..].trim_start();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    Some(rest[..end].chars().filter(|c| !c.is_whitespace()).collect())
}

/// Takes the array `key = [...]` out of every entry where the fast path can read it (in
/// parallel for a large file), keeping its hashes in [`Section::cut_hashes`].
pub(crate) fn cut_hash_arrays(sections: &mut [Section<'_>], key: &str) {
    let cut_one = |section: &mut Section<'_>| {
        if section.is_entry {
            if let Some((text, hashes)) = hash_arrays::cut(&section.text, key) {
                section.text = Cow::Owned(text);
                section.cut_hashes = hashes;
            }
        }
    };
    if total_size(sections) > PARALLEL_BYTES {
        sections.par_iter_mut().for_each(cut_one);
    } else {
        sections.iter_mut().for_each(cut_one);
    }
}

fn total_size(sections: &[Section<'_>]) -> usize {
    sections.iter().map(|s| s.text.len()).sum()
}

/// Parses one section; an error's line is the line in the whole file.
pub(crate) fn parse<'s, T: Deserialize<'s>>(path: &str, section: &'s Section<'_>) -> Result<T, ParseError> {
    toml::from_str(&section.text).map_err(|error| {
        let mut error = ParseError::from_toml(path, &section.text, &error);
        if let Some(line) = error.location.line {
            error.location.line = Some(line.saturating_add(section.line - 1));
        }
        error
    })
}

/// Parses every entry section (in parallel for a large file), in file order, each with its
/// section; a section that fails is a problem.
pub(crate) fn parse_entries<'s, 't, T>(
    path: &str,
    sections: &'s [Section<'t>],
    problems: &mut Vec<Problem>,
) -> Vec<(&'s Section<'t>, T)>
where
    T: Deserialize<'s> + Send,
{
    let entries: Vec<&'s Section<'t>> = sections.iter().filter(|s| s.is_entry).collect();
    let parse_one = |section: &&'s Section<'t>| (*section, parse::<T>(path, section));
    let results: Vec<(&Section<'t>, Result<T, ParseError>)> = if total_size(sections) > PARALLEL_BYTES {
        entries.par_iter().map(parse_one).collect()
    } else {
        entries.iter().map(parse_one).collect()
    };
    let mut parsed = Vec::with_capacity(results.len());
    for (section, result) in results {
        match result {
            Ok(entry) => parsed.push((section, entry)),
            Err(error) => problems.push(Problem {
                location: error.location,
                message: format!("entry skipped: {}", error.message),
            }),
        }
    }
    parsed
}

/// Parses the sections that are not entries, for the file's other tables; an error there is
/// an error of the whole file.
pub(crate) fn parse_others<'s, T: Deserialize<'s>>(
    path: &str,
    sections: &'s [Section<'_>],
) -> Result<Vec<T>, ParseError> {
    sections.iter().filter(|s| !s.is_entry).map(|s| parse(path, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;

    #[test]
    fn cut_before_top_level_headers_keeping_sub_tables() {
        let text = "version = 1\n[[package]]\nname = 'a'\n[package.metadata]\nx = 1\n[[ package ]] # b\nname = 'b'\n[[package.wheels]]\n[metadata]\nlock = 1\n";
        let cut = sections(text, "package");
        let summary: Vec<(u32, bool)> = cut.iter().map(|s| (s.line, s.is_entry)).collect();
        assert_eq!(summary, vec![(1, false), (2, true), (6, true), (9, false)]);
        assert_eq!(cut[1].text, "[[package]]\nname = 'a'\n[package.metadata]\nx = 1\n");
        assert_eq!(cut.iter().map(|s| s.text.as_ref()).collect::<String>(), text, "nothing is lost");
    }

    #[test]
    fn a_table_named_like_the_array_is_not_an_entry() {
        let cut = sections("[packages]\nx = 1\n[[packages]]\n", "package");
        assert!(cut.iter().all(|s| !s.is_entry));
    }

    #[test]
    fn errors_carry_the_line_in_the_whole_file() {
        let text = "[[package]]\nname = 'a'\n[[package]]\nname = 'b\n";
        let mut problems = Vec::new();
        #[derive(Deserialize)]
        struct Doc {
            package: Vec<toml::Table>,
        }
        let cut = sections(text, "package");
        let parsed: Vec<(&Section<'_>, Doc)> = parse_entries("l.toml", &cut, &mut problems);
        assert_eq!(parsed.len(), 1);
        assert_eq!((parsed[0].0.line, parsed[0].1.package.len()), (1, 1));
        assert_eq!(problems[0].location, Location::line("l.toml", 4));
    }
}
