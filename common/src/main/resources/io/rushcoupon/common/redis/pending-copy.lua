-- First step of rebuilding a coupon missing from Redis (CouponStateRestorer): copy its pending set,
-- so the restorer can read it page by page, before its PostgreSQL snapshot, while the set itself
-- shrinks (coupon-rebuild.lua explains why the count is exact).
-- KEYS[1] coupon hash   KEYS[2] pending zset   KEYS[3] the copy (a key of this restore's own)
-- ARGV[1] the copy's lifetime (ms): it outlives a restorer that dies before coupon-rebuild.lua
-- deletes it only that long
-- Returns {1, size of the copy} when the coupon is missing; {0, its remaining} when Redis has it:
-- then nothing is copied and there is nothing to rebuild.
if redis.call('HEXISTS', KEYS[1], 'state') == 1 then
    return {0, tonumber(redis.call('HGET', KEYS[1], 'remaining')) or 0}
end
local size = redis.call('ZUNIONSTORE', KEYS[3], 1, KEYS[2])
if size > 0 then
    redis.call('PEXPIRE', KEYS[3], ARGV[1])
end
return {1, size}
