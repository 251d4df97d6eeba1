use super::*;
use crate::declarations::{DeclarationError, Declarations};

/// The policy of a `shelflife.toml`, read as shelflife reads it.
fn parse(file: &str, text: &str) -> Result<Policy, DeclarationError> {
    Declarations::parse(file, text).map(|declarations| declarations.policy)
}

const EXAMPLE: &str = r#"# The project's licence policy,
# beside the declared software.

[policy]
allow = ["MIT", "Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "MIT OR LicenseRef-Mystery"]
deny = ["AGPL-3.0-only", "BSD-4-Clause"]
allow_classes = ["permissive"]
deny_classes = ["source-available"]
unknown = "fail"
commercial_needs_justification = true

[[software]]
name = "Oracle Database"
use = "production"
"#;

fn data() -> &'static LicenceData {
    LicenceData::embedded().unwrap()
}

fn expr(text: &str) -> Expr {
    Expr::from_spdx(&spdx::Expression::parse(text).unwrap()).unwrap()
}

fn verdict(policy: &Policy, text: &str) -> Verdict {
    policy.evaluate(data(), Some(&expr(text)))
}

fn offences(verdict: &Verdict) -> Vec<String> {
    match verdict {
        Verdict::Denied { offences } => offences.iter().map(ToString::to_string).collect(),
        other => panic!("not denied: {other:?}"),
    }
}

#[test]
fn reads_the_table_beside_the_others() {
    let policy = parse("shelflife.toml", EXAMPLE).unwrap();
    assert_eq!(policy.allow.len(), 4);
    assert_eq!(policy.allow[0].line, 5);
    assert_eq!(policy.deny[1].text, "BSD-4-Clause");
    assert_eq!(policy.allow_classes, [LicenceClass::Permissive]);
    assert_eq!(policy.deny_classes, [LicenceClass::SourceAvailable]);
    assert_eq!(policy.unknown, UnknownRule::Fail);
    assert!(policy.commercial_needs_justification);
}

#[test]
fn no_table_or_no_file_is_an_empty_policy_that_allows_every_known_licence() {
    let policy = parse("shelflife.toml", "[[software]]\nname = \"x\"\nuse = \"development\"\n").unwrap();
    assert_eq!(policy.unknown, UnknownRule::Warn);
    assert!(!policy.commercial_needs_justification);
    assert_eq!(verdict(&policy, "AGPL-3.0-only"), Verdict::Allowed);
    assert!(matches!(verdict(&policy, "LicenseRef-Mystery"), Verdict::Unknown { .. }));
}

#[test]
fn bad_tables_name_the_file_line_and_fault() {
    let cases = [
        ("[policy]\nallow = [\"MIT\"]\nalow = [\"ISC\"]\n", 3, "unknown field `alow`"),
        ("[policy]\nallow = \"MIT\"\n", 2, "invalid type: string \"MIT\", expected a sequence"),
        ("[policy]\nallow = [\"MIT\",\n  \"Apache 2\"]\n", 3, "`Apache 2` is not an SPDX expression"),
        ("[policy]\nallow_classes = [\"copyleft\"]\n", 2, "unknown variant `copyleft`"),
        ("[policy]\nunknown = \"maybe\"\n", 2, "unknown variant `maybe`"),
        ("[policy]\ncommercial_needs_justification = \"yes\"\n", 2, "expected a boolean"),
        ("[policy]\nallow = [\"MIT\"]\ndeny = [\"ISC\", \"MIT\"]\n", 2, "`MIT` is both allowed and denied"),
        ("[policy]\nallow = [\"MIT\"\n", 2, ""),
    ];
    for (text, line, message) in cases {
        let error = parse("p/shelflife.toml", text).unwrap_err();
        assert_eq!((error.file.as_str(), error.line), ("p/shelflife.toml", Some(line)), "{text}: {error}");
        assert!(error.message.contains(message), "{text}: {error}");
        assert!(error.to_string().starts_with(&format!("p/shelflife.toml:{line}: ")), "{error}");
    }
    let error =
        parse("s.toml", "[policy]\nallow_classes = [\"permissive\"]\ndeny_classes = [\"permissive\"]\n")
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "s.toml: [policy] class `permissive` is both in allow_classes and deny_classes"
    );
}

