-- ARGV: namespace (the default session's), TTL (ms). The sessions used
-- within the TTL: {name, created (ms), last used (ms), generations, journal
-- entries} each.
local R = ARGV[1] .. '-sessions:'
local since = now_ms() - tonumber(ARGV[2])
local used = redis.call('ZRANGEBYSCORE', R .. 'used', int(since), '+inf', 'WITHSCORES')
local out = {}
for i = 1, #used, 2 do
  local name, at = used[i], used[i + 1]
  local S = ARGV[1] .. '-session:' .. name .. ':'
  out[#out + 1] = { name, redis.call('HGET', R .. 'created', name) or at, at,
    redis.call('ZCARD', S .. 'order'), redis.call('LLEN', S .. 'journal') }
end
return out
