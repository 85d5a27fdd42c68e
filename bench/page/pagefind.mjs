// Pagefind's own browser API (pagefind.js written by its binary).
globalThis.ENGINE = {
  name: 'pagefind',
  async load(base) {
    this.pf = await import(`${base}/pagefind/pagefind.js`);
    await this.pf.options({ basePath: `${base}/pagefind/` });
    await this.pf.init();
  },
  async ids(q) {
    const r = await this.pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return data.map((d) => Number(d.url.match(/a(\d+)\.html/)[1]));
  },
  async search(q) {
    return this.pf.search(q);
  },
};
