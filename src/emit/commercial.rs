//! Commercial terms ([`Terms`]) in the documents: in CycloneDX a licence with the `licensing`
//! object (licence types, expiration, licensor, the contract as an alternative id); in SPDX a
//! `LicenseRef-` per component whose extracted text states the terms. The terms stay in the
//! component's `shelflife:commercial:*` properties as well, which is what reading back uses.

use cyclonedx_bom::models::license::{
    License, LicenseChoice, LicenseContact, LicenseType, Licenses, Licensing,
};
use cyclonedx_bom::models::organization::OrganizationalEntity;
use cyclonedx_bom::prelude::{DateTime, NormalizedString};
use time::Date;

use super::identity::{fingerprint, id_characters};
use super::license::{is_spdx_expression, license_refs};
use super::EmitError;
use crate::commercial::terms::Terms;
use crate::inventory::Component;
use crate::lifecycle::dates::format_day;

/// The component's commercial terms, when it has terms that make it commercial software.
pub(super) fn terms(component: &Component) -> Result<Option<Terms>, EmitError> {
    match Terms::from_properties(&component.properties) {
        None => Ok(None),
        Some(Ok(terms)) => Ok(terms.is_commercial().then_some(terms)),
        Some(Err(error)) => {
            Err(EmitError::CommercialTerms { bom_ref: component.bom_ref.clone(), reason: error.to_string() })
        }
    }
}

/// The vendor as a CycloneDX organisation.
pub(super) fn organisation(vendor: &str) -> OrganizationalEntity {
    OrganizationalEntity::new(vendor)
}

/// The licence a commercial component's licence is written as in CycloneDX: an SPDX licence
/// id as such; anything else (a `LicenseRef-`, a compound expression, a vendor's licence name)
/// as a licence named by the terms' licence name, else by the licence as found.
pub(super) fn cyclonedx_licence_name(licence: &str, terms: &Terms, only: bool) -> CdxLicenceName {
    if spdx::license_id(licence).is_some() {
        return CdxLicenceName::Id(licence.to_owned());
    }
    let name = terms.licence_name.as_deref().filter(|_| only).unwrap_or(licence);
    CdxLicenceName::Named(name.to_owned())
}

/// How a licence is identified in a CycloneDX `license` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CdxLicenceName {
    /// An SPDX licence id.
    Id(String),
    /// A name.
    Named(String),
}

/// The component's licences, each with the terms' `licensing`; `None` when it has no licence.
pub(super) fn cyclonedx_licences(
    component: &Component,
    terms: &Terms,
) -> Result<Option<Licenses>, EmitError> {
    let only = component.licenses.len() == 1;
    let licensing = licensing(terms, &component.bom_ref)?;
    let licences = component.licenses.iter().map(|licence| {
        let mut out = match cyclonedx_licence_name(licence, terms, only) {
            CdxLicenceName::Id(id) => License::license_id(&id),
            CdxLicenceName::Named(name) => License::named_license(&name),
        };
        out.licensing = licensing.clone();
        LicenseChoice::License(out)
    });
    let licences: Vec<LicenseChoice> = licences.collect();
    Ok((!licences.is_empty()).then_some(Licenses(licences)))
}

/// The `licensing` object: licence types, expiration, the vendor as licensor and the contract
/// as an alternative licence id; `None` when the terms give none of them.
pub(super) fn licensing(terms: &Terms, bom_ref: &str) -> Result<Option<Licensing>, EmitError> {
    let licensing = Licensing {
        alt_ids: terms.contract.as_deref().map(|contract| vec![NormalizedString::new(contract)]),
        licensor: terms.vendor.as_deref().map(|vendor| LicenseContact::Organization(organisation(vendor))),
        licensee: None,
        purchaser: None,
        purchase_order: None,
        license_types: (!terms.models.is_empty())
            .then(|| terms.models.iter().map(|model| LicenseType::new_unchecked(model.as_str())).collect()),
        last_renewal: None,
        expiration: terms.licence_expires.map(|day| date_time(day, bom_ref)).transpose()?,
    };
    let empty = licensing.alt_ids.is_none()
        && licensing.licensor.is_none()
        && licensing.license_types.is_none()
        && licensing.expiration.is_none();
    Ok((!empty).then_some(licensing))
}

