//! Two gaps of `cyclonedx-bom` 0.8 around a licence's `licensing` object, closed by hand:
//!
//! - its JSON writer writes the fields left out as `null`, which the schemas do not allow:
//!   [`drop_json_nulls`] takes them out;
//! - its XML writer for `license` knows only the id or name, text, URL and properties, so the
//!   object is dropped: [`add_licensing`] streams the XML document through `xml-rs` and adds, at
//!   the end of every `license` of a component that has licensing terms, the `<licensing>`
//!   element the 1.5 and 1.6 schemas define there, with its children in schema order.

use std::collections::HashMap;

use cyclonedx_bom::models::license::{LicenseContact, Licensing};
use xml::reader::{EventReader, ParserConfig, XmlEvent};
use xml::writer::{EmitterConfig, EventWriter, XmlEvent as WriteEvent};

use super::cyclonedx::find;
use super::EmitError;

/// The members of `licensing`; no other CycloneDX 1.5 object has members of these names.
const LICENSING_MEMBERS: [&str; 8] = [
    "altIds",
    "licensor",
    "licensee",
    "purchaser",
    "purchaseOrder",
    "licenseTypes",
    "lastRenewal",
    "expiration",
];

/// The JSON document without the `null` members `cyclonedx-bom` writes into `licensing`
/// objects, each taken out with the comma that separates it from its neighbour. A member name
/// inside a string value is escaped (`\"licensee\"`), so it never matches.
pub(super) fn drop_json_nulls(document: Vec<u8>) -> Vec<u8> {
    LICENSING_MEMBERS.iter().fold(document, |document, member| {
        let needle = format!("\"{member}\": null");
        drop_all(document, needle.as_bytes())
    })
}

/// `document` without every occurrence of `member` and one comma beside it.
fn drop_all(document: Vec<u8>, member: &[u8]) -> Vec<u8> {
    if find(&document, member).is_none() {
        return document;
    }
    let mut out = Vec::with_capacity(document.len());
    let mut rest = document.as_slice();
    while let Some(start) = find(rest, member) {
        let before = &rest[..start];
        let after = &rest[start + member.len()..];
        let kept_before = before.trim_ascii_end();
        if let Some(without_comma) = kept_before.strip_suffix(b",") {
            out.extend_from_slice(without_comma);
            rest = after;
        } else {
            out.extend_from_slice(before);
            let trimmed = after.trim_ascii_start();
            rest = trimmed.strip_prefix(b",").map_or(after, <[u8]>::trim_ascii_start);
        }
    }
    out.extend_from_slice(rest);
    out
}

/// One open element: its name, and for a component the licensing terms of its licences.
struct Open<'a> {
    name: String,
    licensing: Option<&'a Licensing>,
}

/// The XML document with a `<licensing>` element in every `license` of the components whose
/// bom-ref has terms in `licensing`.
pub(super) fn add_licensing(
    document: &[u8],
    licensing: &HashMap<&str, Licensing>,
) -> Result<Vec<u8>, EmitError> {
    if licensing.is_empty() {
        return Ok(document.to_vec());
    }
    let reader = EventReader::new_with_config(document, ParserConfig::new().trim_whitespace(true));
    let mut writer =
        EmitterConfig::new().perform_indent(true).create_writer(Vec::with_capacity(document.len() * 2));
    let mut open: Vec<Open<'_>> = Vec::new();
    for event in reader {
        let event = event.map_err(|e| EmitError::XmlLicensing(e.to_string()))?;
        match &event {
            XmlEvent::StartElement { name, attributes, .. } => {
                let bom_ref = (name.local_name == "component")
                    .then(|| attributes.iter().find(|a| a.name.local_name == "bom-ref"))
                    .flatten();
                let terms = bom_ref.and_then(|bom_ref| licensing.get(bom_ref.value.as_str()));
                open.push(Open { name: name.local_name.clone(), licensing: terms });
            }
            XmlEvent::EndElement { .. } => {
                let closed = open.pop();
                if let Some(terms) = closed.filter(|c| c.name == "license").and_then(|_| licence_terms(&open))
                {
                    write_licensing(&mut writer, terms)?;
                }
            }
            _ => {}
        }
        if let Some(event) = event.as_writer_event() {
            writer.write(event).map_err(|e| EmitError::XmlLicensing(e.to_string()))?;
        }
    }
    Ok(writer.into_inner())
}

/// The terms for a `license` whose parents are `open`: those of the component whose
/// `licenses` holds it.
fn licence_terms<'a>(open: &[Open<'a>]) -> Option<&'a Licensing> {
    match open {
        [.., component, licenses] if licenses.name == "licenses" && component.name == "component" => {
            component.licensing
        }
        _ => None,
    }
}

/// `<licensing>` with `altIds`, `licensor`, `licenseTypes` and `expiration`, the parts
/// shelflife fills.
fn write_licensing(writer: &mut EventWriter<Vec<u8>>, licensing: &Licensing) -> Result<(), EmitError> {
    start(writer, "licensing")?;
    if let Some(alt_ids) = &licensing.alt_ids {
        start(writer, "altIds")?;
        for alt_id in alt_ids {
            simple(writer, "altId", alt_id.as_ref())?;
        }
        end(writer)?;
    }
    if let Some(LicenseContact::Organization(organisation)) = &licensing.licensor {
        start(writer, "licensor")?;
        start(writer, "organization")?;
        if let Some(name) = &organisation.name {
            simple(writer, "name", name.as_ref())?;
        }
        end(writer)?;
        end(writer)?;
    }
    if let Some(types) = &licensing.license_types {
        start(writer, "licenseTypes")?;
        for license_type in types {
            simple(writer, "licenseType", &license_type.to_string())?;
        }
        end(writer)?;
    }
    if let Some(expiration) = &licensing.expiration {
        simple(writer, "expiration", expiration.as_ref())?;
    }
    end(writer)
}

fn start(writer: &mut EventWriter<Vec<u8>>, name: &str) -> Result<(), EmitError> {
    write(writer, WriteEvent::start_element(name).into())
}

fn end(writer: &mut EventWriter<Vec<u8>>) -> Result<(), EmitError> {
    write(writer, WriteEvent::end_element().into())
}

/// `<name>text</name>`.
fn simple(writer: &mut EventWriter<Vec<u8>>, name: &str, text: &str) -> Result<(), EmitError> {
    start(writer, name)?;
    write(writer, WriteEvent::characters(text))?;
    end(writer)
}

fn write(writer: &mut EventWriter<Vec<u8>>, event: WriteEvent<'_>) -> Result<(), EmitError> {
    writer.write(event).map_err(|e| EmitError::XmlLicensing(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_members_go_with_one_comma_each() {
        let json = br#"{"licensing": {
  "altIds": null,
  "licensor": {"organization": {"name": "Acme \"licensee\": null"}},
  "licensee": null,
  "licenseTypes": ["perpetual"],
  "expiration": null
}, "other": 1}"#;
        let cleaned = String::from_utf8(drop_json_nulls(json.to_vec())).unwrap();
        let value: serde_json::Value = serde_json::from_str(&cleaned).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"licensing": {
                "licensor": {"organization": {"name": "Acme \"licensee\": null"}},
                "licenseTypes": ["perpetual"]
            }, "other": 1})
        );
        let only = drop_json_nulls(br#"{"licensing": {"expiration": null}}"#.to_vec());
        assert_eq!(String::from_utf8(only).unwrap(), r#"{"licensing": {}}"#);
    }
}
