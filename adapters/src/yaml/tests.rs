//! Tests of the YAML reader: documents, lines, scalars, merge keys, `!reference`, bad input.

use super::*;

fn roots(text: &str) -> Vec<Result<u32, SyntaxError>> {
    Stream::parse(text).documents().map(|d| d.root.map(|n| n.line())).collect()
}

/// Runs `check` on the root of the first document of `text`, which must parse.
fn with_root<T>(text: &str, check: impl FnOnce(Node<'_>) -> T) -> T {
    check(Stream::parse(text).test_root())
}

#[test]
fn documents_are_cut_at_markers_and_keep_absolute_lines() {
    let text = "a: 1\n---\nb: 2\n--- # third\nc:\n  d: 3\n...\n";
    let stream = Stream::parse(text);
    let docs: Vec<_> = stream.documents().collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].first_line, 1);
    assert_eq!(docs[1].first_line, 2);
    let third = docs[2].root.as_ref().map_err(|e| e.message.clone()).unwrap();
    assert_eq!(third.path(&["c", "d"]).map(|n| n.line()), Some(6));
    assert_eq!(third.path(&["c", "d"]).and_then(|n| n.text()), Some("3"));
}

#[test]
fn many_documents_and_crlf_line_breaks_keep_their_lines() {
    let text = "a: 1\r\n---\r\n\r\nb: 2\r\n...\r\n--- c\r\n";
    assert_eq!(roots(text), vec![Ok(1), Ok(4), Ok(6)]);
    let stream: String = (0..50).map(|i| format!("---\nkey: {i}\n")).collect();
    let lines: Vec<u32> = roots(&stream).into_iter().map(Result::unwrap).collect();
    assert_eq!(lines, (0..50).map(|i| 2 * i + 2).collect::<Vec<u32>>());
}

#[test]
fn directives_stay_with_the_document_they_introduce() {
    assert_eq!(roots("%YAML 1.2\n---\na: 1\n"), vec![Ok(3)]);
    assert_eq!(roots("a: 1\n...\n%YAML 1.2\n---\nb: 2\n"), vec![Ok(1), Ok(5)]);
}

#[test]
fn a_broken_document_is_an_error_at_its_line_and_the_others_still_parse() {
    let text = "a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n";
    let results = roots(text);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0], Ok(1));
    let error = results[1].clone().unwrap_err();
    assert!(error.line >= 3 && error.line <= 5, "{error:?}");
    assert_eq!(results[2], Ok(6));
}

#[test]
fn empty_documents_and_comment_only_chunks_are_skipped() {
    assert!(roots("---\n# nothing\n---\n\n...\n").is_empty());
    assert_eq!(roots("---\nnull\n---\nx: 1\n"), vec![Ok(4)]);
}

#[test]
fn scalars_are_kept_as_written() {
    let stream = Stream::parse("tag: 8.0\nq: \"1.10\"\nn: ~\nb: true\n");
    let root = stream.documents().next().unwrap().root.ok().unwrap();
    assert_eq!(root.get("tag").and_then(|n| n.text()), Some("8.0"));
    assert_eq!(root.get("q").and_then(|n| n.text()), Some("1.10"));
    assert_eq!(root.get("n").and_then(|n| n.text()), None);
    assert!(root.get("n").unwrap().is_null());
    assert_eq!(root.get("b").and_then(|n| n.text()), Some("true"));
}

#[test]
fn scalars_keep_their_text_and_resolve_their_type_on_demand() {
    with_root("a: 3.10\nb: '3.10'\nc: true\nd:\ne: text\n", |root| {
        let a = root.get("a").unwrap();
        assert_eq!((a.text(), a.kind(), a.as_str()), (Some("3.10"), Kind::Number, None));
        assert_eq!(root.get("b").unwrap().as_str(), Some("3.10"));
        assert_eq!(root.get("c").unwrap().kind(), Kind::Boolean);
        assert_eq!(root.get("d").unwrap().kind(), Kind::Null);
        assert_eq!(root.get("e").unwrap().line(), 5);
    });
}

#[test]
fn merge_keys_bring_in_entries_without_overriding_own_ones() {
    let text = "base: &base\n  image: redis:7\n  restart: always\nsvc:\n  <<: *base\n  restart: no\n";
    let stream = Stream::parse(text);
    let root = stream.documents().next().unwrap().root.ok().unwrap();
    let svc = root.get("svc").unwrap();
    assert_eq!(svc.get("image").and_then(|n| n.text()), Some("redis:7"));
    assert_eq!(svc.get("restart").and_then(|n| n.text()), Some("no"));
    let merged_list = "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n";
    let stream = Stream::parse(merged_list);
    let root = stream.documents().next().unwrap().root.ok().unwrap();
    assert_eq!(root.path(&["c", "y"]).and_then(|n| n.text()), Some("2"));
}

