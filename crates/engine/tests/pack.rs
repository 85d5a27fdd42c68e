//! Index containers: round trip (same answers and reader documents after
//! loading, in both packings), and every kind of damage is a typed error,
//! never a panic.

mod common;

use hc_engine::container::{self, split, FORMAT_VERSION};
use hc_engine::{Container, Engine, EngineError, IndexContainer, Packing, SearchOptions};

fn answers(e: &Engine) -> Vec<(Vec<i64>, usize)> {
    [
        "netw",
        "invoice firewall unicorn",
        "設定",
        "uber",
        "confgiuration ",
        "keyboard",
    ]
    .iter()
    .map(|q| {
        let r = e.search(q, &SearchOptions::default());
        (r.hits.iter().map(|h| h.id).collect(), r.total)
    })
    .collect()
}

#[test]
fn round_trip_gives_the_same_answers_and_documents() {
    for lang in ["en", "ja", "de"] {
        let e = common::engine("mini-corpus.json", lang);
        let built = common::container("mini-corpus.json", lang);
        assert_eq!(
            answers(&built.engine),
            answers(e),
            "built like Engine::build"
        );
        for packing in [Packing::Travel, Packing::Cache] {
            let bytes = built.to_bytes(packing).unwrap();
            let back = IndexContainer::from_bytes(&bytes).unwrap();
            assert_eq!(back.engine.lang(), lang);
            assert_eq!(back.engine.len(), e.len());
            assert_eq!(answers(&back.engine), answers(e));
            assert_eq!(
                e.search("network", &SearchOptions::default()),
                back.engine.search("network", &SearchOptions::default())
            );
            assert_eq!(back.reader, built.reader, "{lang} {packing:?}");
            // The two halves a warm start reads one after the other.
            let opened = Container::open(&bytes).unwrap();
            assert_eq!(answers(&opened.engine().unwrap()), answers(e));
            assert_eq!(opened.reader().unwrap(), built.reader);
            // A loaded container encodes again to the same bytes.
            assert_eq!(back.to_bytes(packing).unwrap(), bytes, "{lang} {packing:?}");
            if packing == Packing::Cache {
                // As the worker opens its cache entry: the index files
                // read where they lie in the entry's buffer.
                let kept = container::served_engine_keeping(bytes.clone()).unwrap();
                assert_eq!(answers(&kept), answers(e), "{lang}");
                let entry = container::cache_entry(&kept, &built.reader).unwrap();
                // Written as its parts, the entry shares the index files
                // the engine reads where they lie instead of copying them:
                // most of its index section (the rest is names, lengths,
                // synonyms and page rules: 89–92 % shared here).
                let index_section = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
                assert!(
                    entry.shared_len() * 5 > index_section * 4,
                    "{lang}: {} of the index section's {index_section} bytes shared",
                    entry.shared_len()
                );
                assert_eq!(entry.into_vec(), bytes);
            }
        }
    }
}

/// Two builds of the same articles give the same bytes, so a pack's
/// content-hashed name changes only with its content (tantivy names each
/// new segment by a random id; a container gives it a fixed one).
#[test]
fn the_same_articles_give_the_same_bytes() {
    for lang in ["en", "de"] {
        for packing in [Packing::Travel, Packing::Cache] {
            let a = common::container("mini-corpus.json", lang)
                .to_bytes(packing)
                .unwrap();
            let b = common::container("mini-corpus.json", lang)
                .to_bytes(packing)
                .unwrap();
            assert!(a == b, "{lang} {packing:?}");
        }
    }
}

/// The reader documents are one per indexed document, in index order, with
/// the article's HTML and the category path the results show.
#[test]
fn reader_documents_follow_the_index() {
    let built = common::container("mini-corpus.json", "en");
    let ids: Vec<i64> = built.engine.article_ids().collect();
    let reader_ids: Vec<i64> = built.reader.docs.iter().map(|d| d.id).collect();
    assert_eq!(ids, reader_ids);
    let articles = &common::corpus("mini-corpus.json").articles;
    for doc in built.reader.docs.iter() {
        let a = articles.iter().find(|a| a.id == doc.id).unwrap();
        assert_eq!(built.reader.html(doc.id).as_ref(), a.content.get_str("en"));
        let hit = built
            .engine
            .search(
                doc.title,
                &SearchOptions {
                    limit: 50,
                    category: None,
                },
            )
            .hits
            .into_iter()
            .find(|h| h.id == doc.id);
        if let Some(hit) = hit {
            assert_eq!(hit.category_path, *doc.category_path);
            assert_eq!(hit.slug, doc.slug());
        }
    }
}

