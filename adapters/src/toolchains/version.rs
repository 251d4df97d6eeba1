//! Telling an exact version from a range or an alias: the `pinned` flag of every declared tool.

/// The number of dot-separated numbers an exact release of a semver-versioned tool has
/// (`20.11.0`; `20.11` and `20` name a release line, not a release).
pub const SEMVER_PARTS: usize = 3;

/// Whether `version` names one exact release: an optional leading `v`, at least `min_parts`
/// dot-separated numbers, then optionally a pre-release or build suffix (`-rc.1`, `+13`, `rc1`,
/// `.post1`). Wildcards (`20.x`), operators and aliases (`lts/*`, `stable`) are not exact.
pub fn is_exact_release(version: &str, min_parts: usize) -> bool {
    let version = version.strip_prefix('v').unwrap_or(version);
    let numbers_end = version.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(version.len());
    let (numbers, suffix) = version.split_at(numbers_end);
    let numbers = numbers.strip_suffix('.').filter(|_| suffix_starts_with_letter(suffix)).unwrap_or(numbers);
    let parts: Vec<&str> = numbers.split('.').collect();
    let all_numeric = parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    all_numeric && parts.len() >= min_parts && is_release_suffix(suffix)
}

fn suffix_starts_with_letter(suffix: &str) -> bool {
    suffix.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A pre-release or build suffix: empty, or starting with `-`, `+` or a letter, and made only of
/// the characters versions use; never a wildcard segment.
fn is_release_suffix(suffix: &str) -> bool {
    if suffix.is_empty() {
        return true;
    }
    let starts_well = suffix.starts_with(['-', '+']) || suffix_starts_with_letter(suffix);
    let charset = suffix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    let wildcard = suffix.split(['.', '-']).any(|segment| matches!(segment, "x" | "X" | "*"));
    starts_well && charset && !wildcard
}

/// Whether a version requirement (`==3.11.4`, `=20.11.0`, `20.11.0`) allows exactly one
/// release. Ranges (`>=3.9`, `^18`, `~1.2.3`, `3.11.*`) and unions do not.
pub fn is_exact_requirement(requirement: &str) -> bool {
    let requirement = requirement.trim();
    let bare = ["===", "==", "="].iter().find_map(|op| requirement.strip_prefix(op)).unwrap_or(requirement);
    let bare = bare.trim_start();
    let has_operator = bare
        .contains(|c: char| matches!(c, '*' | ',' | '|' | '<' | '>' | '~' | '^' | '!') || c.is_whitespace());
    !has_operator && is_exact_release(bare, SEMVER_PARTS)
}

/// Whether `text` is a full 40-digit hexadecimal git commit id, the only ref that pins a git
/// repository (tags and branches can move).
pub fn is_commit_sha(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_releases() {
        for exact in ["20.11.0", "v20.11.0", "1.79.0", "3.13.0rc1", "8.0.100", "1.2.3-beta.1", "21.0.2+13"] {
            assert!(is_exact_release(exact, SEMVER_PARTS), "{exact}");
        }
        assert!(is_exact_release("8.7", 2));
    }

    #[test]
    fn lines_ranges_and_aliases_are_not_exact() {
        for loose in
            ["20", "20.11", "20.x", "20.11.x", "lts/*", "lts/iron", "stable", "node", ">=18", "", "v"]
        {
            assert!(!is_exact_release(loose, SEMVER_PARTS), "{loose}");
        }
    }

    #[test]
    fn requirements() {
        assert!(is_exact_requirement("==3.11.4"));
        assert!(is_exact_requirement("=20.11.0"));
        assert!(is_exact_requirement(" 20.11.0 "));
        for range in [">=3.9", "^18.0.0", "~1.2.3", "==3.11.*", ">=3.9,<4", "18.x || 20.x", "!=3.0.0"] {
            assert!(!is_exact_requirement(range), "{range}");
        }
    }

    #[test]
    fn commit_ids() {
        assert!(is_commit_sha("b4ffde65f46336ab88eb53be808477a3936bae11"));
        assert!(!is_commit_sha("v4"));
        assert!(!is_commit_sha("b4ffde65f46336ab88eb53be808477a3936bae1"));
    }
}
