-- ARGV: namespace, capacity, entries (JSON, without their seq), in order.
-- Numbers the entries and appends each as "SEQ JSON" to list `journal`,
-- keeping the newest `capacity`; the last seq given. Run alone, without
-- lib.lua (it needs none of it, and it runs once per group of answers).
local P = ARGV[1] .. ':'
local n = #ARGV - 2
if n < 1 then return 0 end
local last = redis.call('INCRBY', P .. 'journal-seq', n)
local jk = P .. 'journal'
local kept = {}
for i = 1, n do kept[i] = (last - n + i) .. ' ' .. ARGV[i + 2] end
redis.call('RPUSH', jk, unpack(kept))
redis.call('LTRIM', jk, -tonumber(ARGV[2]), -1)
return last
