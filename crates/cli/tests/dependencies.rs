//! Dependencies the workspace must not resolve to: YAML crates that are
//! abandoned or advised against in every version (there is no `cargo deny`
//! here, so the lock file is read directly). YAML goes through
//! `serde-saphyr` (see the README).

const REFUSED: &[(&str, &str)] = &[
    (
        "serde_yaml",
        "deprecated and archived by its author: 0.9.34+deprecated",
    ),
    ("serde_yml", "RUSTSEC-2025-0068: unsound, unmaintained"),
    ("yaml-rust", "RUSTSEC-2024-0320: unmaintained"),
];

#[test]
fn the_lock_file_holds_no_advised_against_crate() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let lock = std::fs::read_to_string(&path).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.len() > 100, "read the packages of {}", path.display());
    let found: Vec<String> = REFUSED
        .iter()
        .filter(|(name, _)| names.contains(name))
        .map(|(name, why)| format!("{name} ({why})"))
        .collect();
    assert!(found.is_empty(), "Cargo.lock resolves to {found:?}");
}

/// The CLI writes static packs with `hc-engine`'s index container, not
/// through the wasm crate `hc-worker` (which it must not depend on).
#[test]
fn the_cli_does_not_depend_on_the_worker() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path).unwrap();
    assert!(manifest.contains("hc-engine"), "read {}", path.display());
    assert!(
        !manifest.contains("hc-worker"),
        "{} names hc-worker",
        path.display()
    );
}
