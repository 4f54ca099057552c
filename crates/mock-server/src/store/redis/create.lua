-- ARGV: namespace, owner, id, cost, max generations, status, tool, type,
-- payload, created, webhook or '', mode ('none', 'timed' or 'instant'),
-- pending, processing and uploading (ms), end ('success' or 'error'),
-- output, thumbnail, error message.
-- Takes the cost and stores the generation, or neither: {'account'} or
-- {'credits'} when refused, else {'ok', fields}. A timed generation's
-- status is then a function of the server's clock (see settle). A paid run
-- on an instant or timed schedule takes its tool's scripted outcome, if one
-- waits (see take_outcome): it ends in `error` with that message.
local owner, id, cost = ARGV[2], ARGV[3], tonumber(ARGV[4])
local ak = P .. 'acct:' .. owner
local credits = redis.call('HGET', ak, 'credits')
if not credits then return { 'account' } end
if tonumber(credits) < cost then return { 'credits' } end
if cost > 0 then redis.call('HINCRBY', ak, 'credits', int(-cost)) end
local gk = P .. 'gen:' .. id
redis.call('HSET', gk, 'id', id, 'owner', owner, 'cost', ARGV[4], 'status', ARGV[6],
  'tool', ARGV[7], 'type', ARGV[8], 'payload', ARGV[9], 'created', ARGV[10])
if ARGV[11] ~= '' then redis.call('HSET', gk, 'webhook', ARGV[11]) end
local seq = redis.call('INCR', P .. 'seq')
redis.call('ZADD', P .. 'order', seq, id)
redis.call('ZADD', P .. 'owner:' .. owner, seq, id)
local mode, kind, message = ARGV[12], ARGV[16], ARGV[19]
if mode ~= 'none' then
  local scripted = take_outcome(ARGV[7])
  if scripted then kind, message = 'error', scripted end
end
if mode == 'instant' then
  finish(gk, kind, ARGV[17], ARGV[18], message)
elseif mode == 'timed' then
  local now = now_ms()
  local t1 = now + tonumber(ARGV[13])
  local t2 = t1 + tonumber(ARGV[14])
  local t3 = t2
  if kind == 'success' then t3 = t2 + tonumber(ARGV[15]) end
  redis.call('HSET', gk, 't1', int(t1), 't2', int(t2), 't3', int(t3), 'end', kind,
    'o_output', ARGV[17], 'o_thumb', ARGV[18], 'o_error', message)
  redis.call('ZADD', P .. 'due', t3, id)
end
evict(tonumber(ARGV[5]))
return { 'ok', redis.call('HGETALL', gk) }
