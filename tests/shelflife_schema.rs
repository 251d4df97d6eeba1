//! The JSON Schema for editors (`data/schema/shelflife.schema.json`) against the documentation
//! and the demo: every example in `docs/shelflife-toml.qmd` and the demo's `shelflife.toml`
//! validate against it and read with shelflife's own reader; the mistakes the reader refuses,
//! the schema refuses too.

use std::path::Path;

use jsonschema::Validator;
use shelflife::declarations::Declarations;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> Validator {
    let text = std::fs::read_to_string(root().join("data/schema/shelflife.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// A TOML document as the JSON value editors validate.
fn as_json(toml_text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn errors(validator: &Validator, toml_text: &str) -> Vec<String> {
    validator.iter_errors(&as_json(toml_text)).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The ```toml blocks of a Quarto page.
fn toml_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```toml") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_documented_example_and_the_demo_validate_and_read() {
    let validator = validator();
    let page = std::fs::read_to_string(root().join("docs/shelflife-toml.qmd")).unwrap();
    let blocks = toml_blocks(&page);
    assert!(!blocks.is_empty(), "the page has a ```toml example");
    let demo = std::fs::read_to_string(root().join("fixtures/demo/shelflife.toml")).unwrap();
    for text in blocks.iter().chain([&demo]) {
        assert_eq!(errors(&validator, text), Vec::<String>::new(), "{text}");
        let declarations = Declarations::parse("shelflife.toml", text).unwrap();
        assert!(!declarations.software.is_empty());
    }
}

#[test]
fn what_the_reader_refuses_the_schema_refuses() {
    let validator = validator();
    let base = "[[software]]\nname = \"Visio\"\nuse = \"development\"\n";
    for (mistake, text) in [
        ("an unknown key", format!("{base}license = \"MIT\"\n")),
        ("an unknown table", format!("{base}[project]\nname = \"x\"\n")),
        ("a wrong type", format!("{base}seats = \"four\"\n")),
        ("no seats", format!("{base}seats = 0\n")),
        ("a bad date", format!("{base}support_ends = \"31.03.2027\"\n")),
        ("a month 13", format!("{base}licence_expires = \"2027-13-01\"\n")),
        ("an unknown licence model", format!("{base}licence_model = [\"per-seat\"]\n")),
        ("an unknown use", "[[software]]\nname = \"Visio\"\nuse = \"testing\"\n".to_owned()),
        ("a missing name", "[[software]]\nuse = \"production\"\n".to_owned()),
        ("a missing use", "[[software]]\nname = \"Visio\"\n".to_owned()),
        (
            "an override without source",
            "[[override]]\nproduct = \"mysql\"\neol = \"2027-01-01\"\n".to_owned(),
        ),
        ("an override of nothing named", "[[override]]\neol = \"2027-01-01\"\nsource = \"c\"\n".to_owned()),
        ("an unknown policy key", "[policy]\nalow = [\"MIT\"]\n".to_owned()),
    ] {
        assert!(!errors(&validator, &text).is_empty(), "the schema accepts {mistake}");
        assert!(Declarations::parse("shelflife.toml", &text).is_err(), "the reader accepts {mistake}");
    }
}
