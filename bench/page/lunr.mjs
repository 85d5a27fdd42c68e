// Lunr 2 with lunr-languages (stemmer + stop words) for de/fr/es/ja;
// title boost 10. Queries go through the query builder (no query-syntax
// errors on user input): each token exact (boost 100), as a prefix
// (boost 10) and with edit distance 1 (boost 1), the patterns in Lunr's
// searching guide for search-as-you-type and typos. zh is not supported in
// the browser (lunr-languages' zh needs nodejieba, a Node addon).
import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import tinyseg from 'lunr-languages/tinyseg.js';
import de from 'lunr-languages/lunr.de.js';
import fr from 'lunr-languages/lunr.fr.js';
import es from 'lunr-languages/lunr.es.js';
import ja from 'lunr-languages/lunr.ja.js';

stemmerSupport(lunr);
tinyseg(lunr);
for (const f of [de, fr, es, ja]) f(lunr);

globalThis.ENGINE = {
  name: 'lunr',
  supports: (lang) => lang === 'en' || !!lunr[lang],
  build(docs, lang) {
    const plugin = lang === 'en' ? null : lunr[lang];
    this.tok = (plugin && plugin.tokenizer) || lunr.tokenizer;
    this.idx = lunr(function () {
      if (plugin) this.use(plugin);
      this.ref('id');
      this.field('title', { boost: 10 });
      this.field('body');
      for (const d of docs) this.add(d);
    });
  },
  search(q) {
    const toks = this.tok(q).map((t) => t.toString().toLowerCase()).filter(Boolean);
    let r;
    try {
      r = this.idx.query((b) => {
      for (const t of toks) {
        b.term(t, { boost: 100 });
        b.term(t, { boost: 10, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
        if (t.length > 3) b.term(t, { boost: 1, usePipeline: false, editDistance: 1 });
      }
      });
    } catch (e) {
      // Lunr throws on some terms (e.g. ones its inverted index, a plain
      // object, shares with Object.prototype): counted as no answer.
      this.failures = (this.failures || 0) + 1;
      return [];
    }
    return r.slice(0, 10).map((x) => Number(x.ref));
  },
};
