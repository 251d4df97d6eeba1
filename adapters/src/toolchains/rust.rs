//! The Rust toolchain: `rust-toolchain` (a bare channel, or TOML), `rust-toolchain.toml`, and
//! the minimum supported Rust version and edition of `Cargo.toml`.
//!
//! A `Cargo.toml`'s `edition` is reported as the property `shelflife:rust:edition` of its rust
//! finding, not as a finding of its own: an edition is a language mode of the one toolchain and
//! has no lifecycle. Without a `rust-version`, the edition still sets a minimum toolchain (2021
//! needs Rust 1.56), and that minimum becomes the finding's version range.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::declared::{Collector, Declaration};
use super::toml_doc::{self, TomlDoc, Value};
use super::version::{is_exact_release, SEMVER_PARTS};
use crate::adapter::{FileAccess, ParseError, SourceFile};
use crate::finding::{ComponentKind, Finding, Scope};

/// The canonical name of the Rust toolchain.
const RUST: &str = "rust";
/// The edition, as a property of the rust finding.
pub const PROP_EDITION: &str = "shelflife:rust:edition";
/// The workspace manifest an inherited `rust-version` or `edition` comes from.
pub const PROP_INHERITED_FROM: &str = "shelflife:version:inherited-from";

/// Reads `rust-toolchain` or `rust-toolchain.toml`.
pub fn parse_toolchain_file(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    if file.display_path.ends_with(".toml") || looks_like_toml(text) {
        return parse_toolchain_toml(file.display_path, text, out);
    }
    let mut channels = text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    let Some((index, channel)) = channels.next() else {
        out.problem(None, "empty rust-toolchain file: it names no channel");
        return Ok(());
    };
    let line = line_number(index);
    if let Some((extra, _)) = channels.next() {
        out.problem(
            Some(line_number(extra)),
            "a legacy rust-toolchain file holds one channel; extra lines ignored",
        );
    }
    declare_channel(channel.trim(), "channel", line, out);
    Ok(())
}

fn looks_like_toml(text: &str) -> bool {
    text.lines().any(|line| line.trim_start().starts_with('[') || line.contains('='))
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

fn parse_toolchain_toml(path: &str, text: &str, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let doc = TomlDoc::parse(path, text)?;
    let toolchain = match toml_doc::table(doc.root(), "toolchain") {
        Ok(Some(table)) => table,
        Ok(None) => {
            out.problem(None, "no [toolchain] table: the file names no toolchain");
            return Ok(());
        }
        Err(value) => {
            out.problem(Some(doc.line(value)), "`toolchain` must be a table");
            return Ok(());
        }
    };
    let line = doc.root().get("toolchain").map_or(1, |value| doc.line(value));
    let mut extras = Vec::new();
    for key in ["components", "targets"] {
        if let Some(list) = string_list(&doc, toolchain, key, out) {
            extras.push((format!("shelflife:rust:{key}"), list));
        }
    }
    if let Some(profile) = string_value(&doc, toolchain, "profile", out) {
        extras.push(("shelflife:rust:profile".to_owned(), profile.to_owned()));
    }
    if let Some(finding) = declare_toml_toolchain(&doc, toolchain, line, out) {
        finding.properties.extend(extras);
    }
    Ok(())
}

/// Declares the toolchain of a `[toolchain]` table: its `channel`, else its custom `path`, else
/// the default toolchain.
fn declare_toml_toolchain<'o>(
    doc: &TomlDoc<'_>,
    toolchain: &DeTable<'_>,
    table_line: u32,
    out: &'o mut Collector<'_>,
) -> Option<&'o mut Finding> {
    if let Some(value) = toolchain.get("channel") {
        let Some(channel) = value.get_ref().as_str() else {
            let found = toml_doc::type_name(value.get_ref());
            out.problem(Some(doc.line(value)), format!("`channel` must be a string, found {found}"));
            return None;
        };
        return Some(declare_channel(channel.trim(), "toolchain.channel", doc.line(value), out));
    }
    let path = string_value(doc, toolchain, "path", out);
    let declaration = Declaration {
        name: RUST,
        spelling: None,
        kind: ComponentKind::Tool,
        declared: "",
        version: None,
        pinned: false,
        field: if path.is_some() { "toolchain.path" } else { "toolchain" },
    };
    let finding = out.declare(declaration, Scope::Build, table_line);
    if let Some(path) = path {
        finding.properties.insert("shelflife:rust:toolchain-path".to_owned(), path.to_owned());
    }
    Some(finding)
}

