//! Container images that CI jobs run in (a job's `container:` and `services:`, GitLab's
//! `image:`), as [`ComponentKind::Container`](crate::finding::ComponentKind::Container) findings
//! of scope [`Scope::Build`]. They are built by [`ImageFinding`], as the container adapters build
//! theirs, with the same properties (re-exported here); CI adds what the image is used for.

use crate::containers::image::ImageFinding;
pub use crate::containers::image::{PINNED, REFERENCE, UNRESOLVED, WRITTEN};
use crate::finding::{Finding, Scope};
use crate::toolchains::declared::Collector;

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
    let image = ImageFinding::new(written, expanded, Scope::Build, out.at(line));
    push(image, role, out)
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
    let image = ImageFinding::unresolved(written, Scope::Build, out.at(line), why);
    push(image, role, out)
}

/// Adds the finding (the collector gives it its key) and its problem, if any.
fn push<'o>(image: ImageFinding, role: &str, out: &'o mut Collector<'_>) -> &'o mut Finding {
    let ImageFinding { finding, problem } = image.with_property(CI_ROLE, role);
    if let Some(problem) = problem {
        out.problem(problem.location.line, problem.message);
    }
    out.push(finding)
}