#[test]
fn single_licences_by_list_and_class() {
    let policy = parse("shelflife.toml", EXAMPLE).unwrap();
    assert_eq!(verdict(&policy, "MIT"), Verdict::Allowed, "listed");
    assert_eq!(verdict(&policy, "ISC"), Verdict::Allowed, "by class");
    assert_eq!(
        offences(&verdict(&policy, "AGPL-3.0-only")),
        ["AGPL-3.0-only: denied by \"AGPL-3.0-only\" at shelflife.toml:6"]
    );
    assert_eq!(
        offences(&verdict(&policy, "BSD-4-Clause")),
        ["BSD-4-Clause: denied by \"BSD-4-Clause\" at shelflife.toml:6"],
        "deny wins over an allowed class"
    );
    assert_eq!(
        offences(&verdict(&policy, "SSPL-1.0")),
        ["SSPL-1.0: its class source-available is in deny_classes"]
    );
    assert_eq!(
        offences(&verdict(&policy, "MPL-2.0")),
        ["MPL-2.0: neither allow nor allow_classes names it (class weak-copyleft)"]
    );
    assert_eq!(
        verdict(&policy, "LicenseRef-Mystery"),
        Verdict::Unknown { reason: "no source classifies LicenseRef-Mystery".into() }
    );
}

#[test]
fn or_needs_one_allowed_option_and_and_needs_every_part() {
    let policy = parse("shelflife.toml", EXAMPLE).unwrap();
    assert_eq!(verdict(&policy, "MPL-2.0 OR MIT"), Verdict::Allowed);
    assert_eq!(offences(&verdict(&policy, "MPL-2.0 OR AGPL-3.0-only")).len(), 2, "every option fails");
    assert_eq!(verdict(&policy, "MIT AND Apache-2.0"), Verdict::Allowed);
    assert_eq!(offences(&verdict(&policy, "MIT AND AGPL-3.0-only")).len(), 1);
    assert_eq!(verdict(&policy, "(MPL-2.0 OR Apache-2.0) AND (ISC OR SSPL-1.0)"), Verdict::Allowed);
    assert!(matches!(verdict(&policy, "MIT AND LicenseRef-Other"), Verdict::Unknown { .. }));
    assert!(matches!(verdict(&policy, "MPL-2.0 OR LicenseRef-Other"), Verdict::Unknown { .. }));
    assert_eq!(verdict(&policy, "MIT OR LicenseRef-Other"), Verdict::Allowed);
    assert!(
        matches!(verdict(&policy, "AGPL-3.0-only AND LicenseRef-Other"), Verdict::Denied { .. }),
        "a denied part outweighs an unknown one"
    );
}

#[test]
fn with_exceptions_match_the_pairing_or_the_bare_licence() {
    let policy = parse("shelflife.toml", EXAMPLE).unwrap();
    assert_eq!(verdict(&policy, "GPL-2.0-only WITH Classpath-exception-2.0"), Verdict::Allowed);
    assert_eq!(
        offences(&verdict(&policy, "GPL-2.0-only")),
        ["GPL-2.0-only: neither allow nor allow_classes names it (class strong-copyleft)"],
        "the pairing does not allow the bare licence"
    );
    assert_eq!(
        verdict(&policy, "Apache-2.0 WITH LLVM-exception"),
        Verdict::Allowed,
        "an entry without WITH names every pairing"
    );
    let deny_pairing =
        parse("s.toml", "[policy]\ndeny = [\"GPL-2.0-only WITH Classpath-exception-2.0\"]\n").unwrap();
    assert!(matches!(
        verdict(&deny_pairing, "GPL-2.0-only WITH Classpath-exception-2.0"),
        Verdict::Denied { .. }
    ));
    assert_eq!(verdict(&deny_pairing, "GPL-2.0-only"), Verdict::Allowed);
}

#[test]
fn a_compound_entry_names_exactly_that_expression() {
    let policy = parse("shelflife.toml", EXAMPLE).unwrap();
    assert_eq!(verdict(&policy, "MIT OR LicenseRef-Mystery"), Verdict::Allowed);
    let deny = parse("s.toml", "[policy]\ndeny = [\"MIT AND LicenseRef-Tainted\"]\n").unwrap();
    assert_eq!(
        offences(&verdict(&deny, "MIT AND LicenseRef-Tainted")),
        ["MIT AND LicenseRef-Tainted: denied by \"MIT AND LicenseRef-Tainted\" at s.toml:2"]
    );
    assert_eq!(verdict(&deny, "MIT"), Verdict::Allowed);
}

#[test]
fn unknown_fails_only_when_the_policy_says_so() {
    let strict = parse("shelflife.toml", EXAMPLE).unwrap();
    let lenient = parse("s.toml", "[policy]\nunknown = \"warn\"\n").unwrap();
    let none = strict.evaluate(data(), None);
    assert_eq!(none, Verdict::Unknown { reason: "no licence found".into() });
    assert!(strict.fails(&none));
    assert!(!lenient.fails(&none));
    assert!(strict.fails(&verdict(&strict, "AGPL-3.0-only")));
    assert!(!strict.fails(&Verdict::Allowed));
}