fn string_value<'t>(
    doc: &TomlDoc<'_>,
    table: &'t DeTable<'_>,
    key: &str,
    out: &mut Collector<'_>,
) -> Option<&'t str> {
    let value = table.get(key)?;
    let text = value.get_ref().as_str();
    if text.is_none() {
        let found = toml_doc::type_name(value.get_ref());
        out.problem(Some(doc.line(value)), format!("`{key}` must be a string, found {found}"));
    }
    text
}

fn string_list(doc: &TomlDoc<'_>, table: &DeTable<'_>, key: &str, out: &mut Collector<'_>) -> Option<String> {
    let value = table.get(key)?;
    let items: Option<Vec<&str>> = value
        .get_ref()
        .as_array()
        .and_then(|items| items.iter().map(|item| item.get_ref().as_str()).collect());
    if items.is_none() {
        out.problem(Some(doc.line(value)), format!("`{key}` must be an array of strings"));
    }
    items.map(|items| items.join(","))
}

/// A rustup channel: `stable`, `beta`, `nightly`, `1.79`, `1.79.0`, each optionally followed by
/// an archive date (`nightly-2024-05-01`) and a host triple (`1.79.0-x86_64-unknown-linux-gnu`).
#[derive(Debug, PartialEq, Eq)]
pub struct Channel<'a> {
    /// The channel with its date: the version reported.
    pub version: &'a str,
    /// The host triple, when one is written.
    pub host: Option<&'a str>,
    /// Whether it names one exact toolchain: a full version, or a dated channel.
    pub pinned: bool,
}

impl<'a> Channel<'a> {
    /// Splits a channel as rustup reads it.
    pub fn parse(text: &'a str) -> Self {
        let name_end = text.find('-').unwrap_or(text.len());
        let (name, rest) = text.split_at(name_end);
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let dated = is_archive_date(rest.get(..10).unwrap_or(""));
        let version_end = if dated { name_end + 11 } else { name_end };
        let version = text.get(..version_end.min(text.len())).unwrap_or(text);
        let host = text.get(version_end + 1..).filter(|host| !host.is_empty());
        let pinned = dated || is_exact_release(name, SEMVER_PARTS);
        Self { version, host, pinned }
    }
}

fn is_archive_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

fn declare_channel<'o>(text: &str, field: &str, line: u32, out: &'o mut Collector<'_>) -> &'o mut Finding {
    let channel = Channel::parse(text);
    let declaration = Declaration {
        name: RUST,
        spelling: None,
        kind: ComponentKind::Tool,
        declared: text,
        version: Some(channel.version.to_owned()),
        pinned: channel.pinned,
        field,
    };
    let finding = out.declare(declaration, Scope::Build, line);
    if let Some(host) = channel.host {
        finding.properties.insert("shelflife:rust:host".to_owned(), host.to_owned());
    }
    finding
}

/// The first Rust release of each edition: the minimum toolchain an edition implies.
const EDITION_MINIMUMS: &[(&str, &str)] =
    &[("2015", "1.0"), ("2018", "1.31"), ("2021", "1.56"), ("2024", "1.85")];