#[test]
fn merge_keys_are_followed() {
    let text = "base: &base\n  image: node:20\njob:\n  <<: *base\n  script: [x]\nmulti:\n  <<: [*base]\n";
    with_root(text, |root| {
        let image = root.get("job").unwrap().get("image").unwrap();
        assert_eq!((image.as_str(), image.line()), (Some("node:20"), 2));
        assert!(root.get("multi").unwrap().get("image").is_some());
    });
}

#[test]
fn merges_of_merges_are_followed_and_own_keys_win() {
    let text = "a: &a {x: 1, y: 0}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n";
    let stream = Stream::parse(text);
    let root = stream.documents().next().unwrap().root.ok().unwrap();
    let c = root.get("c").unwrap();
    let keys: Vec<_> = c.entries().into_iter().map(|(key, value)| (key, value.text())).collect();
    assert_eq!(keys, [("z", Some("3")), ("y", Some("2")), ("x", Some("1"))]);
    assert_eq!(c.get("x").and_then(|n| n.text()), Some("1"));
}

#[test]
fn a_mapping_merged_first_wins_with_what_it_merges_itself() {
    // YAML's merge rule: `<<: [*a, *b]` is `a` (with what `a` merges) over `b`.
    let text = "c: &c {k: from-c}\na: &a {<<: *c}\nb: &b {k: from-b}\nd: {<<: [*a, *b]}\n";
    with_root(text, |root| {
        let d = root.get("d").unwrap();
        assert_eq!(d.get("k").and_then(Node::text), Some("from-c"));
        let entries: Vec<_> = d.entries().into_iter().map(|(key, value)| (key, value.text())).collect();
        assert_eq!(entries, [("k", Some("from-c"))]);
    });
}

#[test]
fn tags_are_looked_through_except_gitlab_references() {
    let text = "ports: !override [\"80:80\"]\nbuild: !reset {context: .}\nimage: !reference [.base, image]\n";
    with_root(text, |root| {
        assert_eq!(root.get("ports").map(|n| n.items().len()), Some(1));
        assert_eq!(root.path(&["build", "context"]).and_then(Node::text), Some("."));
        let reference = root.get("image").unwrap();
        assert_eq!(reference.kind(), Kind::Other);
        assert_eq!(reference.items().len(), 0);
        assert_eq!(root.get("ports").unwrap().reference_path(), None);
    });
}

#[test]
fn reference_tags() {
    with_root(".base:\n  image: ruby\njob:\n  image: !reference [.base, image]\n", |root| {
        let image = root.get("job").unwrap().get("image").unwrap();
        assert_eq!(image.reference_path(), Some(vec![".base", "image"]));
        assert_eq!(image.kind(), Kind::Other);
    });
}

#[test]
fn syntax_errors_and_duplicate_keys_have_lines() {
    let error = Stream::parse("a: [1, 2\nb: c\n").first("x.yml").unwrap_err();
    assert!(error.location.line.is_some());
    let duplicate = Stream::parse("a: 1\na: 2\n").first("x.yml").unwrap_err();
    assert_eq!(duplicate.location.line, Some(2));
}

#[test]
fn duplicate_keys_are_a_syntax_error() {
    let results = roots("a: 1\na: 2\n");
    assert!(results[0].is_err());
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(Stream::parse(&text).first("x.yml").is_err());
}

#[test]
fn malformed_streams_never_panic() {
    let inputs = [
        "{",
        "[",
        "a: *undefined",
        "- - - -",
        "\t a: b",
        "? [a]\n: b",
        "a: !!int x",
        "&a [*a]",
        "---\n...\n---",
        "\u{feff}a: 1",
        "key: 'open",
        ": :",
        "a:\n  - b\n c: d",
        "%YAML 1.2\n---\na: 1",
        "%YAML 1.2\n%YAML 1.2\n---\na: 1",
        "a: |\n x\n  y\n",
        "a: !reference\nb: !reference [1, [2]]\n",
        "<<: *x\n",
        "<<: [1, 2]\na: {<<: a}\n",
    ];
    for text in inputs {
        for document in Stream::parse(text).documents() {
            let _ = document.line();
            if let Ok(root) = document.root {
                let _ = (root.entries(), root.items().len(), root.text(), root.line(), root.kind());
                let _ = (root.get("a"), root.reference_path(), root.get("b").and_then(Node::reference_path));
            }
        }
    }
}
