-- Release a user's lock taken by an admission (issue-precheck.lua), if this request still owns it.
-- KEYS[1] the user's lock   ARGV[1] the request id that took it
-- Returns 1 released, 0 not held by this request (its lease ended, or another request took it since).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
end
return 0
