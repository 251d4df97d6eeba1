//! Licences as found, sorted into what each format can carry: a valid SPDX licence expression,
//! or free text that needs a named licence (CycloneDX) or a `LicenseRef-` (SPDX).
//! Full normalisation of licence names is enrichment's work, not the emitters'.

use std::collections::BTreeSet;

use spdx::{Expression, ParseMode};

use super::identity::{fingerprint, id_characters};

/// Whether `found` is a valid SPDX licence expression written exactly as the SPDX tools write
/// it back, so that it survives a round trip through both formats unchanged.
pub(crate) fn is_spdx_expression(found: &str) -> bool {
    let mode = ParseMode { allow_deprecated: true, ..ParseMode::STRICT };
    Expression::parse_mode(found, mode).is_ok()
        && spdx_expression::SpdxExpression::parse(found).is_ok_and(|parsed| parsed.to_string() == found)
}

/// The `LicenseRef-` names an SPDX expression uses (without `DocumentRef-` prefixes).
pub(crate) fn license_refs(expression: &str) -> BTreeSet<String> {
    let Ok(parsed) = spdx_expression::SpdxExpression::parse(expression) else {
        return BTreeSet::new();
    };
    let local_refs = parsed.licenses().into_iter().filter(|l| l.license_ref && l.document_ref.is_none());
    local_refs.map(ToString::to_string).collect()
}

/// The `LicenseRef-` id under which SPDX documents carry a licence found as free text: its
/// characters made id-safe, plus a fingerprint so that different texts never share an id.
pub(crate) fn license_ref_for(found: &str) -> String {
    let readable: String =
        id_characters(found).split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-");
    let readable: String = readable.chars().take(48).collect();
    let readable = readable.trim_end_matches(['-', '.']);
    if readable.is_empty() {
        format!("LicenseRef-found-{}", fingerprint(found))
    } else {
        format!("LicenseRef-{readable}-{}", fingerprint(found))
    }
}
