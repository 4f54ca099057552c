-- ARGV: namespace, then what `create` takes (see lib.lua), in order.
return create({ unpack(ARGV, 2) })
