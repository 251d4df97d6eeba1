//! From a version, tag or range as a file writes it to the release cycle it belongs to.
//!
//! Written by hand: no crate reads the mix of semver ranges, PEP 440 specifiers, nvm aliases,
//! container tags and distribution versions that tool files and image references hold, and the
//! matching against a dataset's cycle names, labels and codenames is shelflife's own rule.

use std::cmp::Ordering;

use super::product::Cycle;

/// What a version string asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requested {
    /// A version (or tag) to look up, with a note when it was derived from a range.
    Version {
        /// The text to match against the cycles (`3.11.7`, `1.25-alpine`, `iron`).
        text: String,
        /// How the text was derived, when it is not the version as written.
        note: Option<String>,
    },
    /// No version can be told: the lifecycle cannot be known.
    Unpinned {
        /// Why.
        reason: String,
    },
}

/// Words that name a moving channel, not a release.
const CHANNELS: &[&str] =
    &["latest", "stable", "current", "mainline", "edge", "rolling", "node", "system", "lts", "lts/*", "*"];

/// Words that name a pre-release channel: never a release cycle.
const PRERELEASE_CHANNELS: &[&str] = &["nightly", "beta", "canary", "rc", "dev", "next", "insiders"];

/// Reads a version as written in a lockfile, tool file or image reference.
pub fn interpret(raw: Option<&str>) -> Requested {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return unpinned("no version or tag given");
    };
    let text = text.split_once("@sha256:").map_or(text, |(tag, _)| tag);
    if text.is_empty() || text.starts_with("sha256:") {
        return unpinned("pinned by digest only; the tag that names the version is unknown");
    }
    let lower = text.to_ascii_lowercase();
    if CHANNELS.contains(&lower.as_str()) {
        return unpinned(&format!("`{text}` follows a moving channel"));
    }
    if let Some(codename) = lower.strip_prefix("lts/") {
        return Requested::Version {
            text: codename.to_owned(),
            note: Some(format!("`{text}` names the LTS line `{codename}`")),
        };
    }
    let first_word = lower.split(['-', '/']).next().unwrap_or_default();
    if CHANNELS.contains(&first_word) {
        return unpinned(&format!("`{text}` follows a moving channel"));
    }
    if PRERELEASE_CHANNELS.contains(&first_word) {
        return unpinned(&format!("`{text}` is a pre-release channel, not a release cycle"));
    }
    if is_range(text) {
        return lowest_of_range(text);
    }
    Requested::Version { text: text.to_owned(), note: None }
}

fn unpinned(reason: &str) -> Requested {
    Requested::Unpinned { reason: format!("unpinned: lifecycle cannot be known ({reason})") }
}

/// Whether `text` is a range or wildcard rather than one version.
fn is_range(text: &str) -> bool {
    text.contains(['>', '<', '^', '~', '=', '*', ',', '|'])
        || text.contains(" - ")
        || text.split('.').any(|segment| segment.eq_ignore_ascii_case("x"))
}

/// The lowest version a range allows: the smallest lower bound over its `||` alternatives.
fn lowest_of_range(range: &str) -> Requested {
    let lowest = range.split("||").filter_map(lower_bound).min_by(|a, b| compare_versions(a, b));
    match lowest {
        Some(version) => Requested::Version {
            note: Some(format!("version range `{range}`: the lowest allowed version, {version}, is used")),
            text: version,
        },
        None => unpinned(&format!("version range `{range}` has no lower bound")),
    }
}

/// The lower bound of one alternative of a range (`>=3.9, <4`, `^18`, `~> 3.2`, `1.2 - 1.4`,
/// `3.11.*`), or `None` when it has none.
fn lower_bound(alternative: &str) -> Option<String> {
    let alternative = alternative.split(" - ").next().unwrap_or(alternative);
    alternative
        .split([',', ' '])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter_map(|part| {
            if part.starts_with('<') || part.starts_with("!=") {
                return None;
            }
            let version = part.trim_start_matches(['>', '=', '^', '~']).trim_start_matches(['v', 'V']);
            let cut = version.split('.').take_while(|s| !matches!(*s, "*" | "x" | "X")).collect::<Vec<_>>();
            let version = cut.join(".");
            version.starts_with(|c: char| c.is_ascii_digit()).then_some(version)
        })
        .min_by(|a, b| compare_versions(a, b))
}

