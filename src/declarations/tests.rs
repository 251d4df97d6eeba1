use time::macros::date;

use super::*;

const EXAMPLE: &str = r#"
[[software]]
name = "Microsoft Visio"
version = "2021"
vendor = "Microsoft"
use = "development"
kind = "application"
licence = "LicenseRef-Microsoft-Visio"
licence_model = ["perpetual", "device"]
seats = 4
licence_expires = "2027-03-31"
support_ends = "2026-10-13"
contract = "EA-2024-0042"
justification = "Customer templates"
product = "office"
cycle = "2021"
purl = "pkg:generic/microsoft/visio@2021"
cpe = "cpe:2.3:a:microsoft:visio:2021:*:*:*:*:*:*:*"

[[software]]
name = "mcr.microsoft.com/mssql/server"
use = "production"
licence_model = "core-points"
product = "mssqlserver"
cycle = "16.0"

[[override]]
product = "mysql"
cycle = "8.0"
eol = "2027-06-30"
source = "Support contract ACME-1234"

[[override]]
name = "acme-sdk"
version = "4.1"
licence = "LicenseRef-Acme-SDK"
source = "Acme SDK licence agreement"

[policy]
commercial_needs_justification = true
"#;

fn parse(text: &str) -> Result<Declarations, DeclarationError> {
    Declarations::parse("shelflife.toml", text)
}

/// The error for `text`, as `line: message`.
fn error(text: &str) -> (Option<usize>, String) {
    let error = parse(text).unwrap_err();
    assert_eq!(error.file, "shelflife.toml");
    (error.line, error.message)
}

#[test]
fn reads_every_field_of_software() {
    let declarations = parse(EXAMPLE).unwrap();
    let visio = &declarations.software[0];
    assert_eq!(
        visio,
        &Software {
            line: 3,
            name: "Microsoft Visio".into(),
            version: Some("2021".into()),
            vendor: Some("Microsoft".into()),
            usage: Use::Development,
            kind: Some(ComponentKind::Application),
            licence: Some("LicenseRef-Microsoft-Visio".into()),
            licence_models: vec![LicenceModel::Perpetual, LicenceModel::Device],
            seats: Some(4),
            licence_expires: Some(date!(2027 - 03 - 31)),
            support_ends: Some(date!(2026 - 10 - 13)),
            contract: Some("EA-2024-0042".into()),
            justification: Some("Customer templates".into()),
            product: Some("office".into()),
            cycle: Some("2021".into()),
            purl: Some("pkg:generic/microsoft/visio@2021".into()),
            cpe: Some("cpe:2.3:a:microsoft:visio:2021:*:*:*:*:*:*:*".into()),
            catalogue_product: None,
        }
    );
    assert_eq!(visio.usage.scope(), Scope::Development);
    let sql = &declarations.software[1];
    assert_eq!((sql.line, sql.licence_models.as_slice()), (21, [LicenceModel::CorePoints].as_slice()));
    assert_eq!(sql.usage.scope(), Scope::Runtime);
    assert!(declarations.policy.commercial_needs_justification);
}

#[test]
fn reads_overrides_of_products_and_of_components() {
    let declarations = parse(EXAMPLE).unwrap();
    let mysql: Vec<_> = declarations.overrides_for("mysql", "8.0").collect();
    assert_eq!(mysql.len(), 1);
    assert_eq!(
        mysql[0].eol,
        Some(Dated {
            when: When::On(date!(2027 - 06 - 30)),
            source: Source::Declaration {
                file: "shelflife.toml".into(),
                note: "Support contract ACME-1234".into()
            },
        })
    );
    assert_eq!(mysql[0].line, 31);
    assert_eq!(declarations.overrides_for("mysql", "5.7").count(), 0);
    let sdk = &declarations.overrides[1];
    assert_eq!(sdk.selector(), Some(Selector { purl: None, name: Some("acme-sdk"), version: Some("4.1") }));
    assert_eq!(sdk.licence.as_deref(), Some("LicenseRef-Acme-SDK"));
    assert!(mysql[0].selector().is_none());
}

