-- ARGV: namespace (the default session's), session name, TTL (ms), most
-- sessions or ''. Marks the session used now in the sessions' registry
-- (`<namespace>-sessions:`), noting when it was first seen, and answers 1;
-- one idle for longer than the TTL is dropped first (see drop_session), so
-- that it starts afresh. With a most, a session not yet registered (or
-- dropped so) is admitted only while fewer sessions than that were used
-- within the TTL, across every replica: else 0, and nothing is written.
local R = ARGV[1] .. '-sessions:'
local name = ARGV[2]
local now = now_ms()
local since = now - tonumber(ARGV[3])
local used = redis.call('ZSCORE', R .. 'used', name)
if used and tonumber(used) < since then
  drop_session(ARGV[1], name)
  used = false
end
if not used and ARGV[4] ~= '' then
  if redis.call('ZCOUNT', R .. 'used', int(since), '+inf') >= tonumber(ARGV[4]) then return 0 end
end
redis.call('HSETNX', R .. 'created', name, int(now))
redis.call('ZADD', R .. 'used', now, name)
return 1
