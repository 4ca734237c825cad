-- Every request asks for a new address (?fresh=…): no kept page answers it, so wrk measures pages made afresh.
dofile("bench/wrk_report.lua")
local n = 0
request = function()
  n = n + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "fresh=" .. n .. "-" .. math.random(1000000000))
end
