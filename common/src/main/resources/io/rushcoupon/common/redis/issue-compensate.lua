-- Undo an admitted request that was definitely not sent to Kafka (gateway).
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4] request hash
-- ARGV[1] userId  ARGV[2] requestId
-- Returns  1 undone: it was pending; unit, user's place and request are given back.
--          0 decided: its hash shows a final status (the worker had it from a re-send); nothing
--            changed, and the status is there to poll.
--         -1 gone: neither decided nor pending (Redis restarted empty, the coupon was deleted).
--            Nothing is left to send or to finish it, so a PENDING hash or the user's place that
--            still name it are dropped too: no one may be shown it as pending.
-- Safe to repeat: the unit goes back only while the request is still in the pending set, and a
-- repeat of an undo answers -1 (gone), which the gateway answers as it answers an undo.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it gives a unit back: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
local status = redis.call('HGET', KEYS[4], 's')
if status == 'ISSUED' or status == 'REJECTED' then
    return 0
end
local undone = redis.call('ZREM', KEYS[3], ARGV[2]) == 1
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
    redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('DEL', KEYS[4])
if not undone then
    return -1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('HINCRBY', KEYS[1], 'remaining', 1)
    redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
end
return 1
