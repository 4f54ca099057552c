-- ARGV: namespace, fault, route or '', method or '', pattern or '', count or
-- '', probability or ''. Appends a rule; returns its id.
local id = redis.call('INCR', P .. 'fault-id')
redis.call('HSET', P .. 'fault:' .. id, 'fault', ARGV[2], 'route', ARGV[3], 'method', ARGV[4],
  'pattern', ARGV[5], 'count', ARGV[6], 'probability', ARGV[7])
redis.call('RPUSH', P .. 'faults', id)
return id
