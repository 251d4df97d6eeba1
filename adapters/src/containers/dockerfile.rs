//! Dockerfiles and Containerfiles: the images their stages start from (`FROM`) and copy or mount
//! from (`COPY --from=`, `RUN --mount=…,from=`).
//!
//! Read as BuildKit reads them: parser directives (`# escape=`), comments, line continuations,
//! here-documents (skipped), `ARG`s declared before the first `FROM` substituted in `FROM` lines
//! with their defaults (or the build arguments given by a compose file), stage names
//! (case-insensitive; `FROM builder` names a stage, not an image), `scratch` (no image),
//! `--platform`. The base image of the delivered stage (the last, or the build target) is scope
//! `infrastructure` and marked `shelflife:image:delivered-base`; every other image is scope
//! `build`. A reference whose variables have no value is reported unresolved with a problem.
//!
//! Written by hand: the Dockerfile crates on crates.io are unmaintained and do not substitute
//! `ARG`s; the lexical rules are short.

use std::collections::HashMap;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::containers::collect::Collector;
use crate::containers::image::{ImageFinding, DELIVERED_BASE, PLATFORM};
use crate::containers::interpolate::{expand, Expansion, Syntax};
use crate::finding::{Location, Parsed, Problem, Scope};

/// Property: the stage an image is the base of (`FROM … AS name`).
pub const STAGE: &str = "shelflife:dockerfile:stage";
/// Property: the instruction that names the image (`FROM`, `COPY --from`, `RUN --mount`).
pub const INSTRUCTION: &str = "shelflife:dockerfile:instruction";

/// The arguments BuildKit defines from the build's platforms: known names whose values depend on
/// where the image is built.
const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Files the `Dockerfile.*` patterns match that are not Dockerfiles: the per-Dockerfile ignore
/// file and documentation.
const NOT_DOCKERFILES: [&str; 2] = [".dockerignore", ".md"];

/// Reads `Dockerfile`, `Containerfile`, `*.Dockerfile` and `Dockerfile.*`.
pub struct DockerfileAdapter;

impl Adapter for DockerfileAdapter {
    fn name(&self) -> &'static str {
        "dockerfile"
    }

    fn parse(&self, file: &SourceFile<'_>, _files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        if NOT_DOCKERFILES.iter().any(|suffix| file.display_path.ends_with(suffix)) {
            return Ok(Parsed::default());
        }
        let text = file.text()?;
        let analysis = analyse(text, file.display_path, 0, &Build::default());
        let mut collector = Collector::default();
        for image in analysis.images {
            collector.image(image);
        }
        collector.problems(analysis.problems);
        Ok(collector.finish())
    }
}

/// How a Dockerfile is built: the build arguments and the target stage.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Build {
    /// `--build-arg` values; they apply to `ARG`s the Dockerfile declares.
    pub args: HashMap<String, String>,
    /// The stage to build (`--target`); the last stage when `None`.
    pub target: Option<String>,
}

/// What a Dockerfile uses.
pub(crate) struct Analysis {
    /// Every image use, in file order.
    pub images: Vec<ImageFinding>,
    /// Index into `images` of the delivered stage's base image, if it has one.
    pub delivered: Option<usize>,
    /// What could not be read.
    pub problems: Vec<Problem>,
    /// Whether the build target named a stage the file does not have.
    pub target_missing: bool,
}

/// Analyses a Dockerfile's text. `line_offset` is added to line numbers (for a Dockerfile
/// embedded in another file).
pub(crate) fn analyse(text: &str, path: &str, line_offset: u32, build: &Build) -> Analysis {
    let lexed = lex(text);
    let mut reader = Reader::new(path, line_offset, lexed.escape, build);
    for instruction in &lexed.instructions {
        reader.instruction(instruction);
    }
    reader.finish()
}

/// One instruction: keyword in lower case, arguments with continuations joined, first line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Instruction {
    keyword: String,
    args: String,
    line: u32,
}

struct Lexed {
    escape: char,
    instructions: Vec<Instruction>,
}

/// Splits the text into instructions.
fn lex(text: &str) -> Lexed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let (escape, mut index) = directives(&lines);
    let mut instructions = Vec::new();
    while index < lines.len() {
        if is_blank_or_comment(lines[index]) {
            index += 1;
            continue;
        }
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let (logical, next) = logical_line(&lines, index, escape);
        index = next;
        let logical = logical.trim();
        let (keyword, args) = logical.split_once(char::is_whitespace).unwrap_or((logical, ""));
        let keyword = keyword.to_ascii_lowercase();
        if matches!(keyword.as_str(), "run" | "copy" | "add") {
            index = skip_heredocs(&lines, index, args);
        }
        instructions.push(Instruction { keyword, args: args.trim().to_owned(), line });
    }
    Lexed { escape, instructions }
}

