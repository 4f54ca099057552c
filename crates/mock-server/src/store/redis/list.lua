-- ARGV: namespace, owner, offset, limit, status or ''. {total, page...},
-- newest first, each generation's status brought up to the clock first.
local zk = P .. 'owner:' .. ARGV[2]
local offset, limit, want = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local now = now_ms()
local out = { 0 }
if want == '' then
  out[1] = redis.call('ZCARD', zk)
  if limit > 0 then
    for _, id in ipairs(redis.call('ZREVRANGE', zk, offset, offset + limit - 1)) do
      local gk = P .. 'gen:' .. id
      if settle(gk, now) then out[#out + 1] = redis.call('HGETALL', gk) end
    end
  end
  return out
end
local total = 0
for _, id in ipairs(redis.call('ZREVRANGE', zk, 0, -1)) do
  local gk = P .. 'gen:' .. id
  if settle(gk, now) == want then
    if total >= offset and #out - 1 < limit then out[#out + 1] = redis.call('HGETALL', gk) end
    total = total + 1
  end
end
out[1] = total
return out
