-- ARGV: namespace, method, path, seed, key ('' when the request has none),
-- bucket ('run' or 'get'), t and tau of the bucket for the free plan and
-- for pro (0 and 0: no limit), the id of a generation to read ('' for
-- none), then, for a run, what `create` takes (see lib.lua; its owner is
-- the key's account, whatever is given).
-- Steps 2 to 4 of a request to the API in one round trip, in the
-- pipeline's order, stopping at the first that answers:
--   {'fault', FAULT}        a scripted rule hit it (see take_fault);
--   {'nokey'}               no fault, and the request carries no key;
--   {'unseeded'}, {'invalid'}  the key is not known (see key_account);
--   {'ok', ID, PLAN, ALLOWED, N, GENERATION}  the account; ALLOWED and N
--     as gcra answers them for its rate cell (-1 and 0 with no limit);
--     GENERATION the fields of the generation asked for, its status brought
--     up to the clock (as get.lua), if the request was admitted and it
--     exists, else an empty list; CREATED `create`'s verdict ('ok',
--     'credits' or 'account') if a run was asked for and admitted, else ''.
local fault = take_fault(ARGV[2], ARGV[3], ARGV[4])
if fault then return { 'fault', fault } end
if ARGV[5] == '' then return { 'nokey' } end
local account = key_account(ARGV[5])
if account == 'unseeded' then return { 'unseeded' } end
if not account then return { 'invalid' } end
local id, plan = account[1], account[2]
-- A plan the mock does not know counts as free, as in memory.
local t, tau = tonumber(ARGV[7]), tonumber(ARGV[8])
local cell = 'free'
if plan == 'pro' then
  t, tau, cell = tonumber(ARGV[9]), tonumber(ARGV[10]), 'pro'
end
local rate = { -1, 0 }
if t ~= 0 then rate = gcra(cell .. '.' .. ARGV[6] .. ':' .. id, t, tau) end
local generation = {}
if ARGV[11] ~= '' and rate[1] ~= 0 then
  local gk = P .. 'gen:' .. ARGV[11]
  settle(gk, now_ms())
  generation = redis.call('HGETALL', gk)
end
local created = ''
if ARGV[12] and rate[1] ~= 0 then
  local a = { unpack(ARGV, 12) }
  a[1] = id
  created = create(a)[1]
end
return { 'ok', id, plan, rate[1], rate[2], generation, created }