/// A cache container (stored, with the body texts) is larger than one that
/// travels, and a damaged one is still a typed error.
#[test]
fn cache_containers_are_stored_and_checked_too() {
    for lang in ["en", "ja"] {
        let built = common::container("mini-corpus.json", lang);
        let travel = built.to_bytes(Packing::Travel).unwrap();
        let cache = built.to_bytes(Packing::Cache).unwrap();
        assert!(cache.len() > travel.len(), "{lang}");
        assert_eq!(cache[6], 1);
        assert_eq!(travel[6], 0);
        let mut flipped = cache.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        assert!(matches!(
            IndexContainer::from_bytes(&flipped),
            Err(EngineError::ChecksumMismatch { .. })
        ));
        let mut unknown = cache.clone();
        unknown[6] = 0x03;
        assert!(matches!(
            IndexContainer::from_bytes(&unknown),
            Err(EngineError::ChecksumMismatch { .. })
        ));
    }
}

#[test]
fn damage_is_a_typed_error() {
    let bytes = common::container("mini-corpus.json", "en")
        .to_bytes(Packing::Travel)
        .unwrap();
    let load = IndexContainer::from_bytes;
    assert!(matches!(load(b""), Err(EngineError::NotAPack)));
    assert!(matches!(
        load(b"PK\x03\x04 zip file"),
        Err(EngineError::NotAPack)
    ));
    assert!(matches!(
        load(&bytes[..10]),
        Err(EngineError::CorruptPack(_))
    ));
    assert!(matches!(
        load(&bytes[..bytes.len() - 1]),
        Err(EngineError::CorruptPack(_))
    ));
    assert!(matches!(
        load(&[&bytes[..], b"x"].concat()),
        Err(EngineError::CorruptPack(_))
    ));

    let mut other = bytes.clone();
    other[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = load(&other).err().unwrap();
    assert!(
        matches!(err, EngineError::UnsupportedVersion { found, .. } if found == FORMAT_VERSION + 1)
    );
    assert!(err.to_string().contains("version"), "{err}");

    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(matches!(
        load(&flipped),
        Err(EngineError::ChecksumMismatch { .. })
    ));
}

/// What version 3 wrote (the engine pack, and the static pack that wrapped
/// it) is refused, never misread: a cache or a static site of an older
/// engine falls back to building from the snapshot.
#[test]
fn older_formats_are_refused() {
    let mut v3 = b"HCSP\x03\x00\x00\x00".to_vec();
    v3.extend_from_slice(&[0; 64]);
    assert!(matches!(
        IndexContainer::from_bytes(&v3),
        Err(EngineError::UnsupportedVersion { found: 3, .. })
    ));
    // The old static pack: `HCSP`, the engine pack's length (u32), a CRC.
    let mut old_static = b"HCSP".to_vec();
    old_static.extend_from_slice(&4u32.to_le_bytes());
    old_static.extend_from_slice(&[0; 80]);
    assert!(IndexContainer::from_bytes(&old_static).is_err());
}

#[test]
fn encoding_needs_the_reader_documents_of_the_index() {
    let built = common::container("mini-corpus.json", "en");
    // The table rebuilt from changed entries.
    let with = |change: fn(&mut Vec<hc_engine::DocEntry>)| {
        let mut entries: Vec<_> = built.reader.docs.iter().map(|d| d.to_entry()).collect();
        change(&mut entries);
        let mut reader = built.reader.clone();
        reader.docs = std::sync::Arc::new(hc_engine::DocTable::from_entries(&entries).unwrap());
        reader
    };
    let reader = with(|e| {
        e.pop();
    });
    assert!(matches!(
        hc_engine::container::encode(&built.engine, &reader, Packing::Travel),
        Err(EngineError::ReaderMismatch)
    ));
    let reader = with(|e| e.swap(0, 1));
    assert!(matches!(
        hc_engine::container::encode(&built.engine, &reader, Packing::Cache),
        Err(EngineError::ReaderMismatch)
    ));
}

/// Hostile sections behind a valid header and valid CRCs are refused
/// cleanly.
#[test]
fn hostile_sections_with_valid_checksums_are_rejected() {
    for payload in [
        vec![],
        vec![0xff; 64],
        b"\x02\x00\x00\x00en\xff\xff\xff\xff".to_vec(),
    ] {
        let sections = [payload.clone(), payload.clone(), payload.clone()];
        let bytes = common::forge(&sections);
        assert!(
            matches!(
                IndexContainer::from_bytes(&bytes),
                Err(EngineError::CorruptPack(_))
            ),
            "{payload:?}"
        );
    }
}

/// A category cycle ends the category path (built in one place, for the
/// results and the reader alike).
#[test]
fn a_category_cycle_ends_the_path() {
    let mut c = common::corpus("mini-corpus.json").clone();
    let first = c
        .articles
        .iter()
        .find(|a| a.content.get_str("en").is_some())
        .unwrap();
    let cat = first.category_ids[0];
    let id = first.id;
    for category in &mut c.categories {
        if category.id == cat {
            category.parent = Some(cat);
        }
    }
    let built = IndexContainer::from_articles("en", &c.articles, &c.categories).unwrap();
    let doc = built.reader.get(id).unwrap();
    assert_eq!(doc.category_path.len(), 1, "{:?}", doc.category_path);
}

/// A travelling container split into a pack and pieces of text: the pack
/// alone answers the same hits without snippets (keeping every phrase
/// candidate) and names the pieces its hits wait for; each piece attached
/// gives its articles their text, in the engine and the reader documents
/// alike; only a piece's own file attaches; a cache entry keeps the pieces
/// that had arrived.
#[test]
fn a_split_pack_answers_at_once_and_takes_its_pieces_one_by_one() {
    let built = common::container("debian-reference.json", "en");
    let whole = built.to_bytes(Packing::Travel).unwrap();
    let stem = |files: &[Vec<u8>]| format!("en.{}", files.len());
    let (pack, pieces) = container::split(&whole, 8 * 1024, stem).unwrap();
    let n = pieces.len() as u32;
    let apart = Container::open(&pack).unwrap().engine().unwrap();
    let texts = apart.text_pieces();
    assert!(
        texts > 10 && n > texts,
        "{texts} pieces of text, {n} in all"
    );
    // Each group of files is named from its own stem (`stem` is called
    // for the pieces of text, then for the chunks of the index, whose
    // bundle is the last file).
    assert_eq!(apart.pieces_stem(), Some(format!("en.{texts}").as_str()));
    assert_eq!(apart.piece_file(1), Some(format!("en.{texts}.1.hcbodies")));
    let bundle = n - 1;
    let chunks = bundle - texts;
    assert_eq!(apart.chunks_bundle(), Some(bundle));
    assert_eq!(
        apart.piece_file(texts),
        Some(format!("en.{chunks}.{texts}.hcbodies"))
    );
    assert_eq!(
        apart.piece_file(bundle),
        Some(format!("en.{chunks}.{bundle}.hcbodies"))
    );
    assert_eq!(apart.piece_file(n), None);
    assert_eq!(built.engine.chunks_bundle(), None);
    assert_eq!(built.engine.pieces_stem(), None);
    let opts = SearchOptions::default();
    let search = |e: &Engine, q: &str| e.search(q, &opts);
    let ids = |r: &hc_engine::SearchResults| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
    // Until the chunks of the index a search reads are here, it names
    // them (after the pieces of text) and says it lacks them.
    let with_every_chunk = |e: &Engine, q: &str| loop {
        let r = search(e, q);
        if !r.lacks_chunks() {
            return r;
        }
        for &p in r.chunks_missing() {
            e.attach_piece(p, &pieces[p as usize]).unwrap();
        }
    };
    let full = search(&built.engine, "network configuration");
    let bare = search(&apart, "network configuration");
    assert!(bare.lacks_chunks() && bare.hits.is_empty());
    assert!(!bare.pieces_missing.is_empty());
    assert!(bare.pieces_missing.iter().all(|&p| p >= texts));
    assert!(
        !apart.fill_snippets(&mut bare.clone()),
        "lacking chunks: search again"
    );
    let first = with_every_chunk(&apart, "network configuration");
    assert_eq!(ids(&first), ids(&full));
    assert_eq!(first.total, full.total);
    assert!(first.hits.iter().all(|h| h.snippet.is_empty()));
    assert!(full.pieces_missing.is_empty());
    let wanted = first.pieces_missing.clone();
    assert!(!wanted.is_empty() && wanted.len() <= first.hits.len());
    let phrase = "\"configuration network\""; // both words, rarely in this order
    let checked = search(&built.engine, phrase).total;
    assert!(with_every_chunk(&apart, phrase).total > checked);
    let reader = hc_engine::ReaderDocs::of(&apart);
    let top = first.hits[0].id;
    assert!(reader.html(top).is_none());
    assert!(wanted.contains(&reader.missing(top).unwrap()));

    // Wrong bytes for a piece: refused, and the engine is as it was.
    let other = common::container("debian-reference.json", "de")
        .to_bytes(Packing::Travel)
        .unwrap();
    let (_, other_pieces) = container::split(&other, 8 * 1024, stem).unwrap();
    let w = wanted[0];
    let mut damaged = pieces[w as usize].clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    let neighbour = &pieces[(w as usize + 1) % pieces.len()];
    for bad in [
        &other_pieces[w as usize],
        &damaged,
        neighbour,
        &pack,
        &whole,
        &b"HCSP"[..],
    ] {
        assert!(apart.attach_piece(w, bad).is_err());
    }
    assert!(apart.attach_piece(n, &pieces[0]).is_err(), "no such piece");
    // A chunk of the index is taken only as its own number, and a
    // piece of text only as its own.
    let chunk = texts + 1;
    assert!(apart.attach_piece(w, &pieces[chunk as usize]).is_err());
    let unfetched = (texts..bundle)
        .find(|&p| p != chunk && !bare.pieces_missing.contains(&p))
        .unwrap();
    let mut damaged_chunk = pieces[unfetched as usize].clone();
    let last = damaged_chunk.len() - 1;
    damaged_chunk[last] ^= 0xff;
    for bad in [
        &pieces[w as usize],
        &pieces[chunk as usize],
        &other_pieces[other_pieces.len() - 2],
        &damaged_chunk,
        &pieces[bundle as usize],
    ] {
        assert!(apart.attach_piece(unfetched, bad).is_err());
    }
    // The same bytes under a header that says they are deflated (its CRC
    // made again): not a piece file, though its section matches the key.
    let mut unstored = pieces[w as usize].clone();
    unstored[6] = 0;
    let crc = crc32fast::hash(&unstored[..44]);
    unstored[44..48].copy_from_slice(&crc.to_le_bytes());
    assert!(apart.attach_piece(w, &unstored).is_err());
    assert_eq!(search(&apart, "network configuration"), first);

    // A cache entry before any piece: the same table, no text.
    let entry = hc_engine::container::encode(&apart, &reader, Packing::Cache).unwrap();
    let warm = Container::open(&entry).unwrap().engine().unwrap();
    assert_eq!(search(&warm, "network configuration"), first);

    // The wanted pieces: the hits' snippets, as the whole engine's.
    for &w in &wanted {
        apart.attach_piece(w, &pieces[w as usize]).unwrap();
        apart.attach_piece(w, &pieces[w as usize]).unwrap();
    }
    assert_eq!(search(&apart, "network configuration"), full);
    // The first answer, its snippets filled in, is that answer too.
    let mut filled = first.clone();
    assert!(apart.fill_snippets(&mut filled));
    assert_eq!(filled, full);
    let mut phrased = search(&apart, phrase);
    assert!(!apart.fill_snippets(&mut phrased), "phrases: search again");
    assert_eq!(
        reader.html(top),
        built.reader.html(top),
        "the reader shares them"
    );
    assert_eq!(reader.missing(top), None);

    // A cache entry keeps the pieces that arrived (and no others), each
    // as it came: a stored container's html section, kept byte for byte.
    let entry = hc_engine::container::encode(&apart, &reader, Packing::Cache).unwrap();
    for &w in &wanted {
        let piece = &pieces[w as usize];
        assert_eq!(piece[6], 1, "a piece file is a stored container");
        let html = &piece[48..];
        assert!(
            entry.windows(html.len()).any(|x| x == html),
            "piece {w} kept as it came"
        );
    }
    let warm = Container::open(&entry).unwrap().engine().unwrap();
    assert_eq!(search(&warm, "network configuration"), full);
    assert!(!search(&warm, "kernel module").pieces_missing.is_empty());
    assert_eq!(
        Container::open(&entry).unwrap().reader().unwrap().html(top),
        built.reader.html(top)
    );

    // Every piece: the whole engine's answers, phrases checked.
    for (i, piece) in pieces.iter().enumerate() {
        apart.attach_piece(i as u32, piece).unwrap();
    }
    assert_eq!(search(&apart, phrase), search(&built.engine, phrase));
    assert_eq!(
        hc_engine::ReaderDocs::of(&apart),
        hc_engine::ReaderDocs::of(&warm_all(&apart))
    );

    // Only a whole travelling container splits.
    assert!(split(&pack, 8 * 1024, stem).is_err());
    assert!(split(&built.to_bytes(Packing::Cache).unwrap(), 8 * 1024, stem).is_err());
}

/// The postings and the term dictionary travel in chunks: every dev query
/// of a language, typed key by key into a pack with no chunk yet (as a
/// visitor types), answers
/// as the whole engine does once the chunks each keystroke names are
/// attached; a keystroke names only chunks it lacks; a cache entry keeps
/// the chunks that arrived, and its engine answers what they cover without
/// asking for more.
#[test]
fn index_chunks_arrive_as_keystrokes_read_them() {
    let queries: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(common::shared_corpus("queries-dev.json")).unwrap())
            .unwrap();
    for lang in ["en", "ja"] {
        let built = common::container("debian-reference.json", lang);
        let stem = |files: &[Vec<u8>]| format!("{lang}.{}", files.len());
        let (pack, pieces) = built.split(4 * 1024, stem).unwrap();
        let apart = Container::open(&pack).unwrap().engine().unwrap();
        let texts = apart.text_pieces() as usize;
        let chunks = pieces.len() - texts - 1; // and their bundle
        assert!(chunks > 4, "{lang}: {chunks} chunks");
        let opts = SearchOptions::default();
        let mut fetched = 0;
        let mut typed = Vec::new();
        for q in queries
            .iter()
            .filter(|q| q["corpus"] == "debian-reference" && q["lang"] == lang)
        {
            let q: Vec<char> = q["q"].as_str().unwrap().chars().collect();
            for n in 1..=q.len() {
                let prefix: String = q[..n].iter().collect();
                let answer = loop {
                    let r = apart.search(&prefix, &opts);
                    if !r.lacks_chunks() {
                        break r;
                    }
                    for &p in r.chunks_missing() {
                        assert!(
                            !apart.has_piece(p),
                            "{lang} {prefix:?}: names chunk {p}, which is here"
                        );
                        apart.attach_piece(p, &pieces[p as usize]).unwrap();
                        fetched += 1;
                    }
                };
                let whole = built.engine.search(&prefix, &opts);
                let ids = |r: &hc_engine::SearchResults| {
                    r.hits.iter().map(|h| (h.id, h.score)).collect::<Vec<_>>()
                };
                assert_eq!(ids(&answer), ids(&whole), "{lang} {prefix:?}");
                assert_eq!((answer.total, &answer.facets), (whole.total, &whole.facets));
                if typed.is_empty() {
                    assert!(
                        fetched > 0 && fetched < chunks / 2,
                        "{lang}: the first keystroke fetched {fetched} of {chunks} chunks"
                    );
                }
                typed.push(prefix);
            }
        }
        let reader = hc_engine::ReaderDocs::of(&apart);
        let entry = hc_engine::container::encode(&apart, &reader, Packing::Cache).unwrap();
        let warm = Container::open(&entry).unwrap().engine().unwrap();
        for prefix in &typed {
            let r = warm.search(prefix, &opts);
            assert!(!r.lacks_chunks(), "{lang} {prefix:?}: its chunks were kept");
            assert_eq!(r.total, built.engine.search(prefix, &opts).total);
        }
        // What the chunks hold is not in the pack: most of the index.
        let chunk_bytes: usize = pieces[texts..texts + chunks].iter().map(Vec::len).sum();
        let whole_pack = built.split(4 * 1024, stem).unwrap().0.len();
        assert_eq!(whole_pack, pack.len(), "a pack is the same bytes each time");
        assert!(
            chunk_bytes * 3 > pack.len(),
            "{lang}: chunks {chunk_bytes} B, pack {} B",
            pack.len()
        );
        let bundle = pieces.last().unwrap();
        assert_eq!(bundle.len(), chunk_bytes, "the bundle is the chunk files");
    }
}

