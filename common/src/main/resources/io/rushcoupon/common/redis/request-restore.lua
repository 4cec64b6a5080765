-- Restore final request statuses after Redis lost them (CouponStateRestorer), from PostgreSQL's
-- decisions: coupon_issuance rows (ISSUED) and issue_rejection rows (REJECTED with a reason).
-- Only hashes that are missing are written: a status recorded since then stays. A hash lives until
-- its decision time plus the request TTL, as the worker's hash would have (issue-finalize.lua sets
-- the TTL when it decides); a decision older than that is not restored, so restoring an old coupon
-- does not bring back statuses Redis had already expired.
-- KEYS[1], KEYS[2], … request hashes (one coupon, one hash tag)
-- ARGV[1] request hash TTL (ms), then five values per request, in KEYS order:
--   status (ISSUED|REJECTED), userId, reason ('' if issued), issuedAt ('' if rejected), decidedAt
--   (epoch ms)
-- Returns how many hashes were restored.
local ttl = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local restored = 0
for i = 1, #KEYS do
    local base = 1 + (i - 1) * 5
    local expireAt = tonumber(ARGV[base + 5]) + ttl
    if expireAt > now and redis.call('EXISTS', KEYS[i]) == 0 then
        redis.call('HSET', KEYS[i], 's', ARGV[base + 1], 'u', ARGV[base + 2], 'r', ARGV[base + 3],
            'i', ARGV[base + 4])
        redis.call('PEXPIREAT', KEYS[i], expireAt)
        restored = restored + 1
    end
end
return restored
