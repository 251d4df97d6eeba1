//! GitHub Actions: workflows (`.github/workflows/*.yml`) and action metadata (`action.yml`).
//!
//! Reported, all of scope build:
//! - each `uses:` of a step or job: a repository action or reusable workflow as a
//!   [`ComponentKind::Tool`] with purl `pkg:github/owner/repo@ref` (pinned only by a full commit
//!   id); a `docker://` action as a container image; a local action (`./.github/actions/x`) as a
//!   tool without version or purl, marked `shelflife:github:action:local` and with a
//!   `shelflife:lifecycle:skip-reason`: it is the repository's own code, listed so the inventory
//!   shows every action a job runs, and its `action.yml` is scanned itself;
//! - each `runs-on` label: a GitHub-hosted runner image as a [`ComponentKind::Platform`]
//!   (`ubuntu-22.04` → `ubuntu` 22.04), other labels under their own name;
//! - a job's `container:` and `services:` images;
//! - what setup actions install (`actions/setup-node` `node-version`, `node-version-file`, …).
//!
//! `${{ matrix.… }}` expressions are expanded from the job's literal matrix ([`matrix`]); other
//! expressions are reported as unresolved, with a problem.

pub mod matrix;
pub mod runner;
pub mod setup;
pub mod uses;
pub mod version_file;

#[cfg(test)]
mod tests;

use matrix::{expand, has_expression, Matrix};
use runner::Runner;
use setup::Setup;
use uses::Uses;
use version_file::RepositoryRoot;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::ci::image::{declare_image, declare_unresolved};
use crate::ci::yaml::{self, Kind, Node};
use crate::finding::{ComponentKind, Finding, Location, Parsed, Scope};
use crate::toolchains::declared::{Collector, Declaration, PROP_FIELD};
use crate::toolchains::python;
use crate::toolchains::version::is_commit_sha;

/// The files this adapter reads, for the registry.
pub const GLOBS: &[&str] =
    &["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml", "**/action.yml", "**/action.yaml"];

/// Property: the job a finding comes from.
pub const PROP_JOB: &str = "shelflife:github:job";
/// Property: the comment after a pinned ref (`# v4.1.1`), which usually names its tag.
pub const PROP_REF_COMMENT: &str = "shelflife:github:ref-comment";
/// Property: `true` on a local action or workflow.
pub const PROP_LOCAL: &str = "shelflife:github:action:local";
/// Property: why lifecycle data is not looked up for a finding.
pub const PROP_SKIP_REASON: &str = "shelflife:lifecycle:skip-reason";
/// Property: the expression a value was expanded from.
pub const PROP_EXPRESSION: &str = "shelflife:ci:expression";
/// Property: `true` when a value could not be worked out from the file.
pub const PROP_UNRESOLVED: &str = "shelflife:ci:unresolved";
/// Property: the toolchain file a setup action read the version from.
pub const PROP_VERSION_FILE: &str = "shelflife:ci:version-file";
/// Property: the variant of a hosted runner image (`arm`, `xlarge`).
pub const PROP_RUNNER_VARIANT: &str = "shelflife:github:runner:variant";
/// Property: the labels of a self-hosted runner, comma-separated.
pub const PROP_RUNNER_LABELS: &str = "shelflife:github:runner:labels";
/// Property: the runner group of a job.
pub const PROP_RUNNER_GROUP: &str = "shelflife:github:runner:group";

/// Reads GitHub Actions workflows and action metadata files.
#[derive(Debug, Default, Clone, Copy)]
pub struct GithubActions;

impl Adapter for GithubActions {
    fn name(&self) -> &'static str {
        "github-actions"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let documents = yaml::load(file.display_path, text)?;
        let mut reader = Reader {
            out: Collector::new(file.display_path),
            lines: Lines::new(text),
            files,
            root: RepositoryRoot::of(file),
        };
        let Some(document) = documents.first().filter(|d| !yaml::is_empty_document(d)) else {
            reader.out.problem(None, "empty file: no workflow or action");
            return Ok(reader.out.finish());
        };
        if let Some(extra) = documents.get(1) {
            reader.out.problem(
                Some(Node(extra).line()),
                "only the first YAML document is read; the rest is ignored",
            );
        }
        let root = Node(document);
        if root.kind() != Kind::Mapping {
            let message = format!("the top level must be a mapping, found {}", root.kind().describe());
            return Err(ParseError::at(Location::line(file.display_path, root.line()), message));
        }
        let is_action = file.display_path.rsplit('/').next().is_some_and(|name| name.starts_with("action."));
        if is_action {
            reader.action(root);
        } else {
            reader.workflow(root);
        }
        Ok(reader.out.finish())
    }
}

