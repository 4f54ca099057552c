-- ARGV: namespace, capacity, entry (JSON, without its seq). Numbers the entry
-- and appends it as "SEQ JSON" to list `journal`, keeping the newest
-- `capacity`.
local seq = redis.call('INCR', P .. 'journal-seq')
local jk = P .. 'journal'
redis.call('RPUSH', jk, seq .. ' ' .. ARGV[3])
redis.call('LTRIM', jk, -tonumber(ARGV[2]), -1)
return seq
