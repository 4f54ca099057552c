-- ARGV: namespace. Every account, each as its hash's fields.
local all = {}
local pairs_ = redis.call('HGETALL', P .. 'keys')
for i = 2, #pairs_, 2 do
  local fields = redis.call('HGETALL', P .. 'acct:' .. pairs_[i])
  if #fields > 0 then all[#all + 1] = fields end
end
return all
