use super::*;
use crate::licence::class::{classify, LicenceClass};

use LicenceClass::{
    NetworkCopyleft as Network, Permissive as Perm, Proprietary as Prop, SourceAvailable as Source,
    StrongCopyleft as Strong, Unknown as Unk, WeakCopyleft as Weak,
};

/// Licence strings as they appear in npm `license` fields, PyPI `license` fields and
/// classifiers, and crates' `license`, with what they must read as and their class.
/// The package each was seen in is named where it is a specific one.
const CASES: &[(&str, Option<&str>, LicenceClass)] = &[
    // npm `license` fields
    ("MIT", Some("MIT"), Perm),                               // express
    ("ISC", Some("ISC"), Perm),                               // inherits
    ("Apache-2.0", Some("Apache-2.0"), Perm),                 // typescript
    ("BSD-3-Clause", Some("BSD-3-Clause"), Perm),             // source-map
    ("BSD-2-Clause", Some("BSD-2-Clause"), Perm),             // esprima
    ("0BSD", Some("0BSD"), Perm),                             // tslib
    ("Python-2.0", Some("Python-2.0"), Perm),                 // argparse 2
    ("CC-BY-4.0", Some("CC-BY-4.0"), Perm),                   // caniuse-lite
    ("BlueOak-1.0.0", Some("BlueOak-1.0.0"), Perm),           // path-scurry
    ("WTFPL", Some("WTFPL"), Perm),                           // left-pad 1.3.0
    ("(MIT OR Apache-2.0)", Some("MIT OR Apache-2.0"), Perm), // rxjs 5
    ("(MIT AND Zlib)", Some("MIT AND Zlib"), Perm),           // pako
    ("(MIT OR CC0-1.0)", Some("MIT OR CC0-1.0"), Perm),       // type-fest
    ("(BSD-2-Clause OR MIT OR Apache-2.0)", Some("BSD-2-Clause OR MIT OR Apache-2.0"), Perm), // rc
    ("UNLICENSED", Some("LicenseRef-Proprietary"), Prop),
    ("SEE LICENSE IN LICENSE.txt", None, Unk),
    ("SEE LICENSE IN EULA.md", None, Unk),
    ("Apache 2.0", Some("Apache-2.0"), Perm),
    ("Apache 2", Some("Apache-2.0"), Perm),
    ("Apache-2", Some("Apache-2.0"), Perm),
    ("Apache License 2.0", Some("Apache-2.0"), Perm),
    ("Apache License, Version 2.0", Some("Apache-2.0"), Perm),
    ("MIT License", Some("MIT"), Perm),
    ("mit", Some("MIT"), Perm),
    ("apache-2.0", Some("Apache-2.0"), Perm),
    ("BSD", Some("LicenseRef-BSD"), Perm),
    ("GPL-2.0+", Some("GPL-2.0-or-later"), Strong),
    ("GPL-2.0", Some("GPL-2.0-only"), Strong),
    ("GPL-3.0", Some("GPL-3.0-only"), Strong),
    ("AGPL-3.0", Some("AGPL-3.0-only"), Network),
    ("LGPL-2.1+", Some("LGPL-2.1-or-later"), Weak),
    ("LGPL-2.1", Some("LGPL-2.1-only"), Weak),
    ("GPLv3+", Some("GPL-3.0-or-later"), Strong),
    ("GPLv2", Some("GPL-2.0-only"), Strong),
    ("AGPLv3", Some("AGPL-3.0-only"), Network),
    ("MPL 2.0", Some("MPL-2.0"), Weak),
    ("EPL-2.0", Some("EPL-2.0"), Weak),
    ("CC0", Some("CC0-1.0"), Perm),
    ("Unlicense", Some("Unlicense"), Perm),
    ("Public Domain", Some("LicenseRef-Public-Domain"), Perm),
    ("Dual License", None, Unk),
    ("BSD-3-Clause AND MIT", Some("BSD-3-Clause AND MIT"), Perm),
    ("Apache-2.0 WITH LLVM-exception", Some("Apache-2.0 WITH LLVM-exception"), Perm),
    ("Elastic License 2.0", Some("Elastic-2.0"), Source),
    ("SSPL", Some("SSPL-1.0"), Source),
    ("BUSL-1.1", Some("BUSL-1.1"), Source),
    ("Commercial", Some("LicenseRef-Proprietary"), Prop),
    ("Proprietary", Some("LicenseRef-Proprietary"), Prop),
    ("EUPL-1.2", Some("EUPL-1.2"), Network),
    ("Artistic-2.0", Some("Artistic-2.0"), Weak),
    ("CC-BY-SA-4.0", Some("CC-BY-SA-4.0"), Weak),
    ("GPL-2.0-only WITH Classpath-exception-2.0", Some("GPL-2.0-only WITH Classpath-exception-2.0"), Weak),
    ("\"MIT\"", Some("MIT"), Perm),
    // crates `license`
    ("MIT OR Apache-2.0", Some("MIT OR Apache-2.0"), Perm), // serde
    ("MIT/Apache-2.0", Some("MIT OR Apache-2.0"), Perm),    // regex 0.1
    ("Apache-2.0/MIT", Some("Apache-2.0 OR MIT"), Perm),    // libc 0.2.20
    ("Unlicense/MIT", Some("Unlicense OR MIT"), Perm),      // memchr 1
    ("Unlicense OR MIT", Some("Unlicense OR MIT"), Perm),   // memchr 2
    ("Zlib OR Apache-2.0 OR MIT", Some("Zlib OR Apache-2.0 OR MIT"), Perm), // bytemuck
    ("Apache-2.0 OR ISC OR MIT", Some("Apache-2.0 OR ISC OR MIT"), Perm), // rustls
    ("Apache-2.0 AND ISC", Some("Apache-2.0 AND ISC"), Perm), // ring 0.17
    ("(MIT OR Apache-2.0) AND Unicode-DFS-2016", Some("(MIT OR Apache-2.0) AND Unicode-DFS-2016"), Perm), // unicode-ident
    (
        "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT",
        Some("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT"),
        Perm,
    ), // rustix
    ("BSD-2-Clause OR Apache-2.0 OR MIT", Some("BSD-2-Clause OR Apache-2.0 OR MIT"), Perm), // zerocopy
    ("MPL-2.0", Some("MPL-2.0"), Weak),                                                     // cssparser
    ("GPL-2.0-or-later", Some("GPL-2.0-or-later"), Strong),                                 // hg-core
    ("MIT OR GPL-3.0-or-later", Some("MIT OR GPL-3.0-or-later"), Perm),
    ("BSD-2-Clause-FreeBSD", Some("BSD-2-Clause"), Perm),
    // PyPI `license` fields and classifiers
    ("License :: OSI Approved :: MIT License", Some("MIT"), Perm), // six
    ("License :: OSI Approved :: Apache Software License", Some("LicenseRef-Apache"), Perm), // requests
    ("License :: OSI Approved :: BSD License", Some("LicenseRef-BSD"), Perm), // click
    ("License :: OSI Approved :: ISC License (ISCL)", Some("ISC"), Perm), // pexpect
    ("License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", Some("MPL-2.0"), Weak), // certifi
    (
        "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)",
        Some("LGPL-3.0-or-later"),
        Weak,
    ), // chardet 5
    ("License :: OSI Approved :: GNU General Public License v2 (GPLv2)", Some("GPL-2.0-only"), Strong),
    ("License :: OSI Approved :: Python Software Foundation License", Some("PSF-2.0"), Perm), // typing_extensions
    ("License :: Other/Proprietary License", Some("LicenseRef-Proprietary"), Prop),
    ("License :: Public Domain", Some("LicenseRef-Public-Domain"), Perm),
    ("License :: OSI Approved", None, Unk),
    ("ISC License (ISCL)", Some("ISC"), Perm),
    ("Apache Software License", Some("LicenseRef-Apache"), Perm),
    ("BSD License", Some("LicenseRef-BSD"), Perm),
    ("new BSD", Some("BSD-3-Clause"), Perm),
    ("BSD 3-Clause License", Some("BSD-3-Clause"), Perm),
    ("MIT license", Some("MIT"), Perm),
    ("PSF", Some("PSF-2.0"), Perm),
    ("LGPL", Some("LicenseRef-LGPL"), Weak),
    ("GNU GPL v2", Some("GPL-2.0-only"), Strong),
    ("UNKNOWN", None, Unk),
    ("Apache 2.0 with Commons Clause", Some("Apache-2.0 AND LicenseRef-Commons-Clause"), Source),
    ("GPL-2.0 or later", Some("GPL-2.0-or-later"), Strong),
    ("LGPLv2.1", Some("LGPL-2.1-only"), Weak),
    ("GPLv2 with Classpath exception", Some("GPL-2.0-only WITH Classpath-exception-2.0"), Weak),
    ("Apache License", Some("LicenseRef-Apache"), Perm),
    ("Apache-2.0 AND MIT", Some("Apache-2.0 AND MIT"), Perm),
    ("MIT AND (Apache-2.0 OR BSD-2-Clause)", Some("MIT AND (Apache-2.0 OR BSD-2-Clause)"), Perm),
    ("", None, Unk),
    // Mixed and term-by-term
    ("Apache License 2.0 OR GPLv3+", Some("Apache-2.0 OR GPL-3.0-or-later"), Perm),
    ("MIT License AND BSD", Some("MIT AND LicenseRef-BSD"), Perm),
    ("MPL 2.0 OR EPL 2.0", Some("MPL-2.0 OR EPL-2.0"), Weak),
    ("Apache Version 2", Some("Apache-2.0"), Perm),
    ("EPL 1.0 AND LGPL 3", Some("EPL-1.0 AND LGPL-3.0-only"), Weak),
    ("Apache-2.0 with LLVM exception", Some("Apache-2.0 WITH LLVM-exception"), Perm),
    ("gpl-3.0-or-later WITH gcc-exception-3.1", Some("GPL-3.0-or-later WITH GCC-exception-3.1"), Weak),
    ("Some Lawyer's Licence v7", None, Unk),
    ("MIT OR Some Lawyer's Licence v7", None, Unk),
];

