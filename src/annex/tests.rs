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

#[test]
fn commercial_software_has_its_terms_and_licence_expiries_warn() {
    let mut inventory = inventory();
    let mysql = inventory.components.iter_mut().find(|c| c.name == "mysql").unwrap();
    for (name, value) in [
        ("shelflife:vendor", "Oracle"),
        ("shelflife:commercial:class", "proprietary"),
        ("shelflife:commercial:licence-model", "subscription,named-user"),
        ("shelflife:commercial:licence-expires", "2026-02-01"),
        ("shelflife:alternative:0:name", "PostgreSQL"),
        ("shelflife:alternative:0:licence", "PostgreSQL"),
        ("shelflife:alternative:0:note", "fits"),
        ("shelflife:alternative:0:source", "https://www.postgresql.org/about/licence/"),
    ] {
        mysql.properties.insert(name.into(), value.into());
    }
    let assessed = assessed(inventory, date!(2025 - 12 - 15), "180d");
    let text = render(&assessed, &produced(), None).unwrap();
    let row = "| mysql | 8.0.36 | Oracle | subscription, named-user | 2026-02-01 | 2023-04-30 (EOAS)^[1](#source-1)^ \
               | 2026-04-30 (EOL)^[1](#source-1)^ | PostgreSQL (PostgreSQL) | none given |";
    assert!(text.contains(row), "{text}");
    assert!(text.contains("| Commercial software | 1 |"), "{text}");
    assert!(
        text.contains("### Commercial licences expiring within 180 days\n\n- **mysql** 8.0.36 (Oracle): licence expiry 2026-02-01, in 48 days\n"),
        "{text}"
    );
    assert!(text.contains("| Commercial licences expiring within 180 days | 1 |"), "{text}");
}
