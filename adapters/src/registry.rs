//! The declarative list of which adapter reads which files, as Syft's catalogers do it.

use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::adapter::Adapter;
use crate::containers;
use crate::python;

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
    Entry { globs: &["**/Cargo.lock"], adapter: &crate::cargo::CARGO },
    Entry { globs: &["**/package-lock.json", "**/npm-shrinkwrap.json"], adapter: &crate::npm::Npm },
    Entry {
        globs: &[
            "**/Dockerfile",
            "**/Containerfile",
            "**/*.Dockerfile",
            "**/*.dockerfile",
            "**/Dockerfile.*",
            "**/Containerfile.*",
        ],
        adapter: &containers::dockerfile::DockerfileAdapter,
    },
    Entry {
        globs: &[
            "**/compose.yaml",
            "**/compose.yml",
            "**/compose.*.yaml",
            "**/compose.*.yml",
            "**/docker-compose*.yaml",
            "**/docker-compose*.yml",
        ],
        adapter: &containers::compose::ComposeAdapter,
    },
    Entry {
        globs: &["**/kustomization.yaml", "**/kustomization.yml", "**/Kustomization"],
        adapter: &containers::kustomize::KustomizeAdapter,
    },
    Entry {
        globs: &["**/Chart.yaml", "**/values.yaml", "**/values.yml", "**/values-*.yaml", "**/values-*.yml"],
        adapter: &containers::helm::HelmAdapter,
    },
    Entry { globs: crate::toolchains::GLOBS, adapter: &crate::toolchains::Toolchains },
    Entry { globs: crate::ci::github::GLOBS, adapter: &crate::ci::github::GithubActions },
    Entry { globs: crate::ci::gitlab::GLOBS, adapter: &crate::ci::gitlab::GitlabCi },
    Entry { globs: crate::ci::pre_commit::GLOBS, adapter: &crate::ci::pre_commit::PreCommit },
    Entry {
        globs: &[
            "**/requirements*.txt",
            "**/requirements/*.txt",
            "**/*-requirements.txt",
            "**/*_requirements.txt",
        ],
        adapter: &python::RequirementsAdapter,
    },
    Entry { globs: &["**/poetry.lock"], adapter: &python::PoetryAdapter },
    Entry { globs: &["**/uv.lock"], adapter: &python::UvAdapter },
    Entry { globs: &["**/Pipfile.lock"], adapter: &python::PipenvAdapter },
    Entry { globs: &["**/pylock.toml", "**/pylock.*.toml"], adapter: &python::PylockAdapter },
    Entry { globs: &["**/pyproject.toml"], adapter: &python::PyprojectAdapter },
    Entry { globs: &["**/yarn.lock"], adapter: &crate::yarn::Yarn },
    Entry { globs: &["**/pnpm-lock.yaml"], adapter: &crate::pnpm::Pnpm },
    Entry { globs: &["**/bun.lock", "**/bun.lockb"], adapter: &crate::bun::Bun },
];

/// Adapters with broad patterns, offered only the files that no [`REGISTRY`] adapter claims: the
/// Kubernetes adapter looks at any YAML file, but a `pnpm-lock.yaml` or a compose file is not a
/// manifest.
pub static FALLBACK: &[Entry] =
    &[Entry { globs: &["**/*.yaml", "**/*.yml"], adapter: &containers::kubernetes::KubernetesAdapter }];

/// The compiled registry: matches a relative path to the adapters that read it.
pub struct Matcher {
    primary: Patterns,
    fallback: Patterns,
}

/// One compiled list of entries: pattern `i` belongs to `owners[i]`.
struct Patterns {
    set: GlobSet,
    owners: Vec<&'static dyn Adapter>,
}

impl Patterns {
    fn compile(entries: &[Entry]) -> Self {
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        for entry in entries {
            for pattern in entry.globs {
                let glob = Glob::new(pattern).unwrap_or_else(|e| panic!("registry pattern {pattern}: {e}"));
                builder.add(glob);
                owners.push(entry.adapter);
            }
        }
        let set = builder.build().unwrap_or_else(|e| panic!("registry patterns: {e}"));
        Self { set, owners }
    }

    fn adapters_for(&self, relative_path: &str) -> Vec<&'static dyn Adapter> {
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

impl Matcher {
    /// The adapters whose patterns match `relative_path` (`/`-separated); the fallback adapters
    /// only when no other adapter claims it.
    pub fn adapters_for(&self, relative_path: &str) -> Vec<&'static dyn Adapter> {
        let adapters = self.primary.adapters_for(relative_path);
        if adapters.is_empty() {
            self.fallback.adapters_for(relative_path)
        } else {
            adapters
        }
    }
}

/// The registry compiled once. The patterns are constants, so a bad one is a programming error
/// caught by this crate's tests.
pub fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher {
        primary: Patterns::compile(REGISTRY),
        fallback: Patterns::compile(FALLBACK),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchain_and_ci_files_find_their_adapters() {
        // The Kubernetes adapter sees every YAML file and declines what is not a manifest.
        let names = |path: &str| {
            matcher()
                .adapters_for(path)
                .iter()
                .map(|a| a.name())
                .filter(|&n| n != "kubernetes")
                .collect::<Vec<_>>()
        };
        assert_eq!(names(".github/workflows/ci.yml"), ["github-actions"]);
        assert_eq!(names("sub/.github/workflows/release.yaml"), ["github-actions"]);
        assert_eq!(names(".github/actions/setup/action.yml"), ["github-actions"]);
        assert_eq!(names(".gitlab-ci.yml"), ["gitlab-ci"]);
        assert_eq!(names("templates/build.gitlab-ci.yml"), ["gitlab-ci"]);
        assert_eq!(names(".pre-commit-config.yaml"), ["pre-commit"]);
        for toolchain_file in ["rust-toolchain", "web/.nvmrc", "Cargo.toml", "api/go.mod", ".tool-versions"] {
            assert!(names(toolchain_file).contains(&"toolchains"), "{toolchain_file}");
        }
    }

    #[test]
    fn every_pattern_compiles_and_names_are_unique_per_adapter() {
        let matcher = matcher();
        assert_eq!(matcher.primary.owners.len(), REGISTRY.iter().map(|e| e.globs.len()).sum::<usize>());
        assert_eq!(matcher.fallback.owners.len(), FALLBACK.iter().map(|e| e.globs.len()).sum::<usize>());
    }

    #[test]
    fn the_kubernetes_adapter_sees_only_yaml_no_other_adapter_claims() {
        let names =
            |path: &str| -> Vec<&str> { matcher().adapters_for(path).iter().map(|a| a.name()).collect() };
        assert_eq!(names("k8s/deployment.yaml"), ["kubernetes"]);
        assert_eq!(names("pnpm-lock.yaml"), ["pnpm"]);
        assert_eq!(names("deploy/compose.yaml"), ["compose"]);
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
