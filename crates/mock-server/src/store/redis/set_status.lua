-- ARGV: namespace, id, status. Moves a generation that is not final to
-- another status that is not final.
local gk = P .. 'gen:' .. ARGV[2]
local status = redis.call('HGET', gk, 'status')
if status and not FINAL[status] and not FINAL[ARGV[3]] then
  redis.call('HSET', gk, 'status', ARGV[3])
end
return 1
