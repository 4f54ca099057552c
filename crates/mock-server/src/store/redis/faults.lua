-- ARGV: namespace. The rules still active, in order: {id, fault, route,
-- count, probability} each ('' for absent).
local out = {}
for _, id in ipairs(redis.call('LRANGE', P .. 'faults', 0, -1)) do
  local r = redis.call('HMGET', P .. 'fault:' .. id, 'fault', 'route', 'count', 'probability')
  if r[1] then out[#out + 1] = { id, r[1], r[2], r[3], r[4] } end
end
return out
