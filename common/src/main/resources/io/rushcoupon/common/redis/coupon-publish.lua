-- Publish a coupon's settings (admin-service after a committed change; the worker's settings
-- republication).
-- KEYS[1] coupon hash
-- ARGV[1] name  ARGV[2] state  ARGV[3] startsAt  ARGV[4] endsAt (epoch ms)  ARGV[5] total
-- ARGV[6] the stock of a coupon new to Redis, or '' when a missing coupon must not be created
-- A coupon Redis has gets its settings and total, never its remaining: that is PostgreSQL's
-- remaining less what is pending, and only the scripts that move stock keep it so
-- (coupon-adjust-total.lua moves it with a change of total, before the change commits). Deriving
-- it here from the total Redis had drifted whenever that total was not PostgreSQL's old one.
-- A coupon Redis lacks is created only with ARGV[6]: right for a coupon just created (nothing issued,
-- nothing pending). One that exists in PostgreSQL lost its users and statuses with the hash;
-- common.restore.CouponStateRestorer restores those, so this script writes nothing for it.
-- Returns the remaining stock in Redis afterwards, or -1 when the coupon is missing and was not created.
-- Publishes KEYS[1] on rc:coupon-changes (CouponKeys.COUPON_CHANGES) when it writes settings (state and window may reopen admission): gateways drop
-- the coupon's cached terminal state (gateway TerminalCoupons).
local remaining = redis.call('HGET', KEYS[1], 'remaining')
if remaining then
    redis.call('HSET', KEYS[1], 'name', ARGV[1], 'state', ARGV[2], 'startsAt', ARGV[3], 'endsAt', ARGV[4],
        'total', ARGV[5])
    redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
    return tonumber(remaining)
end
if ARGV[6] == '' then
    return -1
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'state', ARGV[2], 'startsAt', ARGV[3], 'endsAt', ARGV[4],
    'total', ARGV[5], 'remaining', ARGV[6])
redis.call('PUBLISH', 'rc:coupon-changes', KEYS[1])
return tonumber(ARGV[6])
