-- ARGV: namespace (the default session's), lease (ms), most sessions, most
-- deliveries, lease token. The sessions' sweeper, which serves every
-- session on the store whether or not a replica has it open: for each
-- session with something due (in "<namespace>-sessions:due", see
-- mark_due), ends its timed generations whose time is up and claims its
-- webhook deliveries that are due (as sweep.lua and claim_delivery.lua do
-- in one namespace), then notes when the session is due next, or takes it
-- off the set. Returns {session, attempt, fields} per claimed delivery.
local base = ARGV[1]
local due_sessions = base .. '-sessions:due'
local now = now_ms()
local lease_end = now + tonumber(ARGV[2])
local max = tonumber(ARGV[4])
local out = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', due_sessions, '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))) do
  P = base .. '-session:' .. name .. ':'
  end_due(now, 200)
  if #out < max then
    claim_hooks(now, lease_end, max - #out, ARGV[5], out,
      function(attempt, fields) return { name, attempt, fields } end)
  end
  local first = false
  for _, set in ipairs({ 'due', 'hooks' }) do
    local head = redis.call('ZRANGE', P .. set, 0, 0, 'WITHSCORES')
    if head[2] and (not first or tonumber(head[2]) < first) then first = tonumber(head[2]) end
  end
  if first then
    redis.call('ZADD', due_sessions, int(first), name)
  else
    redis.call('ZREM', due_sessions, name)
  end
end
return out
