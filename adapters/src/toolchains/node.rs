//! Node.js and its package managers: `.nvmrc`, `.node-version`, and `package.json`'s `engines`,
//! `packageManager`, `volta` and `devEngines`.

use jsonc_parser::ast::{Object, ObjectProp, Value};

use super::declared::{Collector, Declaration};
use super::json_doc::{self, Dialect, JsonDoc};
use super::names::canonical;
use super::version::{is_exact_release, is_exact_requirement, SEMVER_PARTS};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::{ComponentKind, Finding, Hash, HashAlgorithm, Scope};

/// The canonical name of Node.js.
const NODEJS: &str = "nodejs";

/// Reads `.nvmrc` or `.node-version`: one version or alias (`20`, `v20.11.0`, `lts/iron`,
/// `node`), with `#` comments as nvm allows them.
pub fn parse_version_file(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let Some((line, version)) = single_version_line(text, out) else {
        out.problem(None, "empty file: it names no Node.js version");
        return Ok(());
    };
    out.declare(node_version(version, file_field(file.display_path)), Scope::Build, line);
    Ok(())
}

fn file_field(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The one meaningful line of a single-version file (comments after `#` and blank lines are
/// skipped), with its 1-based number. Further meaningful lines are reported as problems.
pub fn single_version_line<'t>(text: &'t str, out: &mut Collector<'_>) -> Option<(u32, &'t str)> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (u32::try_from(index + 1).unwrap_or(u32::MAX), strip_comment(line)))
        .filter(|(_, line)| !line.is_empty());
    let first = lines.next()?;
    if let Some((extra, _)) = lines.next() {
        out.problem(Some(extra), "this file holds one version; extra lines ignored");
    }
    Some(first)
}

fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("").trim()
}

/// A Node.js version as nvm, fnm or setup-node reads it: exact (`v20.11.0`, reported without
/// the `v`), a release line (`20`), or an alias (`lts/*`, `node`).
pub fn node_version<'a>(text: &'a str, field: &'a str) -> Declaration<'a> {
    let pinned = is_exact_release(text, SEMVER_PARTS);
    let version = if pinned { text.trim_start_matches('v') } else { text };
    Declaration {
        name: NODEJS,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: text,
        version: Some(version.to_owned()),
        pinned,
        field,
    }
}

/// Reads the tool declarations of a `package.json`.
pub fn parse_package_json(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let doc = JsonDoc::parse(file.display_path, text, Dialect::Strict)?;
    let root = doc.root();
    if let Some(engines) = object_prop(&doc, root, "engines", out) {
        let requirements: Vec<&ObjectProp<'_>> = engines.properties.iter().collect();
        declare_each(&doc, &requirements, "engines", Scope::Build, out);
    }
    if let Some(volta) = object_prop(&doc, root, "volta", out) {
        let pins: Vec<&ObjectProp<'_>> =
            volta.properties.iter().filter(|p| p.name.as_str() != "extends").collect();
        declare_each(&doc, &pins, "volta", Scope::Build, out);
    }
    if let Some(prop) = json_doc::prop(root, "packageManager") {
        declare_package_manager(&doc, prop, out);
    }
    if let Some(dev_engines) = object_prop(&doc, root, "devEngines", out) {
        for key in ["runtime", "packageManager"] {
            if let Some(prop) = json_doc::prop(dev_engines, key) {
                declare_dev_engine(&doc, prop, key, out);
            }
        }
    }
    Ok(())
}

/// The object at `key`; a problem when it is there but not an object.
fn object_prop<'o, 'a>(
    doc: &JsonDoc<'_>,
    object: &'o Object<'a>,
    key: &str,
    out: &mut Collector<'_>,
) -> Option<&'o Object<'a>> {
    let prop = json_doc::prop(object, key)?;
    match &prop.value {
        Value::Object(inner) => Some(inner),
        other => {
            let found = json_doc::type_name(other);
            out.problem(Some(doc.line(prop.range)), format!("`{key}` must be an object, found {found}"));
            None
        }
    }
}

/// Declares each `"tool": "version"` property of `engines` or `volta`.
fn declare_each(
    doc: &JsonDoc<'_>,
    props: &[&ObjectProp<'_>],
    field: &str,
    scope: Scope,
    out: &mut Collector<'_>,
) {
    for prop in props {
        let spelling = prop.name.as_str();
        let line = doc.line(prop.range);
        let Value::StringLit(value) = &prop.value else {
            let found = json_doc::type_name(&prop.value);
            out.problem(Some(line), format!("`{field}.{spelling}` must be a version string, found {found}"));
            continue;
        };
        let requirement = value.value.trim();
        let tool = canonical(spelling);
        let field = format!("{field}.{spelling}");
        let declaration = Declaration {
            name: tool.name,
            spelling: Some(spelling),
            kind: tool.kind,
            declared: requirement,
            version: Some(requirement.to_owned()),
            pinned: is_exact_requirement(requirement),
            field: &field,
        };
        out.declare(declaration, scope, line);
    }
}

/// Declares Corepack's `packageManager`: `pnpm@9.1.0+sha512.<hex>`.
fn declare_package_manager(doc: &JsonDoc<'_>, prop: &ObjectProp<'_>, out: &mut Collector<'_>) {
    let line = doc.line(prop.range);
    let Value::StringLit(value) = &prop.value else {
        let found = json_doc::type_name(&prop.value);
        out.problem(Some(line), format!("`packageManager` must be a string, found {found}"));
        return;
    };
    let text = value.value.trim();
    let Some(spec) = PackageManagerSpec::parse(text) else {
        out.problem(Some(line), format!("`packageManager` must be `name@version`, found `{text}`"));
        return;
    };
    let tool = canonical(spec.name);
    let declaration = Declaration {
        name: tool.name,
        spelling: Some(spec.name),
        kind: tool.kind,
        declared: text,
        version: spec.version.map(str::to_owned),
        pinned: spec.version.is_some_and(|v| is_exact_release(v, SEMVER_PARTS)),
        field: "packageManager",
    };
    let finding = out.declare(declaration, Scope::Build, line);
    if let Some(url) = spec.url {
        finding.properties.insert("shelflife:package-manager:url".to_owned(), url.to_owned());
    }
    let problem = spec.hash.and_then(|hash| add_hash(finding, hash).err());
    if let Some(message) = problem {
        out.problem(Some(line), message);
    }
}

/// The parts of a Corepack `packageManager` value.
#[derive(Debug, PartialEq, Eq)]
pub struct PackageManagerSpec<'a> {
    /// `pnpm`, `yarn`, `npm`.
    pub name: &'a str,
    /// The version, unless the value names a URL.
    pub version: Option<&'a str>,
    /// The URL of a tarball, when the value names one instead of a version.
    pub url: Option<&'a str>,
    /// `sha512.<hex>`, when given.
    pub hash: Option<&'a str>,
}

