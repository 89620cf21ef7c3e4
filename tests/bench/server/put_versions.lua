-- wrk script: PUT 1 KiB of new content to a small set of names over and
-- over (256 per thread), so every request supersedes the name's current
-- version (same version, other content: stored as the stored version + 1).
-- With --keep-versions every PUT adds a kept version (and prunes one once
-- the bound is reached): the history's cost on the write path.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local filler = string.rep("v", 1000)
local date = "Thu%2C+01+Jan+2015+00%3A00%3A10+GMT"

function request()
  counter = counter + 1
  local body = string.format("%-24s", tid .. "-" .. counter) .. filler
  return wrk.format("PUT", "/files/versions/" .. tid .. "/" .. (counter % 256) .. "?last_modified=" .. date, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
