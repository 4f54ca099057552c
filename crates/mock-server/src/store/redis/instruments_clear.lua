-- ARGV: namespace, what ('all', 'journal' or 'faults'). Forgets instruments.
local what = ARGV[2]
local function drop_list(list, prefix)
  for _, id in ipairs(redis.call('LRANGE', P .. list, 0, -1)) do
    redis.call('DEL', P .. prefix .. id)
  end
  redis.call('DEL', P .. list)
end
if what == 'all' or what == 'journal' then
  redis.call('DEL', P .. 'journal', P .. 'journal-seq')
end
if what == 'all' or what == 'faults' then
  drop_list('faults', 'fault:')
end
if what == 'all' then
  drop_list('outcomes', 'outcome:')
  redis.call('DEL', P .. 'deliveries')
end
return 1