#[test]
fn real_world_licence_strings_normalise_and_classify() {
    let data = LicenceData::embedded().unwrap();
    assert!(CASES.len() >= 50, "{} cases", CASES.len());
    let mut failures = Vec::new();
    for &(declared, expected, class) in CASES {
        let read = normalise(data, declared);
        let got = read.expression.as_ref().map(ToString::to_string);
        let got_class = read.expression.as_ref().map_or(LicenceClass::Unknown, |e| classify(data, e).class);
        if got.as_deref() != expected || got_class != class {
            failures.push(format!(
                "{declared:?}: got {got:?} ({got_class}), want {expected:?} ({class}); {:?}",
                read.notes
            ));
        }
        assert_eq!(read.declared, declared, "the original is kept");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_normalised_expression_is_strict_spdx() {
    let data = LicenceData::embedded().unwrap();
    for &(declared, _, _) in CASES {
        if let Some(expr) = normalise(data, declared).expression {
            let text = expr.to_string();
            assert!(
                Expression::parse(&text).is_ok(),
                "{declared:?} became {text:?}, which strict SPDX rejects"
            );
        }
    }
}

#[test]
fn how_each_was_read_is_told() {
    let data = LicenceData::embedded().unwrap();
    assert_eq!(normalise(data, "MIT OR Apache-2.0").reading, Reading::Spdx);
    assert_eq!(normalise(data, "MIT/Apache-2.0").reading, Reading::Mapped);
    assert_eq!(normalise(data, "Dual License").reading, Reading::Unknown);
    let slash = normalise(data, "MIT/Apache-2.0");
    assert!(slash.notes.iter().any(|n| n.contains("`/` read as OR")), "{:?}", slash.notes);
    let deprecated = normalise(data, "GPL-2.0+");
    assert_eq!(deprecated.notes, ["deprecated `GPL-2.0+` is `GPL-2.0-or-later`"]);
    let bsd = normalise(data, "BSD");
    assert!(bsd.notes[0].contains("does not say which BSD licence"), "{:?}", bsd.notes);
    let see = normalise(data, "SEE LICENSE IN LICENSE.txt");
    assert!(see.notes[0].contains("`LICENSE.txt`"), "{:?}", see.notes);
    let unlicensed = normalise(data, "UNLICENSED");
    assert!(unlicensed.notes[0].contains("not to be confused with the Unlicense"), "{:?}", unlicensed.notes);
}

#[test]
fn a_licence_text_is_read_by_its_first_line_only_when_that_line_is_a_name() {
    let data = LicenceData::embedded().unwrap();
    let mit = "MIT License\n\nCopyright (c) 2015 Someone\n\nPermission is hereby granted, free of charge…";
    let read = normalise(data, mit);
    assert_eq!(read.expression.map(|e| e.to_string()).as_deref(), Some("MIT"));
    assert!(read.notes[0].starts_with("a licence text of"), "{:?}", read.notes);
    let unnamed = "Copyright (c) 2015 Someone\nAll use is permitted provided that…";
    let read = normalise(data, unnamed);
    assert_eq!(read.expression, None);
    assert!(read.notes[0].contains("not a licence name"), "{:?}", read.notes);
    let long = "x".repeat(500);
    assert_eq!(normalise(data, &long).reading, Reading::Unknown);
}

#[test]
fn the_alias_table_overrides_the_crates_guesses() {
    let data = LicenceData::embedded().unwrap();
    // The crate's imprecise names read these as BSD-2-Clause, GPL-2.0-only and GPL-3.0-only.
    assert_eq!(spdx::imprecise_license_id("bsd").map(|(id, _)| id.name), Some("BSD-2-Clause"));
    assert_eq!(spdx::imprecise_license_id("gnu gpl v2").map(|(id, _)| id.name), Some("GPL-3.0-only"));
    for (declared, expected) in
        [("bsd", "LicenseRef-BSD"), ("gpl", "LicenseRef-GPL"), ("gnu gpl v2", "GPL-2.0-only")]
    {
        let read = normalise(data, declared).expression.map(|e| e.to_string());
        assert_eq!(read.as_deref(), Some(expected), "{declared}");
    }
    // Where the crate's name covers the whole term and no alias says otherwise, it is used.
    assert_eq!(normalise(data, "asl2.0").expression.map(|e| e.to_string()).as_deref(), Some("Apache-2.0"));
}

#[test]
fn pieces_split_at_operators_and_keep_multi_word_terms() {
    assert_eq!(
        pieces("Apache License 2.0 OR (GPL-2.0 or later AND MIT)"),
        vec![
            Piece::Term("Apache License 2.0".into()),
            Piece::Or,
            Piece::Open,
            Piece::Term("GPL-2.0+".into()),
            Piece::And,
            Piece::Term("MIT".into()),
            Piece::Close,
        ]
    );
}
