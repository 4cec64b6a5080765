-- Rebuild a coupon's settings and stock from PostgreSQL (admin reconcile, worker reconciler).
-- KEYS[1] coupon hash   KEYS[2] pending zset
-- ARGV as coupon-publish.lua: name, state, startsAt, endsAt, total, PostgreSQL remaining
-- Requests still pending were admitted but not yet committed: they will use PostgreSQL stock,
-- so Redis admits that many fewer. Returns the remaining stock in Redis afterwards.
local remaining = tonumber(ARGV[6]) - redis.call('ZCARD', KEYS[2])
if remaining < 0 then
    remaining = 0
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'state', ARGV[2], 'startsAt', ARGV[3], 'endsAt', ARGV[4],
    'total', ARGV[5], 'remaining', remaining)
return remaining
