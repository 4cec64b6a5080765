-- Admit or refuse one issue request, atomically (gateway hot path).
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4] request hash
-- ARGV[1] userId  ARGV[2] requestId  ARGV[3] now (epoch ms)  ARGV[4] email ('' if none)
-- ARGV[5] username ('' if none)  ARGV[6] request hash TTL (seconds)
-- ARGV[7] 'check' to decide without changing coupon state (ACCEPTED then means "would admit")
-- Only with 'check', optionally: KEYS[5] the user's rate counter, ARGV[8] requests allowed per
-- window (absent or 0: no limit), ARGV[9] window (ms). A fixed window: the first request of a
-- window creates the counter with the window as its lifetime; the counter is the only write of a
-- check, so the rate limit costs no round trip of its own.
-- Returns {outcome, requestId or '', remaining or '-1'}; outcome is a PrecheckOutcome name.
-- RATE_LIMITED returns {'RATE_LIMITED', '', '-1', ms until the window ends}.
-- Order of refusals follows CouponStatus.derive: the user's own earlier request first, because
-- its id is the most useful answer.
local state, startsAt, endsAt, remaining =
    unpack(redis.call('HMGET', KEYS[1], 'state', 'startsAt', 'endsAt', 'remaining'))
if not state then
    return {'COUPON_NOT_FOUND', '', '-1'}
end
-- counted only for coupons that exist, so ids nobody published create no keys
local limit = tonumber(ARGV[8] or '0') or 0
if ARGV[7] == 'check' and KEYS[5] and limit > 0 then
    local count = redis.call('INCR', KEYS[5])
    if count == 1 then
        redis.call('PEXPIRE', KEYS[5], ARGV[9])
    end
    if count > limit then
        local ttl = redis.call('PTTL', KEYS[5])
        if ttl < 0 then
            -- a counter that lost its expiry (PERSIST from outside) must not block the user for good
            redis.call('PEXPIRE', KEYS[5], ARGV[9])
            ttl = tonumber(ARGV[9])
        end
        return {'RATE_LIMITED', '', '-1', tostring(ttl)}
    end
end
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
    return {'DUPLICATE_REQUEST', existing, remaining}
end
local now = tonumber(ARGV[3])
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
if ARGV[7] == 'check' then
    return {'ACCEPTED', '', tostring(remaining)}
end
redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('HSET', KEYS[4], 's', 'PENDING', 'u', ARGV[1], 't', ARGV[3], 'e', ARGV[4], 'n', ARGV[5])
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[6]))
return {'ACCEPTED', ARGV[2], tostring(remaining - 1)}
