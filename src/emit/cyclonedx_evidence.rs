//! `cyclonedx-bom` 0.8 writes a component's `evidence.occurrences` in JSON but drops them from
//! XML (its XML writer knows only the evidence's licences and copyright). This puts them back:
//! it streams the XML document through `xml-rs` and adds, at the end of every component that
//! has places, the `<evidence><occurrences>` element the 1.5 and 1.6 schemas define there.

use std::collections::HashMap;

use xml::reader::{EventReader, ParserConfig, XmlEvent};
use xml::writer::{EmitterConfig, EventWriter, XmlEvent as WriteEvent};

use super::EmitError;

/// The XML document with an `<evidence>` element added to every component whose bom-ref has
/// paths in `occurrences`.
pub(super) fn add_occurrences(
    document: &[u8],
    occurrences: &HashMap<&str, Vec<&str>>,
) -> Result<Vec<u8>, EmitError> {
    let reader = EventReader::new_with_config(document, ParserConfig::new().trim_whitespace(true));
    let mut writer =
        EmitterConfig::new().perform_indent(true).create_writer(Vec::with_capacity(document.len() * 2));
    let mut open: Vec<Option<&Vec<&str>>> = Vec::new();
    for event in reader {
        let event = event.map_err(|e| EmitError::XmlEvidence(e.to_string()))?;
        match &event {
            XmlEvent::StartElement { name, attributes, .. } => open.push(
                (name.local_name == "component")
                    .then(|| attributes.iter().find(|a| a.name.local_name == "bom-ref"))
                    .flatten()
                    .and_then(|bom_ref| occurrences.get(bom_ref.value.as_str())),
            ),
            XmlEvent::EndElement { .. } => {
                if let Some(Some(paths)) = open.pop() {
                    write_evidence(&mut writer, paths)?;
                }
            }
            _ => {}
        }
        if let Some(event) = event.as_writer_event() {
            writer.write(event).map_err(|e| EmitError::XmlEvidence(e.to_string()))?;
        }
    }
    Ok(writer.into_inner())
}

/// `<evidence><occurrences><occurrence><location>path</location></occurrence>…`.
fn write_evidence(writer: &mut EventWriter<Vec<u8>>, paths: &[&str]) -> Result<(), EmitError> {
    let mut events =
        vec![WriteEvent::start_element("evidence").into(), WriteEvent::start_element("occurrences").into()];
    for path in paths {
        events.extend([
            WriteEvent::start_element("occurrence").into(),
            WriteEvent::start_element("location").into(),
            WriteEvent::characters(path),
            WriteEvent::end_element().into(),
            WriteEvent::end_element().into(),
        ]);
    }
    events.extend([WriteEvent::end_element().into(), WriteEvent::end_element().into()]);
    for event in events {
        writer.write::<WriteEvent>(event).map_err(|e| EmitError::XmlEvidence(e.to_string()))?;
    }
    Ok(())
}
