//! Tests of the annex: its structure on a hand-built inventory, and the escaping of hostile names.

use time::macros::date;

use super::*;
use crate::check::tests::{assessed, inventory};

fn produced() -> Production {
    Production { command: "shelflife annex demo --output annex.qmd".into(), date: date!(2026 - 01 - 01) }
}

#[test]
fn the_built_in_template_renders_every_section() {
    let assessed = assessed(inventory(), date!(2025 - 12 - 15), "180d");
    let text = render(&assessed, &produced(), None).unwrap();
    assert!(text.starts_with("---\ntitle: \"Delivery annex: app 1.0.0\"\n"), "{text}");
    for heading in [
        "## Summary",
        "## Expiry warnings",
        "## Software used in production",
        "## Development tools",
        "## Container base images and operating systems",
        "## Commercial software",
        "## Licences in use",
        "## Appendix A: packages by ecosystem",
        "## Appendix B: how this annex was produced",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    assert!(text.contains("::: {.callout-warning}\n### All support has ended\n\n- **node** 18-bookworm (Node.js 18): EOL 2025-04-30, 229 days ago^[1](#source-1)^\n:::"), "{text}");
    assert!(text.contains("### End of life within 180 days (by 2026-06-13)\n\n- **mysql** 8.0.36 (MySQL 8.0): EOL 2026-04-30, in 136 days^[1](#source-1)^\n- **node** 18-bookworm (base system Debian 12): EOL 2026-06-10, in 177 days^[1](#source-1)^\n"), "{text}");
    assert!(
        text.contains("| mysql | 8.0.36 |  | MySQL 8.0 | 2023-04-30 (EOAS)^[1](#source-1)^ | 2026-04-30 (EOL)^[1](#source-1)^ |"),
        "{text}"
    );
    assert!(
        text.contains(
            "| ↳ base system of node | | | Debian 12 | 2026-06-10 (EOL)^[1](#source-1)^ | 2028-06-30 (EOES)^[1](#source-1)^ |"
        ),
        "{text}"
    );
    assert!(text.contains("| redis | latest |  | redis, unpinned | — | — |"), "{text}");
    let source = "- [\\[1\\]]{ #source-1 } The endoflife.date dataset, generated 2025-06-01T00:00:00+00:00.";
    assert!(text.contains(source), "{text}");
    assert!(text.contains("`shelflife annex demo --output annex.qmd`"), "{text}");
}

#[test]
fn a_replacement_template_gets_the_same_facts_and_typos_fail() {
    let assessed = assessed(inventory(), date!(2025 - 12 - 15), "180d");
    let template = "{{ subject.name }}: {{ counts.expired }} expired, {{ counts.expiring }} expiring\n";
    assert_eq!(render(&assessed, &produced(), Some(template)).unwrap(), "app: 1 expired, 2 expiring\n");
    let error = render(&assessed, &produced(), Some("{{ subject.nmae }}")).unwrap_err().to_string();
    assert!(error.contains("undefined value"), "{error}");
}

#[test]
fn command_lines_quote_what_a_shell_would_split() {
    let words = ["/usr/local/bin/shelflife", "annex", "my project", "--output", "it's.qmd"].map(String::from);
    assert_eq!(command_line(words), "shelflife annex 'my project' --output 'it'\\''s.qmd'");
}
