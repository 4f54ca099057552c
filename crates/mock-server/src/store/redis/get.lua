-- ARGV: namespace, id. The generation's fields, its status brought up to
-- the clock first; an empty list if there is none.
local gk = P .. 'gen:' .. ARGV[2]
settle(gk, now_ms())
return redis.call('HGETALL', gk)
