-- ARGV: namespace, key. The account id and plan of a key, or nil; or
-- 'unseeded' for an unknown key in a namespace that is not seeded (its
-- keys dropped since this replica seeded it: a session dropped or expired
-- through another replica), which the replica then seeds again.
local id = redis.call('HGET', P .. 'keys', ARGV[2])
if not id then
  if redis.call('EXISTS', P .. 'seeded') == 0 then return 'unseeded' end
  return false
end
return { id, redis.call('HGET', P .. 'acct:' .. id, 'plan') }