/// Compares dotted versions segment by segment, numerically where both are numbers.
fn compare_versions(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// The outcome of looking a version up among a product's cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The cycle the version belongs to.
    Found(&'a Cycle),
    /// The text holds no version at all (an image tag such as `alpine`).
    NoVersion,
    /// A version that no cycle matches.
    NoMatch,
}

/// Finds the cycle `version` belongs to.
///
/// The whole text is tried first (Windows Server `23h2-ac`, SQL Server `2016 SP3`); then the
/// version core (without a `v`/`go`/`ltsc` prefix, an epoch, and any suffix after `-`, `+`, `_`)
/// from its longest to its shortest prefix on `.` boundaries. At each step a cycle matches by
/// name, label or codename; failing that, a single cycle whose name is the prefix followed by
/// `-` (`23h2` → `23h2-ac`).
pub fn find_cycle<'a>(cycles: &'a [Cycle], version: &str, product_names: &[&str]) -> Lookup<'a> {
    let whole = normalise(version);
    if let Some(cycle) = match_exact(cycles, &whole) {
        return Lookup::Found(cycle);
    }
    let core = version_core(version, product_names);
    if core.is_empty() {
        return Lookup::NoVersion;
    }
    for prefix in prefixes(&core) {
        if let Some(cycle) = match_exact(cycles, &prefix).or_else(|| match_dash_prefix(cycles, &prefix)) {
            return Lookup::Found(cycle);
        }
    }
    if core.chars().any(|c| c.is_ascii_digit()) {
        Lookup::NoMatch
    } else {
        Lookup::NoVersion
    }
}

/// Lower case, with runs of white space as one `-`.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("-").to_ascii_lowercase()
}

/// The version proper: prefixes (`v`, `go`, `ltsc`, the product's own name), an epoch (`1:`)
/// and suffixes (`-alpine`, `+build`, `_9`) removed.
fn version_core(version: &str, product_names: &[&str]) -> String {
    let lower = version.trim().to_ascii_lowercase();
    let without_epoch = match lower.split_once(':') {
        Some((epoch, rest)) if epoch.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => &lower,
    };
    let mut core = without_epoch;
    let prefixes = ["v", "go", "ltsc"].into_iter().chain(product_names.iter().copied());
    for prefix in prefixes {
        if let Some(rest) = core.strip_prefix(prefix).filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        {
            core = rest;
            break;
        }
    }
    let end = core.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).unwrap_or(core.len());
    core[..end].trim_end_matches('.').to_owned()
}

/// The prefixes of `core` on `.` boundaries, longest first; where a last segment starts with
/// digits and goes on with letters (`11rc1`), its digits alone are tried next.
fn prefixes(core: &str) -> Vec<String> {
    let segments: Vec<&str> = core.split('.').collect();
    let mut out = Vec::with_capacity(segments.len() * 2);
    for length in (1..=segments.len()).rev() {
        let joined = segments[..length].join(".");
        let last = segments[length - 1];
        let digits = last.len() - last.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push(joined);
        if digits > 0 && digits < last.len() {
            let mut shortened = segments[..length - 1].to_vec();
            shortened.push(&last[..digits]);
            out.push(shortened.join("."));
        }
    }
    out
}

/// A cycle whose name, label, label's leading number or codename is `key` (normalised),
/// tried in that order over all cycles. Compared without allocating: this runs for every
/// prefix of every mapped component's version.
fn match_exact<'a>(cycles: &'a [Cycle], key: &str) -> Option<&'a Cycle> {
    cycles
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(key))
        .or_else(|| cycles.iter().find(|c| c.label.as_deref().is_some_and(|l| equals_normalised(l, key))))
        .or_else(|| cycles.iter().find(|c| c.label.as_deref().is_some_and(|l| leading_number_is(l, key))))
        .or_else(|| cycles.iter().find(|c| c.codename.as_deref().is_some_and(|n| codename_matches(n, key))))
}

/// Whether `text`, lower-cased, without `'` and with white space runs as `-`, equals `key`.
fn equals_normalised(text: &str, key: &str) -> bool {
    let mut expected = key.chars();
    let words = text.split_whitespace().map(|w| w.trim_matches('\'')).filter(|w| !w.is_empty());
    for (index, word) in words.enumerate() {
        if index > 0 && expected.next() != Some('-') {
            return false;
        }
        if !word.chars().filter(|c| *c != '\'').all(|c| expected.next() == Some(c.to_ascii_lowercase())) {
            return false;
        }
    }
    expected.next().is_none()
}

/// Whether the label's first word is a number equal to `key` (`2022` of `2022 'Dallas'`).
fn leading_number_is(label: &str, key: &str) -> bool {
    let first = label.split_whitespace().next().unwrap_or_default().trim_matches('\'');
    let first = first.split('-').next().unwrap_or_default();
    first.starts_with(|c: char| c.is_ascii_digit()) && first.eq_ignore_ascii_case(key)
}

fn codename_matches(codename: &str, key: &str) -> bool {
    equals_normalised(codename, key)
        || codename.split_whitespace().next().is_some_and(|first| first.eq_ignore_ascii_case(key))
}

/// The one cycle named `key-…`, if exactly one is.
fn match_dash_prefix<'a>(cycles: &'a [Cycle], key: &str) -> Option<&'a Cycle> {
    let mut candidates = cycles.iter().filter(|c| {
        c.name.len() > key.len() + 1
            && c.name.get(..key.len()).is_some_and(|head| head.eq_ignore_ascii_case(key))
            && c.name.as_bytes().get(key.len()) == Some(&b'-')
    });
    let first = candidates.next()?;
    candidates.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests;
