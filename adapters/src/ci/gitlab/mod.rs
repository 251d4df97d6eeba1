//! GitLab CI (`.gitlab-ci.yml`): the container images jobs run in.
//!
//! Reported, as container findings of scope build: the global `image:` and `services:`, those of
//! `default:`, and those of every job (hidden template jobs such as `.build` included, marked
//! `shelflife:gitlab:template`, since jobs extend them). An image is a string or `{name}`; a
//! service a string or `{name}`; `!reference [.job, image]` tags and `<<` merge keys are
//! followed; variables are substituted ([`variables`]). `include:` is not followed: each
//! include is reported as a problem, since the images it brings are not in the inventory.

pub mod variables;

#[cfg(test)]
mod tests;

use variables::Variables;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::ci::image::{declare_image, declare_unresolved};
use crate::ci::yaml::{self, Kind, Node};
use crate::finding::{Location, Parsed};
use crate::toolchains::declared::Collector;

/// The files this adapter reads, for the registry.
pub const GLOBS: &[&str] =
    &["**/.gitlab-ci.yml", "**/.gitlab-ci.yaml", "**/*.gitlab-ci.yml", "**/*.gitlab-ci.yaml"];

/// Property: the job an image belongs to (`default` for the global and default images).
pub const PROP_JOB: &str = "shelflife:gitlab:job";
/// Property: `true` for a hidden job (a template other jobs extend).
pub const PROP_TEMPLATE: &str = "shelflife:gitlab:template";
/// Property: a service's alias.
pub const PROP_SERVICE_ALIAS: &str = "shelflife:gitlab:service-alias";
/// Property: the platform the image is pulled for (as the container adapters name it).
pub const PROP_PLATFORM: &str = "shelflife:image:platform";

/// Top-level keys that configure the pipeline rather than name a job.
const KEYWORDS: &[&str] = &[
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
    "spec",
];

/// Reads GitLab CI configuration files.
#[derive(Debug, Default, Clone, Copy)]
pub struct GitlabCi;

impl Adapter for GitlabCi {
    fn name(&self) -> &'static str {
        "gitlab-ci"
    }

    fn parse(&self, file: &SourceFile<'_>, _files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let documents = yaml::load(file.display_path, text)?;
        let mut out = Collector::new(file.display_path);
        let documents: Vec<Node<'_, '_>> =
            documents.iter().filter(|d| !yaml::is_empty_document(d)).map(Node).collect();
        // A CI/CD component starts with a `spec:` header document; the configuration follows.
        let config = match documents.as_slice() {
            [header, config, ..] if header.get("spec").is_some() => Some(*config),
            [config, ..] => Some(*config),
            [] => None,
        };
        let Some(root) = config else {
            out.problem(None, "empty file: no pipeline configuration");
            return Ok(out.finish());
        };
        if root.kind() != Kind::Mapping {
            let message = format!("the top level must be a mapping, found {}", root.kind().describe());
            return Err(ParseError::at(Location::line(file.display_path, root.line()), message));
        }
        Pipeline { root, out: &mut out, globals: Variables::from_mapping(root.get("variables")) }.read();
        Ok(out.finish())
    }
}

struct Pipeline<'n, 'a, 'o, 'p> {
    root: Node<'n, 'a>,
    out: &'o mut Collector<'p>,
    globals: Variables,
}

impl<'n, 'a> Pipeline<'n, 'a, '_, '_> {
    fn read(&mut self) {
        if let Some(include) = self.root.get("include") {
            self.includes(include);
        }
        let globals = self.globals.clone();
        self.images_of(self.root, "default", &globals, false);
        if let Some(default) = self.root.get("default") {
            if default.kind() == Kind::Mapping {
                self.images_of(default, "default", &globals, false);
            } else {
                self.shape(default, "`default`", "a mapping");
            }
        }
        let Some(entries) = self.root.entries() else { return };
        for (name, job) in entries {
            if KEYWORDS.contains(&name) || name == "<<" {
                continue;
            }
            let hidden = name.starts_with('.');
            if job.kind() != Kind::Mapping {
                if !hidden {
                    self.shape(job, &format!("job `{name}`"), "a mapping");
                }
                continue;
            }
            let variables = globals.for_job(job);
            self.images_of(job, name, &variables, hidden);
        }
    }

