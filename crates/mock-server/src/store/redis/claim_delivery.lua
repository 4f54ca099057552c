-- ARGV: namespace, lease (ms), most to claim, lease token. Claims the
-- queued webhook deliveries that are due (never sent, retry time reached,
-- or a lease that ended unsettled): each is pushed back in "hooks" to the
-- end of the lease and marked with the token, in this one step, so no two
-- callers hold one delivery at once. Returns {attempt, fields} per
-- delivery.
local hooks = P .. 'hooks'
local now = now_ms()
local lease_end = now + tonumber(ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', hooks, '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))) do
  local hk = P .. 'hook:' .. id
  if redis.call('EXISTS', hk) == 1 then
    redis.call('ZADD', hooks, lease_end, id)
    redis.call('HSET', hk, 'lease', ARGV[4])
    out[#out + 1] = { redis.call('HGET', hk, 'attempt'), redis.call('HGETALL', hk) }
  else
    redis.call('ZREM', hooks, id)
  end
end
return out
