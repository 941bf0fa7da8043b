-- wrk script of bench/feed.sh: each request carries the token of a random seeded user (TOKENS
-- names the file: "<username> <token>" per line; empty for the nginx reference); done() prints
-- the figures as one JSON line.
local tokens = {}
local file = os.getenv("TOKENS")
if file and file ~= "" then
  for line in io.lines(file) do
    local token = line:match("%S+ (%S+)")
    if token then tokens[#tokens + 1] = token end
  end
end
local path = os.getenv("FEED_PATH") or "/"

request = function()
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "socket_errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
