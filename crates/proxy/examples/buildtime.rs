fn main() {
    let bytes = std::fs::read("/work/shared/corpus/debian-reference.json").unwrap();
    let d: hc_core::HelpCenterData = serde_json::from_slice(&bytes).unwrap();
    let s = hc_proxy::sanitize::Sanitizer::new(None);
    let t = std::time::Instant::now();
    let arts: Vec<_> = d
        .articles
        .clone()
        .into_iter()
        .filter_map(|a| hc_core::PublicArticle::from_wire(a, |h| s.clean(h)))
        .collect();
    println!("sanitize {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let json = serde_json::to_vec(&arts).unwrap();
    println!("json {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let e = hc_proxy::prepared::Encoded::lazy(json.clone());
    println!("sha {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let g = e.gzip().len();
    println!("gzip {:?} {g}", t.elapsed());
    let t = std::time::Instant::now();
    let b = e.br().len();
    println!("br {:?} {b}", t.elapsed());
}
