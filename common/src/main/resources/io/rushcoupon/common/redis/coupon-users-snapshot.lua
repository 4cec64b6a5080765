-- The users that have a request for a coupon (pending or issued), for a gateway's cache of the
-- coupon's terminal state (gateway TerminalCoupons): only users outside it may be refused there.
-- KEYS[1] users hash   ARGV[1] most users to return
-- Returns the user ids, or {'-1'} when there are more than ARGV[1] (too many to keep locally).
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[1]) then
    return {'-1'}
end
return redis.call('HKEYS', KEYS[1])
