-- Restore the statuses of issued requests after Redis lost them (CouponStateRestorer: worker
-- reconciler, admin reconcile). Only hashes that are missing are written: a status recorded since
-- then stays.
-- KEYS[1], KEYS[2], … request hashes (one coupon, one hash tag)
-- ARGV[1] request hash TTL (seconds), then two values per request, in KEYS order:
--   userId, issuedAt (epoch millis)
-- Returns how many hashes were restored.
local ttl = tonumber(ARGV[1])
local restored = 0
for i = 1, #KEYS do
    if redis.call('EXISTS', KEYS[i]) == 0 then
        local base = 1 + (i - 1) * 2
        redis.call('HSET', KEYS[i], 's', 'ISSUED', 'u', ARGV[base + 1], 'r', '', 'i', ARGV[base + 2])
        redis.call('EXPIRE', KEYS[i], ttl)
        restored = restored + 1
    end
end
return restored
