-- ARGV: namespace, key, credits or '', plan or ''. 'unknown' if no account
-- has the key, else the account's fields after the change.
local id = redis.call('HGET', P .. 'keys', ARGV[2])
if not id then return 'unknown' end
local ak = P .. 'acct:' .. id
if ARGV[3] ~= '' then redis.call('HSET', ak, 'credits', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', ak, 'plan', ARGV[4]) end
return redis.call('HGETALL', ak)