/// A day as the start of that day in UTC, the form CycloneDX dates take.
fn date_time(day: Date, bom_ref: &str) -> Result<DateTime, EmitError> {
    let text = format!("{}T00:00:00Z", format_day(day));
    DateTime::try_from(text.clone()).map_err(|_| EmitError::CommercialTerms {
        bom_ref: bom_ref.to_owned(),
        reason: format!("the date {text} cannot be written in CycloneDX"),
    })
}

/// How a commercial component's licence appears in SPDX's `licenseDeclared`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SpdxTerm {
    /// A licence expression of listed SPDX licences, written as it is; the terms are in the
    /// package's annotation.
    Expression(String),
    /// A `LicenseRef-` of this component, defined with the terms as its extracted text.
    Ref {
        /// The `LicenseRef-` id.
        id: String,
        /// The licence's name.
        name: String,
        /// The terms, in sentences.
        text: String,
    },
}

/// The SPDX form of one licence of a commercial component.
pub(super) fn spdx_term(component: &Component, terms: &Terms, licence: &str) -> SpdxTerm {
    if is_spdx_expression(licence) && license_refs(licence).is_empty() {
        return SpdxTerm::Expression(licence.to_owned());
    }
    let name = terms.licence_name.clone().unwrap_or_else(|| licence.to_owned());
    let readable: String =
        id_characters(&name).split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    let readable: String = readable.chars().take(40).collect();
    let readable = readable.trim_end_matches(['-', '.']);
    let seed = format!("{}\n{licence}", component.bom_ref);
    let id = format!("LicenseRef-commercial-{readable}-{}", fingerprint(&seed));
    SpdxTerm::Ref { id, text: terms_text(component, terms, licence), name }
}

