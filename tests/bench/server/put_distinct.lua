-- wrk script: PUT 1 KiB files under distinct names (and distinct contents,
-- so every request writes a new blob: no deduplication shortcut).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local filler = string.rep("x", 1000)
local date = "Thu%2C+01+Jan+2015+00%3A00%3A10+GMT"
local prefix = os.getenv("PUT_PREFIX") or "/files/putbench"
local suffix = os.getenv("PUT_SUFFIX") or ("?last_modified=" .. date)

function request()
  counter = counter + 1
  local id = string.format("%d-%d", tid, counter)
  local body = string.format("%-24s", id) .. filler
  return wrk.format("PUT", prefix .. "/" .. tid .. "/" .. id .. suffix, nil, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx answers: %d, socket errors: %d\n", non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
