//! `hcs eval` end to end on the engine's small fixture corpus: per-query
//! lines, the exact last line, and the corpus filter on the `corpus` field.

use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/fixtures")
        .join(name)
}

fn eval(queries: &str, extra: &[&str]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("hcs-eval-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let qfile = dir.join(format!("q-{}.json", queries.len()));
    std::fs::write(&qfile, queries).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hcs"))
        .arg("eval")
        .arg("--corpus")
        .arg(fixture("mini-corpus.json"))
        .arg("--queries")
        .arg(&qfile)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn prints_ranks_and_the_summary_line_last() {
    let lines = eval(
        r#"[
            {"q": "netw", "lang": "en", "relevant": [1]},
            {"q": "password", "lang": "en", "relevant": [10]},
            {"q": "unicorn", "lang": "en", "relevant": [2]},
            {"q": "reseau", "lang": "fr", "relevant": [1], "corpus": "mini-corpus"},
            {"q": "reseau", "lang": "fr", "relevant": [1], "corpus": "rust-docs"}
        ]"#,
        &[],
    );
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines[0].trim_start().starts_with("1 "), "{}", lines[0]);
    assert!(lines[1].trim_start().starts_with("2 "), "{}", lines[1]);
    assert!(lines[2].trim_start().starts_with("- "), "{}", lines[2]);
    // (1 + 1/2 + 0 + 1) / 4; recall@5 = 3/4; the rust-docs query is skipped.
    assert_eq!(
        lines.last().unwrap(),
        "MRR@10=0.625 recall@5=0.750 queries=4"
    );
}

#[test]
fn lang_filter_and_empty_sets() {
    let lines = eval(
        r#"[{"q": "netw", "lang": "en", "relevant": [1]}, {"q": "reseau", "lang": "fr", "relevant": [1]}]"#,
        &["--lang", "fr"],
    );
    assert_eq!(
        lines.last().unwrap(),
        "MRR@10=1.000 recall@5=1.000 queries=1"
    );
    let lines = eval("[]", &[]);
    assert_eq!(lines, ["MRR@10=0.000 recall@5=0.000 queries=0"]);
}
