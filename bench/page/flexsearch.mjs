// FlexSearch 0.8 Document index, per its README for instant search:
// tokenize "forward" (prefixes), Charset.LatinBalance encoder for Latin
// scripts and Charset.CJK for ja/zh; search with suggest (partial matches)
// and merged field results, title field first.
import { Document, Charset } from 'flexsearch';

globalThis.ENGINE = {
  name: 'flexsearch',
  build(docs, lang) {
    const cjk = /^(ja|zh)/.test(lang);
    const encoder = cjk ? Charset.CJK : Charset.LatinBalance;
    this.idx = new Document({
      document: {
        id: 'id',
        index: [
          { field: 'title', tokenize: 'forward', encoder },
          { field: 'body', tokenize: 'forward', encoder },
        ],
      },
    });
    for (const d of docs) this.idx.add(d);
  },
  search(q) {
    const r = this.idx.search(q, { limit: 10, suggest: true, merge: true });
    return r.slice(0, 10).map((x) => (typeof x === 'object' ? x.id : x));
  },
};
