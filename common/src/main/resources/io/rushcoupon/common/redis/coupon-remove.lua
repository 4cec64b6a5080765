-- Forget a deleted coupon (admin-service). Request hashes expire on their own.
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset
-- Returns the number of keys removed.
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
