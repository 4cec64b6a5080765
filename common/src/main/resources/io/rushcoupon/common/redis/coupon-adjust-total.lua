-- Move a coupon's stock in Redis with an admin's change of its total (admin-service,
-- coupon/RedisBeforeCommit.java). Runs after the change is flushed, so PostgreSQL holds the coupon's
-- row locked until the commit, and is undone ('undo') when the change does not commit.
-- KEYS[1] coupon hash   KEYS[2] pending zset
-- ARGV[1] 'adjust' or 'undo'   ARGV[2] delta: new total - old total   ARGV[3] the new total
-- 'adjust': ARGV[4] PostgreSQL remaining after the change (new total - issued)
-- 'undo':   ARGV[4] the old total
-- 'adjust' refuses a lower total below issued + pending, i.e. PostgreSQL's new remaining below the
-- requests still pending: issued comes from the locked row, so the check does not depend on Redis's
-- remaining being free of drift. A higher total is never refused: it cannot make things worse.
-- Otherwise remaining += delta and total = new total, in one step, so Redis remaining = PostgreSQL
-- remaining - pending holds across the change (remaining may go below 0 if Redis had drifted low:
-- the pre-check reads that as sold out). A missing hash (Redis lost its data) is left to the
-- restorer, which runs after the commit.
-- 'undo' takes the delta back and writes the old total only if the hash still holds the new one
-- (a later adjustment may have written its own).
-- Returns {outcome, remaining in Redis afterwards or '-1' when the hash is missing, pending count};
-- outcome: ADJUSTED, REFUSED, MISSING (nothing written) or UNDONE.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it moves the stock: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
local delta = tonumber(ARGV[2])
local pending = redis.call('ZCARD', KEYS[2])
local remaining = redis.call('HGET', KEYS[1], 'remaining')
if ARGV[1] == 'undo' then
    if not remaining then
        return {'MISSING', '-1', tostring(pending)}
    end
    remaining = redis.call('HINCRBY', KEYS[1], 'remaining', -delta)
    if redis.call('HGET', KEYS[1], 'total') == ARGV[3] then
        redis.call('HSET', KEYS[1], 'total', ARGV[4])
    end
    redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
    return {'UNDONE', tostring(remaining), tostring(pending)}
end
if delta < 0 and tonumber(ARGV[4]) < pending then
    return {'REFUSED', remaining or '-1', tostring(pending)}
end
if not remaining then
    return {'MISSING', '-1', tostring(pending)}
end
remaining = tonumber(remaining) + delta
redis.call('HSET', KEYS[1], 'remaining', remaining, 'total', ARGV[3])
redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
return {'ADJUSTED', tostring(remaining), tostring(pending)}
