-- ARGV: namespace, generation id, lease token, wait before the next attempt
-- (ms) or '' for none. If the delivery is still held with this token:
-- removes it (no next attempt), or counts the attempt and queues the next
-- one after the wait, unclaimed. Returns 1, or 0 if the lease was lost.
local hk = P .. 'hook:' .. ARGV[2]
if redis.call('HGET', hk, 'lease') ~= ARGV[3] then return 0 end
if ARGV[4] == '' then
  redis.call('DEL', hk)
  redis.call('ZREM', P .. 'hooks', ARGV[2])
else
  redis.call('HINCRBY', hk, 'attempt', 1)
  redis.call('HDEL', hk, 'lease')
  local at = now_ms() + tonumber(ARGV[4])
  redis.call('ZADD', P .. 'hooks', at, ARGV[2])
  mark_due(at)
end
return 1
