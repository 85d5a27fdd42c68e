// GETs below the API base with the API's manners, as hc-client (Rust)
// keeps them: the key in the `apikey` header, a per-minute pace, 429s
// waited out (Retry-After, else a minute; at most two minutes each, 20 in
// a row), 5xx, timeouts and connection errors retried with jittered
// backoff (4 attempts), and no redirect followed (the key would go with it).

const POLICY = {
  maxAttempts: 4,
  baseBackoffMs: 250,
  maxBackoffMs: 8_000,
  maxRateLimited: 20,
  defaultRateLimitWaitMs: 60_000,
  maxRateLimitWaitMs: 120_000,
  timeoutMs: 30_000,
};

export class ApiError extends Error {}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in ms: seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value, now = Date.now()) {
  if (value == null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const when = Date.parse(v);
  return Number.isNaN(when) ? null : Math.max(0, when - now);
}

/** Equal jitter: half fixed, half random. */
function backoffMs(attempt) {
  const capped = Math.min(POLICY.baseBackoffMs * 2 ** Math.max(0, attempt - 1), POLICY.maxBackoffMs);
  return capped / 2 + Math.random() * (capped / 2);
}

export class ApiClient {
  constructor({ base, key, perMinute, log, policy = {} }) {
    this.base = base;
    this.key = key;
    this.gapMs = perMinute > 0 ? 60_000 / perMinute : 0;
    this.nextAt = 0;
    this.log = log;
    this.policy = { ...POLICY, ...policy };
  }

  async pace() {
    const wait = this.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    this.nextAt = Date.now() + this.gapMs;
  }

  /** The body of a 200 answer to GET base+path, or an ApiError that says what to do. */
  async get(path) {
    const url = `${this.base}${path}`;
    let attempt = 0;
    let rateLimited = 0;
    for (;;) {
      await this.pace();
      attempt += 1;
      const started = Date.now();
      let response;
      try {
        response = await fetch(url, {
          headers: { apikey: this.key, accept: "application/json" },
          redirect: "manual",
          signal: AbortSignal.timeout(this.policy.timeoutMs),
        });
      } catch (e) {
        const why = e?.name === "TimeoutError" ? `no answer in ${this.policy.timeoutMs / 1000} s` : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e));
        this.log(`GET ${path} -> ${why}`);
        if (attempt >= this.policy.maxAttempts) {
          throw new ApiError(`cannot reach the API at ${url} (${why}) after ${attempt} attempts; check --api and the network`);
        }
        await sleep(backoffMs(attempt));
        continue;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      this.log(`GET ${path} -> ${response.status} (${seconds} s)`);
      if (response.status === 200) return await response.text();
      if (response.status === 429) {
        rateLimited += 1;
        attempt -= 1; // a 429 is the API's pace, not a failure
        if (rateLimited > this.policy.maxRateLimited) {
          throw new ApiError(`the API kept answering 429 (too many requests) ${rateLimited} times in a row; lower --api-per-minute or try later`);
        }
        const asked = retryAfterMs(response.headers.get("retry-after"));
        const wait = Math.min(asked ?? this.policy.defaultRateLimitWaitMs, this.policy.maxRateLimitWaitMs);
        this.log(`rate limited (429): waiting ${Math.ceil(wait / 1000)} s${asked == null ? " (no Retry-After: a minute, as the API's reference says)" : " as the API asked"}`);
        await sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        if (attempt >= this.policy.maxAttempts) {
          throw new ApiError(`the API answered ${response.status} to GET ${url} ${attempt} times; try again later`);
        }
        await sleep(backoffMs(attempt));
        continue;
      }
      throw new ApiError(refusal(response, url));
    }
  }
}

/** What a 3xx or 4xx means for the person running the build. */
function refusal(response, url) {
  const s = response.status;
  if (s >= 300 && s < 400) {
    const to = response.headers.get("location");
    return `the API redirected GET ${url} (${s}) to ${to ?? "another address"}; the key is not sent there: use that address as --api`;
  }
  if (s === 401 || s === 403) return `the API refused the key (${s}) for GET ${url}: check HC_API_KEY`;
  if (s === 404) {
    return `the API answered 404 to GET ${url}: is --api the API's base, such as https://api.helpcenter.io/v1 (a host alone means its /v1)?`;
  }
  return `the API answered ${s} to GET ${url}`;
}
