-- portal_search.lua — wrk script for bench/portal.sh: cycles through a fixed mix of faceted searches
-- (facets only, facets + words, words in the five languages, deeper pages). Deterministic order per thread.
local paths = {
  "/api/v1/search",
  "/api/v1/search?type=strategy",
  "/api/v1/search?country=PL&type=strategy",
  "/api/v1/search?sdg=7",
  "/api/v1/search?sdg=11&country=CZ&egd=mobility",
  "/api/v1/search?year_from=2015&year_to=2020&country=HU",
  "/api/v1/search?lang=sk&type=project&page=2",
  "/api/v1/search?taxonomy=ccm&smartcity=environment&page=3",
  "/api/v1/search?region=PL2&sort=year",
  "/api/v1/search?target=7.2&target=11.2&page=5",
  "/api/v1/search?type=funding&sort=oldest&page=40",
  "/api/v1/search?q=energy",
  "/api/v1/search?q=renewable+energy&country=PL",
  "/api/v1/search?q=transport&sdg=11&page=2",
  "/api/v1/search?q=%22air+quality%22",
  "/api/v1/search?q=odnawialne+%C5%BAr%C3%B3d%C5%82a+energii",
  "/api/v1/search?q=obnovite%C4%BEn%C3%A9+zdroje",
  "/api/v1/search?q=obnoviteln%C3%A9+zdroje+energie&type=strategy",
  "/api/v1/search?q=meg%C3%BAjul%C3%B3+energia",
  "/api/v1/search?q=doprava&country=CZ&page=3",
  "/api/v1/search?q=strategy&sort=newest&page=7",
  "/api/v1/search?q=innov*&egd=energy",
  "/api/v1/search?q=Krak%C3%B3w",
  "/api/v1/search?q=circular+economy&taxonomy=ce&page=2",
}
local i = 0
init = function(args)
  i = math.random(#paths) - 1
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
