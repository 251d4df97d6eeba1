//! Canonical names of tools and runtimes, so that lifecycle mapping sees one name per product
//! whichever spelling a file uses (`node`, `nodejs`; `golang`, `go`).

use crate::finding::ComponentKind;

/// A tool's canonical name and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canonical<'a> {
    /// The canonical name (`nodejs`), or the spelling itself for tools without one.
    pub name: &'a str,
    /// [`ComponentKind::Platform`] for language runtimes, [`ComponentKind::Tool`] otherwise.
    pub kind: ComponentKind,
}

/// Spellings (lower case) of runtimes and their canonical names.
const RUNTIMES: &[(&str, &str)] = &[
    ("node", "nodejs"),
    ("nodejs", "nodejs"),
    ("node.js", "nodejs"),
    ("python", "python"),
    ("python3", "python"),
    ("cpython", "python"),
    ("pypy", "pypy"),
    ("go", "go"),
    ("golang", "go"),
    ("java", "java"),
    ("jdk", "java"),
    ("openjdk", "java"),
    ("dotnet", "dotnet-sdk"),
    ("dotnet-core", "dotnet-sdk"),
    ("dotnet-sdk", "dotnet-sdk"),
    ("ruby", "ruby"),
    ("php", "php"),
    ("erlang", "erlang"),
    ("elixir", "elixir"),
    ("deno", "deno"),
    ("bun", "bun"),
    ("perl", "perl"),
    ("lua", "lua"),
    ("julia", "julia"),
    ("dart", "dart"),
    ("r", "r"),
];

/// Spellings (lower case) of build tools whose canonical name differs from a common spelling.
const TOOLS: &[(&str, &str)] = &[
    ("rust", "rust"),
    ("rustc", "rust"),
    ("npm", "npm"),
    ("pnpm", "pnpm"),
    ("yarn", "yarn"),
    ("maven", "maven"),
    ("mvn", "maven"),
    ("gradle", "gradle"),
];

/// The canonical name and kind for a tool as a file spells it. Unknown tools keep their
/// spelling and are [`ComponentKind::Tool`]s.
pub fn canonical(spelling: &str) -> Canonical<'_> {
    let lookup = |table: &[(&'static str, &'static str)]| {
        table.iter().find(|(known, _)| known.eq_ignore_ascii_case(spelling)).map(|(_, name)| *name)
    };
    if let Some(name) = lookup(RUNTIMES) {
        return Canonical { name, kind: ComponentKind::Platform };
    }
    let name = lookup(TOOLS).unwrap_or(spelling);
    Canonical { name, kind: ComponentKind::Tool }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_map_to_one_name() {
        assert_eq!(canonical("node"), Canonical { name: "nodejs", kind: ComponentKind::Platform });
        assert_eq!(canonical("golang").name, "go");
        assert_eq!(canonical("dotnet-core").name, "dotnet-sdk");
        assert_eq!(canonical("Rust"), Canonical { name: "rust", kind: ComponentKind::Tool });
        assert_eq!(canonical("terraform"), Canonical { name: "terraform", kind: ComponentKind::Tool });
    }
}
