#!/usr/bin/env python3
"""Writes the demo help center embedded in `hcs demo`: whole chapters of the
Debian Reference corpus (shared/corpus/debian-reference.json), every
language kept, with the non-public copies (ids 100001+) of the articles
it keeps, so that the demo shows they are filtered out.

    python3 crates/cli/demo/make_subset.py [--corpus FILE] [--out FILE]

Only the Python 3 standard library; the output depends only on the input,
so the same corpus gives a byte-identical file (the script prints its
sha256). The layout is the corpus's own: one category or article per line.
"""

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "debian-reference.json")
DEFAULT_OUT = os.path.join(HERE, "debian-reference-subset.json")

# Root categories (chapters) kept whole: the Preface, "GNU/Linux tutorials",
# "Authentication and access controls" and "Network setup". Chosen for a
# readable demo (shell, users, sudo, SSH, networking) at ~2.5 MB, and because
# their articles have non-public copies of all three kinds (draft, private,
# link-only).
CHAPTERS = [1, 2, 5, 6]


def chapter_of(categories, cid):
    seen = set()
    while categories[cid]["parent"] is not None:
        if cid in seen:
            sys.exit(f"category cycle at {cid}")
        seen.add(cid)
        cid = categories[cid]["parent"]
    return cid


def dump(site, categories, articles):
    """The corpus layout (build_corpus.py's dump_site): one object per line."""
    def j(x):
        return json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    lines = ['{"site":' + j(site) + ",", '"categories":[']
    lines.append(",\n".join(j(c) for c in categories))
    lines.append("],")
    lines.append('"articles":[')
    lines.append(",\n".join(j(a) for a in articles))
    lines.append("]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    with open(args.corpus, encoding="utf-8") as f:
        corpus = json.load(f)
    by_id = {c["id"]: c for c in corpus["categories"]}
    kept_cats = [c for c in corpus["categories"] if chapter_of(by_id, c["id"]) in CHAPTERS]
    kept_ids = {c["id"] for c in kept_cats}

    kept_articles = []
    for a in corpus["articles"]:
        cats = a["categories"] or [a["category_id"]]
        inside = [c for c in cats if c in kept_ids]
        if not inside:
            continue
        a = dict(a)
        # A two-category article whose second category is in a chapter left
        # out keeps only the category that is here (the API's one-category
        # form), so every reference resolves.
        if a["categories"] and len(inside) < len(a["categories"]):
            if len(inside) == 1:
                a["category_id"], a["categories"] = inside[0], []
            else:
                a["categories"] = inside
        kept_articles.append(a)

    # Non-public copies share their original's category, so they are kept
    # exactly when their original is; check that rather than assume it.
    public_keys = {(json.dumps(a["title"]), json.dumps(a["content"])) for a in kept_articles if a["id"] < 100001}
    for a in kept_articles:
        if a["id"] >= 100001 and (json.dumps(a["title"]), json.dumps(a["content"])) not in public_keys:
            sys.exit(f"copy {a['id']} kept without its original")

    data = dump(corpus["site"], kept_cats, kept_articles)
    with open(args.out, "wb") as f:
        f.write(data)

    public = [a for a in kept_articles if a["published"] and a["visibility"] == "public"]
    langs = corpus["site"]["languages"]
    per_lang = {l: sum(1 for a in public if a["content"].get(l)) for l in langs}
    missing = [l for l, n in per_lang.items() if n == 0]
    if missing:
        sys.exit(f"languages with no public article: {missing}")
    print(f"{os.path.relpath(args.out)}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"categories {len(kept_cats)} (chapters {CHAPTERS}), articles {len(kept_articles)}"
          f" ({len(public)} public, {len(kept_articles) - len(public)} non-public:"
          f" {sorted(a['id'] for a in kept_articles if a['id'] >= 100001)})")
    print("public articles per language: " + ", ".join(f"{l} {n}" for l, n in per_lang.items()))


if __name__ == "__main__":
    main()
