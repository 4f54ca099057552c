-- ARGV: namespace, method, path, seed (1 to 2^31-2, for the rules'
-- probabilities). The fault of the first rule that hits the request, using
-- up one of its count (the rule goes when used up), or false. Rules are kept
-- in order in list `faults`, each a hash `fault:ID` (fault, method or '',
-- pattern, count or '', probability or '').
local ids = redis.call('LRANGE', P .. 'faults', 0, -1)
if #ids == 0 then return false end
local method, path = string.upper(ARGV[2]), ARGV[3]
local x = tonumber(ARGV[4])
-- Park-Miller: exact in a double, so no draw repeats within one request.
local function draw()
  x = (16807 * x) % 2147483647
  return x / 2147483647
end
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
local function matches(pattern, got)
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
local got = segments(path)
for _, id in ipairs(ids) do
  local rk = P .. 'fault:' .. id
  local r = redis.call('HMGET', rk, 'fault', 'method', 'pattern', 'count', 'probability')
  local hit = r[1] and (r[2] == '' or string.upper(r[2]) == method)
    and (r[3] == '' or matches(r[3], got))
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
