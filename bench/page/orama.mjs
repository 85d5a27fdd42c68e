// Orama 3 with its stemmers (@orama/stemmers) for en/de/fr/es and its
// tokenizers (@orama/tokenizers) for ja/zh; title boost 2; tolerance 1
// (typo tolerance, per its docs); Orama matches prefixes by default.
import { create, insertMultiple, search } from '@orama/orama';
import { stemmer as de } from '@orama/stemmers/german';
import { stemmer as fr } from '@orama/stemmers/french';
import { stemmer as es } from '@orama/stemmers/spanish';
import { createTokenizer as ja } from '@orama/tokenizers/japanese';
import { createTokenizer as zh } from '@orama/tokenizers/mandarin';

const LANG = { en: 'english', de: 'german', fr: 'french', es: 'spanish' };
const STEM = { de, fr, es };

globalThis.ENGINE = {
  name: 'orama',
  async build(docs, lang) {
    let tokenizer;
    if (lang === 'ja') tokenizer = ja();
    else if (lang.startsWith('zh')) tokenizer = zh();
    else tokenizer = { language: LANG[lang], stemming: true, ...(STEM[lang] ? { stemmer: STEM[lang] } : {}) };
    this.db = create({ schema: { title: 'string', body: 'string' }, components: { tokenizer } });
    await insertMultiple(this.db, docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body })));
  },
  search(q) {
    const r = search(this.db, { term: q, properties: ['title', 'body'], boost: { title: 2 }, tolerance: 1, limit: 10 });
    const map = (x) => x.hits.map((h) => Number(h.id));
    return typeof r.then === 'function' ? r.then(map) : map(r);
  },
};