/// The terms in sentences, for an SPDX extracted licence text.
pub(super) fn terms_text(component: &Component, terms: &Terms, licence: &str) -> String {
    let what = match &component.version {
        Some(version) => format!("{} {version}", component.name),
        None => component.name.clone(),
    };
    let mut lines = vec![format!("Commercial licence terms of {what}, as declared by the supplier.")];
    lines.push(match &terms.licence_name {
        Some(name) if name != licence => format!("Licence: {name} ({licence})."),
        _ => format!("Licence: {licence}."),
    });
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            lines.push(format!("{label}: {value}."));
        }
    };
    push("Licensor", terms.vendor.clone());
    push("Licence model", (!terms.models.is_empty()).then(|| join(terms.models.iter().map(|m| m.as_str()))));
    push("Seats", terms.seats.map(|seats| seats.to_string()));
    push("Licence expires", terms.licence_expires.map(format_day));
    push("Support ends", terms.support_ends.map(format_day));
    push("Contract", terms.contract.clone());
    lines.join("\n")
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod documents;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use shelflife_adapters::{ComponentKind, Location, Role, Scope};
    use time::macros::date;

    use super::*;
    use crate::commercial::catalogue::Openness;
    use crate::commercial::licence_model::LicenceModel;

    fn component(licences: &[&str], terms: &Terms) -> Component {
        Component {
            bom_ref: "shelflife:declared/application/Visio@2021".into(),
            kind: ComponentKind::Application,
            role: Role::Dependency,
            name: "Visio".into(),
            version: Some("2021".into()),
            purl: None,
            scope: Scope::Development,
            licenses: licences.iter().map(|l| (*l).to_owned()).collect(),
            hashes: BTreeSet::new(),
            locations: BTreeSet::from([Location::line("shelflife.toml", 12)]),
            properties: terms.to_properties(),
            found_by: BTreeSet::from(["shelflife.toml".to_owned()]),
            lifecycle: None,
        }
    }

    fn visio_terms() -> Terms {
        Terms {
            vendor: Some("Microsoft".into()),
            class: Some(Openness::Proprietary),
            licence_name: Some("Microsoft Software License Terms: Visio".into()),
            models: vec![LicenceModel::Perpetual, LicenceModel::Device],
            seats: Some(5),
            licence_expires: Some(date!(2027 - 01 - 31)),
            contract: Some("EA-77".into()),
            ..Terms::default()
        }
    }

    #[test]
    fn only_commercial_terms_count() {
        let open =
            Terms { class: Some(Openness::OpenSource), vendor: Some("PGDG".into()), ..Terms::default() };
        assert_eq!(terms(&component(&["PostgreSQL"], &open)).unwrap(), None);
        let visio = visio_terms();
        assert_eq!(terms(&component(&["LicenseRef-Microsoft-Visio"], &visio)).unwrap(), Some(visio));
        let mut broken = component(&[], &visio_terms());
        broken.properties.insert(crate::commercial::terms::SEATS.into(), "x".into());
        assert!(matches!(terms(&broken), Err(EmitError::CommercialTerms { .. })));
        assert_eq!(terms(&component(&[], &Terms::default())).unwrap(), None);
    }

    #[test]
    fn cyclonedx_names_ids_and_vendor_licences() {
        let terms = visio_terms();
        let name = |licence: &str, only: bool| cyclonedx_licence_name(licence, &terms, only);
        assert_eq!(name("BUSL-1.1", true), CdxLicenceName::Id("BUSL-1.1".into()));
        assert_eq!(
            name("LicenseRef-Microsoft-Visio", true),
            CdxLicenceName::Named(terms.licence_name.clone().unwrap())
        );
        assert_eq!(name("Acme EULA", false), CdxLicenceName::Named("Acme EULA".into()));
        assert_eq!(
            name("Elastic-2.0 OR SSPL-1.0", true),
            CdxLicenceName::Named("Microsoft Software License Terms: Visio".into())
        );
    }

    #[test]
    fn licensing_carries_types_expiry_licensor_and_contract() {
        let licensing = licensing(&visio_terms(), "x").unwrap().unwrap();
        let types: Vec<String> = licensing.license_types.unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(types, ["perpetual", "device"]);
        assert_eq!(licensing.expiration.unwrap().to_string(), "2027-01-31T00:00:00Z");
        assert_eq!(licensing.alt_ids.unwrap()[0].to_string(), "EA-77");
        assert!(matches!(licensing.licensor, Some(LicenseContact::Organization(_))));
        let justified_only = Terms { class: Some(Openness::Proprietary), ..Terms::default() };
        assert_eq!(super::licensing(&justified_only, "x").unwrap(), None);
    }

    #[test]
    fn spdx_keeps_listed_expressions_and_makes_a_ref_per_component_otherwise() {
        let terms = visio_terms();
        let visio = component(&["LicenseRef-Microsoft-Visio"], &terms);
        assert_eq!(spdx_term(&visio, &terms, "BUSL-1.1"), SpdxTerm::Expression("BUSL-1.1".into()));
        let SpdxTerm::Ref { id, name, text } = spdx_term(&visio, &terms, "LicenseRef-Microsoft-Visio") else {
            panic!("a LicenseRef needs the terms");
        };
        assert!(id.starts_with("LicenseRef-commercial-Microsoft-Software-License-Terms-Visio-"), "{id}");
        assert!(is_spdx_expression(&id), "{id}");
        assert_eq!(name, "Microsoft Software License Terms: Visio");
        assert_eq!(
            text,
            "Commercial licence terms of Visio 2021, as declared by the supplier.\n\
             Licence: Microsoft Software License Terms: Visio (LicenseRef-Microsoft-Visio).\n\
             Licensor: Microsoft.\nLicence model: perpetual, device.\nSeats: 5.\n\
             Licence expires: 2027-01-31.\nContract: EA-77."
        );
        let mut other = visio.clone();
        other.bom_ref.push('x');
        let SpdxTerm::Ref { id: other_id, .. } = spdx_term(&other, &terms, "LicenseRef-Microsoft-Visio")
        else {
            panic!("a LicenseRef needs the terms");
        };
        assert_ne!(id, other_id, "two components' terms never share a LicenseRef");
    }
}
