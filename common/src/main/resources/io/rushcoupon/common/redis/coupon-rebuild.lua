-- Last step of rebuilding a coupon missing from Redis (CouponStateRestorer: worker reconciler, admin
-- reconcile and publication): create the coupon hash, only if it is still missing.
-- KEYS[1] coupon hash   KEYS[2] the pending copy pending-copy.lua made (deleted here)
-- ARGV as coupon-publish.lua: name, state, startsAt, endsAt, total, PostgreSQL remaining R; then
-- ARGV[7] u, how many requests of the copy PostgreSQL had not decided in the snapshot R is from
-- Writes remaining = R - u. Exact because, while the hash is missing, the pre-check admits nobody
-- for the coupon, so the pending set only shrinks: the copy P1 was taken before the snapshot, so
-- every request still undecided at the snapshot, and every request decided after it (whose unit R
-- still counts), is in P1 and not decided in the snapshot, i.e. one of the u. The other way, a
-- request of P1 that is undecided in the snapshot and then compensated, dropped, or rejected before
-- the hash exists (its unit goes back to nobody) only holds one unit back too many: conservative.
-- A hash another restorer or an admin created meanwhile is newer than this rebuild: left as it is.
-- Returns {1, remaining written} or {0, the existing remaining}.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it creates the coupon: gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
redis.call('DEL', KEYS[2])
if redis.call('HEXISTS', KEYS[1], 'state') == 1 then
    return {0, tonumber(redis.call('HGET', KEYS[1], 'remaining')) or 0}
end
local remaining = tonumber(ARGV[6]) - tonumber(ARGV[7])
if remaining < 0 then
    remaining = 0
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'state', ARGV[2], 'startsAt', ARGV[3], 'endsAt', ARGV[4],
    'total', ARGV[5], 'remaining', remaining)
redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
return {1, remaining}
