-- Mark Redis's coupon state loaded at the end of a reconciler round (worker), but only if the
-- round's token is still there: had Redis restarted empty during the round, coupons checked
-- before the restart would be missing again, and the gateway must keep answering 503, not 404.
-- KEYS[1] round token   KEYS[2] loaded marker
-- ARGV[1] this round's token   ARGV[2] when (ISO-8601, for operators)
-- Returns 1 when marked, 0 when the round must be repeated.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('SET', KEYS[2], ARGV[2])
return 1
