-- ARGV: namespace, the journal's capacity, how many journal entries
-- follow, those entries (JSON without their seq) in the order they came,
-- then for each gate: how many arguments it has, then those arguments
-- (what `gate` takes). What the requests of one namespace sent while the
-- last group was on its way, in one round trip:
-- - the journal entries, numbered in order and appended as "SEQ JSON" to
--   list `journal`, which keeps the newest `capacity`;
-- - each gate (a request's steps 2 to 4) as one call of gate would make
--   it, in order: their answers, in the same order, as JSON (see below).
local entries = tonumber(ARGV[3])
if entries > 0 then
  local last = redis.call('INCRBY', P .. 'journal-seq', ARGV[3])
  local kept = {}
  for i = 1, entries do kept[i] = string.format('%d %s', last - entries + i, ARGV[i + 3]) end
  redis.call('RPUSH', P .. 'journal', unpack(kept))
  redis.call('LTRIM', P .. 'journal', '-' .. ARGV[2], '-1')
end
local out = {}
local i = entries + 4
EVICTION.later = true
while ARGV[i] do
  local n = tonumber(ARGV[i])
  out[#out + 1] = gate({ unpack(ARGV, i + 1, i + n) })
  i = i + n + 1
end
-- The runs' eviction, in one pass (see EVICTION).
if EVICTION.max then evict(EVICTION.max) end
-- The answers go back as one JSON text (a replica reads one string much
-- faster than a tree of them); a list left empty is `{}` in it.
return cjson.encode(out)
