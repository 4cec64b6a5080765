-- Admit or refuse one issue request, atomically (gateway hot path): one round trip per click.
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4] request hash
-- ARGV[1] userId  ARGV[2] requestId  ARGV[3] email ('' if none)  ARGV[4] username ('' if none)
-- ARGV[5] request hash TTL (seconds)
-- ARGV[6] 'admit', or 'check' to decide without changing coupon state (ACCEPTED then means "would admit")
-- Optionally, in both modes: KEYS[5] the user's rate counter, ARGV[7] requests allowed per window
-- (absent or 0: no limit), ARGV[8] window (ms). A fixed window: the first request of a window
-- creates the counter with the window as its lifetime, so the rate limit costs no round trip of its own.
-- Optionally, with 'admit': KEYS[6] the user's lock, ARGV[9] its lease (ms). An admission takes the
-- lock, owned by this request id (SET PX), and the gateway releases it after Kafka's answer
-- (user-lock-release.lua). While another request of the user holds it, a click that would be
-- admitted, or told DUPLICATE_REQUEST, gets LOCKED instead: that other click may still undo its
-- admission, so the gateway retries within its lock wait and then answers BUSY. Plain refusals
-- (window, pause, stock) never look at the lock.
-- Now is Redis's clock (TIME), never a gateway's: every gateway decides a window alike, and the
-- pending score is on the clock the reconciler can read back from Redis.
-- Returns {outcome, requestId or '', remaining or '-1'}; outcome is a PrecheckOutcome name.
-- RATE_LIMITED returns {'RATE_LIMITED', '', '-1', ms until the window ends}.
-- An admission returns {'ACCEPTED', requestId, remaining, '0', accepted at (epoch ms)}; so does a
-- re-run of the same admission (Redisson re-sends a script whose reply timed out: the first run
-- already admitted this very request id, and its time is the one in the request hash).
-- Order of refusals follows CouponStatus.derive: the user's own earlier request first, because
-- its id is the most useful answer.
local state, startsAt, endsAt, remaining =
    unpack(redis.call('HMGET', KEYS[1], 'state', 'startsAt', 'endsAt', 'remaining'))
if not state then
    return {'COUPON_NOT_FOUND', '', '-1'}
end
-- counted only for coupons that exist, so ids nobody published create no keys
local limit = tonumber(ARGV[7] or '0') or 0
if KEYS[5] and limit > 0 then
    local count = redis.call('INCR', KEYS[5])
    if count == 1 then
        redis.call('PEXPIRE', KEYS[5], ARGV[8])
    end
    if count > limit then
        local ttl = redis.call('PTTL', KEYS[5])
        if ttl < 0 then
            -- a counter that lost its expiry (PERSIST from outside) must not block the user for good
            redis.call('PEXPIRE', KEYS[5], ARGV[8])
            ttl = tonumber(ARGV[8])
        end
        return {'RATE_LIMITED', '', '-1', tostring(ttl)}
    end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local admit = ARGV[6] ~= 'check'
-- the user's other click holds the lock: true only with 'admit' and a lock key
local lockedByOther = false
if admit and KEYS[6] then
    local holder = redis.call('GET', KEYS[6])
    lockedByOther = holder and holder ~= ARGV[2]
end
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
    if existing == ARGV[2] and admit then
        local acceptedAt = redis.call('HGET', KEYS[4], 't') or string.format('%d', now)
        return {'ACCEPTED', existing, remaining, '0', acceptedAt}
    end
    if lockedByOther then
        return {'LOCKED', '', remaining}
    end
    return {'DUPLICATE_REQUEST', existing, remaining}
end
if state == 'CLOSED' or now >= tonumber(endsAt) then
    return {'ISSUANCE_ENDED', '', remaining}
end
remaining = tonumber(remaining)
if remaining <= 0 then
    return {'SOLD_OUT', '', '0'}
end
if state == 'PAUSED' then
    return {'COUPON_PAUSED', '', tostring(remaining)}
end
if now < tonumber(startsAt) then
    return {'ISSUANCE_NOT_STARTED', '', tostring(remaining)}
end
if not admit then
    return {'ACCEPTED', '', tostring(remaining)}
end
if lockedByOther then
    return {'LOCKED', '', tostring(remaining)}
end
if KEYS[6] then
    redis.call('SET', KEYS[6], ARGV[2], 'PX', ARGV[9])
end
local acceptedAt = string.format('%d', now)
redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('HSET', KEYS[4], 's', 'PENDING', 'u', ARGV[1], 't', acceptedAt, 'e', ARGV[3], 'n', ARGV[4])
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[5]))
return {'ACCEPTED', ARGV[2], tostring(remaining - 1), '0', acceptedAt}