struct Reader<'s, 'f> {
    out: Collector<'s>,
    lines: Lines<'s>,
    files: &'f dyn FileAccess,
    root: Option<RepositoryRoot>,
}

impl Reader<'_, '_> {
    fn workflow(&mut self, root: Node<'_, '_>) {
        let Some(jobs) = root.get("jobs") else {
            self.out.problem(None, "no `jobs`: the workflow runs nothing");
            return;
        };
        let Some(entries) = jobs.entries() else {
            self.problem_shape(jobs, "`jobs`", "a mapping of job ids to jobs");
            return;
        };
        for (id, job) in entries {
            let start = self.out.len();
            self.job(id, job);
            for finding in self.out.findings_since(start) {
                finding.properties.insert(PROP_JOB.to_owned(), id.to_owned());
            }
        }
    }

    fn job(&mut self, id: &str, job: Node<'_, '_>) {
        if job.kind() != Kind::Mapping {
            self.problem_shape(job, &format!("job `{id}`"), "a mapping");
            return;
        }
        let matrix = Matrix::of_job(job);
        if let Some(uses) = job.get("uses") {
            self.uses(uses, &format!("jobs.{id}.uses"));
        }
        if let Some(runs_on) = job.get("runs-on") {
            self.runs_on(runs_on, &matrix);
        }
        if let Some(container) = job.get("container") {
            self.container(container, "container", &matrix);
        }
        if let Some(services) = job.get("services") {
            self.services(services, &matrix);
        }
        if let Some(steps) = job.get("steps") {
            self.steps(steps, &matrix);
        }
    }

    /// An action's `runs:`: the Node.js version of a JavaScript action, the image of a Docker
    /// action, the steps of a composite action.
    fn action(&mut self, root: Node<'_, '_>) {
        let Some(runs) = root.get("runs") else {
            self.out.problem(None, "no `runs`: not an action metadata file");
            return;
        };
        let Some(using) = runs.get("using").filter(|using| using.as_str().is_some()) else {
            self.problem_shape(runs, "`runs.using`", "a string");
            return;
        };
        let using_text = using.as_str().unwrap_or_default();
        match using_text {
            "composite" => match runs.get("steps") {
                Some(steps) => self.steps(steps, &Matrix::Absent),
                None => self.out.problem(Some(runs.line()), "a composite action needs `runs.steps`"),
            },
            "docker" => self.docker_action_image(runs),
            node if node.starts_with("node") => {
                let version = node.trim_start_matches("node");
                let declaration = Declaration {
                    name: "nodejs",
                    spelling: Some(node),
                    kind: ComponentKind::Platform,
                    declared: node,
                    version: Some(version.to_owned()),
                    pinned: false,
                    field: "runs.using",
                };
                self.out.declare(declaration, Scope::Build, using.line());
            }
            other => self.out.problem(Some(using.line()), format!("unknown `runs.using: {other}`")),
        }
    }

    fn docker_action_image(&mut self, runs: Node<'_, '_>) {
        let Some(image) = runs.get("image") else {
            self.out.problem(Some(runs.line()), "a Docker action needs `runs.image`");
            return;
        };
        match image.as_str() {
            Some(text) => match text.strip_prefix("docker://") {
                Some(reference) => {
                    declare_image(text, reference, "action", image.line(), &mut self.out);
                }
                None => self.local(
                    text,
                    "runs.image",
                    image.line(),
                    "an image built from this repository's Dockerfile",
                ),
            },
            None => self.problem_shape(image, "`runs.image`", "a string"),
        }
    }

    fn steps(&mut self, steps: Node<'_, '_>, matrix: &Matrix<'_, '_>) {
        let Some(items) = steps.items() else {
            self.problem_shape(steps, "`steps`", "a sequence");
            return;
        };
        for step in items {
            if step.kind() != Kind::Mapping {
                self.problem_shape(step, "a step", "a mapping");
                continue;
            }
            let Some(uses) = step.get("uses") else { continue };
            let Some(repository) = self.uses(uses, "steps.uses") else { continue };
            if let Some(setup) = Setup::find(&repository.action) {
                self.setup(setup, step, &repository, matrix);
            }
        }
    }

