-- ARGV: namespace, id, metadata (JSON), bytes, most bytes kept. Stores an
-- upload; the oldest go first past the bound (the newest always stays).
local id = ARGV[2]
redis.call('HSET', P .. 'upload:' .. id, 'meta', ARGV[3], 'bytes', ARGV[4])
local seq = redis.call('INCR', P .. 'seq')
redis.call('ZADD', P .. 'uploads', seq, id)
local total = redis.call('INCRBY', P .. 'upload_bytes', #ARGV[4])
local most = tonumber(ARGV[5])
while total > most and redis.call('ZCARD', P .. 'uploads') > 1 do
  local oldest = redis.call('ZRANGE', P .. 'uploads', 0, 0)[1]
  local uk = P .. 'upload:' .. oldest
  local size = redis.call('HSTRLEN', uk, 'bytes')
  redis.call('DEL', uk)
  redis.call('ZREM', P .. 'uploads', oldest)
  total = redis.call('INCRBY', P .. 'upload_bytes', -size)
end
return 1
