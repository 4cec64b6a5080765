-- Record the final status of requests the worker has committed in PostgreSQL (worker).
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4..] request hashes
-- ARGV[1] request hash TTL (seconds)  ARGV[2] PostgreSQL remaining after the commit
-- ARGV[3] PostgreSQL total read in the same transaction (ARGV[2] and ARGV[3] '' when unknown:
-- then the stock is never zeroed)
-- then five values per request, in KEYS order from KEYS[4]:
--   requestId, userId, status (ISSUED|REJECTED), reason ('' if issued), issuedAt ('' if rejected)
-- Returns the number of requests that left the pending set.
-- Monotonic: a request hash that already holds ISSUED or REJECTED is never overwritten; only a
-- missing or PENDING one is written. The status that stands (the one already final, else the
-- given one) decides the rest:
-- Users: ISSUED holds the user's place (userId -> requestId); REJECTED frees it if it was this
-- request's, so the user may ask again.
-- Stock: a rejected request used no PostgreSQL stock, so the unit Redis took for it goes back
-- (duplicate, invalid, ended, …) — except SOLD_OUT: then PostgreSQL has nothing left and Redis
-- must not admit anyone more (it had drifted high). PostgreSQL remaining 0 zeroes Redis's only
-- while the coupon hash's total is the total the worker read: an admin who changed the total
-- since has moved Redis's remaining by the difference, and that must stand.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it gives units back or gives a user a place Redis had lost: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
local ttl = tonumber(ARGV[1])
local left, restock, placed = 0, 0, 0
for i = 4, #KEYS do
    local base = 3 + (i - 4) * 5
    local requestId, userId, status, reason, issuedAt =
        ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
    local removed = redis.call('ZREM', KEYS[3], requestId)
    left = left + removed
    local current = redis.call('HMGET', KEYS[i], 's', 'r', 'u')
    if current[1] == 'ISSUED' or current[1] == 'REJECTED' then
        status, reason, userId = current[1], current[2] or '', current[3] or userId
    else
        redis.call('HSET', KEYS[i], 's', status, 'u', userId, 'r', reason, 'i', issuedAt)
        redis.call('EXPIRE', KEYS[i], ttl)
    end
    if status == 'ISSUED' then
        placed = placed + redis.call('HSET', KEYS[2], userId, requestId)
    else
        if redis.call('HGET', KEYS[2], userId) == requestId then
            redis.call('HDEL', KEYS[2], userId)
        end
        if removed == 1 and reason ~= 'SOLD_OUT' then
            restock = restock + 1
        end
    end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
    if ARGV[3] ~= '' and tonumber(ARGV[2]) <= 0
            and tonumber(redis.call('HGET', KEYS[1], 'total')) == tonumber(ARGV[3]) then
        redis.call('HSET', KEYS[1], 'remaining', 0)
    elseif restock > 0 then
        redis.call('HINCRBY', KEYS[1], 'remaining', restock)
    end
end
if restock > 0 or placed > 0 then
    redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
end
return left
