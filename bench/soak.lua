-- wrk script of bench/soak.sh: one route of the mixed load per wrk process (SOAK_ROUTE), paced
-- by SOAK_DELAY_MS between a connection's requests; done() prints the window's figures as one
-- JSON line (and, for the sync route, the cursor the next window continues from).
--   upload   POST /api/v2/media, a JPEG made distinct per request by bytes after its end
--   post     POST /api/v1/statuses
--   comment  POST /api/v1/statuses with in_reply_to_id, on a random seeded post
--   like     POST /api/v1/statuses/:id/favourite or /unfavourite, a random post and account
--   feed     GET /api/v1/timelines/home?limit=20
--   sync     GET /api/pinhole/v1/sync/changes?cursor=…, following the stream from SOAK_CURSOR
-- Env: SOAK_TOKENS ("<username> <token>" per line), SOAK_POSTS (a post id per line),
-- SOAK_MEDIA ("<token> <media id>" per line: a photo of that account, which each post shows),
-- SOAK_PHOTO (the JPEG), SOAK_SYNC_TOKEN, SOAK_CURSOR, SOAK_WINDOW (the window's number).
local route = os.getenv("SOAK_ROUTE")
local pause = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local window = os.getenv("SOAK_WINDOW") or "0"

local function lines(file)
  local out = {}
  if file and file ~= "" then
    for line in io.lines(file) do out[#out + 1] = line end
  end
  return out
end

local tokens, posts = {}, lines(os.getenv("SOAK_POSTS"))
for _, line in ipairs(lines(os.getenv("SOAK_TOKENS"))) do
  local token = line:match("%S+ (%S+)")
  if token then tokens[#tokens + 1] = token end
end
local media = {}
for _, line in ipairs(lines(os.getenv("SOAK_MEDIA"))) do
  local token, id = line:match("(%S+) (%S+)")
  if token then media[#media + 1] = {token, id} end
end
local photo = ""
if route == "upload" then
  local f = assert(io.open(os.getenv("SOAK_PHOTO"), "rb"))
  photo = f:read("*a")
  f:close()
end
cursor = os.getenv("SOAK_CURSOR") or "" -- global: done() reads it with thread:get
local syncToken = os.getenv("SOAK_SYNC_TOKEN") or ""

local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

local counter = 0
local function auth(token)
  return "Bearer " .. token
end
local function anyToken() return tokens[math.random(#tokens)] end
local function anyPost() return posts[math.random(#posts)] end

local boundary = "soakboundary7d1f"
request = function()
  counter = counter + 1
  local unique = string.format("w%s-t%s-%d", window, tostring(id), counter)
  if route == "upload" then
    local body = "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="file"; filename="soak.jpg"\r\n' ..
      "Content-Type: image/jpeg\r\n\r\n" .. photo .. unique .. "\r\n--" .. boundary .. "--\r\n"
    return wrk.format("POST", "/api/v2/media", {["Authorization"] = auth(anyToken()),
      ["Content-Type"] = "multipart/form-data; boundary=" .. boundary}, body)
  elseif route == "post" then
    local photo = media[math.random(#media)]
    return wrk.format("POST", "/api/v1/statuses", {["Authorization"] = auth(photo[1]),
      ["Content-Type"] = "application/x-www-form-urlencoded"}, "status=soak+" .. unique .. "&media_ids[]=" .. photo[2])
  elseif route == "comment" then
    return wrk.format("POST", "/api/v1/statuses", {["Authorization"] = auth(anyToken()),
      ["Content-Type"] = "application/x-www-form-urlencoded"}, "status=soak+" .. unique .. "&in_reply_to_id=" .. anyPost())
  elseif route == "like" then
    local verb = math.random(2) == 1 and "favourite" or "unfavourite"
    return wrk.format("POST", "/api/v1/statuses/" .. anyPost() .. "/" .. verb,
      {["Authorization"] = auth(anyToken())})
  elseif route == "feed" then
    return wrk.format("GET", "/api/v1/timelines/home?limit=20", {["Authorization"] = auth(anyToken())})
  elseif route == "sync" then
    return wrk.format("GET", "/api/pinhole/v1/sync/changes?limit=500&cursor=" .. cursor,
      {["Authorization"] = auth(syncToken)})
  end
  error("SOAK_ROUTE must be upload, post, comment, like, feed or sync, not " .. tostring(route))
end

-- The sync route follows the stream: the last line of each page carries the next cursor.
if route == "sync" then
  response = function(status, headers, body)
    if status == 200 then
      local next = body:match('"end":true[^\n]*"cursor":"([^"]+)"')
      if next then cursor = next end
    end
  end
end

delay = function() return pause end

done = function(summary, latency, requests)
  local last = ""
  if route == "sync" and #threads > 0 then last = threads[#threads]:get("cursor") or "" end
  io.write(string.format(
    'WRKJSON {"route": "%s", "requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "socket_errors": %d, "non_2xx": %d, "cursor": "%s"}\n',
    route, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, last))
end
