//! pre-commit (`.pre-commit-config.yaml`): the hook repositories developers run, scope
//! development.
//!
//! Each remote repository is a [`ComponentKind::Tool`] at its `rev` (pinned only by a full
//! commit id), with purl `pkg:github/owner/repo@rev` when it is on GitHub, and its hook ids and
//! extra dependencies as properties. `local` and `meta` repositories hold no third-party code
//! (hooks defined in this repository, or pre-commit's own checks); they are listed, without
//! version, with a `shelflife:lifecycle:skip-reason`, so that no hook goes unlisted.
//! `minimum_pre_commit_version` and `default_language_version` are reported as the tools and
//! runtimes they name.

use packageurl::PackageUrl;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::ci::github::{PROP_LOCAL, PROP_SKIP_REASON};
use crate::ci::yaml::{self, Kind, Node};
use crate::finding::{ComponentKind, Location, Parsed, Scope};
use crate::toolchains::declared::{Collector, Declaration};
use crate::toolchains::names::canonical;
use crate::toolchains::version::{is_commit_sha, is_exact_release, SEMVER_PARTS};

/// The files this adapter reads, for the registry.
pub const GLOBS: &[&str] = &["**/.pre-commit-config.yaml", "**/.pre-commit-config.yml"];

/// Property: the repository URL as written.
pub const PROP_REPO: &str = "shelflife:pre-commit:repo";
/// Property: the ids of the hooks used from a repository, comma-separated.
pub const PROP_HOOKS: &str = "shelflife:pre-commit:hooks";
/// Property: extra packages installed into the hooks' environments, comma-separated.
pub const PROP_ADDITIONAL_DEPENDENCIES: &str = "shelflife:pre-commit:additional-dependencies";

/// Reads pre-commit configuration files.
#[derive(Debug, Default, Clone, Copy)]
pub struct PreCommit;

impl Adapter for PreCommit {
    fn name(&self) -> &'static str {
        "pre-commit"
    }

    fn parse(&self, file: &SourceFile<'_>, _files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let documents = yaml::load(file.display_path, text)?;
        let mut out = Collector::new(file.display_path);
        let Some(document) = documents.first().filter(|d| !yaml::is_empty_document(d)) else {
            out.problem(None, "empty file: no hook repositories");
            return Ok(out.finish());
        };
        let root = Node(document);
        if root.kind() != Kind::Mapping {
            let message = format!("the top level must be a mapping, found {}", root.kind().describe());
            return Err(ParseError::at(Location::line(file.display_path, root.line()), message));
        }
        if let Some(minimum) = root.get("minimum_pre_commit_version") {
            minimum_version(minimum, &mut out);
        }
        if let Some(languages) = root.get("default_language_version") {
            language_versions(languages, &mut out);
        }
        match root.get("repos") {
            Some(repos) => match repos.items() {
                Some(items) => items.for_each(|repo| repository(repo, &mut out)),
                None => shape(repos, "`repos`", "a sequence", &mut out),
            },
            None => out.problem(None, "no `repos`: no hooks are configured"),
        }
        Ok(out.finish())
    }
}

fn minimum_version(minimum: Node<'_, '_>, out: &mut Collector<'_>) {
    let Some(version) = minimum.text().filter(|_| minimum.kind() != Kind::Mapping) else {
        return shape(minimum, "`minimum_pre_commit_version`", "a version", out);
    };
    let declaration = Declaration {
        name: "pre-commit",
        spelling: None,
        kind: ComponentKind::Tool,
        declared: version,
        version: Some(format!(">={version}")),
        pinned: false,
        field: "minimum_pre_commit_version",
    };
    out.declare(declaration, Scope::Development, minimum.line());
}

/// `default_language_version: {python: python3.11, node: 20.11.0}`: the runtimes hooks run on.
fn language_versions(languages: Node<'_, '_>, out: &mut Collector<'_>) {
    let Some(entries) = languages.entries() else {
        return shape(languages, "`default_language_version`", "a mapping", out);
    };
    for (language, value) in entries {
        let Some(written) = value.text() else {
            shape(value, &format!("`default_language_version.{language}`"), "a version", out);
            continue;
        };
        if matches!(written, "default" | "system") {
            continue;
        }
        let tool = canonical(language);
        let version = written.strip_prefix(language).unwrap_or(written);
        let field = format!("default_language_version.{language}");
        let declaration = Declaration {
            name: tool.name,
            spelling: Some(language),
            kind: tool.kind,
            declared: written,
            version: Some(version.to_owned()),
            pinned: is_exact_release(version, SEMVER_PARTS),
            field: &field,
        };
        out.declare(declaration, Scope::Development, value.line());
    }
}

