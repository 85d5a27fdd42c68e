use hc_core::wire::{ArticleList, CategoryList, HelpCenterData, ListMeta, Success};
use hc_core::Snapshot;
use hc_publish::static_site::{PACKS_JSON, SNAPSHOT_JSON};

use super::*;

fn tiny() -> HelpCenterData {
    serde_json::from_str(include_str!("../../../sim/tests/fixtures/tiny.json")).unwrap()
}

/// The API's pages of `data`, `per` records a page, as the walk asks.
fn answer(data: &HelpCenterData, request: &str, per: usize) -> String {
    let page: usize = request
        .split("page=")
        .nth(1)
        .and_then(|p| p.split('&').next())
        .unwrap()
        .parse()
        .unwrap();
    let chunk = |total: usize| ((page - 1) * per).min(total)..(page * per).min(total);
    let meta = |total: usize| ListMeta::new(page as u32, per as u32, total as u64);
    if request.starts_with("/categories") {
        let all = &data.categories;
        serde_json::to_string(&CategoryList {
            status: Success,
            categories: all[chunk(all.len())].to_vec(),
            meta: meta(all.len()),
        })
        .unwrap()
    } else {
        let all = &data.articles;
        serde_json::to_string(&ArticleList {
            status: Success,
            articles: all[chunk(all.len())].to_vec(),
            meta: meta(all.len()),
        })
        .unwrap()
    }
}

fn no_files(path: &str) -> Result<String, String> {
    Err(format!("{path}: no such file"))
}

fn walked(data: &HelpCenterData, per: usize) -> (SiteBuild, Vec<String>) {
    let mut build = SiteBuild::new(Options::default(), no_files).unwrap();
    let mut asked = Vec::new();
    while let Some(request) = build.next_request() {
        build.feed(&answer(data, &request, per)).unwrap();
        asked.push(request);
    }
    (build, asked)
}

#[test]
fn walks_every_page_then_builds_the_public_site_only() {
    let data = tiny();
    let (build, asked) = walked(&data, 2);
    assert_eq!(
        asked,
        [
            "/categories?page=1&limit=100",
            "/categories?page=2&limit=100",
            "/articles?page=1&limit=100",
            "/articles?page=2&limit=100",
            "/articles?page=3&limit=100",
        ]
    );
    let mut told = Vec::new();
    let built = build.finish(|l| told.push(l.to_string())).unwrap();
    assert!(built.skipped.is_empty());
    let file = |name: &str| &built.site.files.iter().find(|(n, _)| n == name).unwrap().1;
    let snapshot: Snapshot = serde_json::from_slice(file(SNAPSHOT_JSON)).unwrap();
    let public: Vec<i64> = data
        .articles
        .iter()
        .filter(|a| a.published && a.visibility == hc_core::wire::Visibility::Public)
        .map(|a| a.id)
        .collect();
    let emitted: Vec<i64> = snapshot.articles.iter().map(|a| a.id).collect();
    assert_eq!(emitted, public, "only published public articles");
    assert!(data.articles.len() > public.len(), "the fixture has others");
    let index: hc_core::static_site::PacksIndex = serde_json::from_slice(file(PACKS_JSON)).unwrap();
    assert_eq!(told.len(), index.packs.len());
    assert!(!index.packs.is_empty());
}

#[test]
fn a_body_that_is_not_a_list_is_an_error_naming_the_request_and_loses_nothing() {
    let data = tiny();
    let mut build = SiteBuild::new(Options::default(), no_files).unwrap();
    build
        .feed(&answer(&data, "/categories?page=1", 100))
        .unwrap();
    let err = build.feed("<html>502 Bad Gateway</html>").unwrap_err();
    assert!(
        err.to_string().contains("/articles?page=1&limit=100"),
        "{err}"
    );
    // The same request is still the next one; its real answer completes it.
    let request = build.next_request().unwrap();
    assert_eq!(request, "/articles?page=1&limit=100");
    build.feed(&answer(&data, &request, 100)).unwrap();
    assert_eq!(build.next_request(), None);
    assert!(matches!(build.feed("{}"), Err(BuildError::NotWaiting)));
    assert_eq!(build.finish(|_| {}).unwrap().site.articles, 3, "ids 1-3");
}

#[test]
fn a_build_cannot_finish_before_the_walk() {
    let build = SiteBuild::new(Options::default(), no_files).unwrap();
    assert!(matches!(build.finish(|_| {}), Err(BuildError::NotWalked)));
}

#[test]
fn options_are_checked_with_the_flag_in_the_message() {
    let check = |options: Options, wanted: &str| {
        let err = SiteBuild::new(options, no_files).unwrap_err().to_string();
        assert!(err.contains(wanted), "{err:?} lacks {wanted:?}");
    };
    check(
        Options {
            public_url: Some("ftp://help.example.com".into()),
            ..Options::default()
        },
        "--public-url",
    );
    check(
        Options {
            languages: vec!["en".into(), "not a language".into()],
            ..Options::default()
        },
        "--language: \"not a language\"",
    );
    check(
        Options {
            synonyms: vec!["de=missing.csv".into()],
            ..Options::default()
        },
        "missing.csv: no such file",
    );
    check(
        Options {
            suggestions: Some("rules.json".into()),
            ..Options::default()
        },
        "--suggestions rules.json",
    );
}

#[test]
fn files_named_by_the_options_are_read_and_used() {
    let options: Options = serde_json::from_str(
        r#"{"synonyms": ["en=syn.csv"], "suggestions": "rules.json", "languages": ["en"]}"#,
    )
    .unwrap();
    let read = |path: &str| match path {
        "syn.csv" => Ok("account, profile\n".to_string()),
        "rules.json" => Ok(r#"{"rules": [{"path": "/billing/*", "ids": [2]}]}"#.to_string()),
        other => no_files(other),
    };
    let mut build = SiteBuild::new(options, read).unwrap();
    let data = tiny();
    while let Some(request) = build.next_request() {
        build.feed(&answer(&data, &request, 100)).unwrap();
    }
    let built = build.finish(|_| {}).unwrap();
    let file = |name: &str| &built.site.files.iter().find(|(n, _)| n == name).unwrap().1;
    let snapshot: Snapshot = serde_json::from_slice(file(SNAPSHOT_JSON)).unwrap();
    assert_eq!(snapshot.page_rules.len(), 1);
    assert_eq!(snapshot.synonyms.len(), 1);
    assert_eq!(built.site.packs.len(), 1, "--language en: one pack");
}
