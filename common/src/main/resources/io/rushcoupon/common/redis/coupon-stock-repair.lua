-- Repair a coupon's stock that drifted from PostgreSQL's while nothing was pending (worker
-- reconciler, StockDriftRepair; I5).
-- KEYS[1] coupon hash   KEYS[2] pending zset
-- ARGV[1] the remaining the reconciler read from Redis with nothing pending
-- ARGV[2] PostgreSQL's remaining, read after that
-- Writes ARGV[2] only if the coupon still has nothing pending and still the remaining the
-- reconciler read: then no request was admitted and decided in between, so PostgreSQL's stock is
-- all there is. Otherwise it changes nothing and a later round looks again.
-- Returns 1 when repaired, 0 otherwise.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it sets the stock: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
if redis.call('ZCARD', KEYS[2]) ~= 0 or redis.call('HGET', KEYS[1], 'remaining') ~= ARGV[1] then
    return 0
end
redis.call('HSET', KEYS[1], 'remaining', ARGV[2])
redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
return 1