fn repository(repo: Node<'_, '_>, out: &mut Collector<'_>) {
    if repo.kind() != Kind::Mapping {
        return shape(repo, "a repository entry", "a mapping", out);
    }
    let Some(url_node) = repo.get("repo") else {
        out.problem(Some(repo.line()), "a repository entry has no `repo`");
        return;
    };
    let Some(url) = url_node.as_str() else {
        return shape(url_node, "`repo`", "a URL, `local` or `meta`", out);
    };
    let hooks = hooks(repo, out);
    let line = url_node.line();
    let finding = if matches!(url, "local" | "meta") {
        let declaration = Declaration {
            name: url,
            spelling: None,
            kind: ComponentKind::Tool,
            declared: "",
            version: None,
            pinned: false,
            field: "repos.repo",
        };
        let finding = out.declare(declaration, Scope::Development, line);
        finding.properties.insert(PROP_LOCAL.to_owned(), "true".to_owned());
        let reason = if url == "local" {
            "hooks defined in this repository, not third-party code"
        } else {
            "pre-commit's own checks, part of pre-commit"
        };
        finding.properties.insert(PROP_SKIP_REASON.to_owned(), reason.to_owned());
        finding
    } else {
        remote(repo, url, line, out)
    };
    finding.properties.insert(PROP_REPO.to_owned(), url.to_owned());
    if !hooks.ids.is_empty() {
        finding.properties.insert(PROP_HOOKS.to_owned(), hooks.ids.join(","));
    }
    if !hooks.additional_dependencies.is_empty() {
        finding
            .properties
            .insert(PROP_ADDITIONAL_DEPENDENCIES.to_owned(), hooks.additional_dependencies.join(","));
    }
}

fn remote<'o>(
    repo: Node<'_, '_>,
    url: &str,
    line: u32,
    out: &'o mut Collector<'_>,
) -> &'o mut crate::finding::Finding {
    let rev = match repo.get("rev") {
        Some(rev) => {
            let text = rev.text();
            if text.is_none() {
                shape(rev, "`rev`", "a tag or commit", out);
            }
            text
        }
        None => {
            out.problem(Some(repo.line()), format!("repository `{url}` has no `rev`"));
            None
        }
    };
    let location = RepositoryUrl::parse(url);
    let declaration = Declaration {
        name: location.name,
        spelling: None,
        kind: ComponentKind::Tool,
        declared: rev.unwrap_or(""),
        version: rev.map(str::to_owned),
        pinned: rev.is_some_and(is_commit_sha),
        field: "repos.rev",
    };
    let finding = out.declare(declaration, Scope::Development, line);
    finding.purl = location.github_purl(rev);
    finding
}

/// The hooks used from one repository.
#[derive(Debug, Default)]
struct Hooks<'n> {
    ids: Vec<&'n str>,
    additional_dependencies: Vec<&'n str>,
}

fn hooks<'n>(repo: Node<'n, '_>, out: &mut Collector<'_>) -> Hooks<'n> {
    let mut hooks = Hooks::default();
    let Some(list) = repo.get("hooks") else {
        out.problem(Some(repo.line()), "a repository entry has no `hooks`");
        return hooks;
    };
    let Some(items) = list.items() else {
        shape(list, "`hooks`", "a sequence", out);
        return hooks;
    };
    for hook in items {
        match hook.get("id").and_then(Node::text) {
            Some(id) => hooks.ids.push(id),
            None => out.problem(Some(hook.line()), "a hook has no `id`"),
        }
        let dependencies = hook.get("additional_dependencies").and_then(Node::items);
        hooks.additional_dependencies.extend(dependencies.into_iter().flatten().filter_map(Node::text));
    }
    hooks
}

/// A hook repository's URL, split for naming.
#[derive(Debug, PartialEq, Eq)]
struct RepositoryUrl<'a> {
    /// `owner/repo` on GitHub, else host and path (`gitlab.com/group/project`).
    name: &'a str,
    /// Whether the repository is on GitHub.
    github: bool,
}

impl<'a> RepositoryUrl<'a> {
    fn parse(url: &'a str) -> Self {
        let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let without_user = without_scheme.rsplit_once('@').map_or(without_scheme, |(_, rest)| rest);
        let trimmed = without_user.trim_end_matches('/');
        let trimmed = trimmed.strip_suffix(".git").unwrap_or(trimmed);
        let github = ["github.com/", "github.com:", "www.github.com/"]
            .iter()
            .find_map(|host| trimmed.strip_prefix(host))
            .filter(|path| path.split('/').count() == 2);
        match github {
            Some(path) => Self { name: path, github: true },
            None => Self { name: trimmed, github: false },
        }
    }

    fn github_purl(&self, rev: Option<&str>) -> Option<String> {
        if !self.github {
            return None;
        }
        let (owner, repo) = self.name.split_once('/')?;
        let mut purl = PackageUrl::new("github", repo.to_ascii_lowercase()).ok()?;
        purl.with_namespace(owner.to_ascii_lowercase()).ok()?;
        if let Some(rev) = rev {
            purl.with_version(rev).ok()?;
        }
        Some(purl.to_string())
    }
}

fn shape(node: Node<'_, '_>, what: &str, expected: &str, out: &mut Collector<'_>) {
    out.problem(Some(node.line()), format!("{what} must be {expected}, found {}", node.kind().describe()));
}

#[cfg(test)]
mod tests;
