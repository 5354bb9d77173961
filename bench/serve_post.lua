-- serve_post.lua - wrk script for bench/serve_load.sh: POST the pastes of
-- a query file (TSV: id, kind, expected KB ids, paste with \n \t \\
-- escapes) to /api/search, one after another, round robin.
--
--     wrk -s bench/serve_post.lua URL -- QUERIES.tsv
--
-- At the end prints one line: "requests N errors N p50_ms X p99_ms Y rps Z"
-- (errors: connect, read, write, timeout and non-2xx answers).

local requests = {}
local i = 0

local function unescape(s)
  return (s:gsub("\\(.)", function(c)
    if c == "n" then return "\n" elseif c == "t" then return "\t" end
    return c
  end))
end

function init(args)
  local path = args[1]
  local f = assert(io.open(path, "r"), "cannot read " .. tostring(path))
  for line in f:lines() do
    local id, kind, expected, paste = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if paste ~= nil and paste ~= "" then
      requests[#requests + 1] = wrk.format("POST", "/api/search",
        { ["Content-Type"] = "text/plain" }, unescape(paste))
    end
  end
  f:close()
  assert(#requests > 0, "no pastes in " .. path)
  -- threads start at different places of the list
  i = math.random(#requests) - 1
end

function request()
  i = i % #requests + 1
  return requests[i]
end

function done(summary, latency, requests_)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "requests %d errors %d p50_ms %.2f p99_ms %.2f max_ms %.2f rps %.1f\n",
    summary.requests, errors, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