    /// Each `include:` entry, reported as not followed.
    fn includes(&mut self, include: Node<'n, 'a>) {
        let entries: Vec<Node<'n, 'a>> = match include.items() {
            Some(items) => items.collect(),
            None => vec![include],
        };
        for entry in entries {
            let what = match entry.kind() {
                Kind::Mapping => entry
                    .entries()
                    .into_iter()
                    .flatten()
                    .find(|(key, _)| {
                        matches!(*key, "local" | "project" | "remote" | "template" | "component")
                    })
                    .map(|(key, value)| format!("{key} `{}`", value.text().unwrap_or("?"))),
                _ => entry.text().map(|text| format!("`{text}`")),
            };
            let what = what.unwrap_or_else(|| "an entry".to_owned());
            let message = format!("include of {what} is not followed: images it defines are not reported");
            self.out.problem(Some(entry.line()), message);
        }
    }

    /// The `image` and `services` of a job (or of the top level, or `default:`).
    fn images_of(&mut self, owner: Node<'n, 'a>, job: &str, variables: &Variables, hidden: bool) {
        let start = self.out.len();
        if let Some(image) = owner.get("image") {
            self.image(image, "image", variables);
        }
        if let Some(services) = owner.get("services") {
            self.services(services, variables);
        }
        for finding in self.out.findings_since(start) {
            finding.properties.insert(PROP_JOB.to_owned(), job.to_owned());
            if hidden {
                finding.properties.insert(PROP_TEMPLATE.to_owned(), "true".to_owned());
            }
        }
    }

    fn services(&mut self, services: Node<'n, 'a>, variables: &Variables) {
        let services = self.dereference(services);
        let Some(items) = services.items() else {
            self.shape(services, "`services`", "a sequence");
            return;
        };
        for service in items {
            let start = self.out.len();
            self.image(service, "service", variables);
            let alias = service.get("alias").and_then(Node::text);
            if let Some(alias) = alias {
                for finding in self.out.findings_since(start) {
                    finding.properties.insert(PROP_SERVICE_ALIAS.to_owned(), alias.to_owned());
                }
            }
        }
    }

    /// One image: a string, or a mapping with `name` (and `docker: {platform}`).
    fn image(&mut self, image: Node<'n, 'a>, role: &str, variables: &Variables) {
        let image = self.dereference(image);
        let (name, platform) = match image.kind() {
            Kind::Mapping => {
                let Some(name) = image.get("name") else {
                    self.out.problem(Some(image.line()), format!("the {role} has no `name`"));
                    return;
                };
                let platform =
                    image.get("docker").and_then(|docker| docker.get("platform")).and_then(Node::text);
                (self.dereference(name), platform)
            }
            _ => (image, None),
        };
        let Some(written) = name.as_str() else {
            self.shape(name, &format!("the {role}"), "an image reference");
            return;
        };
        let start = self.out.len();
        match variables.expand(written) {
            Ok(references) => {
                for reference in references {
                    declare_image(written, &reference, role, name.line(), self.out);
                }
            }
            Err(why) => {
                declare_unresolved(written, role, &why, name.line(), self.out);
            }
        }
        if let Some(platform) = platform {
            for finding in self.out.findings_since(start) {
                finding.properties.insert(PROP_PLATFORM.to_owned(), platform.to_owned());
            }
        }
    }

    /// The node a `!reference [.job, key, …]` points to; the node itself otherwise. A reference
    /// that leads nowhere is reported and left as it is.
    fn dereference(&mut self, node: Node<'n, 'a>) -> Node<'n, 'a> {
        let Some(path) = node.reference_path() else { return node };
        let target = path.iter().try_fold(self.root, |current, key| current.get(key));
        match target {
            Some(target) => target,
            None => {
                let message = format!("`!reference [{}]` points to nothing in this file", path.join(", "));
                self.out.problem(Some(node.line()), message);
                node
            }
        }
    }

    fn shape(&mut self, node: Node<'_, '_>, what: &str, expected: &str) {
        let message = format!("{what} must be {expected}, found {}", node.kind().describe());
        self.out.problem(Some(node.line()), message);
    }
}
