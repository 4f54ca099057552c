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

local function int(x)
  return string.format('%.0f', x)
end

local FINAL = { success = true, error = true }

-- Queues the webhook of generation hash `gk`, which just ended in
-- `success`, if it has one: "hook:<id>" keeps what the webhook sends (so it
-- outlives the generation's eviction) and its attempt; "hooks" orders the
-- deliveries by when each is due (or, while one is claimed, by when its
-- lease ends). See claim_delivery.lua and settle_delivery.lua.
local function queue_webhook(gk, output, thumb)
  local h = redis.call('HMGET', gk, 'webhook', 'id', 'owner', 'tool', 'type', 'created')
  if not h[1] then return end
  local hk = P .. 'hook:' .. h[2]
  redis.call('HSET', hk, 'webhook', h[1], 'id', h[2], 'owner', h[3], 'status', 'success',
    'tool', h[4], 'type', h[5] or '', 'created', h[6], 'output', output, 'attempt', 1)
  if thumb ~= '' then redis.call('HSET', hk, 'thumbnail', thumb) end
  redis.call('ZADD', P .. 'hooks', now_ms(), h[2])
end

-- Ends generation `id` as its stored outcome says; an `error` refunds its
-- cost to its owner (if the account still exists), a `success` queues its
-- webhook. Called only on a generation that is not final, so the refund
-- and the webhook happen once.
local function finish(gk, kind, output, thumb, message)
  local h = redis.call('HMGET', gk, 'owner', 'cost')
  redis.call('HSET', gk, 'status', kind)
  if kind == 'success' then
    redis.call('HSET', gk, 'output', output)
    if thumb ~= '' then redis.call('HSET', gk, 'thumbnail', thumb) end
    queue_webhook(gk, output, thumb)
  else
    redis.call('HSET', gk, 'error', message)
    local ak = P .. 'acct:' .. h[1]
    if redis.call('EXISTS', ak) == 1 then
      redis.call('HINCRBY', ak, 'credits', h[2])
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

-- Removes the oldest ended generations until at most `max` are kept; a
-- running one is never removed.
local function evict(max)
  local order = P .. 'order'
  local n = redis.call('ZCARD', order)
  local skip = 0
  while n > max do
    local ids = redis.call('ZRANGE', order, skip, skip + 99)
    if #ids == 0 then break end
    for _, id in ipairs(ids) do
      if n <= max then break end
      local gk = P .. 'gen:' .. id
      local h = redis.call('HMGET', gk, 'status', 'owner')
      if not h[1] or FINAL[h[1]] then
        redis.call('DEL', gk)
        redis.call('ZREM', order, id)
        redis.call('ZREM', P .. 'due', id)
        if h[2] then redis.call('ZREM', P .. 'owner:' .. h[2], id) end
        n = n - 1
      else
        skip = skip + 1
      end
    end
  end
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
  local list = P .. 'outcomes'
  for _, id in ipairs(redis.call('LRANGE', list, 0, -1)) do
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
