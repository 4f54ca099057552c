-- ARGV: namespace, then the accounts (see seed). Deletes every key of the
-- namespace but the seeds' ids, then seeds the accounts again.
local cursor = '0'
local keep = P .. 'seed:'
repeat
  local found = redis.call('SCAN', cursor, 'MATCH', P .. '*', 'COUNT', 1000)
  cursor = found[1]
  for _, key in ipairs(found[2]) do
    if string.sub(key, 1, #keep) ~= keep then redis.call('DEL', key) end
  end
until cursor == '0'
seed(2)
return 1
