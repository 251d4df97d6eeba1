//! The tree walk: what it skips, what it honours, and how it reports what it cannot read.

use std::fs;
use std::path::Path;

use shelflife::walk::candidates;

fn touch(root: &Path, relative: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
    fs::write(path, "{}").expect("write file");
}

#[test]
fn skips_vendored_and_build_directories_and_honours_gitignore() {
    let tree = tempfile::tempdir().expect("temp dir");
    let root = tree.path();
    for file in [
        "app/package-lock.json",
        ".config/package-lock.json",
        "node_modules/dep/package-lock.json",
        ".git/package-lock.json",
        "target/package/Cargo.lock",
        "env/package-lock.json",
        "ignored/package-lock.json",
        "README.md",
    ] {
        touch(root, file);
    }
    fs::write(root.join("env/pyvenv.cfg"), "home = /usr/bin\n").expect("pyvenv.cfg");
    fs::write(root.join(".gitignore"), "ignored/\n").expect(".gitignore");

    let (found, problems) = candidates(root);
    let paths: Vec<&str> = found.iter().map(|c| c.display_path.as_str()).collect();
    assert_eq!(paths, vec![".config/package-lock.json", "app/package-lock.json"]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_with_its_path_and_the_rest_is_walked() {
    let tree = tempfile::tempdir().expect("temp dir");
    let root = tree.path();
    touch(root, "app/package-lock.json");
    fs::create_dir_all(root.join("loop")).expect("loop dir");
    std::os::unix::fs::symlink("..", root.join("loop/back")).expect("symlink");

    let (found, problems) = candidates(root);
    assert!(found.iter().any(|c| c.display_path == "app/package-lock.json"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location.path, "loop/back");
    assert!(problems[0].message.contains("symbolic link loop"), "{}", problems[0].message);
}
