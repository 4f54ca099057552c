-- ARGV: namespace, key, email, credits, plan, created, id. 'duplicate' if
-- the key is taken, else the account's fields.
local key, id = ARGV[2], ARGV[7]
if redis.call('HSETNX', P .. 'keys', key, id) == 0 then return 'duplicate' end
local ak = P .. 'acct:' .. id
redis.call('HSET', ak, 'id', id, 'key', key, 'email', ARGV[3], 'credits', ARGV[4],
  'plan', ARGV[5], 'created', ARGV[6])
return redis.call('HGETALL', ak)
