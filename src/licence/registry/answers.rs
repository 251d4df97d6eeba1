//! The licences stated in each registry's JSON answer, read with typed, borrowing structs that
//! ignore every other field.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::Registry;

/// The licence strings a registry's answer states, as written there (empty: none stated).
pub fn licences(registry: Registry, body: &[u8]) -> Result<Vec<String>, serde_json::Error> {
    match registry {
        Registry::Npm => npm(body),
        Registry::PyPi => pypi(body),
        Registry::Crates => crates(body),
    }
}

/// npm's `license` (a string; or the legacy `{"type": …}` object) and the legacy `licenses`
/// list; see <https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license>.
fn npm(body: &[u8]) -> Result<Vec<String>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Version<'a> {
        #[serde(default, borrow)]
        license: Option<NpmLicence<'a>>,
        #[serde(default, borrow)]
        licenses: Option<NpmLicence<'a>>,
    }
    let version: Version = serde_json::from_slice(body)?;
    let mut found = Vec::new();
    for licence in [version.license, version.licenses].into_iter().flatten() {
        licence.collect(&mut found);
    }
    Ok(found)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NpmLicence<'a> {
    Text(#[serde(borrow)] Cow<'a, str>),
    Object {
        #[serde(rename = "type", borrow)]
        kind: Cow<'a, str>,
    },
    List(#[serde(borrow)] Vec<NpmLicence<'a>>),
    Other(IgnoredAny),
}

impl NpmLicence<'_> {
    fn collect(self, into: &mut Vec<String>) {
        match self {
            Self::Text(text) | Self::Object { kind: text } => push_text(into, &text),
            Self::List(list) => list.into_iter().for_each(|licence| licence.collect(into)),
            Self::Other(IgnoredAny) => {}
        }
    }
}

/// PyPI's `info`: the PEP 639 `license_expression` where set; else the `license` field where
/// it is a short name; else the `License ::` classifiers; else a long `license` text (which
/// normalisation reads by its first line). See <https://docs.pypi.org/api/json/>.
fn pypi(body: &[u8]) -> Result<Vec<String>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Answer<'a> {
        #[serde(borrow)]
        info: Info<'a>,
    }
    #[derive(Deserialize)]
    struct Info<'a> {
        #[serde(default, borrow)]
        license_expression: Option<Cow<'a, str>>,
        #[serde(default, borrow)]
        license: Option<Cow<'a, str>>,
        #[serde(default, borrow)]
        classifiers: Vec<Cow<'a, str>>,
    }
    let info = serde_json::from_slice::<Answer>(body)?.info;
    let stated =
        |text: &Option<Cow<str>>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    if let Some(expression) = stated(&info.license_expression) {
        return Ok(vec![expression]);
    }
    let license = stated(&info.license).filter(|text| !text.eq_ignore_ascii_case("UNKNOWN"));
    if let Some(name) = license.as_ref().filter(|text| !text.contains('\n') && text.len() <= 200) {
        return Ok(vec![name.clone()]);
    }
    let classifiers: Vec<String> = info
        .classifiers
        .iter()
        .map(|c| c.trim())
        .filter(|c| c.starts_with("License ::") && *c != "License :: OSI Approved")
        .map(str::to_owned)
        .collect();
    if !classifiers.is_empty() {
        return Ok(classifiers);
    }
    Ok(license.into_iter().collect())
}

/// crates.io's `version.license` (an SPDX expression, or null where the crate gives a
/// licence file instead).
fn crates(body: &[u8]) -> Result<Vec<String>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Answer<'a> {
        #[serde(borrow)]
        version: Version<'a>,
    }
    #[derive(Deserialize)]
    struct Version<'a> {
        #[serde(default, borrow)]
        license: Option<Cow<'a, str>>,
    }
    let mut found = Vec::new();
    if let Some(license) = serde_json::from_slice::<Answer>(body)?.version.license {
        push_text(&mut found, &license);
    }
    Ok(found)
}

fn push_text(into: &mut Vec<String>, text: &str) {
    let text = text.trim();
    if !text.is_empty() && !into.iter().any(|known| known == text) {
        into.push(text.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        let full = format!("{}/fixtures/licences/registry/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    #[test]
    fn npm_answers_state_license_or_the_legacy_list() {
        assert_eq!(licences(Registry::Npm, &fixture("npm/left-pad@1.3.0.json")).unwrap(), ["WTFPL"]);
        assert_eq!(licences(Registry::Npm, &fixture("npm/@babel__core@7.24.0.json")).unwrap(), ["MIT"]);
        assert_eq!(
            licences(Registry::Npm, &fixture("npm/json-schema@0.2.3.json")).unwrap(),
            ["AFLv2.1", "BSD"]
        );
        assert_eq!(licences(Registry::Npm, br#"{"license": {"type": "ISC", "url": "x"}}"#).unwrap(), ["ISC"]);
        assert!(licences(Registry::Npm, br#"{"name": "x", "license": 3}"#).unwrap().is_empty());
    }

    #[test]
    fn pypi_answers_prefer_the_expression_then_a_short_name_then_classifiers() {
        assert_eq!(licences(Registry::PyPi, &fixture("pypi/attrs@26.1.0.json")).unwrap(), ["MIT"]);
        assert_eq!(licences(Registry::PyPi, &fixture("pypi/requests@2.34.2.json")).unwrap(), ["Apache-2.0"]);
        assert_eq!(licences(Registry::PyPi, &fixture("pypi/six@1.17.0.json")).unwrap(), ["MIT"]);
        let classifiers_only = br#"{"info": {"license": "UNKNOWN", "license_expression": null,
            "classifiers": ["License :: OSI Approved", "License :: OSI Approved :: BSD License", "Topic :: Utilities"]}}"#;
        assert_eq!(
            licences(Registry::PyPi, classifiers_only).unwrap(),
            ["License :: OSI Approved :: BSD License"]
        );
        let text = br#"{"info": {"license": "MIT License\n\nCopyright (c) 2020", "classifiers": []}}"#;
        assert_eq!(licences(Registry::PyPi, text).unwrap(), ["MIT License\n\nCopyright (c) 2020"]);
        assert!(licences(Registry::PyPi, br#"{"info": {"license": "", "classifiers": []}}"#)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn crates_answers_state_version_license_or_null() {
        assert_eq!(
            licences(Registry::Crates, &fixture("crates/serde@1.0.200.json")).unwrap(),
            ["MIT OR Apache-2.0"]
        );
        assert_eq!(
            licences(Registry::Crates, &fixture("crates/regex@0.1.80.json")).unwrap(),
            ["MIT/Apache-2.0"]
        );
        assert!(licences(Registry::Crates, &fixture("crates/ring@0.16.20.json")).unwrap().is_empty());
    }

    #[test]
    fn answers_of_another_shape_are_errors() {
        assert!(licences(Registry::PyPi, br#"{"message": "Not Found"}"#).is_err());
        assert!(licences(Registry::Crates, br#"{"errors": [{"detail": "Not Found"}]}"#).is_err());
        assert!(licences(Registry::Npm, b"<html>").is_err());
    }
}