/// Reads the parser directives at the top of the file; returns the escape character and the
/// index of the first line after them.
fn directives(lines: &[&str]) -> (char, usize) {
    let mut escape = '\\';
    let mut index = 0;
    while let Some((name, value)) = lines.get(index).and_then(|line| directive(line)) {
        if name.eq_ignore_ascii_case("escape") && (value == "`" || value == "\\") {
            escape = if value == "`" { '`' } else { '\\' };
        }
        index += 1;
    }
    (escape, index)
}

/// `# name=value`, the form of a parser directive.
fn directive(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start().strip_prefix('#')?;
    let (name, value) = body.split_once('=')?;
    let name = name.trim();
    let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    is_name.then(|| (name, value.trim()))
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// Joins a line and its continuations (comment and blank lines inside are dropped, as BuildKit
/// does); returns the joined text and the index of the next line.
fn logical_line(lines: &[&str], start: usize, escape: char) -> (String, usize) {
    let mut joined = String::new();
    let mut index = start;
    while let Some(line) = lines.get(index) {
        index += 1;
        let content = line.trim_end_matches([' ', '\t', '\r']);
        match content.strip_suffix(escape) {
            Some(continued) => {
                joined.push_str(continued);
                joined.push(' ');
                while lines.get(index).is_some_and(|next| is_blank_or_comment(next)) {
                    index += 1;
                }
            }
            None => {
                joined.push_str(content);
                break;
            }
        }
    }
    (joined, index)
}

/// Skips the bodies of the here-documents an instruction opens (`<<EOF`, `<<-"EOF"`).
fn skip_heredocs(lines: &[&str], mut index: usize, args: &str) -> usize {
    for (word, strip_tabs) in heredoc_words(args) {
        while let Some(line) = lines.get(index) {
            index += 1;
            let line = line.trim_end_matches('\r');
            let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
            if line == word {
                break;
            }
        }
    }
    index
}

/// The terminator words of the here-documents in `args`, with whether leading tabs are stripped.
fn heredoc_words(args: &str) -> Vec<(&str, bool)> {
    let mut words = Vec::new();
    let mut rest = args;
    while let Some(at) = rest.find("<<") {
        let after = &rest[at + 2..];
        if rest[..at].ends_with('<') || after.starts_with('<') {
            rest = after.trim_start_matches('<');
            continue;
        }
        let (strip_tabs, after) = match after.strip_prefix('-') {
            Some(after) => (true, after),
            None => (false, after),
        };
        let (word, remaining) = heredoc_word(after);
        words.extend(word.map(|word| (word, strip_tabs)));
        rest = remaining;
    }
    words
}

/// The (optionally quoted) word after `<<`, and the text after it.
fn heredoc_word(text: &str) -> (Option<&str>, &str) {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''));
    let body = if quote.is_some() { &text[1..] } else { text };
    let end = body.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(body.len());
    let rest = &body[end..];
    let rest = quote.and_then(|quote| rest.strip_prefix(quote)).unwrap_or(rest);
    ((end > 0).then_some(&body[..end]), rest)
}

/// A `FROM` stage.
struct Stage {
    /// The name, lower-cased (`AS Builder` is stage `builder`).
    name: Option<String>,
    base: Base,
}

/// What a stage starts from.
enum Base {
    /// An image: index into the pending images.
    Image(usize),
    /// An earlier stage.
    Stage(usize),
    /// `scratch`: nothing.
    Scratch,
}