/// A search finds a term's postings through its entry in the term
/// dictionary: with no chunk here, a query first names chunks of the
/// dictionary only, then, those attached, chunks of the index only,
/// which are numbered before the dictionary's; then it answers as the
/// whole engine does.
#[test]
fn a_search_reads_the_term_dictionary_then_the_postings() {
    let built = common::container("debian-reference.json", "en");
    let (pack, pieces) = built
        .split(4 * 1024, |f| format!("en.{}", f.len()))
        .unwrap();
    let apart = Container::open(&pack).unwrap().engine().unwrap();
    let opts = SearchOptions::default();
    let round = || {
        let r = apart.search("network configuration", &opts);
        let names = r.chunks_missing().to_vec();
        for &p in &names {
            apart.attach_piece(p, &pieces[p as usize]).unwrap();
        }
        (names, r)
    };
    let (terms, _) = round();
    let (postings, _) = round();
    let (none, answer) = round();
    assert!(!terms.is_empty() && !postings.is_empty() && none.is_empty());
    assert!(
        postings.iter().max() < terms.iter().min(),
        "postings {postings:?}, then the dictionary {terms:?}"
    );
    let whole = built.engine.search("network configuration", &opts);
    let ids = |r: &hc_engine::SearchResults| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids(&answer), ids(&whole));
    // Of the dictionary, the query read a part.
    let bytes = |chunks: &[u32]| {
        chunks
            .iter()
            .map(|&p| pieces[p as usize].len())
            .sum::<usize>()
    };
    let first_term = *terms.iter().min().unwrap() as usize;
    let dictionary: usize = pieces[first_term..pieces.len() - 1]
        .iter()
        .map(Vec::len)
        .sum();
    assert!(
        bytes(&terms) * 2 < dictionary,
        "{} of {dictionary} B",
        bytes(&terms)
    );
}

