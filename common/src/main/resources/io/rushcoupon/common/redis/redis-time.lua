-- Redis's clock, the one issue-precheck.lua admits by and scores pending requests with.
-- KEYS[1] the coupon hash, never read: it only routes the call to the node that holds the
-- coupon's keys (on Redis Cluster every master has a clock of its own).
-- Returns {seconds, microseconds} as TIME does.
return redis.call('TIME')
