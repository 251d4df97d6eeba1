//! Identifiers and dates derived from the scan, never from randomness or the clock: the CycloneDX
//! serial number, the SPDX document namespace, SPDX element ids and the documents' timestamps.

use std::collections::HashSet;

use time::macros::format_description;
use time::UtcOffset;
use uuid::Uuid;

use super::{EmitError, ScanMetadata};
use crate::inventory::Inventory;

/// The namespace of shelflife's name-based (version 5) UUIDs; fixed once, never to change.
const NAMESPACE: Uuid = Uuid::from_u128(0xc33b_775a_369e_43d3_900d_ff16_90db_2ac3);

/// A UUID that depends only on what the document says: the same inventory, metadata and
/// `label` (which tells document kinds apart) always give the same UUID, and any change to the
/// content gives another.
pub(crate) fn content_uuid(
    inventory: &Inventory,
    meta: &ScanMetadata,
    label: &str,
) -> Result<Uuid, EmitError> {
    let mut content = Vec::with_capacity(4096);
    for part in [label, meta.tool_version.as_str(), meta.root_name.as_str()] {
        content.extend_from_slice(part.as_bytes());
        content.push(0);
    }
    content.extend_from_slice(&meta.timestamp.unix_timestamp().to_be_bytes());
    serde_json::to_writer(&mut content, inventory)?;
    Ok(Uuid::new_v5(&NAMESPACE, &content))
}

/// A short, stable fingerprint of a string (eight hex digits), for ids that must stay apart.
pub(crate) fn fingerprint(text: &str) -> String {
    let uuid = Uuid::new_v5(&NAMESPACE, text.as_bytes());
    uuid.simple().to_string()[..8].to_owned()
}

/// The scan's timestamp as `YYYY-MM-DDThh:mm:ssZ`, the form both formats' validators accept.
pub(crate) fn timestamp(meta: &ScanMetadata) -> Result<String, EmitError> {
    let utc = meta
        .timestamp
        .to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .map_err(|_| EmitError::Timestamp(meta.timestamp))?;
    if !(0..=9999).contains(&utc.year()) {
        return Err(EmitError::Timestamp(meta.timestamp));
    }
    utc.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .map_err(|_| EmitError::Timestamp(meta.timestamp))
}

/// The scan's timestamp, to the second, as the `chrono` value `spdx-rs` models dates with.
pub(crate) fn chrono_timestamp(meta: &ScanMetadata) -> Result<chrono::DateTime<chrono::Utc>, EmitError> {
    chrono::DateTime::from_timestamp(meta.timestamp.unix_timestamp(), 0)
        .ok_or(EmitError::Timestamp(meta.timestamp))
}

/// Replaces every character outside `[A-Za-z0-9.-]` (the characters SPDX allows in ids) with `-`.
pub(crate) fn id_characters(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect()
}

/// Hands out ids that are unique within one document: the sanitised seed, or the seed with
/// `-2`, `-3`… appended when two seeds sanitise to the same id.
#[derive(Default)]
pub(crate) struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    /// A fresh id for `seed`, with `prefix` (such as `SPDXRef-`) in front.
    pub(crate) fn allocate(&mut self, prefix: &str, seed: &str) -> String {
        let base = format!("{prefix}{}", id_characters(seed));
        let mut candidate = base.clone();
        let mut counter = 1;
        while !self.used.insert(candidate.clone()) {
            counter += 1;
            candidate = format!("{base}-{counter}");
        }
        candidate
    }
}
