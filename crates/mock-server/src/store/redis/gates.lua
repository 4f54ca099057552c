-- ARGV: namespace, then for each request of a group: how many arguments
-- it has, then those arguments (what `gate` takes, see lib.lua). The
-- steps 2 to 4 of the requests of one namespace that came together, each
-- as one call of gate would make them, in order and in one round trip: their answers,
-- in the same order.
local out = {}
local i = 2
while ARGV[i] do
  local n = tonumber(ARGV[i])
  out[#out + 1] = gate({ unpack(ARGV, i + 1, i + n) })
  i = i + n + 1
end
return out