#[test]
fn an_unknown_key_is_an_error_at_its_line() {
    let (line, message) = error("[[software]]\nname = \"x\"\nuse = \"production\"\nlicense = \"MIT\"\n");
    assert_eq!(line, Some(4));
    assert!(message.starts_with("unknown field `license`, expected one of"), "{message}");
    let (line, message) = error("[[override]]\nproduct = \"x\"\neoll = \"2027-01-01\"\nsource = \"c\"\n");
    assert_eq!(line, Some(3));
    assert!(message.starts_with("unknown field `eoll`"), "{message}");
    let (line, message) = error("\n[project]\nname = \"demo\"\n");
    assert_eq!(line, Some(2));
    assert!(
        message.starts_with("unknown field `project`, expected one of `software`, `override`, `policy`"),
        "{message}"
    );
    let (line, message) = error("[policy]\ncommercial_needs_justification = true\nallow_licences = []\n");
    assert_eq!(line, Some(3));
    assert!(message.starts_with("unknown field `allow_licences`"), "{message}");
}

#[test]
fn a_wrong_type_is_an_error_at_its_line() {
    let base = "[[software]]\nname = \"x\"\nuse = \"production\"\n";
    for (field, expected) in [
        ("seats = \"four\"", "invalid type: string \"four\", expected i64"),
        ("version = 2021", "invalid type: integer `2021`, expected a string"),
        (
            "licence_model = 3",
            "invalid type: integer `3`, expected a CycloneDX licence type or a list of them",
        ),
        ("justification = true", "invalid type: boolean `true`, expected a string"),
    ] {
        let (line, message) = error(&format!("{base}{field}\n"));
        assert_eq!((line, message.as_str()), (Some(4), expected), "{field}");
    }
    let (line, message) = error("[[software]]\nname = [\"x\"]\nuse = \"production\"\n");
    assert_eq!((line, message.as_str()), (Some(2), "invalid type: sequence, expected a string"));
    let (line, message) = error("software = \"x\"\n");
    assert_eq!(line, Some(1));
    assert!(message.contains("invalid type: string \"x\", expected a sequence"), "{message}");
}

#[test]
fn a_bad_date_is_an_error_at_its_line() {
    let base = "[[software]]\nname = \"x\"\nuse = \"production\"\n";
    for (field, shown) in [
        ("licence_expires = \"2027-02-30\"", "2027-02-30"),
        ("support_ends = \"31.03.2027\"", "31.03.2027"),
        ("support_ends = \"2027-3-31\"", "2027-3-31"),
    ] {
        let (line, message) = error(&format!("{base}\n{field}\n"));
        assert_eq!(line, Some(5), "{field}");
        assert_eq!(message, format!("`{shown}` is not a date (YYYY-MM-DD)"));
    }
    let (line, message) =
        error("[[software]]\nname = \"x\"\nuse = \"production\"\nsupport_ends = 2027-03-31\n");
    assert_eq!(line, Some(4));
    assert!(message.contains("expected a string"), "a TOML date is not text: {message}");
    let (line, message) =
        error("[[override]]\nproduct = \"x\"\neol = \"2027-13-01\"\nsource = \"contract\"\n");
    assert_eq!((line, message.as_str()), (Some(3), "`2027-13-01` is not a date (YYYY-MM-DD)"));
}

#[test]
fn a_missing_name_or_use_is_an_error_at_its_entry() {
    let (line, message) = error("[[software]]\nname = \"a\"\nuse = \"production\"\n\n[[software]]\nversion = \"1\"\nuse = \"production\"\n");
    assert_eq!(line, Some(5), "{message}");
    assert_eq!(message, "missing field `name`");
    let (line, message) = error("[[software]]\nname = \"Visio\"\nversion = \"2021\"\n");
    assert_eq!((line, message.as_str()), (Some(1), "missing field `use`"));
    let (line, message) = error("[[software]]\nname = \"  \"\nuse = \"production\"\n");
    assert_eq!((line, message.as_str()), (Some(2), "must not be empty"));
    let (line, message) = error("[[override]]\nproduct = \"x\"\neol = \"2027-01-01\"\n");
    assert_eq!((line, message.as_str()), (Some(1), "missing field `source`"));
}

