-- wrk script of the soak run (soak.sh): a fixed mix of the routes a widget
-- and API clients use, a pause between requests on each connection (so the
-- load is steady, not "as fast as the box allows"), and a count of the
-- answers by status across all threads, printed as "soak KEY VALUE" lines
-- that soak_report.py reads.
--
-- Arguments (after wrk's "--"): ETAG PAUSE_MS ARTICLE_PAGES.
--
-- The proxy sends no header that tells a stale answer from a fresh one
-- (the same Cache-Control, no Age), so staleness is read from /metrics
-- (hc_proxy_cache_requests_total{outcome="stale"}), not here.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local etag = args[1] or '"none"'
  pause = tonumber(args[2]) or 0
  local pages = tonumber(args[3]) or 1
  statuses = {}
  n = 0
  local br = { ["Accept-Encoding"] = "br" }
  local revalidate = { ["Accept-Encoding"] = "br", ["If-None-Match"] = etag }
  -- 20 slots: 6 snapshot revalidations (304), 2 full snapshots (br),
  -- 6 article pages (br; one page past the end, an empty list),
  -- 3 category lists, 3 health checks.
  mix = {}
  for _ = 1, 6 do table.insert(mix, wrk.format("GET", "/v1/snapshot", revalidate)) end
  for _ = 1, 2 do table.insert(mix, wrk.format("GET", "/v1/snapshot", br)) end
  for i = 1, 6 do
    local page = ((i - 1) % (pages + 1)) + 1
    table.insert(mix, wrk.format("GET", "/v1/articles?page=" .. page, br))
  end
  for _ = 1, 3 do table.insert(mix, wrk.format("GET", "/v1/categories", br)) end
  for _ = 1, 3 do table.insert(mix, wrk.format("GET", "/healthz")) end
end

function request()
  n = n + 1
  return mix[(n % #mix) + 1]
end

function delay()
  return pause
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for code, c in pairs(s) do
        total[code] = (total[code] or 0) + c
      end
    end
  end
  for code, c in pairs(total) do
    io.write(string.format("soak status_%d %d\n", code, c))
  end
  local e = summary.errors
  io.write(string.format("soak requests %d\n", summary.requests))
  io.write(string.format("soak duration_us %d\n", summary.duration))
  io.write(string.format("soak err_connect %d\n", e.connect))
  io.write(string.format("soak err_read %d\n", e.read))
  io.write(string.format("soak err_write %d\n", e.write))
  io.write(string.format("soak err_timeout %d\n", e.timeout))
  io.write(string.format("soak latency_p50_us %d\n", latency:percentile(50)))
  io.write(string.format("soak latency_p99_us %d\n", latency:percentile(99)))
  io.write(string.format("soak latency_max_us %d\n", latency.max))
end
