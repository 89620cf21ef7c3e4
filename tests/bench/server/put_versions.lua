-- wrk script: PUT 1 KiB of new content to a small set of names over and
-- over (16 per thread), each under a newer version than the last, so
-- every request supersedes the name's current version.
-- With --keep-versions every PUT adds a kept version (and prunes one once
-- the bound is reached): the history's cost on the write path.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local filler = string.rep("v", 1000)
local base = 1420070410

-- "Thu%2C+01+Jan+2015+00%3A00%3A10+GMT" for base + n seconds.
local function date(n)
  return (os.date("!%a, %d %b %Y %H:%M:%S GMT", base + n):gsub(",", "%%2C"):gsub(" ", "+"):gsub(":", "%%3A"))
end

function request()
  counter = counter + 1
  local body = string.format("%-24s", tid .. "-" .. counter) .. filler
  return wrk.format("PUT", "/files/versions/" .. tid .. "/" .. (counter % 16) .. "?last_modified=" .. date(counter), nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
