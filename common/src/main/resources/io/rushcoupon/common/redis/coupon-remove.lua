-- Forget a coupon being deleted (admin-service, coupon/RedisBeforeCommit.java), atomically with the
-- checks that make the delete safe. Request hashes expire on their own.
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset
-- Refuses, removing nothing, while a request is still pending (it would end without its coupon), or
-- while Redis still admits for the coupon: its hash says ACTIVE and Redis's now is before the end of
-- the window (a pause or close that has not reached Redis). Once removed, nothing more is admitted.
-- Returns {'REMOVED', keys removed}, {'PENDING', pending count} or {'ADMITTING', '0'}.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it forgets the coupon: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
local pending = redis.call('ZCARD', KEYS[3])
if pending > 0 then
    return {'PENDING', tostring(pending)}
end
local state, endsAt = unpack(redis.call('HMGET', KEYS[1], 'state', 'endsAt'))
if state == 'ACTIVE' then
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    if now < tonumber(endsAt) then
        return {'ADMITTING', '0'}
    end
end
local removed = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
return {'REMOVED', tostring(removed)}