impl<'a> PackageManagerSpec<'a> {
    /// Splits `name@version+algorithm.hex` (or `name@url#algorithm.hex`).
    pub fn parse(text: &'a str) -> Option<Self> {
        let (name, rest) = text.split_once('@')?;
        if name.is_empty() || rest.is_empty() {
            return None;
        }
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let (url, hash) = match rest.split_once('#') {
                Some((url, hash)) => (url, Some(hash)),
                None => (rest, None),
            };
            return Some(Self { name, version: None, url: Some(url), hash });
        }
        let (version, hash) = match rest.split_once('+') {
            Some((version, hash)) if hash.contains('.') => (version, Some(hash)),
            _ => (rest, None),
        };
        Some(Self { name, version: Some(version), url: None, hash })
    }
}

/// Adds a Corepack hash (`sha512.<hex>`) to the finding; an unknown algorithm or digits that are
/// not hex are an error message and the hash is kept as a property instead.
fn add_hash(finding: &mut Finding, hash: &str) -> Result<(), String> {
    let (algorithm, hex) = hash.split_once('.').unwrap_or((hash, ""));
    let known = match algorithm {
        "md5" => Some(HashAlgorithm::Md5),
        "sha1" => Some(HashAlgorithm::Sha1),
        "sha256" => Some(HashAlgorithm::Sha256),
        "sha384" => Some(HashAlgorithm::Sha384),
        "sha512" => Some(HashAlgorithm::Sha512),
        _ => None,
    };
    let is_hex = !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    match known {
        Some(algorithm) if is_hex => {
            finding.hashes.push(Hash { algorithm, value: hex.to_ascii_lowercase() });
            Ok(())
        }
        _ => {
            finding.properties.insert("shelflife:package-manager:hash".to_owned(), hash.to_owned());
            if is_hex {
                Ok(())
            } else {
                Err(format!("`packageManager` hash `{hash}` is not `<algorithm>.<hex digits>`"))
            }
        }
    }
}

/// Declares `devEngines.runtime` or `devEngines.packageManager`: an object `{name, version}`
/// or an array of them.
fn declare_dev_engine(doc: &JsonDoc<'_>, prop: &ObjectProp<'_>, key: &str, out: &mut Collector<'_>) {
    let field = format!("devEngines.{key}");
    let entries: Vec<&Value<'_>> = match &prop.value {
        Value::Array(array) => array.elements.iter().collect(),
        other => vec![other],
    };
    for entry in entries {
        let line = doc.line(json_doc::range_of(entry));
        let Value::Object(object) = entry else {
            let found = json_doc::type_name(entry);
            out.problem(Some(line), format!("`{field}` entries must be objects, found {found}"));
            continue;
        };
        let Some(name) = string_of(object, "name") else {
            out.problem(Some(line), format!("`{field}` entry has no string `name`"));
            continue;
        };
        let requirement = string_of(object, "version").map(str::trim);
        let tool = canonical(name);
        let declaration = Declaration {
            name: tool.name,
            spelling: Some(name),
            kind: tool.kind,
            declared: requirement.unwrap_or(""),
            version: requirement.map(str::to_owned),
            pinned: requirement.is_some_and(is_exact_requirement),
            field: &field,
        };
        out.declare(declaration, Scope::Development, line);
    }
}

fn string_of<'o>(object: &'o Object<'_>, key: &str) -> Option<&'o str> {
    match &json_doc::prop(object, key)?.value {
        Value::StringLit(value) => Some(&value.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_manager_with_hash() {
        let spec = PackageManagerSpec::parse("pnpm@9.1.0+sha512.abc1").unwrap();
        assert_eq!(
            spec,
            PackageManagerSpec { name: "pnpm", version: Some("9.1.0"), url: None, hash: Some("sha512.abc1") }
        );
    }

    #[test]
    fn package_manager_build_metadata_is_not_a_hash() {
        let spec = PackageManagerSpec::parse("yarn@4.0.0+build").unwrap();
        assert_eq!(spec.version, Some("4.0.0+build"));
        assert_eq!(spec.hash, None);
    }

    #[test]
    fn package_manager_url() {
        let spec = PackageManagerSpec::parse("yarn@https://example.invalid/yarn.tgz#sha224.ab").unwrap();
        assert_eq!(spec.url, Some("https://example.invalid/yarn.tgz"));
        assert_eq!(spec.hash, Some("sha224.ab"));
        assert!(PackageManagerSpec::parse("pnpm").is_none());
        assert!(PackageManagerSpec::parse("@9.0.0").is_none());
    }
}
