-- ARGV: namespace, id, end ('success' or 'error'), output, thumbnail,
-- error message. Ends a generation that is not final (refunding on
-- `error`): its fields, or nil if it is gone or already final.
local gk = P .. 'gen:' .. ARGV[2]
local status = redis.call('HGET', gk, 'status')
if not status or FINAL[status] then return false end
redis.call('ZREM', P .. 'due', ARGV[2])
finish(gk, ARGV[3], ARGV[4], ARGV[5], ARGV[6])
return redis.call('HGETALL', gk)