    /// Reports what a `uses:` names; returns the repository action, for setup inputs.
    fn uses(&mut self, uses: Node<'_, '_>, field: &str) -> Option<RepositoryAction> {
        let Some(text) = uses.as_str() else {
            self.problem_shape(uses, "`uses`", "a string");
            return None;
        };
        let line = uses.line();
        let parsed = match Uses::parse(text) {
            Ok(parsed) => parsed,
            Err(message) => {
                self.out.problem(Some(line), message);
                return None;
            }
        };
        match parsed {
            Uses::Docker(reference) => {
                declare_image(text, reference, "action", line, &mut self.out);
                None
            }
            Uses::Local(path) => {
                self.local(
                    path,
                    field,
                    line,
                    "a local action: code of this repository, not a third-party tool",
                );
                None
            }
            Uses::Repository { owner, repo, path, reference } => {
                let action = match path {
                    Some(path) => format!("{owner}/{repo}/{path}"),
                    None => format!("{owner}/{repo}"),
                };
                let comment = self.lines.ref_comment(line);
                let declaration = Declaration {
                    name: &action,
                    spelling: None,
                    kind: ComponentKind::Tool,
                    declared: reference,
                    version: Some(reference.to_owned()),
                    pinned: is_commit_sha(reference),
                    field,
                };
                let finding = self.out.declare(declaration, Scope::Build, line);
                finding.purl = parsed.purl();
                if let Some(comment) = comment {
                    finding.properties.insert(PROP_REF_COMMENT.to_owned(), comment.to_owned());
                }
                Some(RepositoryAction { action, reference: reference.to_owned(), line })
            }
        }
    }

