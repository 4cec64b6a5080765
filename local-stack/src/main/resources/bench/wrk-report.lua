-- Shared by the bench's wrk scripts (issue-rush.lua, redeem-rush.lua), loaded with dofile from the
-- folder they were copied to: every thread registers itself, and done() adds up the threads'
-- answer counts (their global `counts`) and prints the one JSON line the bench reads (Wrk.java).

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for key, count in pairs(thread:get("counts")) do
            total[key] = (total[key] or 0) + count
        end
    end
    local parts = {}
    for key, count in pairs(total) do
        parts[#parts + 1] = string.format('"%s":%d', key, count)
    end
    io.write(string.format(
        '{"requests":%d,"durationMicros":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
            .. '"latencyMicros":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f},"answers":{%s}}\n',
        summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
        latency:percentile(99), latency.max, latency.mean, table.concat(parts, ",")))
end

-- Counts an answer in this thread's `counts` by status; the statuses in byCode (a set) split by
-- the problem's code, e.g. "409 SOLD_OUT".
function countAnswer(status, body, byCode)
    local key = tostring(status)
    if byCode[status] then
        local code = string.match(body, '"code"%s*:%s*"([A-Z_]+)"')
        key = key .. " " .. (code or "?")
    end
    counts[key] = (counts[key] or 0) + 1
end

-- Writes this thread's marker (<markers>/done-<id>): its input is used up; the bench stops wrk
-- once every thread has one.
function writeDoneMarker(markers)
    local marker = io.open(markers .. "/done-" .. id, "w")
    marker:write("done\n")
    marker:close()
end
