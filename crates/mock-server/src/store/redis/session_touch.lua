-- ARGV: namespace (the default session's), session name. Marks the session
-- used now in the sessions registry (`<namespace>-sessions:`), noting when
-- it was first seen.
local R = ARGV[1] .. '-sessions:'
local now = now_ms()
redis.call('HSETNX', R .. 'created', ARGV[2], int(now))
redis.call('ZADD', R .. 'used', now, ARGV[2])
return 1