    fn local(&mut self, path: &str, field: &str, line: u32, reason: &str) {
        let declaration = Declaration {
            name: path,
            spelling: None,
            kind: ComponentKind::Tool,
            declared: "",
            version: None,
            pinned: false,
            field,
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        finding.properties.insert(PROP_LOCAL.to_owned(), "true".to_owned());
        finding.properties.insert(PROP_SKIP_REASON.to_owned(), reason.to_owned());
    }

    fn runs_on(&mut self, runs_on: Node<'_, '_>, matrix: &Matrix<'_, '_>) {
        match runs_on.kind() {
            Kind::String => self.runner_labels(&[runs_on], None, matrix),
            Kind::Sequence => {
                let labels: Vec<Node<'_, '_>> = runs_on.items().into_iter().flatten().collect();
                self.runner_labels(&labels, None, matrix);
            }
            Kind::Mapping => {
                let group = runs_on.get("group").and_then(Node::as_str);
                let labels: Vec<Node<'_, '_>> = match runs_on.get("labels") {
                    Some(labels) if labels.kind() == Kind::Sequence => {
                        labels.items().into_iter().flatten().collect()
                    }
                    Some(label) => vec![label],
                    None => Vec::new(),
                };
                if labels.is_empty() {
                    match group {
                        Some(group) => self.runner_group(group, runs_on.line()),
                        None => self.problem_shape(runs_on, "`runs-on`", "`group` or `labels`"),
                    }
                } else {
                    self.runner_labels(&labels, group, matrix);
                }
            }
            _ => self.problem_shape(runs_on, "`runs-on`", "a label, a list of labels or `{group, labels}`"),
        }
    }

    fn runner_labels(&mut self, nodes: &[Node<'_, '_>], group: Option<&str>, matrix: &Matrix<'_, '_>) {
        let mut labels: Vec<(String, u32, Option<&str>)> = Vec::new();
        for node in nodes {
            let Some(text) = node.as_str() else {
                self.problem_shape(*node, "a `runs-on` label", "a string");
                continue;
            };
            match expand(text, matrix) {
                Ok(values) => {
                    let expression = has_expression(text).then_some(text);
                    labels.extend(values.into_iter().map(|value| (value, node.line(), expression)));
                }
                Err(why) => self.unresolved_runner(text, node.line(), &why),
            }
        }
        let start = self.out.len();
        if labels.iter().any(|(label, _, _)| label == "self-hosted") {
            let line = labels.first().map_or(1, |(_, line, _)| *line);
            let all: Vec<&str> = labels.iter().map(|(label, _, _)| label.as_str()).collect();
            self.self_hosted(&all.join(","), line);
        } else {
            for (label, line, expression) in &labels {
                self.hosted_runner(label, *line, *expression);
            }
        }
        if let Some(group) = group {
            for finding in self.out.findings_since(start) {
                finding.properties.insert(PROP_RUNNER_GROUP.to_owned(), group.to_owned());
            }
        }
    }

    fn hosted_runner(&mut self, label: &str, line: u32, expression: Option<&str>) {
        let runner = Runner::classify(label);
        let declaration = Declaration {
            name: runner.name,
            spelling: Some(label),
            kind: ComponentKind::Platform,
            declared: label,
            version: runner.version.map(str::to_owned),
            pinned: runner.is_pinned(),
            field: "runs-on",
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        if let Some(variant) = runner.variant {
            finding.properties.insert(PROP_RUNNER_VARIANT.to_owned(), variant.to_owned());
        }
        if let Some(expression) = expression {
            finding.properties.insert(PROP_EXPRESSION.to_owned(), expression.to_owned());
        }
    }

    fn self_hosted(&mut self, labels: &str, line: u32) {
        let declaration = Declaration {
            name: "self-hosted",
            spelling: None,
            kind: ComponentKind::Platform,
            declared: "",
            version: None,
            pinned: false,
            field: "runs-on",
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        finding.properties.insert(PROP_RUNNER_LABELS.to_owned(), labels.to_owned());
    }

    fn runner_group(&mut self, group: &str, line: u32) {
        let declaration = Declaration {
            name: group,
            spelling: None,
            kind: ComponentKind::Platform,
            declared: "",
            version: None,
            pinned: false,
            field: "runs-on.group",
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        finding.properties.insert(PROP_RUNNER_GROUP.to_owned(), group.to_owned());
    }

    fn unresolved_runner(&mut self, text: &str, line: u32, why: &str) {
        self.out.problem(Some(line), format!("`runs-on: {text}` is not resolved: {why}"));
        let declaration = Declaration {
            name: text,
            spelling: None,
            kind: ComponentKind::Platform,
            declared: text,
            version: None,
            pinned: false,
            field: "runs-on",
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        finding.properties.insert(PROP_UNRESOLVED.to_owned(), "true".to_owned());
    }

    /// A job's `container:` (a reference, or a mapping with `image`) or one service.
    fn container(&mut self, container: Node<'_, '_>, role: &str, matrix: &Matrix<'_, '_>) {
        let image = match container.kind() {
            Kind::Mapping => match container.get("image") {
                Some(image) => image,
                None => {
                    self.out.problem(Some(container.line()), format!("the {role} has no `image`"));
                    return;
                }
            },
            _ => container,
        };
        let Some(written) = image.as_str() else {
            self.problem_shape(image, &format!("the {role} image"), "a string");
            return;
        };
        if written.is_empty() {
            return;
        }
        match expand(written, matrix) {
            Ok(references) => {
                for reference in references {
                    declare_image(written, &reference, role, image.line(), &mut self.out);
                }
            }
            Err(why) => {
                declare_unresolved(written, role, &why, image.line(), &mut self.out);
            }
        }
    }

    fn services(&mut self, services: Node<'_, '_>, matrix: &Matrix<'_, '_>) {
        let Some(entries) = services.entries() else {
            self.problem_shape(services, "`services`", "a mapping of service names to services");
            return;
        };
        for (name, service) in entries {
            let start = self.out.len();
            self.container(service, "service", matrix);
            for finding in self.out.findings_since(start) {
                finding.properties.insert("shelflife:ci:service".to_owned(), name.to_owned());
            }
        }
    }

    /// What a setup action installs: from its version input (one or several lines, matrix
    /// expanded), else its version-file input, else (`dtolnay/rust-toolchain@1.79.0`) its ref.
    fn setup(
        &mut self,
        setup: &Setup,
        step: Node<'_, '_>,
        action: &RepositoryAction,
        matrix: &Matrix<'_, '_>,
    ) {
        let with = step.get("with");
        let start = self.out.len();
        if let Some(input) = with.and_then(|with| with.get(setup.input)) {
            self.setup_input(setup, input, matrix);
        } else if let Some((name, input)) = setup.file_input.and_then(|name| Some((name, with?.get(name)?))) {
            self.setup_file(setup, name, input);
        } else if setup.tool == "rust" && !is_commit_sha(&action.reference) && action.reference != "master" {
            self.setup_version(setup, &action.reference, action.line, "uses", None);
        }
        let distribution = with.and_then(|with| with.get("distribution")).and_then(Node::text);
        if let (Some(distribution), "java") = (distribution, setup.tool) {
            for finding in self.out.findings_since(start) {
                finding.properties.insert("shelflife:java:distribution".to_owned(), distribution.to_owned());
            }
        }
    }

    fn setup_input(&mut self, setup: &Setup, input: Node<'_, '_>, matrix: &Matrix<'_, '_>) {
        let Some(text) = input.text() else {
            self.problem_shape(input, &format!("`with.{}`", setup.input), "a version");
            return;
        };
        if input.kind() == Kind::Number && input.is_plain() && reads_as_other_number(text) {
            let message = format!(
                "`{}: {text}` is a YAML number, which GitHub Actions reads as {}; quote it",
                setup.input,
                text.parse::<f64>().map(|n| n.to_string()).unwrap_or_default()
            );
            self.out.problem(Some(input.line()), message);
        }
        let field = format!("with.{}", setup.input);
        let lines: Vec<&str> = if setup.several {
            text.lines().map(str::trim).filter(|line| !line.is_empty()).collect()
        } else {
            vec![text.trim()]
        };
        for line in lines {
            match expand(line, matrix) {
                Ok(values) => {
                    let expression = has_expression(line).then_some(line);
                    for value in values {
                        self.setup_version(setup, &value, input.line(), &field, expression);
                    }
                }
                Err(why) => {
                    self.out.problem(Some(input.line()), format!("`{field}: {line}` is not resolved: {why}"));
                }
            }
        }
    }

    fn setup_version(
        &mut self,
        setup: &Setup,
        written: &str,
        line: u32,
        field: &str,
        expression: Option<&str>,
    ) {
        if setup.tool == "python" {
            let finding = python::declare_pyenv_name(written, field, line, &mut self.out);
            if let Some(expression) = expression {
                finding.properties.insert(PROP_EXPRESSION.to_owned(), expression.to_owned());
            }
            return;
        }
        let (version, pinned) = setup.version(written);
        let declaration = Declaration {
            name: setup.tool,
            spelling: None,
            kind: setup.kind(),
            declared: written,
            version: Some(version.to_owned()),
            pinned,
            field,
        };
        let finding = self.out.declare(declaration, Scope::Build, line);
        if let Some(expression) = expression {
            finding.properties.insert(PROP_EXPRESSION.to_owned(), expression.to_owned());
        }
    }

    fn setup_file(&mut self, setup: &Setup, input_name: &str, input: Node<'_, '_>) {
        let Some(relative) = input.as_str() else {
            self.problem_shape(input, &format!("`with.{input_name}`"), "a path");
            return;
        };
        let Some(root) = &self.root else {
            let message = format!(
                "`{input_name}: {relative}` is not followed: the workflow is not in .github/workflows/"
            );
            self.out.problem(Some(input.line()), message);
            return;
        };
        match version_file::read(setup, root, relative, self.files) {
            Ok((display, findings)) => {
                for finding in findings {
                    self.relocate(finding, input.line(), input_name, &display);
                }
            }
            Err(message) => {
                self.out.problem(Some(input.line()), format!("`{input_name}` is not followed: {message}"))
            }
        }
    }

    /// Reports a version read from a toolchain file as used by this workflow, at `line`.
    fn relocate(&mut self, mut finding: Finding, line: u32, input_name: &str, display: &str) {
        finding.location = self.out.at(line);
        finding.scope = Scope::Build;
        finding.properties.insert(PROP_FIELD.to_owned(), format!("with.{input_name}"));
        finding.properties.insert(PROP_VERSION_FILE.to_owned(), display.to_owned());
        self.out.push(finding);
    }

    fn problem_shape(&mut self, node: Node<'_, '_>, what: &str, expected: &str) {
        let message = format!("{what} must be {expected}, found {}", node.kind().describe());
        self.out.problem(Some(node.line()), message);
    }
}

/// A repository action a step uses, for its setup inputs.
struct RepositoryAction {
    action: String,
    reference: String,
    line: u32,
}

/// Whether a plain number is read as a different text (`3.10` → `3.1`).
fn reads_as_other_number(text: &str) -> bool {
    text.parse::<f64>().is_ok_and(|number| number.to_string() != text)
}

/// The lines of a file, indexed once so that looking one up does not rescan the text.
struct Lines<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    fn new(text: &'s str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        Self { text, starts }
    }

    /// The text of the 1-based `line`, without its line break.
    fn get(&self, line: u32) -> Option<&'s str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }

    /// The comment after a `uses:` value on its line (`# v4.1.1`), which tools such as
    /// Dependabot keep in step with a pinned commit.
    fn ref_comment(&self, line: u32) -> Option<&'s str> {
        let (_, comment) = self.get(line)?.split_once(" #")?;
        Some(comment.trim()).filter(|comment| !comment.is_empty())
    }
}