#[test]
fn values_outside_the_vocabulary_are_errors_at_their_line() {
    let base = "[[software]]\nname = \"x\"\n";
    let (line, message) = error(&format!("{base}use = \"testing\"\n"));
    assert_eq!(line, Some(3));
    assert_eq!(
        message,
        "unknown variant `testing`, expected one of `production`, `development`, `infrastructure`"
    );
    let base = format!("{base}use = \"production\"\n");
    let (line, message) = error(&format!("{base}licence_model = [\"perpetual\", \"per-seat\"]\n"));
    assert_eq!(line, Some(4));
    assert!(message.starts_with("unknown licence type `per-seat`, expected one of academic, "), "{message}");
    let (line, message) = error(&format!("{base}licence_model = []\n"));
    assert_eq!((line, message.as_str()), (Some(4), "the list of licence types is empty"));
    let (line, message) = error(&format!("{base}seats = 0\n"));
    assert_eq!((line, message.as_str()), (Some(4), "`seats` must be at least 1, not 0"));
    let (line, message) = error(&format!("{base}kind = \"gadget\"\n"));
    assert_eq!(line, Some(4));
    assert!(message.starts_with("unknown variant `gadget`"), "{message}");
    let (line, message) = error(&format!("{base}purl = \"npm/left-pad\"\n"));
    assert_eq!(line, Some(4));
    assert!(message.starts_with("`npm/left-pad` is not a purl"), "{message}");
    let (line, message) = error(&format!("{base}cpe = \"cpe:2.3:a:microsoft\"\n"));
    assert_eq!(line, Some(4));
    assert!(message.starts_with("`cpe:2.3:a:microsoft` is not a CPE"), "{message}");
    let (line, message) = error(&format!("{base}cycle = \"2021\"\n"));
    assert_eq!((line, message.as_str()), (Some(2), "`cycle` needs the `product` it is a cycle of"));
}

#[test]
fn overrides_must_say_what_they_replace_and_for_what() {
    let cases = [
        (
            "eol = \"2027-01-01\"",
            "[[override]] needs a `product`, or a `purl` or `name` selecting components",
        ),
        (
            "product = \"x\"\nlicence = \"MIT\"",
            "`licence` and `version` need a `purl` or `name` selecting components",
        ),
        ("name = \"x\"\ncycle = \"1\"\neol = \"2027-01-01\"", "`cycle` needs the `product` it is a cycle of"),
        (
            "name = \"x\"",
            "[[override]] replaces nothing: give dates, a `licence` or (with a selector) a `product`",
        ),
    ];
    for (fields, expected) in cases {
        let text = format!("[[override]]\n{fields}\nsource = \"contract\"\n");
        let (line, message) = error(&text);
        let source_line = text.lines().position(|l| l.starts_with("source")).unwrap() + 1;
        assert_eq!((line, message.as_str()), (Some(source_line), expected), "{fields}");
    }
    let mapped =
        parse("[[override]]\npurl = \"pkg:docker/acme/sql\"\nproduct = \"mssqlserver\"\nsource = \"ops\"\n");
    assert!(mapped.is_ok(), "a selector with a product maps components");
}

#[test]
fn a_bad_policy_names_its_line() {
    let (line, message) = error("[policy]\nallow = [\"MIT\", \"Apache 2\"]\n");
    assert_eq!(line, Some(2));
    assert!(message.starts_with("[policy] `Apache 2` is not an SPDX expression"), "{message}");
}

#[test]
fn a_tree_without_the_file_has_no_declarations() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Declarations::load(dir.path()).unwrap(), Declarations::default());
    std::fs::write(dir.path().join(FILE_NAME), EXAMPLE).unwrap();
    assert_eq!(Declarations::load(dir.path()).unwrap().overrides.len(), 2);
    std::fs::write(dir.path().join(FILE_NAME), [0xff, 0xfe]).unwrap();
    let error = Declarations::load(dir.path()).unwrap_err();
    assert!(error.file.ends_with("shelflife.toml"), "{error}");
}
