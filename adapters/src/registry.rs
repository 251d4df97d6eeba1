//! The declarative list of which adapter reads which files, as Syft's catalogers do it.

use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::adapter::Adapter;

/// One line of the registry: file-name patterns and the adapter that reads matching files.
pub struct Entry {
    /// Glob patterns matched against the path relative to the scanned root
    /// (`**/package-lock.json`).
    pub globs: &'static [&'static str],
    /// The adapter for those files.
    pub adapter: &'static dyn Adapter,
}

/// Every adapter shelflife has. Adding an ecosystem means one module and one line here.
pub static REGISTRY: &[Entry] = &[
    Entry { globs: &["**/yarn.lock"], adapter: &crate::yarn::Yarn },
    Entry { globs: &["**/pnpm-lock.yaml"], adapter: &crate::pnpm::Pnpm },
    Entry { globs: &["**/bun.lock", "**/bun.lockb"], adapter: &crate::bun::Bun },
];

/// The compiled registry: matches a relative path to the adapters that read it.
pub struct Matcher {
    set: GlobSet,
    owners: Vec<&'static dyn Adapter>,
}

impl Matcher {
    /// The adapters whose patterns match `relative_path` (`/`-separated).
    pub fn adapters_for(&self, relative_path: &str) -> Vec<&'static dyn Adapter> {
        let mut adapters: Vec<&'static dyn Adapter> = Vec::new();
        for index in self.set.matches(relative_path) {
            let adapter = self.owners[index];
            if !adapters.iter().any(|known| known.name() == adapter.name()) {
                adapters.push(adapter);
            }
        }
        adapters
    }
}

/// The registry compiled once. The patterns are constants, so a bad one is a programming error
/// caught by this crate's tests.
pub fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        for entry in REGISTRY {
            for pattern in entry.globs {
                let glob = Glob::new(pattern).unwrap_or_else(|e| panic!("registry pattern {pattern}: {e}"));
                builder.add(glob);
                owners.push(entry.adapter);
            }
        }
        let set = builder.build().unwrap_or_else(|e| panic!("registry patterns: {e}"));
        Matcher { set, owners }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles_and_names_are_unique_per_adapter() {
        let matcher = matcher();
        assert_eq!(matcher.owners.len(), REGISTRY.iter().map(|e| e.globs.len()).sum::<usize>());
    }

    #[test]
    fn javascript_lockfiles_go_to_their_adapters() {
        let names =
            |path: &str| -> Vec<&str> { matcher().adapters_for(path).iter().map(|a| a.name()).collect() };
        assert_eq!(names("yarn.lock"), ["yarn"]);
        assert_eq!(names("web/yarn.lock"), ["yarn"]);
        assert_eq!(names("pnpm-lock.yaml"), ["pnpm"]);
        assert_eq!(names("apps/x/pnpm-lock.yaml"), ["pnpm"]);
        assert_eq!(names("bun.lock"), ["bun"]);
        assert_eq!(names("a/bun.lockb"), ["bun"]);
        assert!(names("bun.lock.bak").is_empty());
    }
}
