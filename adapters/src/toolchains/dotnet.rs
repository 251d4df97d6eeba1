//! The .NET SDK: `global.json`'s `sdk.version` and `rollForward`, and its `msbuild-sdks`.

use jsonc_parser::ast::{Object, Value};

use super::declared::{Collector, Declaration};
use super::json_doc::{self, Dialect, JsonDoc};
use super::version::{is_exact_release, SEMVER_PARTS};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::{ComponentKind, Scope};
use crate::purl;

/// The canonical name of the .NET SDK.
const DOTNET_SDK: &str = "dotnet-sdk";
/// `global.json`'s roll-forward policy.
pub const PROP_ROLL_FORWARD: &str = "shelflife:dotnet:roll-forward";
/// `global.json`'s `allowPrerelease`.
pub const PROP_ALLOW_PRERELEASE: &str = "shelflife:dotnet:allow-prerelease";

/// The roll-forward policies the .NET SDK knows.
const POLICIES: &[&str] = &[
    "patch",
    "feature",
    "minor",
    "major",
    "latestPatch",
    "latestFeature",
    "latestMinor",
    "latestMajor",
    "disable",
];

/// Reads `global.json` (JSON with comments, as the SDK reads it).
pub fn parse_global_json(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let doc = JsonDoc::parse(file.display_path, text, Dialect::WithComments)?;
    if let Some(sdk) = object_at(&doc, doc.root(), "sdk", out) {
        declare_sdk(&doc, sdk, out);
    }
    if let Some(sdks) = object_at(&doc, doc.root(), "msbuild-sdks", out) {
        declare_msbuild_sdks(&doc, sdks, out);
    }
    Ok(())
}

fn object_at<'o, 'a>(
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

/// Declares `sdk.version`. The SDK uses exactly that version when it is installed under the
/// default policy `patch` and under `disable`, so those are pinned; the other policies pick the
/// newest of a band or line, and no version at all means the newest SDK installed.
fn declare_sdk(doc: &JsonDoc<'_>, sdk: &Object<'_>, out: &mut Collector<'_>) {
    let version = string_at(doc, sdk, "version", out);
    let policy = string_at(doc, sdk, "rollForward", out);
    if let Some((name, line)) = policy.filter(|(name, _)| !POLICIES.contains(name)) {
        out.problem(Some(line), format!("unknown `rollForward` policy `{name}`"));
    }
    let policy_name = policy.map_or("patch", |(name, _)| name);
    let exact = version.is_some_and(|(v, _)| is_exact_release(v, SEMVER_PARTS));
    let line = version.or(policy).map_or_else(|| doc.line(sdk.range), |(_, line)| line);
    let declaration = Declaration {
        name: DOTNET_SDK,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: version.map_or("", |(v, _)| v),
        version: version.map(|(v, _)| v.to_owned()),
        pinned: exact && matches!(policy_name, "patch" | "disable"),
        field: "sdk.version",
    };
    let finding = out.declare(declaration, Scope::Build, line);
    if let Some((name, _)) = policy {
        finding.properties.insert(PROP_ROLL_FORWARD.to_owned(), name.to_owned());
    }
    if let Some(prop) = json_doc::prop(sdk, "allowPrerelease") {
        if let Value::BooleanLit(flag) = &prop.value {
            finding.properties.insert(PROP_ALLOW_PRERELEASE.to_owned(), flag.value.to_string());
        }
    }
}

/// The string at `key` with its line; a problem when it is there but not a string.
fn string_at<'o>(
    doc: &JsonDoc<'_>,
    object: &'o Object<'_>,
    key: &str,
    out: &mut Collector<'_>,
) -> Option<(&'o str, u32)> {
    let prop = json_doc::prop(object, key)?;
    let line = doc.line(prop.range);
    match &prop.value {
        Value::StringLit(text) => Some((text.value.trim(), line)),
        other => {
            let found = json_doc::type_name(other);
            out.problem(Some(line), format!("`{key}` must be a string, found {found}"));
            None
        }
    }
}

/// Declares each MSBuild project SDK (`"Microsoft.Build.Traversal": "4.1.0"`): NuGet packages
/// that take part in the build.
fn declare_msbuild_sdks(doc: &JsonDoc<'_>, sdks: &Object<'_>, out: &mut Collector<'_>) {
    for prop in &sdks.properties {
        let name = prop.name.as_str();
        let line = doc.line(prop.range);
        let Value::StringLit(version) = &prop.value else {
            let found = json_doc::type_name(&prop.value);
            out.problem(Some(line), format!("`msbuild-sdks.{name}` must be a version string, found {found}"));
            continue;
        };
        let version = version.value.trim();
        let field = format!("msbuild-sdks.{name}");
        let declaration = Declaration {
            name,
            spelling: None,
            kind: ComponentKind::Tool,
            declared: version,
            version: Some(version.to_owned()),
            pinned: true,
            field: &field,
        };
        let finding = out.declare(declaration, Scope::Build, line);
        finding.purl = purl::build("nuget", None, name, Some(version), &[]);
    }
}
