-- Publish a coupon's settings after an admin change (admin-service).
-- KEYS[1] coupon hash
-- ARGV[1] name  ARGV[2] state  ARGV[3] startsAt  ARGV[4] endsAt (epoch ms)  ARGV[5] total
-- ARGV[6] PostgreSQL remaining
-- A coupon new to Redis takes PostgreSQL's remaining. A known one keeps its own remaining, which
-- already counts requests admitted but not yet committed, moved by the change of total.
-- Returns the remaining stock in Redis afterwards.
local oldTotal = redis.call('HGET', KEYS[1], 'total')
local remaining
if oldTotal then
    remaining = tonumber(redis.call('HGET', KEYS[1], 'remaining')) + tonumber(ARGV[5]) - tonumber(oldTotal)
    if remaining < 0 then
        remaining = 0
    end
else
    remaining = tonumber(ARGV[6])
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'state', ARGV[2], 'startsAt', ARGV[3], 'endsAt', ARGV[4],
    'total', ARGV[5], 'remaining', remaining)
return remaining
