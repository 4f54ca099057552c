-- ARGV: namespace (the default session's), then 'one' and a session name, or
-- 'idle', a TTL (ms) and a batch size. Deletes every key of the session(s)
-- (`<namespace>-session:NAME:*`) and their registry entries: 'one' answers
-- 1 if the session was registered, 'idle' the names of the sessions idle
-- for longer than the TTL that it dropped (at most the batch).
local R = ARGV[1] .. '-sessions:'
local function drop(name)
  local pattern = ARGV[1] .. '-session:' .. name .. ':*'
  local cursor = '0'
  repeat
    local found = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = found[1]
    for _, key in ipairs(found[2]) do redis.call('DEL', key) end
  until cursor == '0'
  redis.call('HDEL', R .. 'created', name)
  return redis.call('ZREM', R .. 'used', name)
end
if ARGV[2] == 'one' then return drop(ARGV[3]) end
local before = now_ms() - tonumber(ARGV[3])
local idle = redis.call('ZRANGEBYSCORE', R .. 'used', '-inf', '(' .. int(before), 'LIMIT', 0, tonumber(ARGV[4]))
for _, name in ipairs(idle) do drop(name) end
return idle
