-- wrk script for ./rushcoupon bench: every request is one user's issue request.
-- Arguments (after --): tokens-file  coupon-ids(comma separated)  threads  duplicate-every  rate  connections  marker-folder
--   tokens-file      one bearer token per line, one distinct user each, minted up front
--   duplicate-every  every Nth request repeats the previous user's click (0: never)
--   rate             requests/s to aim at in all (0 or absent: as fast as the gateway answers);
--                    each connection pauses connections/rate between requests (wrk's delay())
--   marker-folder    where a thread writes done-<id> once its tokens are used up; its connections
--                    then wait, and the bench stops wrk (wrk itself always runs for its -d)
-- Or just "ceiling": every request is the gateway's liveness probe, for the ceiling scenario.
-- Each thread takes every threads-th token, stops when its tokens run out, counts answers by
-- status (409s split by code) and done() prints one JSON line the bench reads.

-- setup(), done(), countAnswer() and writeDoneMarker(): shared by the bench's scripts (wrk-report.lua, beside this one)
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-report.lua")

local tokens, coupons = {}, {}
local position, sent, duplicateEvery = 0, 0, 0
local ceiling = false
local pause = 0
local finished = false
local markers = nil
counts = {}

function init(args)
    if args[1] == "ceiling" then
        ceiling = true
        return
    end
    local file, couponList, threadCount = args[1], args[2], tonumber(args[3])
    duplicateEvery = tonumber(args[4]) or 0
    local rate, connections = tonumber(args[5]) or 0, tonumber(args[6]) or 0
    markers = args[7]
    if rate > 0 then
        pause = connections * 1000 / rate
    end
    for coupon in string.gmatch(couponList, "[^,]+") do
        coupons[#coupons + 1] = coupon
    end
    local line = 0
    for token in io.lines(file) do
        if line % threadCount == id then
            tokens[#tokens + 1] = token
        end
        line = line + 1
    end
end

local function issue(index)
    local coupon = coupons[(index % #coupons) + 1]
    return wrk.format("POST", "/api/v1/coupons/" .. coupon .. "/issue-requests",
        { ["Authorization"] = "Bearer " .. tokens[index] }, "")
end

function request()
    if ceiling then
        return wrk.format("GET", "/actuator/health/liveness")
    end
    sent = sent + 1
    if position >= #tokens then
        return issue(#tokens) -- a connection that raced the last token: one more double click
    end
    if duplicateEvery > 0 and sent % duplicateEvery == 0 and position > 0 then
        return issue(position) -- the same user clicks again
    end
    position = position + 1
    return issue(position)
end

function delay()
    if finished then
        return 600000 -- park: the bench stops wrk once every thread is finished
    end
    return pause
end

function response(status, headers, body)
    countAnswer(status, body, { [409] = true })
    if not finished and markers and position >= #tokens then
        finished = true
        writeDoneMarker(markers)
    end
end
