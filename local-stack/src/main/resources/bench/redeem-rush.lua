-- wrk script for ./rushcoupon bench, scenario r: every request is one winner redeeming its coupon.
-- Arguments (after --): redemptions-file  threads  marker-folder
--   redemptions-file  one line per winner: "<bearer token> <issuanceId>"
--   marker-folder     where a thread writes done-<id> once its lines are used up (see issue-rush.lua)
-- Each request has its own Idempotency-Key (the issuance id: one redemption per coupon), a body with
-- an order id and amount; answers are counted by status (409/422 split by code) and done() prints
-- the JSON line the bench reads, as issue-rush.lua does.

-- setup(), done(), countAnswer() and writeDoneMarker(): shared by the bench's scripts (wrk-report.lua, beside this one)
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-report.lua")

local lines = {}
local position = 0
local finished = false
local markers = nil
counts = {}

function init(args)
    local file, threadCount = args[1], tonumber(args[2])
    markers = args[3]
    local line = 0
    for text in io.lines(file) do
        if line % threadCount == id then
            local token, issuance = string.match(text, "^(%S+) (%d+)$")
            lines[#lines + 1] = { token = token, issuance = issuance }
        end
        line = line + 1
    end
end

local function redeem(entry)
    return wrk.format("POST", "/api/v1/me/coupons/" .. entry.issuance .. "/redemptions",
        { ["Authorization"] = "Bearer " .. entry.token, ["Idempotency-Key"] = "bench-" .. entry.issuance,
          ["Content-Type"] = "application/json" },
        '{"orderId":"bench-order-' .. entry.issuance .. '","orderAmount":25000.00}')
end

function request()
    if position >= #lines then
        return redeem(lines[#lines]) -- a connection that raced the last line: a replay of it
    end
    position = position + 1
    return redeem(lines[position])
end

function delay()
    if finished then
        return 600000 -- park: the bench stops wrk once every thread is finished
    end
    return 0
end

function response(status, headers, body)
    countAnswer(status, body, { [404] = true, [409] = true, [422] = true })
    if not finished and markers and position >= #lines then
        finished = true
        writeDoneMarker(markers)
    end
end
