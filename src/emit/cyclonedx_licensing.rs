//! `cyclonedx-bom` 0.8 writes a licence's `licensing` object in JSON but drops it from XML (its
//! XML writer for `license` knows only the id or name, text, URL and properties). This puts it
//! back: it streams the XML document through `xml-rs` and adds, at the end of every `license`
//! of a component that has licensing terms, the `<licensing>` element the 1.5 and 1.6 schemas
//! define there, with its children in schema order.

use std::collections::HashMap;

use cyclonedx_bom::models::license::{LicenseContact, Licensing};
use xml::reader::{EventReader, ParserConfig, XmlEvent};
use xml::writer::{EmitterConfig, EventWriter, XmlEvent as WriteEvent};

use super::EmitError;

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
