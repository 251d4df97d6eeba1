//! Container images that CI jobs run in (a job's `container:` and `services:`, GitLab's
//! `image:`), as [`ComponentKind::Container`] findings of scope [`Scope::Build`], normalised by
//! [`crate::image_ref`] and described with the same properties as the container adapters use:
//! `shelflife:image:reference` (the normalised reference, or the text as written when it cannot be
//! resolved), `shelflife:image:pinned` (`digest`, `tag`, `none`), `shelflife:image:tag-implied`,
//! `shelflife:image:written` (the text before substitution) and `shelflife:image:unresolved`.

use crate::finding::{ComponentKind, Finding, Location, Scope};
use crate::image_ref::ImageRef;
use crate::toolchains::declared::Collector;

/// Property: the normalised reference.
pub const REFERENCE: &str = "shelflife:image:reference";
/// Property: how firmly the reference fixes the image (`digest`, `tag`, `none`).
pub const PINNED: &str = "shelflife:image:pinned";
/// Property: `true` when the tag `latest` is implied.
pub const TAG_IMPLIED: &str = "shelflife:image:tag-implied";
/// Property: the reference as written, before substitution.
pub const WRITTEN: &str = "shelflife:image:written";
/// Property: `true` when the reference could not be resolved.
pub const UNRESOLVED: &str = "shelflife:image:unresolved";
/// Property: what the image is used for in CI (`container`, `service`, `image`, `action`).
pub const CI_ROLE: &str = "shelflife:ci:image-role";

/// Reports the image `expanded` (the reference after substitution; `written` as the file has
/// it) used at `line` for `role`. An invalid reference is still reported, under the text as
/// written, with a problem saying why. Returns the finding, to add properties to.
pub fn declare_image<'o>(
    written: &str,
    expanded: &str,
    role: &str,
    line: u32,
    out: &'o mut Collector<'_>,
) -> &'o mut Finding {
    let location = out.at(line);
    let finding = match ImageRef::parse(expanded) {
        Ok(image) => resolved(&image, written, expanded, location),
        Err(error) => {
            out.problem(Some(line), format!("image reference {written:?} is not resolved: {error}"));
            unresolved(written, location)
        }
    };
    let finding = out.push(finding);
    finding.properties.insert(CI_ROLE.to_owned(), role.to_owned());
    finding
}

/// Reports an image whose reference cannot be worked out from the file (a variable defined
/// elsewhere), under the text as written, with a problem saying `why`.
pub fn declare_unresolved<'o>(
    written: &str,
    role: &str,
    why: &str,
    line: u32,
    out: &'o mut Collector<'_>,
) -> &'o mut Finding {
    out.problem(Some(line), format!("image reference {written:?} is not resolved: {why}"));
    let location = out.at(line);
    let finding = out.push(unresolved(written, location));
    finding.properties.insert(CI_ROLE.to_owned(), role.to_owned());
    finding
}

fn resolved(image: &ImageRef, written: &str, expanded: &str, location: Location) -> Finding {
    let normalised = image.to_string();
    let mut finding = Finding::new(
        String::new(),
        ComponentKind::Container,
        image.familiar_name(),
        Some(image.version()),
        Scope::Build,
        location,
    );
    finding.purl = image.purl();
    finding.hashes.extend(image.digest().map(|digest| digest.to_hash()));
    finding.properties.insert(REFERENCE.to_owned(), normalised);
    finding.properties.insert(PINNED.to_owned(), image.pinning().as_str().to_owned());
    if image.is_tag_implied() {
        finding.properties.insert(TAG_IMPLIED.to_owned(), "true".to_owned());
    }
    if written != expanded {
        finding.properties.insert(WRITTEN.to_owned(), written.to_owned());
    }
    finding
}

fn unresolved(written: &str, location: Location) -> Finding {
    let mut finding =
        Finding::new(String::new(), ComponentKind::Container, written, None, Scope::Build, location);
    finding.properties.insert(REFERENCE.to_owned(), written.to_owned());
    finding.properties.insert(UNRESOLVED.to_owned(), "true".to_owned());
    finding
}
