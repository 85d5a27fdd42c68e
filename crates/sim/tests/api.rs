//! The v1 reference, rule by rule, over real HTTP: each file in
//! `tests/cases/` is a sequence of requests against a fresh simulator
//! serving `tests/fixtures/tiny.json`, each with the status and the part of
//! the body it must answer. Every refused request (4xx) must also leave the
//! stored data exactly as it was.

mod common;

use common::{config, start, tiny, READ_KEY, WRITE_KEY};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    request: CaseRequest,
    status: u16,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    headers: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct CaseRequest {
    method: String,
    path: String,
    /// read (default), write, none, unknown, bearer, x-api-key
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    raw: Option<String>,
    #[serde(default)]
    raw_hex: Option<String>,
    /// Absent: application/json when there is a body; null: no header.
    #[serde(default, deserialize_with = "present")]
    content_type: Option<Option<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `expected` must be contained in `actual`: objects key by key, arrays
/// element by element with equal length, scalars equal. Special objects:
/// `{"$len": n}` (array or object size), `{"$len_chars": n}`,
/// `{"$present": true}`, `{"$absent": true}`, `{"$contains": "text"}`.
fn contains(actual: Option<&Value>, expected: &Value, at: &str) -> Result<(), String> {
    if let Some(obj) = expected.as_object() {
        if let Some(n) = obj.get("$len").and_then(Value::as_u64) {
            let len = match actual {
                Some(Value::Array(a)) => a.len(),
                Some(Value::Object(o)) => o.len(),
                other => return Err(format!("{at}: expected a collection of {n}, got {other:?}")),
            };
            return (len as u64 == n)
                .then_some(())
                .ok_or(format!("{at}: length {len}, expected {n}"));
        }
        if let Some(n) = obj.get("$len_chars").and_then(Value::as_u64) {
            let len = actual.and_then(Value::as_str).map(|s| s.chars().count());
            return (len == Some(n as usize))
                .then_some(())
                .ok_or(format!("{at}: {actual:?} is not {n} characters"));
        }
        if obj.contains_key("$present") {
            return actual.map(|_| ()).ok_or(format!("{at}: missing"));
        }
        if obj.contains_key("$absent") {
            return match actual {
                None => Ok(()),
                Some(v) => Err(format!("{at}: should be absent, is {v}")),
            };
        }
        if let Some(needle) = obj.get("$contains").and_then(Value::as_str) {
            let hay = actual.and_then(Value::as_str).unwrap_or_default();
            return hay
                .contains(needle)
                .then_some(())
                .ok_or(format!("{at}: {hay:?} lacks {needle:?}"));
        }
        let Some(Value::Object(actual)) = actual else {
            return Err(format!("{at}: expected an object, got {actual:?}"));
        };
        for (k, v) in obj {
            contains(actual.get(k), v, &format!("{at}.{k}"))?;
        }
        return Ok(());
    }
    if let Some(items) = expected.as_array() {
        let Some(Value::Array(actual)) = actual else {
            return Err(format!("{at}: expected an array, got {actual:?}"));
        };
        if actual.len() != items.len() {
            return Err(format!(
                "{at}: {} items, expected {}",
                actual.len(),
                items.len()
            ));
        }
        for (i, (a, e)) in actual.iter().zip(items).enumerate() {
            contains(Some(a), e, &format!("{at}[{i}]"))?;
        }
        return Ok(());
    }
    match actual {
        Some(a) if a == expected => Ok(()),
        other => Err(format!("{at}: got {other:?}, expected {expected}")),
    }
}

async fn check(file: &str) {
    let text =
        std::fs::read_to_string(common::fixture(&format!("cases/{file}"))).expect("case file");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("case file parses");
    assert!(!cases.is_empty());
    let sim = start(config(tiny())).await;
    let http = reqwest::Client::new();
    let base = format!("http://{}", sim.addr());
    let mut failures = Vec::new();
    for case in &cases {
        let r = &case.request;
        let method = reqwest::Method::from_bytes(r.method.as_bytes()).expect("method");
        let mut req = http.request(method, format!("{base}{}", r.path));
        req = match r.key.as_deref().unwrap_or("read") {
            "read" => req.header("apikey", READ_KEY),
            "write" => req.header("apikey", WRITE_KEY),
            "none" => req,
            "unknown" => req.header("apikey", "u".repeat(64)),
            "bearer" => req.header("authorization", format!("Bearer {READ_KEY}")),
            "x-api-key" => req.header("x-api-key", READ_KEY),
            other => panic!("unknown key kind {other}"),
        };
        let body: Option<Vec<u8>> = match (&r.json, &r.raw, &r.raw_hex) {
            (Some(j), _, _) => Some(serde_json::to_vec(j).unwrap()),
            (_, Some(raw), _) => Some(raw.clone().into_bytes()),
            (_, _, Some(hex)) => Some(
                (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                    .collect(),
            ),
            _ => None,
        };
        let content_type = match &r.content_type {
            Some(explicit) => explicit.clone(),
            None => body.as_ref().map(|_| "application/json".to_string()),
        };
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let before = sim.data();
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        let json: Option<Value> = serde_json::from_slice(&bytes).ok();
        let mut problems = Vec::new();
        if status != case.status {
            problems.push(format!("status {status}, expected {}", case.status));
        }
        if json.is_none() {
            problems.push(format!(
                "body is not JSON: {:?}",
                String::from_utf8_lossy(&bytes)
            ));
        }
        if let Some(expected) = &case.body {
            if let Err(e) = contains(json.as_ref(), expected, "body") {
                problems.push(e);
            }
        }
        if let Some(Value::Object(expected)) = &case.headers {
            for (name, want) in expected {
                let got = headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|s| Value::String(s.into()));
                if let Err(e) = contains(got.as_ref(), want, &format!("header {name}")) {
                    problems.push(e);
                }
            }
        }
        if status >= 400 && sim.data() != before {
            problems.push("a refused request changed the stored data".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{file} / {}: {}\n    body: {}",
                case.name,
                problems.join("; "),
                String::from_utf8_lossy(&bytes)
                    .chars()
                    .take(400)
                    .collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn auth() {
    check("auth.json").await;
}

#[tokio::test]
async fn list() {
    check("list.json").await;
}

#[tokio::test]
async fn scope() {
    check("scope.json").await;
}

#[tokio::test]
async fn create() {
    check("create.json").await;
}

#[tokio::test]
async fn update() {
    check("update.json").await;
}

#[tokio::test]
async fn routes() {
    check("routes.json").await;
}
