-- ARGV: namespace, cell (plan, bucket and account), t (microseconds between
-- two requests at the steady rate), tau (t times the burst less one).
-- GCRA as `governor` runs it: {1, remaining} when allowed, {0, wait_us}
-- when refused. The cell holds the theoretical arrival time.
local k = P .. 'rate:' .. ARGV[2]
local t, tau = tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_us()
local tat = tonumber(redis.call('GET', k) or now)
local earliest = tat - tau
if now < earliest then
  return { 0, int(earliest - now) }
end
local nxt = math.max(tat, now) + t
redis.call('SET', k, int(nxt), 'PX', int(math.ceil((nxt - now) / 1000) + 1))
local remaining = math.floor(math.min(now + tau + t - nxt, tau + t) / t)
return { 1, int(remaining) }
