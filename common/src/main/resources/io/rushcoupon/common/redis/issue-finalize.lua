-- Record the final status of requests the worker has committed in PostgreSQL (worker).
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4..] request hashes
-- ARGV[1] request hash TTL (seconds)  ARGV[2] PostgreSQL remaining after the commit
-- then five values per request, in KEYS order from KEYS[4]:
--   requestId, userId, status (ISSUED|REJECTED), reason ('' if issued), issuedAt ('' if rejected)
-- Returns the number of requests that left the pending set.
-- Stock: a rejected request used no PostgreSQL stock, so the unit Redis took for it goes back
-- (duplicate, invalid, …) — except SOLD_OUT: then PostgreSQL has nothing left and Redis must not
-- admit anyone more (it had drifted high).
local ttl = tonumber(ARGV[1])
local left, restock = 0, 0
for i = 4, #KEYS do
    local base = 2 + (i - 4) * 5
    local requestId, userId, status, reason, issuedAt =
        ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
    local removed = redis.call('ZREM', KEYS[3], requestId)
    left = left + removed
    redis.call('HSET', KEYS[i], 's', status, 'u', userId, 'r', reason, 'i', issuedAt)
    redis.call('EXPIRE', KEYS[i], ttl)
    if status == 'ISSUED' then
        redis.call('HSETNX', KEYS[2], userId, requestId)
    elseif removed == 1 and reason ~= 'SOLD_OUT' then
        restock = restock + 1
    end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
    if tonumber(ARGV[2]) <= 0 then
        redis.call('HSET', KEYS[1], 'remaining', 0)
    elseif restock > 0 then
        redis.call('HINCRBY', KEYS[1], 'remaining', restock)
    end
end
return left