/// The bundle of the index chunks brings every chunk in one file: a pack with
/// none, or with the chunks a keystroke read, takes it and then answers
/// every query as the whole engine, naming nothing missing; a bundle cut
/// short, lengthened, damaged or another pack's is refused, the chunks
/// here as they were; the bundle is "here" once every chunk is.
#[test]
fn the_bundle_brings_every_chunk_of_the_postings_at_once() {
    let built = common::container("debian-reference.json", "en");
    let stem = |files: &[Vec<u8>]| format!("en.{}", files.len());
    let (pack, pieces) = built.split(4 * 1024, stem).unwrap();
    let other = common::container("debian-reference.json", "de");
    let (_, other_pieces) = other.split(4 * 1024, stem).unwrap();
    let opts = SearchOptions::default();
    let queries = [
        "network configuration",
        "kernel",
        "apt-get install",
        "xyzzy",
    ];
    for read_first in [None, Some("kernel")] {
        let apart = Container::open(&pack).unwrap().engine().unwrap();
        let bundle = apart.chunks_bundle().unwrap();
        assert_eq!(bundle as usize, pieces.len() - 1);
        let texts = apart.text_pieces();
        let here = |e: &Engine| (texts..bundle).filter(|&c| e.has_piece(c)).count();
        if let Some(q) = read_first {
            for &p in apart.search(q, &opts).chunks_missing() {
                apart.attach_piece(p, &pieces[p as usize]).unwrap();
            }
        }
        let before = here(&apart);
        assert_eq!(before > 0, read_first.is_some());
        assert!(!apart.has_piece(bundle));
        let whole = &pieces[bundle as usize];
        let mut damaged = whole.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x40;
        let longer = [&whole[..], b"x"].concat();
        for bad in [
            &whole[..whole.len() - 1],
            &longer[..],
            &damaged[..],
            &other_pieces[other_pieces.len() - 1][..],
            &pieces[texts as usize][..],
        ] {
            assert!(apart.attach_piece(bundle, bad).is_err());
            assert_eq!(here(&apart), before, "a refused bundle takes no chunk");
        }
        apart.attach_piece(bundle, whole).unwrap();
        assert!(apart.has_piece(bundle));
        assert_eq!(here(&apart), (bundle - texts) as usize);
        for q in queries {
            let r = apart.search(q, &opts);
            assert!(!r.lacks_chunks() && r.chunks_missing().is_empty(), "{q}");
            let w = built.engine.search(q, &opts);
            let ids = |r: &hc_engine::SearchResults| {
                r.hits.iter().map(|h| (h.id, h.score)).collect::<Vec<_>>()
            };
            assert_eq!((ids(&r), r.total), (ids(&w), w.total), "{q}");
        }
        // Again: nothing changes.
        apart.attach_piece(bundle, whole).unwrap();
    }
}

/// An engine through its cache entry.
fn warm_all(engine: &Engine) -> Engine {
    let reader = hc_engine::ReaderDocs::of(engine);
    let entry = hc_engine::container::encode(engine, &reader, Packing::Cache).unwrap();
    Container::open(&entry).unwrap().engine().unwrap()
}