/// Reads `rust-version` and `edition` from `[package]` and `[workspace.package]` of a
/// `Cargo.toml`, following `rust-version.workspace = true` to the workspace manifest.
pub fn parse_cargo_manifest(
    file: &SourceFile<'_>,
    files: &dyn FileAccess,
    out: &mut Collector<'_>,
) -> Result<(), ParseError> {
    let text = file.text()?;
    let doc = TomlDoc::parse(file.display_path, text)?;
    let workspace_package = workspace_package(&doc, out);
    if let Some(settings) = &workspace_package {
        declare_manifest_rust(settings, "workspace.package", out);
    }
    let package = match toml_doc::table(doc.root(), "package") {
        Ok(package) => package,
        Err(value) => {
            out.problem(Some(doc.line(value)), "`package` must be a table");
            None
        }
    };
    if let Some(package) = package {
        let mut settings = RustSettings::read(&doc, package, out);
        if settings.inherits() {
            let inherited = match &workspace_package {
                Some(own) => Some((own.clone(), file.display_path.to_owned())),
                None => find_workspace_settings(file, files),
            };
            settings.inherit(inherited, out);
        }
        declare_manifest_rust(&settings, "package", out);
    }
    Ok(())
}

fn workspace_package(doc: &TomlDoc<'_>, out: &mut Collector<'_>) -> Option<RustSettings> {
    let workspace = match toml_doc::table(doc.root(), "workspace") {
        Ok(workspace) => workspace?,
        Err(value) => {
            out.problem(Some(doc.line(value)), "`workspace` must be a table");
            return None;
        }
    };
    match toml_doc::table(workspace, "package") {
        Ok(package) => package.map(|package| RustSettings::read(doc, package, out)),
        Err(value) => {
            out.problem(Some(doc.line(value)), "`workspace.package` must be a table");
            None
        }
    }
}

/// One manifest setting: a value with its line, or `{ workspace = true }`.
#[derive(Debug, Clone)]
enum Setting {
    Value { text: String, line: u32, inherited_from: Option<String> },
    Inherited { line: u32 },
}

/// The `rust-version` and `edition` of one `[package]` or `[workspace.package]` table.
#[derive(Debug, Clone, Default)]
struct RustSettings {
    rust_version: Option<Setting>,
    edition: Option<Setting>,
}

impl RustSettings {
    fn read(doc: &TomlDoc<'_>, table: &DeTable<'_>, out: &mut Collector<'_>) -> Self {
        Self {
            rust_version: read_setting(doc, table, "rust-version", out),
            edition: read_setting(doc, table, "edition", out),
        }
    }

    fn inherits(&self) -> bool {
        [&self.rust_version, &self.edition].into_iter().any(|s| matches!(s, Some(Setting::Inherited { .. })))
    }

    /// Replaces `{ workspace = true }` settings by the workspace's values, keeping the line of
    /// the inheriting manifest.
    fn inherit(&mut self, workspace: Option<(RustSettings, String)>, out: &mut Collector<'_>) {
        let (settings, root) = match workspace {
            Some((settings, root)) => (settings, Some(root)),
            None => (RustSettings::default(), None),
        };
        for (key, own, theirs) in [
            ("rust-version", &mut self.rust_version, settings.rust_version),
            ("edition", &mut self.edition, settings.edition),
        ] {
            let Some(Setting::Inherited { line }) = own else { continue };
            let line = *line;
            *own = match (theirs, &root) {
                (Some(Setting::Value { text, .. }), Some(root)) => {
                    Some(Setting::Value { text, line, inherited_from: Some(root.clone()) })
                }
                _ => {
                    let message = format!(
                        "`{key}.workspace = true`, but no workspace manifest above this one sets `workspace.package.{key}`"
                    );
                    out.problem(Some(line), message);
                    None
                }
            };
        }
    }
}

