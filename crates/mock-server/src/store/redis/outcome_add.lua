-- ARGV: namespace, tool, error message, count. Appends a scripted outcome
-- (list `outcomes` of ids, each a hash `outcome:ID`), taken by create.lua.
local id = redis.call('INCR', P .. 'outcome-id')
redis.call('HSET', P .. 'outcome:' .. id, 'tool', ARGV[2], 'error', ARGV[3], 'count', ARGV[4])
redis.call('RPUSH', P .. 'outcomes', id)
return id
