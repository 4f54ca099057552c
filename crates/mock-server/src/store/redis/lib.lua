-- Shared by every script of the mock's Redis store (prepended to each).
-- ARGV[1] is the namespace: every key is "<namespace>:<...>".
local P = ARGV[1] .. ':'

local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function now_ms()
  return math.floor(now_us() / 1000)
end

-- `x` as a decimal integer string. A Lua number given to redis.call, or
-- joined to a string, is written with '%.17g' or '%.14g', thousands of
-- instructions each; '%d' is a fraction of that, and exact for a whole
-- number (below 2^53 a double holds every one). Anything else is rounded.
local function int(x)
  if x == math.floor(x) and x > -9007199254740992 and x < 9007199254740992 then
    return string.format('%d', x)
  end
  return string.format('%.0f', x)
end

local FINAL = { success = true, error = true }

-- Appends field `k` and its value `v` to `f`, the arguments of an HSET.
local function add(f, k, v)
  f[#f + 1] = k
  f[#f + 1] = v
end

-- What one run of a script has read of its namespace (a group of gates runs
-- many requests in one run): that no fault rule or scripted outcome is kept
-- and each key's account, which only other scripts write, and accounts'
-- credits, which this run changes only through `pay`, keeping them current.
local SEEN = { p = false }
local function seen()
  if SEEN.p ~= P then SEEN = { p = P, accounts = {}, credits = {} } end
  return SEEN
end

-- The credits of account hash `ak`, or nil if it does not exist.
local function credits_of(ak)
  local known = seen().credits[ak]
  if known then return known end
  local credits = redis.call('HGET', ak, 'credits')
  if not credits then return nil end
  known = tonumber(credits)
  seen().credits[ak] = known
  return known
end

-- Adds `amount` (an integer string, negative to take) to the credits of
-- account hash `ak`.
local function pay(ak, amount)
  seen().credits[ak] = redis.call('HINCRBY', ak, 'credits', amount)
end

-- On a session's namespace ("<base>-session:<name>:"), notes in the
-- sessions' registry ("<base>-sessions:due") that something of the session
-- (a timed generation's end, a webhook attempt, a lease's end) may be due
-- at `at` (ms), unless it already waits for an earlier time: the sessions'
-- sweeper (sessions_sweep.lua) serves every session from it, whether or
-- not a replica has the session open. Nothing on the default namespace.
local function mark_due(at)
  local base, name = string.match(P, '^(.*)%-session:([^:]+):$')
  if base then redis.call('ZADD', base .. '-sessions:due', 'LT', int(at), name) end
end

-- Queues the webhook `h` = {url, id, owner, tool, type, created} of a
-- generation that just ended in `success`: "hook:<id>" keeps what the
-- webhook sends (so it outlives the generation's eviction) and its attempt;
-- "hooks" orders the deliveries by when each is due (or, while one is
-- claimed, by when its lease ends). See claim_delivery.lua and
-- settle_delivery.lua.
local function queue_webhook(h, output, thumb)
  local f = { P .. 'hook:' .. h[2], 'webhook', h[1], 'id', h[2], 'owner', h[3],
    'status', 'success', 'tool', h[4], 'type', h[5] or '', 'created', h[6],
    'output', output, 'attempt', 1 }
  if thumb ~= '' then add(f, 'thumbnail', thumb) end
  redis.call('HSET', unpack(f))
  local now = now_ms()
  redis.call('ZADD', P .. 'hooks', now, h[2])
  mark_due(now)
end

-- Ends generation `id` as its stored outcome says; an `error` refunds its
-- cost to its owner (if the account still exists), a `success` queues its
-- webhook, if it has one. Called only on a generation that is not final,
-- so the refund and the webhook happen once.
local function finish(gk, kind, output, thumb, message)
  if kind == 'success' then
    local f = { gk, 'status', kind, 'output', output }
    if thumb ~= '' then add(f, 'thumbnail', thumb) end
    redis.call('HSET', unpack(f))
    local h = redis.call('HMGET', gk, 'webhook', 'id', 'owner', 'tool', 'type', 'created')
    if h[1] then queue_webhook(h, output, thumb) end
  else
    redis.call('HSET', gk, 'status', kind, 'error', message)
    local h = redis.call('HMGET', gk, 'owner', 'cost')
    local ak = P .. 'acct:' .. h[1]
    if redis.call('EXISTS', ak) == 1 then
      pay(ak, h[2])
    end
  end
  return kind
end

-- Moves a timed generation to the status its schedule gives at `now`
-- (ending it when its time is up); returns its status, or false if absent.
local function settle(gk, now)
  local h = redis.call('HMGET', gk, 'status', 't1', 't2', 't3', 'end', 'o_output', 'o_thumb', 'o_error')
  local status = h[1]
  if not status or FINAL[status] or not h[4] then return status end
  local t1, t2, t3 = tonumber(h[2]), tonumber(h[3]), tonumber(h[4])
  if now >= t3 then
    return finish(gk, h[5], h[6], h[7], h[8])
  end
  local due = 'uploading'
  if now < t1 then due = 'pending' elseif now < t2 then due = 'processing' end
  if due ~= status then redis.call('HSET', gk, 'status', due) end
  return due
end

-- Ends the timed generations whose time is up at `now` (at most `max`),
-- each taken off the due set first, so that it is claimed once; returns the
-- hashes of those that ended in `success` with a webhook.
local function end_due(now, max)
  local due = P .. 'due'
  local ended = {}
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', int(now), 'LIMIT', '0', int(max))) do
    redis.call('ZREM', due, id)
    local gk = P .. 'gen:' .. id
    if settle(gk, now) == 'success' and redis.call('HEXISTS', gk, 'webhook') == 1 then
      ended[#ended + 1] = gk
    end
  end
  return ended
end

-- Claims at most `max` queued webhook deliveries that are due at `now`
-- (never sent, retry time reached, or a lease that ended unsettled): each
-- is pushed back in "hooks" to `lease_end` and marked with `token`, in this
-- one step, so no two callers hold one delivery at once. Appends
-- `make(attempt, fields)` to `out` per delivery.
local function claim_hooks(now, lease_end, max, token, out, make)
  local hooks = P .. 'hooks'
  local claimed = false
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', hooks, '-inf', int(now), 'LIMIT', '0', int(max))) do
    local hk = P .. 'hook:' .. id
    if redis.call('EXISTS', hk) == 1 then
      redis.call('ZADD', hooks, lease_end, id)
      redis.call('HSET', hk, 'lease', token)
      out[#out + 1] = make(redis.call('HGET', hk, 'attempt'), redis.call('HGETALL', hk))
      claimed = true
    else
      redis.call('ZREM', hooks, id)
    end
  end
  if claimed then mark_due(lease_end) end
end

-- Deletes every key of session `name` beside namespace `base`
-- ("<base>-session:<name>:*") and its entries in the sessions' registry;
-- 1 if it was registered, else 0.
local function drop_session(base, name)
  local R = base .. '-sessions:'
  local pattern = base .. '-session:' .. name .. ':*'
  local cursor = '0'
  repeat
    local found = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = found[1]
    for _, key in ipairs(found[2]) do redis.call('DEL', key) end
  until cursor == '0'
  redis.call('HDEL', R .. 'created', name)
  redis.call('ZREM', R .. 'due', name)
  return redis.call('ZREM', R .. 'used', name)
end

-- Removes the oldest ended generations until at most `max` are kept; a
-- running one is never removed. Each pass reads up to 100 of the oldest and
-- removes the ended ones among them with one call per key it touches.
local function evict(max)
  local order = P .. 'order'
  local n = redis.call('ZCARD', order)
  local skip = 0
  while n > max do
    -- As many as are over, at most 100 (usually the runs just stored).
    local ids = redis.call('ZRANGE', order, int(skip), int(skip + math.min(99, n - max - 1)))
    if #ids == 0 then break end
    local gone, keys, due, owners = {}, {}, {}, {}
    for _, id in ipairs(ids) do
      local gk = P .. 'gen:' .. id
      local h = redis.call('HMGET', gk, 'status', 'owner', 't3')
      if not h[1] or FINAL[h[1]] then
        gone[#gone + 1] = id
        keys[#keys + 1] = gk
        -- Only a timed generation is ever in `due`.
        if h[3] or not h[1] then due[#due + 1] = id end
        if h[2] then
          local of = owners[h[2]] or {}
          of[#of + 1] = id
          owners[h[2]] = of
        end
        n = n - 1
      else
        -- Left in place: the next pass starts after it.
        skip = skip + 1
      end
    end
    if #gone > 0 then
      redis.call('DEL', unpack(keys))
      redis.call('ZREM', order, unpack(gone))
      if #due > 0 then redis.call('ZREM', P .. 'due', unpack(due)) end
      for owner, of in pairs(owners) do redis.call('ZREM', P .. 'owner:' .. owner, unpack(of)) end
    end
  end
end

-- While `later` is set (by group.lua, which runs many gates in one call),
-- `create` leaves eviction to one pass at the end of the call, for the most
-- generations it was given (`max`): nothing outside sees the state between.
local EVICTION = { later = false, max = nil }

-- Evicts now, or at the end of the call (see EVICTION).
local function evict_after_create(max)
  if not EVICTION.later then return evict(max) end
  if not EVICTION.max or max < EVICTION.max then EVICTION.max = max end
end

-- Seeds the configured accounts once per namespace (after a reset, again):
-- ARGV[from..] holds six values per account (key, email, credits, plan,
-- created, id); an account keeps the id and creation time it was first
-- given, across resets.
local function seed(from)
  if not redis.call('SET', P .. 'seeded', '1', 'NX') then return end
  local i = from
  while ARGV[i] do
    local key = ARGV[i]
    local sk = P .. 'seed:' .. key
    local first = redis.call('HMGET', sk, 'id', 'created')
    local id, created = first[1], first[2]
    if not id then
      id, created = ARGV[i + 5], ARGV[i + 4]
      redis.call('HSET', sk, 'id', id, 'created', created)
    end
    if redis.call('HSETNX', P .. 'keys', key, id) == 1 then
      redis.call('HSET', P .. 'acct:' .. id, 'id', id, 'key', key, 'email', ARGV[i + 1],
        'credits', ARGV[i + 2], 'plan', ARGV[i + 3], 'created', created)
    end
    i = i + 6
  end
end

-- The error message of the first scripted outcome for `tool` (or for any
-- tool, `*`), using up one of its count (the outcome goes when used up); nil
-- when none waits. Outcomes are kept in order in list `outcomes`, each a
-- hash `outcome:ID` (tool, error, count).
local function take_outcome(tool)
  if seen().no_outcomes then return nil end
  local list = P .. 'outcomes'
  local ids = redis.call('LRANGE', list, '0', '-1')
  if #ids == 0 then
    seen().no_outcomes = true
    return nil
  end
  for _, id in ipairs(ids) do
    local ok = P .. 'outcome:' .. id
    local o = redis.call('HMGET', ok, 'tool', 'error', 'count')
    if o[1] == tool or o[1] == '*' then
      local left = tonumber(o[3]) - 1
      if left <= 0 then
        redis.call('DEL', ok)
        redis.call('LREM', list, 1, id)
      else
        redis.call('HSET', ok, 'count', left)
      end
      return o[2]
    end
  end
  return nil
end

-- The path's segments, without leading or trailing slashes.
local function segments(text)
  text = string.gsub(text, '^/+', '')
  text = string.gsub(text, '/+$', '')
  local out, from = {}, 1
  while true do
    local at = string.find(text, '/', from, true)
    if not at then
      out[#out + 1] = string.sub(text, from)
      return out
    end
    out[#out + 1] = string.sub(text, from, at - 1)
    from = at + 1
  end
end

-- As faults.rs' path_matches: `{name}` or `*` matches one segment, a
-- trailing `/*` any rest.
local function path_matches(pattern, got)
  local want = segments(pattern)
  local rest = string.sub(pattern, -2) == '/*'
  local i = 1
  while true do
    local w, g = want[i], got[i]
    if w == nil and g == nil then return true end
    if w == '*' and want[i + 1] == nil and rest then return true end
    if w == nil or g == nil then return false end
    local any = w == '*' or (string.sub(w, 1, 1) == '{' and string.sub(w, -1) == '}')
    if not any and w ~= g then return false end
    i = i + 1
  end
end

-- The fault of the first rule that hits `method path`, using up one of its
-- count (the rule goes when used up), or false; `seed` (1 to 2^31-2) draws
-- the rules' probabilities. Rules are kept in order in list `faults`, each
-- a hash `fault:ID` (fault, method or '', pattern, count or '', probability
-- or '').
local function take_fault(method, path, seed)
  if seen().no_faults then return false end
  local ids = redis.call('LRANGE', P .. 'faults', '0', '-1')
  if #ids == 0 then
    seen().no_faults = true
    return false
  end
  method = string.upper(method)
  local x = tonumber(seed)
  -- Park-Miller: exact in a double, so no draw repeats within one request.
  local function draw()
    x = (16807 * x) % 2147483647
    return x / 2147483647
  end
  local got = segments(path)
  for _, id in ipairs(ids) do
    local rk = P .. 'fault:' .. id
    local r = redis.call('HMGET', rk, 'fault', 'method', 'pattern', 'count', 'probability')
    local hit = r[1] and (r[2] == '' or string.upper(r[2]) == method)
      and (r[3] == '' or path_matches(r[3], got))
      and (r[5] == '' or draw() < tonumber(r[5]))
    if hit then
      if r[4] ~= '' then
        local left = tonumber(r[4]) - 1
        if left <= 0 then
          redis.call('DEL', rk)
          redis.call('LREM', P .. 'faults', 1, id)
        else
          redis.call('HSET', rk, 'count', left)
        end
      end
      return r[1]
    end
  end
  return false
end

-- The account id and plan of `key` ({id, plan}), or false; or 'unseeded'
-- for an unknown key in a namespace that is not seeded (its keys dropped
-- since this replica seeded it: a session dropped or expired through
-- another replica), which the replica then seeds again.
local function key_account(key)
  local known = seen().accounts[key]
  if known then return known end
  local id = redis.call('HGET', P .. 'keys', key)
  if not id then
    if redis.call('EXISTS', P .. 'seeded') == 0 then return 'unseeded' end
    return false
  end
  known = { id, redis.call('HGET', P .. 'acct:' .. id, 'plan') }
  seen().accounts[key] = known
  return known
end

-- GCRA as `governor` runs it, on rate cell `cell` (plan, bucket and
-- account): {'1', remaining} when allowed, {'0', wait_us} when refused, all
-- strings; `t` is the microseconds between two requests at the steady rate,
-- `tau` t times the burst less one. The cell holds the theoretical arrival
-- time.
local function gcra(cell, t, tau)
  local k = P .. 'rate:' .. cell
  local now = now_us()
  local tat = tonumber(redis.call('GET', k) or now)
  local earliest = tat - tau
  if now < earliest then
    return { '0', int(earliest - now) }
  end
  local nxt = math.max(tat, now) + t
  redis.call('SET', k, int(nxt), 'PX', int(math.ceil((nxt - now) / 1000) + 1))
  local remaining = math.floor(math.min(now + tau + t - nxt, tau + t) / t)
  return { '1', int(remaining) }
end

-- Takes the cost and stores a generation, or neither: {'account'} or
-- {'credits'} when refused, else {'ok', fields}. `a` holds: owner, id,
-- cost, max generations, status, tool, type, payload, created, webhook or
-- '', mode ('none', 'timed' or 'instant'), pending, processing and
-- uploading (ms), end ('success' or 'error'), output, thumbnail, error
-- message. A timed generation's status is then a function of the server's
-- clock (see settle). A paid run on an instant or timed schedule takes its
-- tool's scripted outcome, if one waits (see take_outcome): it ends in
-- `error` with that message. With `bare`, the answer is {'ok'} alone.
local function create(a, bare)
  local owner, id, cost = a[1], a[2], tonumber(a[3])
  local ak = P .. 'acct:' .. owner
  local credits = credits_of(ak)
  if not credits then return { 'account' } end
  if credits < cost then return { 'credits' } end
  local mode, kind, message = a[11], a[15], a[18]
  if mode ~= 'none' then
    local scripted = take_outcome(a[6])
    if scripted then kind, message = 'error', scripted end
  end
  local gk = P .. 'gen:' .. id
  -- An instant run is stored as it ends.
  local status = a[5]
  if mode == 'instant' then status = kind end
  -- The generation's fields, final ones included, in one HSET.
  local f = { gk, 'id', id, 'owner', owner, 'cost', a[3], 'status', status,
    'tool', a[6], 'type', a[7], 'payload', a[8], 'created', a[9] }
  if a[10] ~= '' then add(f, 'webhook', a[10]) end
  if mode == 'instant' then
    if kind == 'success' then
      add(f, 'output', a[16])
      if a[17] ~= '' then add(f, 'thumbnail', a[17]) end
    else
      add(f, 'error', message)
    end
  elseif mode == 'timed' then
    local now = now_ms()
    local t1 = now + tonumber(a[12])
    local t2 = t1 + tonumber(a[13])
    local t3 = t2
    if kind == 'success' then t3 = t2 + tonumber(a[14]) end
    add(f, 't1', int(t1)); add(f, 't2', int(t2)); add(f, 't3', int(t3)); add(f, 'end', kind)
    add(f, 'o_output', a[16]); add(f, 'o_thumb', a[17]); add(f, 'o_error', message)
    redis.call('ZADD', P .. 'due', t3, id)
    mark_due(t3)
  end
  -- An instant run that ends in `error` is refunded at once: its cost is
  -- never taken.
  local refunded = mode == 'instant' and kind ~= 'success'
  if cost > 0 and not refunded then pay(ak, int(-cost)) end
  redis.call('HSET', unpack(f))
  local seq = int(redis.call('INCR', P .. 'seq'))
  redis.call('ZADD', P .. 'order', seq, id)
  redis.call('ZADD', P .. 'owner:' .. owner, seq, id)
  if mode == 'instant' and kind == 'success' and a[10] ~= '' then
    queue_webhook({ a[10], id, owner, a[6], a[7], a[9] }, a[16], a[17])
  end
  evict_after_create(tonumber(a[4]))
  if bare then return { 'ok' } end
  return { 'ok', redis.call('HGETALL', gk) }
end

-- Steps 2 to 4 of a request to the API, in the pipeline's order, stopping
-- at the first that answers. `a` holds: method, path, seed, key ('' when
-- the request has none), bucket ('run' or 'get'), t and tau of the bucket
-- for the free plan and for pro (0 and 0: no limit), the id of a generation
-- to read ('' for none), '1' if the caller already knows that generation
-- ended (its fields never change again) else '', then, for a run, what
-- `create` takes (its owner is the key's account, whatever is given).
-- Answers:
--   {'fault', FAULT}        a scripted rule hit it (see take_fault);
--   {'nokey'}               no fault, and the request carries no key;
--   {'unseeded'}, {'invalid'}  the key is not known (see key_account);
--   {'ok', ID, PLAN, ALLOWED, N, GENERATION, CREATED}  the account; ALLOWED
--     and N as gcra answers them for its rate cell ('-1' and '0' with no
--     limit); GENERATION the fields of the generation asked for, its status
--     brought up to the clock (as get.lua), if the request was admitted and
--     it exists, else an empty list (for a generation the caller knows
--     ended: 'kept' if it still exists, else the empty list); CREATED `create`'s verdict ('ok',
--     'credits' or 'account') if a run was asked for and admitted, else ''.
local function gate(a)
  local fault = take_fault(a[1], a[2], a[3])
  if fault then return { 'fault', fault } end
  if a[4] == '' then return { 'nokey' } end
  local account = key_account(a[4])
  if account == 'unseeded' then return { 'unseeded' } end
  if not account then return { 'invalid' } end
  local id, plan = account[1], account[2]
  -- A plan the mock does not know counts as free, as in memory.
  local t, tau = tonumber(a[6]), tonumber(a[7])
  local cell = 'free'
  if plan == 'pro' then
    t, tau, cell = tonumber(a[8]), tonumber(a[9]), 'pro'
  end
  local rate = { '-1', '0' }
  if t ~= 0 then rate = gcra(cell .. '.' .. a[5] .. ':' .. id, t, tau) end
  local generation = {}
  if a[10] ~= '' and rate[1] ~= '0' then
    local gk = P .. 'gen:' .. a[10]
    if a[11] ~= '' then
      if redis.call('EXISTS', gk) == 1 then generation = 'kept' end
    else
      settle(gk, now_ms())
      generation = redis.call('HGETALL', gk)
    end
  end
  local created = ''
  if a[12] and rate[1] ~= '0' then
    local c = { unpack(a, 12) }
    c[1] = id
    created = create(c, true)[1]
  end
  return { 'ok', id, plan, rate[1], rate[2], generation, created }
end
