-- ARGV: namespace (the default session's), then 'one' and a session name, or
-- 'idle', a TTL (ms) and a batch size. Deletes every key of the session(s)
-- and their registry entries (see drop_session): 'one' answers 1 if the
-- session was registered, 'idle' the names of the sessions idle for longer
-- than the TTL that it dropped (at most the batch).
local R = ARGV[1] .. '-sessions:'
if ARGV[2] == 'one' then return drop_session(ARGV[1], ARGV[3]) end
local before = now_ms() - tonumber(ARGV[3])
local idle = redis.call('ZRANGEBYSCORE', R .. 'used', '-inf', '(' .. int(before), 'LIMIT', 0, tonumber(ARGV[4]))
for _, name in ipairs(idle) do drop_session(ARGV[1], name) end
return idle
