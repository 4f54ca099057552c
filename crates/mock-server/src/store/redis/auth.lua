-- ARGV: namespace, key. The account id and plan of a key, or nil.
local id = redis.call('HGET', P .. 'keys', ARGV[2])
if not id then return false end
return { id, redis.call('HGET', P .. 'acct:' .. id, 'plan') }
