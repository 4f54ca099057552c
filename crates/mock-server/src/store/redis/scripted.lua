-- ARGV: namespace, id, error message. A timed generation still running
-- ends in `error` with this message at the end of `processing` instead.
local gk = P .. 'gen:' .. ARGV[2]
local h = redis.call('HMGET', gk, 'status', 't2')
if not h[1] or FINAL[h[1]] or not h[2] then return 0 end
redis.call('HSET', gk, 'end', 'error', 'o_error', ARGV[3], 't3', h[2])
redis.call('ZADD', P .. 'due', h[2], ARGV[2])
mark_due(tonumber(h[2]))
return 1
