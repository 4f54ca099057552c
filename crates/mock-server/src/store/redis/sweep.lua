-- ARGV: namespace, most to claim. Claims the timed generations whose time
-- is up (taken off the due set, so each is claimed once), ends them, and
-- returns the fields of those that ended with a webhook to send.
local due = P .. 'due'
local now = now_ms()
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  redis.call('ZREM', due, id)
  local gk = P .. 'gen:' .. id
  if settle(gk, now) == 'success' and redis.call('HEXISTS', gk, 'webhook') == 1 then
    out[#out + 1] = redis.call('HGETALL', gk)
  end
end
return out
