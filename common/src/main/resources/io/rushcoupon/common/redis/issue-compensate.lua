-- Undo an admitted request that was definitely not sent to Kafka (gateway).
-- KEYS[1] coupon hash   KEYS[2] users hash   KEYS[3] pending zset   KEYS[4] request hash
-- ARGV[1] userId  ARGV[2] requestId
-- Returns 1 when undone, 0 when the request was no longer pending (nothing changed).
-- Safe to repeat: the unit goes back only while the request is still in the pending set.
if redis.call('HGET', KEYS[4], 's') ~= 'PENDING' then
    return 0
end
if redis.call('ZREM', KEYS[3], ARGV[2]) == 0 then
    return 0
end
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
    redis.call('HDEL', KEYS[2], ARGV[1])
end
if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('HINCRBY', KEYS[1], 'remaining', 1)
end
redis.call('DEL', KEYS[4])
return 1