struct Reader<'a> {
    path: &'a str,
    line_offset: u32,
    escape: char,
    build: &'a Build,
    /// Values of the `ARG`s declared before the first `FROM` (absent: declared without value).
    global_args: HashMap<String, String>,
    /// Names of every `ARG` declared before the first `FROM`.
    global_declared: Vec<String>,
    /// Values of the `ARG`s of the current stage.
    stage_args: HashMap<String, String>,
    stages: Vec<Stage>,
    /// Image uses in file order; their scopes are settled once the delivered stage is known.
    pending: Vec<ImageFinding>,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn new(path: &'a str, line_offset: u32, escape: char, build: &'a Build) -> Self {
        Self {
            path,
            line_offset,
            escape,
            build,
            global_args: HashMap::new(),
            global_declared: Vec::new(),
            stage_args: HashMap::new(),
            stages: Vec::new(),
            pending: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn location(&self, line: u32) -> Location {
        Location::line(self.path, line.saturating_add(self.line_offset))
    }

    fn syntax(&self) -> Syntax {
        Syntax::Dockerfile { escape: self.escape }
    }

    fn problem(&mut self, line: u32, message: impl Into<String>) {
        self.problems.push(Problem { location: self.location(line), message: message.into() });
    }

    fn instruction(&mut self, instruction: &Instruction) {
        match instruction.keyword.as_str() {
            "arg" => self.arg(instruction),
            "from" => self.from(instruction),
            "copy" => self.copy(instruction),
            "run" => self.run(instruction),
            _ => {}
        }
    }

    fn arg(&mut self, instruction: &Instruction) {
        let in_global_scope = self.stages.is_empty();
        for word in split_words(&instruction.args, self.escape) {
            let (name, default) = match word.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (word, None),
            };
            if in_global_scope {
                self.declare_global(name, default, instruction.line);
            } else {
                self.declare_in_stage(name, default);
            }
        }
    }

    fn declare_global(&mut self, name: &str, default: Option<&str>, line: u32) {
        self.global_declared.push(name.to_owned());
        let value = match (self.build.args.get(name), default) {
            (Some(given), _) => Some(given.clone()),
            (None, Some(default)) => {
                let expansion = expand(default, &self.global_args, self.syntax());
                if !expansion.errors.is_empty() {
                    self.problem(line, format!("ARG {name}: {}", expansion.errors.join("; ")));
                }
                Some(expansion.value)
            }
            (None, None) => None,
        };
        match value {
            Some(value) => self.global_args.insert(name.to_owned(), value),
            None => self.global_args.remove(name),
        };
    }

    fn declare_in_stage(&mut self, name: &str, default: Option<&str>) {
        let value = match default {
            Some(default) => Some(expand(default, &self.stage_args, self.syntax()).value),
            None => self.build.args.get(name).or_else(|| self.global_args.get(name)).cloned(),
        };
        if let Some(value) = value {
            self.stage_args.insert(name.to_owned(), value);
        }
    }

    fn from(&mut self, instruction: &Instruction) {
        let line = instruction.line;
        let mut words = instruction.args.split_whitespace().peekable();
        let mut platform = None;
        while let Some(flag) = words.next_if(|word| word.starts_with("--")) {
            if let Some(value) = flag.strip_prefix("--platform=") {
                platform = Some(value);
            }
        }
        let Some(written) = words.next() else {
            self.problem(line, "FROM names no image");
            return;
        };
        let name = match (words.next(), words.next()) {
            (None, _) => None,
            (Some(keyword), Some(name)) if keyword.eq_ignore_ascii_case("as") => {
                Some(name.to_ascii_lowercase())
            }
            (Some(other), _) => {
                self.problem(line, format!("FROM {written}: expected 'AS <stage name>', found {other:?}"));
                None
            }
        };
        if let Some(extra) = words.next() {
            self.problem(line, format!("FROM {written}: unexpected {extra:?} after the stage name"));
        }
        self.stage_args.clear();
        let base = self.stage_base(written, platform, name.as_deref(), line);
        self.stages.push(Stage { name, base });
    }

    fn stage_base(&mut self, written: &str, platform: Option<&str>, stage: Option<&str>, line: u32) -> Base {
        let expansion = expand(written, &self.global_args, self.syntax());
        if expansion.is_resolved() {
            if expansion.value.eq_ignore_ascii_case("scratch") {
                return Base::Scratch;
            }
            if let Some(index) = self.stage_named(&expansion.value) {
                return Base::Stage(index);
            }
        }
        let mut image = self.image(written, &expansion, line, "FROM");
        if let Some(platform) = platform {
            let expanded = expand(platform, &self.global_args, self.syntax());
            let value = if expanded.is_resolved() { expanded.value } else { platform.to_owned() };
            image = image.with_property(PLATFORM, value);
        }
        if let Some(stage) = stage {
            image = image.with_property(STAGE, stage);
        }
        self.pending.push(image);
        Base::Image(self.pending.len() - 1)
    }

    fn stage_named(&self, name: &str) -> Option<usize> {
        self.stages
            .iter()
            .position(|stage| stage.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }

    /// The image finding for `written` (scope settled later), resolved or not.
    fn image(&self, written: &str, expansion: &Expansion, line: u32, instruction: &str) -> ImageFinding {
        let location = self.location(line);
        let image = if expansion.is_resolved() {
            ImageFinding::new(written, &expansion.value, Scope::Build, location)
        } else {
            ImageFinding::unresolved(written, Scope::Build, location, self.why_unresolved(expansion))
        };
        image.with_property(INSTRUCTION, instruction)
    }

    fn why_unresolved(&self, expansion: &Expansion) -> String {
        let mut reasons: Vec<String> = expansion
            .unset
            .iter()
            .map(|name| {
                if PLATFORM_ARGS.contains(&name.as_str()) {
                    format!("{name} depends on the platform the image is built for")
                } else if self.global_declared.iter().any(|declared| declared == name) {
                    format!("ARG {name} has no default value (it must be given with --build-arg)")
                } else {
                    format!("{name} is not declared by an ARG before the first FROM")
                }
            })
            .collect();
        reasons.extend(expansion.errors.iter().cloned());
        reasons.join("; ")
    }

    fn copy(&mut self, instruction: &Instruction) {
        for flag in leading_flags(&instruction.args) {
            if let Some(source) = flag.strip_prefix("--from=") {
                self.build_source(source, instruction.line, "COPY --from");
            }
        }
    }

    fn run(&mut self, instruction: &Instruction) {
        for flag in leading_flags(&instruction.args) {
            let Some(mount) = flag.strip_prefix("--mount=") else {
                continue;
            };
            let source = mount.split(',').find_map(|option| option.strip_prefix("from="));
            if let Some(source) = source {
                self.build_source(source, instruction.line, "RUN --mount");
            }
        }
    }

    /// A `--from` source: an earlier stage by name or index, or an image used while building.
    fn build_source(&mut self, written: &str, line: u32, instruction: &str) {
        let expansion = expand(written, &self.stage_args, self.syntax());
        if expansion.is_resolved() {
            if let Ok(index) = expansion.value.parse::<usize>() {
                if index >= self.stages.len() {
                    self.problem(line, format!("{instruction}={written} names no earlier stage"));
                }
                return;
            }
            if self.stage_named(&expansion.value).is_some() {
                return;
            }
        }
        let image = self.image(written, &expansion, line, instruction);
        self.pending.push(image);
    }

    fn finish(mut self) -> Analysis {
        if self.stages.is_empty() {
            let message = "no FROM instruction: nothing is built from this file".to_owned();
            self.problems.push(Problem { location: Location::file(self.path), message });
        }
        let (delivered_stage, target_missing) = match &self.build.target {
            Some(target) => match self.stage_named(target) {
                Some(index) => (Some(index), false),
                None => (None, true),
            },
            None => (self.stages.len().checked_sub(1), false),
        };
        let delivered = delivered_stage.and_then(|stage| self.root_image(stage));
        let images = self
            .pending
            .into_iter()
            .enumerate()
            .map(|(index, mut image)| {
                if Some(index) == delivered {
                    image.finding.scope = Scope::Infrastructure;
                    image = image.with_property(DELIVERED_BASE, "true");
                }
                image
            })
            .collect();
        Analysis { images, delivered, problems: self.problems, target_missing }
    }

    /// The image a stage ultimately starts from, following `FROM <stage>` links.
    fn root_image(&self, mut stage: usize) -> Option<usize> {
        loop {
            match self.stages.get(stage)?.base {
                Base::Image(image) => return Some(image),
                Base::Stage(earlier) if earlier < stage => stage = earlier,
                Base::Stage(_) | Base::Scratch => return None,
            }
        }
    }
}

/// The leading `--flag[=value]` words of an instruction's arguments.
fn leading_flags(args: &str) -> impl Iterator<Item = &str> {
    args.split_whitespace().take_while(|word| word.starts_with("--"))
}

/// Splits `ARG` arguments into words at unquoted, unescaped whitespace (quotes are kept for the
/// expansion to remove).
fn split_words(args: &str, escape: char) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut escaped = false;
    for (index, c) in args.char_indices() {
        if escaped {
            escaped = false;
        } else if c == escape {
            escaped = true;
        } else if let Some(open) = quote {
            if c == open {
                quote = None;
            }
        } else if c == '"' || c == '\'' {
            quote = Some(c);
        } else if c.is_whitespace() {
            if let Some(begin) = start.take() {
                words.push(&args[begin..index]);
            }
            continue;
        }
        start.get_or_insert(index);
    }
    if let Some(begin) = start {
        words.push(&args[begin..]);
    }
    words
}

#[cfg(test)]
mod tests;
