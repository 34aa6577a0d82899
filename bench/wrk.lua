-- bench/wrk.lua: wrk script for bench/run. Each request draws random keys from the
-- generated data (bench/volume.sql); the environment says which endpoint:
--   PW_BENCH_ENDPOINT  skill | roadmap | resources | search | progress_get | progress_put
--   PW_BENCH_TOKENS    file of "user_id token" lines (the authenticated endpoints)
--   PW_BENCH_STEP_MIN, PW_BENCH_STEP_MAX   the generated steps' ids
-- done() prints one JSON line: requests, seconds, p50/p99 (microseconds), non-2xx, errors.
local endpoint = os.getenv("PW_BENCH_ENDPOINT")
local step_min = tonumber(os.getenv("PW_BENCH_STEP_MIN") or "0")
local step_max = tonumber(os.getenv("PW_BENCH_STEP_MAX") or "0")
local users, tokens = {}, {}
local threads = {}
local counter = 0

local function load_tokens()
  local f = io.open(os.getenv("PW_BENCH_TOKENS") or "", "r")
  if f == nil then return end
  for line in f:lines() do
    local id, tok = line:match("^(%d+) (%S+)$")
    if id then
      users[#users + 1] = id
      tokens[#tokens + 1] = tok
    end
  end
  f:close()
end

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  if endpoint == "progress_get" or endpoint == "progress_put" then load_tokens() end
end

local r = math.random
local put_body = '{"status":"done"}'

function request()
  if endpoint == "skill" then
    return wrk.format("GET", "/v1/skills/" .. r(100001, 102000))
  elseif endpoint == "roadmap" then
    return wrk.format("GET", "/v1/paths/" .. r(900001, 900050) .. "/roadmap")
  elseif endpoint == "resources" then
    return wrk.format("GET", "/v1/resources?skill=" .. r(100001, 102000) .. "&limit=20")
  elseif endpoint == "search" then
    return wrk.format("GET", "/v1/search?q=" .. r(500000, 500499))
  end
  local i = r(1, #tokens)
  local h = { ["Authorization"] = "Bearer " .. tokens[i] }
  if endpoint == "progress_get" then
    return wrk.format("GET", "/v1/me/progress?path=" .. r(900001, 900050), h)
  end
  h["Content-Type"] = "application/json"
  return wrk.format("PUT", "/v1/me/progress/" .. r(step_min, step_max), h, put_body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.6f,"p50_us":%d,"p99_us":%d,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
