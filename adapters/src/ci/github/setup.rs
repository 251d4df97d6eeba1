//! The runtimes and tools that setup actions install (`actions/setup-node` with
//! `node-version: 20`, `dtolnay/rust-toolchain@1.79.0`, …), read from their `with:` inputs.

use crate::finding::ComponentKind;
use crate::toolchains::names::canonical;
use crate::toolchains::rust::Channel;
use crate::toolchains::version::{is_exact_release, SEMVER_PARTS};

/// What one setup action installs, and from which inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// The action, `owner/repo[/path]` in lower case.
    pub action: &'static str,
    /// The input holding the version (`node-version`).
    pub input: &'static str,
    /// The input naming a file to read the version from (`node-version-file`).
    pub file_input: Option<&'static str>,
    /// The canonical name of what is installed.
    pub tool: &'static str,
    /// Whether the input may list several versions, one per line.
    pub several: bool,
}

/// The setup actions shelflife knows.
pub const SETUPS: &[Setup] = &[
    setup("actions/setup-node", "node-version", Some("node-version-file"), "nodejs", false),
    setup("actions/setup-python", "python-version", Some("python-version-file"), "python", true),
    setup("actions/setup-java", "java-version", Some("java-version-file"), "java", true),
    setup("actions/setup-go", "go-version", Some("go-version-file"), "go", false),
    setup("actions/setup-dotnet", "dotnet-version", Some("global-json-file"), "dotnet-sdk", true),
    setup("dtolnay/rust-toolchain", "toolchain", None, "rust", false),
    setup("actions-rs/toolchain", "toolchain", None, "rust", false),
    setup("pnpm/action-setup", "version", None, "pnpm", false),
    setup("ruby/setup-ruby", "ruby-version", None, "ruby", false),
    setup("oven-sh/setup-bun", "bun-version", Some("bun-version-file"), "bun", false),
    setup("denoland/setup-deno", "deno-version", None, "deno", false),
    setup("gradle/actions/setup-gradle", "gradle-version", None, "gradle", false),
];

const fn setup(
    action: &'static str,
    input: &'static str,
    file_input: Option<&'static str>,
    tool: &'static str,
    several: bool,
) -> Setup {
    Setup { action, input, file_input, tool, several }
}

impl Setup {
    /// The setup action named `owner/repo[/path]` (any case).
    pub fn find(action: &str) -> Option<&'static Setup> {
        SETUPS.iter().find(|setup| setup.action.eq_ignore_ascii_case(action))
    }

    /// The kind of what is installed.
    pub fn kind(&self) -> ComponentKind {
        canonical(self.tool).kind
    }

    /// The version reported for one written version, and whether it is exact.
    pub fn version<'a>(&self, written: &'a str) -> (&'a str, bool) {
        match self.tool {
            "rust" => {
                let channel = Channel::parse(written);
                (channel.version, channel.pinned)
            }
            "nodejs" => {
                let pinned = is_exact_release(written, SEMVER_PARTS);
                (if pinned { written.trim_start_matches('v') } else { written }, pinned)
            }
            "gradle" => (written, is_exact_release(written, 2)),
            _ => (written, is_exact_release(written, SEMVER_PARTS)),
        }
    }

    /// The fields of a toolchain file that this action reads, most preferred first: which
    /// finding of a `package.json` or `go.mod` named by the file input is the version used.
    pub fn file_fields(&self) -> &'static [&'static str] {
        match self.tool {
            "nodejs" => &["volta.node", "devEngines.runtime", "engines.node"],
            "go" => &["toolchain", "go"],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_versions() {
        let node = Setup::find("Actions/Setup-Node").unwrap();
        assert_eq!(node.version("v20.11.0"), ("20.11.0", true));
        assert_eq!(node.version("lts/*"), ("lts/*", false));
        assert_eq!(node.kind(), ComponentKind::Platform);
        let rust = Setup::find("dtolnay/rust-toolchain").unwrap();
        assert_eq!(rust.version("nightly-2024-05-01"), ("nightly-2024-05-01", true));
        assert_eq!(rust.kind(), ComponentKind::Tool);
        assert_eq!(Setup::find("gradle/actions/setup-gradle").unwrap().version("8.7"), ("8.7", true));
        assert!(Setup::find("actions/checkout").is_none());
    }
}
