// MiniSearch at the settings its README suggests for search-as-you-type:
// prefix search, fuzzy 0.2, a title boost. ja/zh: words from Intl.Segmenter.
import MiniSearch from 'minisearch';
import { segmenterFor } from './util.mjs';

globalThis.ENGINE = {
  name: 'minisearch',
  build(docs, lang) {
    const seg = segmenterFor(lang);
    const opts = {
      fields: ['title', 'body'],
      idField: 'id',
      searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
    };
    if (seg) opts.tokenize = seg;
    this.ms = new MiniSearch(opts);
    this.ms.addAll(docs);
  },
  search(q) {
    return this.ms.search(q).slice(0, 10).map((r) => r.id);
  },
};