fn read_setting(
    doc: &TomlDoc<'_>,
    table: &DeTable<'_>,
    key: &str,
    out: &mut Collector<'_>,
) -> Option<Setting> {
    let value = table.get(key)?;
    let line = doc.line(value);
    match value.get_ref() {
        DeValue::String(text) => {
            Some(Setting::Value { text: text.trim().to_owned(), line, inherited_from: None })
        }
        DeValue::Table(inner) if is_workspace_true(inner) => Some(Setting::Inherited { line }),
        other => {
            let found = toml_doc::type_name(other);
            out.problem(
                Some(line),
                format!("`{key}` must be a string or `{{ workspace = true }}`, found {found}"),
            );
            None
        }
    }
}

fn is_workspace_true(table: &DeTable<'_>) -> bool {
    table.get("workspace").and_then(|value: &Value<'_>| value.get_ref().as_bool()) == Some(true)
}

/// The minimum toolchain of a `[package]` or `[workspace.package]`: its `rust-version`, else
/// the first release of its edition.
fn declare_manifest_rust(settings: &RustSettings, table: &str, out: &mut Collector<'_>) {
    let edition = match &settings.edition {
        Some(Setting::Value { text, line, .. }) => Some((text.as_str(), *line)),
        _ => None,
    };
    let (declared, minimum, line, field, inherited_from) = match &settings.rust_version {
        Some(Setting::Value { text, line, inherited_from }) => {
            (text.as_str(), text.as_str(), *line, "rust-version", inherited_from.as_deref())
        }
        _ => {
            let Some((edition, line)) = edition else { return };
            let Some(minimum) = edition_minimum(edition) else {
                out.problem(Some(line), format!("unknown Rust edition `{edition}`"));
                return;
            };
            let inherited_from = match &settings.edition {
                Some(Setting::Value { inherited_from, .. }) => inherited_from.as_deref(),
                _ => None,
            };
            (edition, minimum, line, "edition", inherited_from)
        }
    };
    let field = format!("{table}.{field}");
    let declaration = Declaration {
        name: RUST,
        spelling: None,
        kind: ComponentKind::Tool,
        declared,
        version: Some(format!(">={minimum}")),
        pinned: false,
        field: &field,
    };
    let finding = out.declare(declaration, Scope::Build, line);
    if let Some((edition, _)) = edition {
        finding.properties.insert(PROP_EDITION.to_owned(), edition.to_owned());
    }
    if let Some(root) = inherited_from {
        finding.properties.insert(PROP_INHERITED_FROM.to_owned(), root.to_owned());
    }
}

fn edition_minimum(edition: &str) -> Option<&'static str> {
    EDITION_MINIMUMS.iter().find(|(known, _)| *known == edition).map(|(_, minimum)| *minimum)
}

/// The `[workspace.package]` settings of the nearest manifest above `file` that has a
/// `[workspace]`, with that manifest's display path. Unreadable or broken manifests are passed
/// over: they are reported when they are scanned themselves.
fn find_workspace_settings(file: &SourceFile<'_>, files: &dyn FileAccess) -> Option<(RustSettings, String)> {
    let depth = file.display_path.matches('/').count();
    let mut directory = file.path.parent();
    let mut display_dir = file.display_path.rsplit_once('/').map(|(dir, _)| dir);
    for _ in 0..depth {
        directory = directory.and_then(Path::parent);
        display_dir = display_dir.map(|dir| dir.rsplit_once('/').map_or("", |(parent, _)| parent));
        let (Some(dir), Some(display)) = (directory, display_dir) else { return None };
        let display =
            if display.is_empty() { "Cargo.toml".to_owned() } else { format!("{display}/Cargo.toml") };
        if let Some(settings) = workspace_settings_in(&dir.join("Cargo.toml"), &display, files) {
            return Some((settings, display));
        }
    }
    None
}

fn workspace_settings_in(path: &Path, display: &str, files: &dyn FileAccess) -> Option<RustSettings> {
    let bytes = files.read(path).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let doc = TomlDoc::parse(display, text).ok()?;
    toml_doc::table(doc.root(), "workspace").ok()??;
    let mut ignored = Collector::new(display);
    Some(workspace_package(&doc, &mut ignored).unwrap_or_default())
}
