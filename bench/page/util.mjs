// Word segmentation for languages written without spaces (ja, zh).
export function segmenterFor(lang) {
  if (!/^(ja|zh)/.test(lang)) return null;
  const s = new Intl.Segmenter(lang, { granularity: 'word' });
  return (text) => Array.from(s.segment(text), (x) => (x.isWordLike ? x.segment : null)).filter(Boolean);
}
