#!/usr/bin/env python3
"""Generate Parallax's bundled offline sample (feeds/sample/).

EVERYTHING HERE IS FICTIONAL. Every outlet, domain, person, place name used
as a news location, article and bias/factuality rating below was invented for
Parallax's demo and tests; no text comes from a real outlet or a real data set.
The `.example` domains are reserved and do not resolve.

Run from the repository root:

    python3 feeds/sample/make_sample.py           # write all files, then check them
    python3 feeds/sample/make_sample.py --check   # only check the files on disk

It (re)writes, deterministically (same bytes on every run):
  feeds/sample/sample.yaml         the Parallax config (outlets with ratings, feeds)
  feeds/sample/feeds/*.xml         one RSS 2.0 or Atom 1.0 feed per outlet, plus the
                                   NewsRiver aggregator feed (kind: aggregator)
  feeds/sample/ground-truth.tsv    link<TAB>story for every distinct article
                                   (canonical link: utm_* and fragment dropped,
                                   host lower-cased)
  feeds/sample/README.md           what the sample is, outlets and stories

The hand-written prose lives in STORIES below, in a small line format:
  @ story-key            starts a story
  D text                 one-line description of the story (README)
  F text                 what the story exercises (README)
  WT / WS text           title / summary of the story's wire copy
  > outlet DD HH:MM flags   one article, time in UTC on 2026-11-DD;
                         flags: wire (title+summary = WT/WS), agg (also carried
                         by the NewsRiver aggregator), agg-only (only in the
                         aggregator, not in the outlet's own feed), agg-frag /
                         agg-upper (aggregator link gets a #fragment / an
                         upper-case host), slug=... (explicit URL slug)
  T text / S text        headline / summary of that article
"""

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
FEED_DIR = os.path.join(HERE, "feeds")

RATER = "Parallax sample rater (fictional)"
RATING_DATE = "2026-11-01"
LABELS = {"left": "Left", "lean-left": "Lean Left", "center": "Center",
          "lean-right": "Lean Right", "right": "Right"}


# ---------------------------------------------------------------------------
# Outlets. fmt: rss | atom. tz: the outlet's local UTC offset in minutes (used
# for the date in article URLs and, unless tzstyle says otherwise, for
# timestamps). manual: write bias/factuality as manual values too (otherwise
# Parallax must derive them from the ratings).
# ---------------------------------------------------------------------------
OUTLETS = [
    dict(id="harbor-ledger", name="The Harbor Ledger", domain="harborledger.example",
         bias="left", fact="high", ownership="cooperative", owner="Harbor Media Cooperative",
         country="US", lang="en", fmt="rss", tz=-300, tzstyle="GMT", manual=True,
         blurb="Reader-owned daily covering labor, housing and the waterfront."),
    dict(id="red-thistle", name="The Red Thistle", domain="redthistle.example",
         bias="left", fact="mixed", ownership="independent", owner="Thistle Press Collective",
         country="GB", lang="en", fmt="atom", tz=0, tzstyle="Z", manual=True,
         blurb="Campaigning left-wing weekly from Glasgow, online daily."),
    dict(id="metro-chronicle", name="The Metro Chronicle", domain="metrochronicle.example",
         bias="lean-left", fact="high", ownership="corporate", owner="Chronicle Media Group Inc.",
         country="US", lang="en", fmt="atom", tz=-300, tzstyle="offset", manual=True,
         blurb="Big-city general-news daily."),
    dict(id="northern-current", name="The Northern Current", domain="northerncurrent.example",
         bias="lean-left", fact="very-high", ownership="public-broadcaster",
         owner="Northern Current Broadcasting Corporation",
         country="CA", lang="en", fmt="rss", tz=-300, tzstyle="offset", manual=True,
         blurb="Public broadcaster's news site."),
    dict(id="continental-press", name="Continental Press Service", domain="continentalpress.example",
         bias="center", fact="very-high", ownership="cooperative",
         owner="Continental Press Service member cooperative",
         country="US", lang="en", fmt="atom", tz=-300, tzstyle="Z", manual=True,
         blurb="Wire service; its copy is republished verbatim by member outlets."),
    dict(id="rhine-courier", name="Rhine Courier International", domain="rhinecourier.example",
         bias="center", fact="high", ownership="conglomerate", owner="Rheinwerk Medien AG",
         country="DE", lang="en", fmt="rss", tz=60, tzstyle="offset", manual=True,
         blurb="English-language edition of a Cologne daily."),
    dict(id="daily-fulcrum", name="The Daily Fulcrum", domain="dailyfulcrum.example",
         bias="center", fact="mostly-factual", ownership="billionaire", owner="Conrad Aldous Vale",
         country="US", lang="en", fmt="atom", tz=-300, tzstyle="Zfrac", manual=True,
         blurb="Explainer-driven digital outlet; feed links carry utm tracking."),
    dict(id="cascadia-public", name="Cascadia Public Media", domain="cascadiapublic.example",
         bias="center", fact="very-high", ownership="nonprofit", owner="Cascadia Public Media Foundation",
         country="US", lang="en", fmt="rss", tz=-480, tzstyle="offset", manual=False,
         blurb="Nonprofit newsroom; bias/factuality left to be derived from its rating."),
    dict(id="granite-post", name="The Granite Post", domain="granitepost.example",
         bias="lean-right", fact="high", ownership="corporate", owner="Granite Holdings Corp.",
         country="US", lang="en", fmt="rss", tz=-300, tzstyle="offset", manual=True,
         blurb="Business-minded daily; HTML descriptions, CDATA and &amp; in titles."),
    dict(id="albion-standard", name="The Albion Standard", domain="albionstandard.example",
         bias="lean-right", fact="mostly-factual", ownership="conglomerate", owner="Albion Media plc",
         country="GB", lang="en", fmt="atom", tz=0, tzstyle="offset", manual=True,
         blurb="National British daily."),
    dict(id="prairie-sentinel", name="The Prairie Sentinel", domain="prairiesentinel.example",
         bias="lean-right", fact="high", ownership="private-equity", owner="Westgate Capital Partners",
         country="CA", lang="en", fmt="rss", tz=-420, tzstyle="offset", manual=False,
         blurb="Calgary daily; feed links carry utm tracking; bias derived from its rating."),
    dict(id="liberty-beacon", name="The Liberty Beacon", domain="libertybeacon.example",
         bias="right", fact="mixed", ownership="billionaire", owner="Everett J. Crane",
         country="US", lang="en", fmt="atom", tz=-300, tzstyle="offset", manual=True,
         blurb="Conservative digital outlet."),
    dict(id="iron-gazette", name="The Iron Gazette", domain="irongazette.example",
         bias="right", fact="low", ownership="independent", owner="Iron Gazette LLC",
         country="US", lang="en", fmt="rss", tz=-300, tzstyle="offset", manual=True,
         blurb="Hyper-partisan site; the sample's low-factuality outlet."),
    dict(id="steadfast-times", name="The Steadfast Times", domain="steadfasttimes.example",
         bias="right", fact="mixed", ownership="private-equity", owner="Bramwell Capital",
         country="GB", lang="en", fmt="atom", tz=0, tzstyle="Z", manual=True,
         blurb="Right-wing British tabloid-style site."),
    dict(id="hanbit-ilbo", name="Hanbit Ilbo (한빛일보)", domain="hanbitilbo.example",
         bias="unrated", fact="unrated", ownership="corporate", owner="Hanbit Media Co., Ltd.",
         country="KR", lang="ko", fmt="rss", tz=540, tzstyle="offset", manual=True,
         blurb="Korean-language daily (unrated); timestamps in +0900."),
    dict(id="valley-dispatch", name="The Valley Dispatch", domain="valleydispatch.example",
         bias="unrated", fact="unrated", ownership="independent", owner="Wren Valley News Inc.",
         country="US", lang="en", fmt="atom", tz=-300, tzstyle="offset", manual=True,
         blurb="Local news site for the Wren Valley near Port Alder (unrated)."),
]

# Outlets that appear only through the NewsRiver aggregator (not in sample.yaml).
EXTRA_OUTLETS = [
    dict(id="quarry-observer", name="The Quarry Observer", domain="quarryobserver.example", tz=-300),
    dict(id="pinecrest-daily", name="Pinecrest Daily", domain="pinecrestdaily.example", tz=-300),
]

AGGREGATOR = dict(id="newsriver", name="NewsRiver", domain="newsriver.example",
                  file="newsriver-aggregator.xml")

HARBOR_BYLINES = ["Maya Okafor", "Jonah Reyes", "Leah Brandt", "Tomas Ilves", "Renata Cho"]
METRO_BYLINES = ["Daniel Pryce", "Ines Carvalho", "Marcus Lindqvist-Hale", "Shira Adeyemi"]
RED_BYLINES = ["Callum Baird", "Niamh Ferguson", "Ewan Macrae"]
VALLEY_BYLINES = ["Pat Donnelly", "Grace Whitaker"]
HANBIT_BYLINES = ["김서연 기자", "박지훈 기자", "이하늘 기자"]

# ---------------------------------------------------------------------------
# The prose. All of it invented for this sample.
# ---------------------------------------------------------------------------
STORIES = r"""
@ kessler-bridge
D A span of the 1962 Kessler Bridge in Port Alder collapses into the Alder River at rush hour: 14 injured, 2 dead; 2019 'poor' inspection rating, $40 million repair plan, 312 'poor' bridges.
F Biggest story (29 articles, 15 sample outlets + 1 aggregator-only outlet); unrated local outlet reports first; partisan framing on both sides.

> valley-dispatch 18 22:58
T Kessler Bridge span collapses into Alder River during evening rush
S A section of the Kessler Bridge in Port Alder gave way shortly after 5:30 p.m., sending at least four vehicles into the Alder River. Fire crews and divers are on the scene and witnesses describe people being pulled from the water.

> continental-press 18 23:21
T Bridge collapses in Port Alder, several vehicles plunge into river
S A span of the Kessler Bridge in Port Alder collapsed during rush hour on Wednesday, dropping several cars and a delivery van into the Alder River, officials said. Rescuers were searching the water; the number of injured was not immediately known.

> metro-chronicle 18 23:50
T Rush-hour horror in Port Alder as Kessler Bridge collapses into Alder River
S Commuters watched in disbelief as a 200-foot section of the 1962 Kessler Bridge in Port Alder collapsed into the Alder River. Rescue teams pulled survivors from the water while Mayor Luis Ferrante urged residents to stay away from the waterfront.

> iron-gazette 19 00:15
T Kessler Bridge collapse in Port Alder: questions mount over who ignored the warnings
S The Kessler Bridge in Port Alder collapsed Wednesday evening, and residents are already asking why Governor Dana Whitcomb's transportation office let the aging span stay open. Several vehicles fell into the Alder River.

> harbor-ledger 19 01:05
T Kessler Bridge collapse in Port Alder injures 14; two people missing
S Fourteen people were hurt and two remain missing after part of the Kessler Bridge fell into the Alder River. Transit advocates say the collapse is the predictable cost of decades of deferred maintenance on the region's bridges.

> continental-press 19 03:40 agg
T Port Alder bridge collapse: 14 injured, 2 missing as divers search Alder River
S Divers searched the Alder River into the night after the Kessler Bridge collapse in Port Alder left 14 people injured and two missing. Governor Dana Whitcomb declared a state of emergency and ordered bridges of similar design inspected.

> granite-post 19 06:30
T Whitcomb declares emergency after Kessler Bridge collapse & 14 hurt
S Governor Dana Whitcomb declared a state of emergency in Port Alder after the Kessler Bridge collapse injured 14 people. Critics say her administration sat on a $40 million repair plan for the bridge for three years.

> northern-current 19 07:10
T U.S. bridge collapse in Port Alder leaves 14 injured, 2 missing
S A span of the Kessler Bridge in the U.S. city of Port Alder collapsed into the Alder River during Wednesday's evening commute. Canadian engineers say the 1962 design is similar to several crossings still in use in Ontario.

> cascadia-public 19 08:00
T What we know about the Kessler Bridge collapse in Port Alder
S Fourteen injured, two missing, and a 1962 steel truss span lying in the Alder River: here is what officials have confirmed about the Kessler Bridge collapse, and what investigators will examine first.

> rhine-courier 19 09:15
T Bridge collapse in American port city raises alarm over ageing infrastructure
S The collapse of the Kessler Bridge in Port Alder, which injured 14 people, has prompted German transport officials to point to their own backlog of ageing motorway bridges. Two people are still missing in the Alder River.

> liberty-beacon 19 10:20
T Whitcomb's bridge: Kessler Bridge was flagged as 'poor' in 2019, records show
S A 2019 state inspection report rated the Kessler Bridge in 'poor' condition, citing corrosion in its steel bearings, yet Governor Dana Whitcomb's administration kept the Port Alder span open to traffic until it collapsed.

> daily-fulcrum 19 11:45
T Port Alder's Kessler Bridge had corrosion warning in 2019 inspection
S Inspectors noted corrosion in the Kessler Bridge's steel bearings in 2019 and rated the span 'poor,' according to documents released Thursday. The Port Alder collapse injured 14 people; two remain missing in the Alder River.

> quarry-observer 19 12:30 agg-only
T Port Alder businesses count losses after Kessler Bridge collapse
S Shops on both sides of the Alder River say customers vanished overnight after the Kessler Bridge collapse. The crossing carried 48,000 vehicles a day, and Port Alder merchants fear months of detours.

> metro-chronicle 19 13:30
T Divers recover two bodies from Alder River after Kessler Bridge collapse
S The death toll from the Kessler Bridge collapse in Port Alder rose to two after divers recovered the bodies of a missing driver and her passenger. Fourteen people were injured, three of them critically.

> albion-standard 19 14:00
T Two dead and 14 injured as American bridge plunges into river
S Divers have recovered two bodies from the Alder River after the Kessler Bridge collapse in Port Alder. The 1962 span was rated 'poor' by state inspectors in 2019, raising pointed questions for Governor Dana Whitcomb.

> continental-press 19 15:10
T Death toll in Port Alder bridge collapse rises to 2
S Two people died and 14 were injured in the collapse of the Kessler Bridge in Port Alder, officials said Thursday after divers recovered two bodies from the Alder River. Federal investigators have begun examining the steel bearings.

> harbor-ledger 19 17:20
T Bus driver who stopped short of collapsed Kessler Bridge in Port Alder hailed as hero
S Port Alder bus driver Tamika Rowe braked her bus carrying 31 passengers just feet from the edge of the collapsed Kessler Bridge over the Alder River. Her union says drivers had reported the span shaking for months before the collapse.

> valley-dispatch 19 18:05
T Port Alder mourns two killed in Kessler Bridge collapse
S Candles lined the Alder River promenade as Port Alder residents gathered for the two people killed when the Kessler Bridge collapsed. Fourteen injured neighbors remain in hospital and the city has opened an emergency ferry crossing.

> granite-post 19 20:40
T Bridge inspections, budgets & blame: Port Alder wants answers
S Two dead, 14 injured, and a $40 million repair plan for the Kessler Bridge that never left Governor Whitcomb's desk. Port Alder residents want to know why the 'poor' rating from 2019 didn't close the span.

> iron-gazette 19 22:10
T Two dead in Port Alder: Kessler Bridge collapse was a failure of government
S The Kessler Bridge collapse that killed two and injured 14 in Port Alder was not an act of God. Documents show a 2019 inspection flagged corrosion, and the Whitcomb administration did nothing.

> red-thistle 19 23:00
T Port Alder's Kessler Bridge deaths are the price of austerity, say unions
S Transport unions say the two deaths in the Kessler Bridge collapse in Port Alder are the result of years of budget cuts to bridge maintenance. The 1962 span had been rated 'poor' since 2019.

> prairie-sentinel 20 02:30
T Kessler Bridge collapse spurs calls for Canadian bridge audit
S After two people died in the Kessler Bridge collapse in Port Alder, Alberta and Saskatchewan MLAs are asking whether steel truss bridges of the same 1962 design should be inspected here.

> steadfast-times 20 08:45
T Kessler Bridge tragedy exposes a state that spends on everything but roads
S Two people died and 14 were injured when the Kessler Bridge in Port Alder collapsed. The state government found money for new programmes while a $40 million bridge repair waited three years.

> cascadia-public 20 12:00
T Kessler Bridge collapse: state lists 312 bridges rated 'poor'
S Following the Port Alder collapse that killed two people, the state transportation department released a list of 312 bridges rated 'poor,' including 11 steel truss spans of the same design as the Kessler Bridge.

> metro-chronicle 20 15:30
T Legislators demand audit of 312 'poor' bridges after Kessler collapse
S State legislators from both parties called for an independent audit of the 312 bridges rated 'poor' after the Kessler Bridge collapse in Port Alder killed two people and injured 14.

> harbor-ledger 20 16:00
T Port Alder riders face hour-long detours after Kessler Bridge collapse
S With the Kessler Bridge closed indefinitely, Port Alder bus riders on the Route 4 and Route 6 lines face detours of up to an hour. Advocates want free ferry fares and more buses while the Alder River crossing is rebuilt.

> daily-fulcrum 20 17:00
T Federal investigators focus on bearings in Kessler Bridge collapse
S Investigators said Friday they are examining corroded steel bearings recovered from the Alder River as the likely starting point of the Kessler Bridge failure in Port Alder. A preliminary report is expected within 30 days.

> liberty-beacon 20 19:30
T Whitcomb blames legislature as Kessler Bridge fallout grows
S Governor Dana Whitcomb said the legislature never funded the $40 million Kessler Bridge repair, a claim her opponents in Port Alder called shameful finger-pointing two days after the collapse killed two people.

> continental-press 20 21:00
T Port Alder opens temporary ferry as Kessler Bridge closure snarls traffic
S Port Alder launched a temporary ferry across the Alder River on Friday while the collapsed Kessler Bridge remains closed indefinitely. Officials said the crossing normally carried 48,000 vehicles a day.

@ meridian-7
D ESA launches the 3.2-tonne Meridian-7 sea-ice satellite from Kourou, carrying the HALO-S spectrometer built by Daejeon start-up Orbis Lab; first contact and commissioning.
F Bilingual story: 4 Korean articles (Hanbit Ilbo, unrated) sharing Latin-script names and numbers (Meridian-7, ESA, HALO-S, Orbis Lab, 3.2) with 8 English ones; the Korean outlet reports first.

> hanbit-ilbo 18 23:00 slug=science/meridian-7-launch-preview-orbis-lab
T 국내 스타트업 분광계 실은 ESA 'Meridian-7' 위성 오늘 발사
S 대전의 우주 스타트업 오르비스랩(Orbis Lab)이 개발한 분광계 'HALO-S'를 실은 유럽우주국(ESA)의 3.2톤급 해빙 관측 위성 'Meridian-7'이 19일 프랑스령 기아나 쿠루 우주센터에서 발사된다.

> continental-press 19 06:00
T Europe launches Meridian-7 satellite to track polar sea ice
S The European Space Agency (ESA) launched its 3.2-tonne Meridian-7 satellite from Kourou, French Guiana, early Thursday, carrying the HALO-S spectrometer built by South Korea's Orbis Lab. The 410 million euro mission will measure the thickness of polar sea ice.

> hanbit-ilbo 19 06:10 slug=science/meridian-7-launch-success-halo-s
T Meridian-7 발사 성공…오르비스랩 'HALO-S' 첫 우주행
S 유럽우주국(ESA)의 해빙 관측 위성 Meridian-7이 19일 쿠루 우주센터에서 발사에 성공했다. 오르비스랩(Orbis Lab)이 개발한 분광계 HALO-S는 국내 민간 기업 탑재체로는 처음으로 ESA 지구관측 임무에 참여한다.

> rhine-courier 19 07:20
T ESA's Meridian-7 lifts off with German-built radar on board
S Meridian-7, the European Space Agency's new sea-ice observatory, lifted off from Kourou carrying a radar altimeter assembled in Friedrichshafen. ESA says the 3.2-tonne satellite will deliver its first data within weeks.

> northern-current 19 09:00 agg
T Meridian-7 launch gives Arctic researchers a new eye on sea ice
S Scientists in Iqaluit and Winnipeg welcomed the launch of ESA's Meridian-7 satellite, which will map sea-ice thickness every three days. The 3.2-tonne spacecraft reached a 690-kilometre orbit after lifting off from Kourou.

> metro-chronicle 19 12:10
T A new satellite, Meridian-7, will measure how fast polar ice is thinning
S ESA's Meridian-7 satellite, launched Thursday from French Guiana, carries a German radar and the HALO-S spectrometer from South Korea's Orbis Lab to track sea-ice thickness. Researchers say the data will sharpen forecasts of Arctic shipping routes and sea-level rise.

> cascadia-public 19 16:00
T Meridian-7: inside the 410 million euro mission to weigh the world's sea ice
S The European Space Agency's Meridian-7 carries a radar altimeter and the HALO-S spectrometer built by Orbis Lab of Daejeon. Together they will estimate sea-ice thickness to within five centimetres, mission scientists say.

> hanbit-ilbo 20 01:00 slug=science/meridian-7-first-contact
T Meridian-7 첫 교신 성공…오르비스랩 "HALO-S 정상 작동"
S ESA는 3.2톤급 위성 Meridian-7과의 첫 교신에 성공했다고 밝혔다. 오르비스랩(Orbis Lab)은 HALO-S 분광계 전원이 정상적으로 켜졌으며 내년 초부터 극지 해빙 두께 관측 자료를 보낼 예정이라고 설명했다.

> albion-standard 20 07:30
T Meridian-7 phones home as ESA's ice satellite passes first checks
S ESA confirmed first contact with Meridian-7, its 3.2-tonne sea-ice satellite launched from Kourou, after a ground station in Svalbard picked up its signal. Engineers at Harwell in Oxfordshire helped design its solar panels.

> hanbit-ilbo 20 09:00 slug=science/msit-esa-cooperation-meridian-7
T 과기정통부 "Meridian-7 계기로 ESA와 우주 협력 확대"
S 과학기술정보통신부는 오르비스랩(Orbis Lab)의 HALO-S 분광계를 실은 ESA 해빙 관측 위성 Meridian-7의 첫 교신 성공을 계기로 유럽우주국과의 공동 연구 과제를 늘리겠다고 밝혔다. 정부는 내년 관련 예산을 120억 원 규모로 편성했다.

> daily-fulcrum 20 10:15
T ESA's Meridian-7 satellite deploys solar panels, begins checkout
S Meridian-7 has unfolded its solar panels and started a three-month commissioning phase, ESA said Friday. The 410 million euro satellite's HALO-S spectrometer, built by South Korea's Orbis Lab, passed its first power-on test.

> continental-press 20 14:00
T Meridian-7 satellite healthy in orbit, ESA says
S ESA said its Meridian-7 sea-ice satellite is healthy in a 690-kilometre orbit after deploying its solar panels. South Korean start-up Orbis Lab reported that its HALO-S spectrometer had powered on normally.

@ halvorsen-recall
D Halvorsen Motors recalls 410,000 Aurora SX and Cobalt Trail SUVs over a faulty brake-pressure sensor.
F Wire copy: Continental Press Service's title and summary carried verbatim by 5 other outlets at their own URLs (plus 2 original takes).
WT Halvorsen Motors recalls 410,000 SUVs over faulty brake sensor
WS Halvorsen Motors is recalling about 410,000 Aurora SX and Cobalt Trail SUVs from the 2023 to 2025 model years because a faulty brake-pressure sensor can delay automatic emergency braking, the company said Wednesday. Dealers will replace the sensor free of charge.

> continental-press 18 15:00 wire
> prairie-sentinel 18 15:40 wire
> rhine-courier 18 16:05 wire
> valley-dispatch 18 16:30 wire
> metro-chronicle 18 17:10 wire agg
> granite-post 18 17:45 wire

> daily-fulcrum 18 20:00
T Is your SUV part of the Halvorsen recall? What Aurora SX and Cobalt Trail owners should do
S Owners of 2023-2025 Aurora SX and Cobalt Trail SUVs can check their vehicle identification number on Halvorsen Motors' recall site. The brake-pressure sensor fix takes about an hour, dealers say, and loaner cars are available.

> harbor-ledger 19 13:00
T Halvorsen knew of brake sensor defect for a year before recall, safety group says
S Consumer advocates say Halvorsen Motors received more than 300 complaints about delayed emergency braking in Aurora SX and Cobalt Trail SUVs before recalling 410,000 vehicles, and are asking regulators to investigate the delay.

@ renter-relief-audit
D Inspector General Maureen Castellanos finds the Renter Relief Program paid $2.3 billion to ineligible or duplicate applicants (61,000 duplicate claims, 1,900 payments to dead people).
F Blindspot for the left: 8 rated outlets, 6 of them right/lean-right, only one lean-left (which pushes back).

> liberty-beacon 19 12:00 agg
T Watchdog: $2.3 billion in renter relief went to ineligible applicants
S An inspector general report released Thursday found the Renter Relief Program paid $2.3 billion to ineligible or duplicate applicants, including 1,900 payments to people who had died. Critics call it one of the largest giveaways of the decade.

> iron-gazette 19 12:40
T $2.3 BILLION wasted: Renter Relief Program sent checks to dead people
S Taxpayers footed the bill for 1,900 Renter Relief Program payments to dead people and billions more to ineligible applicants, Inspector General Maureen Castellanos found. Not one official has been fired.

> granite-post 19 14:20
T Audit finds Renter Relief Program lost $2.3B to fraud & errors
S Inspector General Maureen Castellanos reported that the Renter Relief Program paid $2.3 billion to ineligible recipients, citing weak identity checks. Her office recommended recovering at least $900 million.

> steadfast-times 19 16:00
T America's $2.3bn renter relief scandal is a warning for Britain
S A US inspector general found the Renter Relief Program handed $2.3bn to ineligible claimants, including 1,900 dead people. Ministers here planning a similar scheme should read the Castellanos report carefully.

> albion-standard 19 18:30
T Inspector general: US Renter Relief Program wasted $2.3 billion
S Washington's Renter Relief Program paid $2.3 billion to people who did not qualify, according to Inspector General Maureen Castellanos, whose auditors found 61,000 duplicate claims and little identity verification.

> prairie-sentinel 19 20:00
T U.S. Renter Relief audit finds $2.3 billion in improper payments
S Inspector General Maureen Castellanos found 61,000 duplicate claims in the U.S. Renter Relief Program, part of $2.3 billion paid out improperly. Conservative MPs said Ottawa's own housing benefit deserves the same scrutiny.

> daily-fulcrum 20 09:00
T Renter Relief audit: what the $2.3 billion figure does and doesn't mean
S The inspector general's estimate of $2.3 billion in improper Renter Relief Program payments includes paperwork errors as well as fraud, auditors noted. Maureen Castellanos said about $900 million may be recoverable.

> granite-post 20 11:00 agg-only
T Renter Relief audit: Castellanos names five states with the worst oversight
S Inspector General Maureen Castellanos's report singles out five states where Renter Relief Program payments went out with almost no identity checks, accounting for $1.1 billion of the $2.3 billion total.

> liberty-beacon 20 14:00
T Castellanos to testify as lawmakers demand Renter Relief clawback
S Inspector General Maureen Castellanos will testify next week about the $2.3 billion in improper Renter Relief Program payments. House members want the 61,000 duplicate claims referred for prosecution.

> iron-gazette 20 16:30
T Renter Relief: 1,900 dead 'tenants' and zero arrests
S Days after Inspector General Maureen Castellanos exposed $2.3 billion in improper Renter Relief Program payments, including 1,900 to dead people, nobody has been charged. Taxpayers deserve names.

> metro-chronicle 20 18:00
T Renter Relief audit draws fire, but advocates say program kept 1.4 million housed
S Housing advocates pushed back on the inspector general's $2.3 billion Renter Relief Program estimate, noting the program kept 1.4 million families housed and that most errors stemmed from rushed paperwork.

@ tidewater-overtime
D The Labor Department finds Tidewater Logistics withheld $38 million in overtime from 9,400 workers at 14 warehouses; CEO Bradley Mercer's $21 million bonus; appeal.
F Blindspot for the right: 7 rated outlets, 4 left/lean-left, two center, one lean-right (plus the unrated local); its first 24 h, 6 rated outlets and none on the right, are the story Parallax shows.

> harbor-ledger 18 14:00 agg agg-upper
T Tidewater Logistics shorted 9,400 warehouse workers $38 million, Labor Department finds
S Federal investigators found that Tidewater Logistics systematically underpaid overtime at 14 warehouses in Ohio, Indiana and Kentucky, withholding $38 million from 9,400 workers. Organizers say the findings vindicate years of complaints.

> continental-press 18 15:30
T Labor Department orders Tidewater Logistics to repay $38 million in overtime
S The Labor Department ordered Tidewater Logistics to repay $38 million in overtime to 9,400 workers at 14 warehouses in Ohio, Indiana and Kentucky after finding that shift times were rounded down. The company said it was reviewing the findings.

> red-thistle 18 16:30
T Tidewater wage theft: $38m taken from the pockets of 9,400 workers
S US regulators say Tidewater Logistics pocketed $38m in unpaid overtime from 9,400 warehouse staff. The firm, which is expanding into British ports, has faced similar complaints from its Felixstowe workforce.

> metro-chronicle 18 19:00
T Labor Department: Tidewater Logistics owes $38 million in back overtime
S Tidewater Logistics must pay $38 million in back wages to 9,400 warehouse employees after investigators found shifts were rounded down and breaks clocked off the books, the Labor Department said.

> northern-current 19 08:30
T Tidewater Logistics overtime finding raises questions for its Canadian warehouses
S Tidewater Logistics, ordered to repay $38 million in overtime to 9,400 U.S. workers, operates six warehouses in Ontario. The Fulfillment Workers Alliance wants provincial inspectors to check its time-clock practices.

> cascadia-public 19 13:00
T How Tidewater's time clocks cost warehouse workers $38 million
S A Labor Department investigation describes how Tidewater Logistics rounded shift times down to the nearest 15 minutes at 14 warehouses, shaving $38 million from the overtime pay of 9,400 workers.

> harbor-ledger 19 20:00
T Tidewater CEO Bradley Mercer got $21 million bonus as workers lost overtime
S While Tidewater Logistics withheld $38 million in overtime pay from 9,400 warehouse workers, chief executive Bradley Mercer collected a $21 million bonus, filings show. The Fulfillment Workers Alliance is calling for a strike vote.

> valley-dispatch 20 10:00
T Local Tidewater warehouse workers among 9,400 owed back overtime
S Employees at the Tidewater Logistics warehouse on Mill Road say they will finally see back pay after the Labor Department ordered the company to repay $38 million in overtime across 14 sites.

> red-thistle 20 12:30
T Tidewater workers plan walkout after $38m overtime ruling
S The Fulfillment Workers Alliance says 9,400 Tidewater Logistics staff will vote on a walkout, arguing the $38m overtime repayment ordered by the Labor Department is no substitute for a union contract.

> granite-post 20 16:00
T Tidewater to appeal $38M overtime finding, citing 'rounding' rules
S Tidewater Logistics said it will appeal the Labor Department's finding that it owes $38 million in overtime to 9,400 workers, arguing its time-rounding policy complies with federal rules.

@ hurricane-odessa
D Hurricane Odessa, a rare November Category 3 storm, makes landfall near Bayridge, Texas: 120 mph winds, 9-foot surge, 180,000 without power, 3 dead.
F Second-biggest story; shares weather vocabulary (storm, winds, power) with storm-brannagh.

> continental-press 18 06:00
T Hurricane Odessa strengthens to Category 3, takes aim at Texas coast
S Hurricane Odessa strengthened into a Category 3 storm with 120 mph winds over the Gulf early Wednesday, forecasters said, and could make landfall near Bayridge, Texas, late Wednesday or early Thursday.

> daily-fulcrum 18 09:30
T Bayridge orders evacuations as Hurricane Odessa nears Texas
S Officials in Bayridge and surrounding Marlow County ordered 65,000 coastal residents to evacuate as Hurricane Odessa, now a Category 3 storm, churned toward the Texas coast with 120 mph winds.

> granite-post 18 13:00
T Texas braces for Odessa: evacuations, fuel lines & a rare November hurricane
S Gas stations in Bayridge ran dry as 65,000 residents fled ahead of Hurricane Odessa, a rare late-season Category 3 storm. State officials positioned 2,000 National Guard troops along the Marlow County coast.

> metro-chronicle 18 17:00
T Hurricane Odessa's rapid growth fits a warming pattern, scientists say
S Hurricane Odessa jumped from tropical storm to a Category 3 hurricane with 120 mph winds in 30 hours over unusually warm Gulf water, the kind of rapid intensification climate researchers have warned about, as Bayridge, Texas, emptied ahead of landfall.

> liberty-beacon 18 20:00
T Odessa bears down on Texas as Bayridge locals vow to ride it out
S Not everyone in Bayridge is leaving. Shrimpers and shop owners say they will stay to guard their boats and businesses as Hurricane Odessa approaches the Texas coast with 120 mph winds.

> continental-press 19 10:30 agg agg-frag
T Hurricane Odessa makes landfall near Bayridge, Texas, with 120 mph winds
S Hurricane Odessa made landfall near Bayridge, Texas, early Thursday as a Category 3 storm, pushing a 9-foot storm surge ashore and knocking out power to 180,000 homes and businesses, officials said.

> northern-current 19 12:00
T Hurricane Odessa slams Texas coast, leaving 180,000 without power
S Hurricane Odessa tore roofs from buildings in Bayridge, Texas, and flooded low-lying streets with a 9-foot storm surge. About 180,000 customers in Marlow County and beyond lost power, utilities said.

> rhine-courier 19 13:30
T Hurricane Odessa hits Texas with nine-foot storm surge
S The rare November hurricane Odessa came ashore near the Texas town of Bayridge with winds of 190 km/h. Utilities reported 180,000 customers without electricity, and German firms with plants on the coast halted production.

> albion-standard 19 15:00
T Rare November hurricane Odessa batters Texas coast
S Hurricane Odessa, the latest-in-the-year Category 3 storm on record to hit Texas, battered Bayridge with 120mph winds and a storm surge of nine feet, leaving 180,000 properties without power.

> cascadia-public 19 18:00
T Hurricane Odessa's storm surge: why 9 feet of water is the real danger
S Wind gets the headlines, but the 9-foot storm surge Hurricane Odessa pushed into Bayridge, Texas, is what forecasters feared most from the Category 3 storm. Surge causes roughly half of hurricane deaths, and Marlow County's marshes offer little protection.

> harbor-ledger 19 21:00
T Bayridge's poorest neighborhoods hit hardest by Hurricane Odessa storm surge
S In Bayridge's east side, where many residents could not afford to evacuate, Hurricane Odessa's 9-foot storm surge flooded hundreds of homes. Tenants say landlords ignored drainage complaints for years before the Category 3 storm.

> daily-fulcrum 20 08:00
T Hurricane Odessa death toll rises to 3 as Bayridge begins cleanup
S Three people died in Texas during Hurricane Odessa, officials said Friday, as Bayridge residents returned to flooded homes. Power has been restored to about 60,000 of the 180,000 customers who lost it.

> liberty-beacon 20 11:00
T Texas volunteers beat federal crews to Bayridge after Hurricane Odessa
S Church groups and volunteer boat crews reached flooded Bayridge neighborhoods hours before federal emergency teams after Hurricane Odessa's landfall in Texas, residents say, fueling frustration with Washington's slow response.

> continental-press 20 13:00
T Odessa weakens over Louisiana after killing 3 in Texas
S The remnants of Hurricane Odessa weakened to a tropical depression over Louisiana on Friday after the Category 3 storm killed three people in Texas. Crews in Bayridge and Marlow County kept clearing debris and restoring power to 180,000 customers.

> prairie-sentinel 20 16:00
T Alberta line crews head south to restore power after Hurricane Odessa
S Forty line workers from an Alberta utility are driving to Bayridge, Texas, to help restore electricity after Hurricane Odessa. Roughly 120,000 of the 180,000 customers who lost power in Marlow County were still in the dark Friday.

> iron-gazette 20 18:30
T Bayridge residents: federal help nowhere to be seen after Odessa
S Two days after Hurricane Odessa's storm surge flooded Bayridge, Texas, residents say federal aid tents have yet to appear. Local officials blame Washington paperwork for delays while three families bury their dead.

@ storm-brannagh
D Storm Brannagh hits north-east Scotland and Orkney: red warning, 95 mph gusts at Fraserburgh, 60,000 homes without power, a man killed in Inverurie.
F Mostly British outlets; weather vocabulary overlaps hurricane-odessa; one aggregator-only article.

> red-thistle 18 18:00
T Red warning issued as Storm Brannagh heads for north-east Scotland
S Forecasters have issued a rare red wind warning for Aberdeenshire and Orkney as Storm Brannagh approaches, with gusts of up to 95mph expected overnight. Ferries and trains have been cancelled.

> albion-standard 19 06:00
T Storm Brannagh: 95mph gusts batter Aberdeenshire overnight
S Storm Brannagh brought gusts of 95mph to Fraserburgh overnight, tearing roofs from homes and felling trees across Aberdeenshire. Police urged drivers to stay off roads until the red warning lifts at noon.

> steadfast-times 19 08:00
T Storm Brannagh leaves 60,000 homes without power
S About 60,000 homes in Aberdeenshire, Moray and Orkney lost power as Storm Brannagh swept in from the North Sea. Engineers warned some rural properties could be cut off for several days.

> rhine-courier 19 10:00
T Storm Brannagh halts North Sea ferries as gales batter Scotland
S Storm Brannagh forced the cancellation of ferries between Scotland, Norway and Germany and grounded helicopter flights to North Sea oil platforms, as gusts of 95 mph hit Aberdeenshire and Orkney.

> continental-press 19 11:00
T Storm Brannagh kills man in Scotland, cuts power to 60,000
S A man was killed by a falling tree in Inverurie as Storm Brannagh lashed north-east Scotland with gusts of up to 95 mph, police said. About 60,000 homes were without power.

> albion-standard 19 17:00
T Inverurie man killed by falling tree as Storm Brannagh rages
S A 64-year-old man died when a tree fell on his car near Inverurie at the height of Storm Brannagh. Tributes were paid to the retired teacher as clean-up crews worked across Aberdeenshire.

> steadfast-times 19 21:00 agg-only
T Storm Brannagh strands hundreds of rail passengers overnight in Aberdeen
S Hundreds of passengers spent the night on trains and in Aberdeen station after Storm Brannagh's 95mph gusts brought down trees across Aberdeenshire lines. Rail bosses said services north of Dundee would not resume before Friday.

> red-thistle 20 09:00
T Storm Brannagh: Orkney islanders face third day without power
S Families on Orkney's outer islands face a third day without electricity after Storm Brannagh cut power to 60,000 homes, with the grid operator blaming damaged subsea connections. Councillors say elderly residents are relying on neighbours for heat.

> steadfast-times 20 12:00
T Storm Brannagh exposes Scotland's fragile power grid
S Storm Brannagh left 60,000 homes in the dark, and 9,000 still without power on Friday. Critics say the grid operator spent years on green targets instead of hardening rural lines in Aberdeenshire and Orkney.

@ voss-trial
D Lumen Exchange founder Marcus Voss's $1.8 billion crypto fraud trial in Manhattan: closing arguments, deliberations, guilty on all 7 counts.
F Trial story; shares legal vocabulary (trial, jury, prosecutors, testimony) with calder-trial; one aggregator-only article.

> continental-press 18 16:00
T Closing arguments begin in Lumen Exchange founder Marcus Voss's fraud trial
S Prosecutors began closing arguments Wednesday in the Manhattan fraud trial of Marcus Voss, accusing the Lumen Exchange founder of diverting $1.8 billion in customer deposits into real estate, political donations and a failing trading fund.

> metro-chronicle 18 19:30
T Prosecutors to jury: Marcus Voss 'treated $1.8 billion like his own wallet'
S In a four-hour closing argument, prosecutors told jurors that Lumen Exchange founder Marcus Voss lied to customers while moving $1.8 billion of their crypto deposits into his hedge fund and a Bahamas penthouse.

> daily-fulcrum 18 22:00
T Voss defense: Lumen Exchange collapse was bad bets, not fraud
S Lawyers for Marcus Voss told the jury the Lumen Exchange founder made reckless but honest decisions, arguing that co-founder Priya Nandakumar, the government's star witness, controlled the accounts holding the missing $1.8 billion.

> granite-post 19 12:00
T Jury begins deliberating in Marcus Voss crypto fraud case
S A Manhattan jury began deliberations Thursday in the trial of Lumen Exchange founder Marcus Voss, who faces seven counts of fraud and conspiracy over $1.8 billion in missing customer funds.

> harbor-ledger 19 15:00
T Lumen Exchange customers who lost their savings wait on the Voss jury
S Teachers, nurses and retirees who lost deposits when Lumen Exchange collapsed are watching the Marcus Voss jury closely. Many say even a conviction will not return the $1.8 billion that vanished.

> metro-chronicle 20 15:00 agg-only
T Voss jurors ask to rehear Priya Nandakumar's testimony
S Jurors in the Marcus Voss fraud trial asked Judge Alma Whitford to read back testimony from Lumen Exchange co-founder Priya Nandakumar about who approved the $1.8 billion in transfers, as deliberations stretched into a second day.

> continental-press 20 17:20
T Lumen Exchange founder Marcus Voss convicted on all 7 counts
S A federal jury in Manhattan convicted Lumen Exchange founder Marcus Voss on Friday of all seven fraud and conspiracy counts over the theft of $1.8 billion in customer deposits. Sentencing was set for March.

> metro-chronicle 20 17:45
T Guilty: Marcus Voss convicted of stealing $1.8 billion from Lumen Exchange customers
S Marcus Voss showed no emotion as the jury foreperson read seven guilty verdicts. Judge Alma Whitford ordered the Lumen Exchange founder jailed pending sentencing, citing his earlier attempts to move assets abroad.

> liberty-beacon 20 18:10
T Crypto king Marcus Voss found guilty, and his political donations are back in focus
S The conviction of Lumen Exchange founder Marcus Voss on seven counts revives questions about the millions he gave to progressive candidates. Prosecutors said part of the $1.8 billion funded his political giving.

> albion-standard 20 19:00
T Lumen Exchange's Marcus Voss faces up to 110 years after fraud verdict
S Marcus Voss, the crypto entrepreneur whose Lumen Exchange collapsed owing customers $1.8 billion, could spend the rest of his life in prison after a New York jury convicted him on all seven counts.

> rhine-courier 20 20:00
T Voss verdict: German Lumen Exchange customers hope for repayment
S Around 40,000 customers in Germany lost money when Lumen Exchange collapsed. After Marcus Voss's conviction in New York, their lawyers in Frankfurt hope the bankruptcy trustee can recover part of the $1.8 billion.

> daily-fulcrum 20 21:00
T What the Marcus Voss verdict means for crypto regulation
S The guilty verdict against Lumen Exchange founder Marcus Voss lands as Congress debates rules for crypto custody. Analysts say the case strengthens arguments for keeping customer deposits segregated from trading funds.

> iron-gazette 20 22:30
T Voss convicted, but small investors still wait for their money
S Marcus Voss is headed to prison after his fraud conviction, but the Lumen Exchange customers he robbed of $1.8 billion are not getting their savings back anytime soon. Bankruptcy lawyers have already billed $240 million.

@ calder-trial
D Former Ontario minister Elaine Calder's breach-of-trust trial in Toronto over $46 million in transit signal contracts won by Dunmore Systems.
F Canadian-only coverage (Canadian outlets + the wire); second trial story, distinct names from voss-trial.

> northern-current 18 15:00
T Former minister Elaine Calder goes on trial over $46M transit contracts
S Former Ontario transportation minister Elaine Calder pleaded not guilty to breach of trust in a Toronto courtroom, as the Crown alleged she steered $46 million in signal contracts to Dunmore Systems, a firm run by her brother-in-law.

> prairie-sentinel 18 20:00
T Calder trial opens: Crown says ex-minister steered $46 million to family firm
S Crown prosecutors say former Ontario minister Elaine Calder rigged a transit signal tender so that Dunmore Systems, run by her brother-in-law Gavin Price, would win $46 million in contracts. Calder denies wrongdoing.

> continental-press 19 14:30
T Ex-Ontario minister's trial hears from procurement official
S A senior procurement official testified Thursday that the scoring rules for a $46 million transit signal tender were changed after Elaine Calder's office intervened, in the former Ontario minister's breach of trust trial in Toronto.

> northern-current 19 16:00
T Calder's former chief of staff says she was told to 'fix' tender scores
S Elaine Calder's former chief of staff told the Toronto court she was instructed to 'fix' the scores in the Dunmore Systems bid, the most damaging testimony so far in the former minister's breach of trust trial.

> northern-current 20 14:00
T Dunmore Systems executive says he never discussed contracts with Calder
S Gavin Price, the head of Dunmore Systems and Elaine Calder's brother-in-law, testified that he never discussed the $46 million transit signal contracts with the former Ontario minister, contradicting earlier Crown witnesses.

> prairie-sentinel 20 19:30
T Calder trial: defence grills chief of staff over deleted emails
S Elaine Calder's lawyers accused her former chief of staff of deleting emails that would have shown the minister played no role in the $46 million Dunmore Systems contracts, as the Toronto trial neared its second week.

@ stopgap-funding
D Congress races a Friday-midnight shutdown deadline: Speaker Dale Haverford and Senator Ruth Okonkwo agree a $1.2 trillion stopgap through Feb. 6 with $14 billion in disaster aid; House 262-165, Senate 71-28.
F Broad, balanced coverage across the spectrum; wire reports first.

> continental-press 18 13:00
T Shutdown looms as stopgap spending talks stall in Congress
S Negotiations over a stopgap spending bill stalled Wednesday with three days left before federal funding runs out at midnight Friday, as Speaker Dale Haverford and Senate negotiator Ruth Okonkwo traded blame over disaster aid.

> harbor-ledger 18 18:00
T House hard-liners push government toward shutdown over stopgap bill
S A bloc of House hard-liners is refusing any stopgap spending bill that includes disaster aid, pushing the government toward a shutdown Friday night. Senator Ruth Okonkwo called their demands hostage-taking.

> liberty-beacon 18 21:00
T Speaker Haverford: no blank check in stopgap spending bill
S Speaker Dale Haverford said House conservatives will not support a stopgap spending bill that rubber-stamps last year's spending levels, insisting any disaster aid be offset by cuts elsewhere before Friday's shutdown deadline.

> daily-fulcrum 19 02:00
T Three days to a shutdown: what's in the $1.2 trillion stopgap
S The draft stopgap bill would fund the government at current levels through Feb. 6, costing about $1.2 trillion on an annual basis. Disputes remain over $14 billion in disaster aid and a pay raise for troops.

> metro-chronicle 19 14:00
T Okonkwo and Haverford strike stopgap deal with $14 billion in disaster aid
S Congressional leaders reached a deal Thursday on a stopgap spending bill that keeps the government open through Feb. 6 and includes $14 billion in disaster aid, ending a standoff between Speaker Dale Haverford and Senator Ruth Okonkwo.

> granite-post 19 15:30
T Stopgap deal reached: $1.2T through Feb. 6 & spending offsets
S Speaker Dale Haverford secured partial offsets for $14 billion in disaster aid in a stopgap deal that funds the government through Feb. 6, a win conservatives had demanded before agreeing to avert a shutdown.

> iron-gazette 19 17:00
T Haverford caves: stopgap deal keeps Washington's spending machine running
S Speaker Dale Haverford folded, agreeing to a $1.2 trillion stopgap bill with Senator Ruth Okonkwo that leaves bloated spending untouched until Feb. 6. Grassroots conservatives say they were promised real cuts.

> continental-press 20 01:30
T House passes stopgap bill 262-165, sending it to the Senate
S The House voted 262-165 late Thursday to approve a stopgap spending bill that funds the government through Feb. 6 and provides $14 billion in disaster aid, sending the measure to the Senate ahead of Friday's shutdown deadline.

> cascadia-public 20 09:00
T The stopgap spending bill, explained: what Feb. 6 means for federal workers
S If the Senate passes the stopgap bill, 2.1 million federal workers keep getting paid, national parks stay open and the next shutdown deadline moves to Feb. 6. Here is what changes and what does not.

> harbor-ledger 20 13:00
T Stopgap bill leaves out child care money progressives fought for
S The stopgap spending bill headed for a Senate vote drops $3 billion in emergency child care grants that progressives had demanded. Senator Ruth Okonkwo said she would revisit the funding before the Feb. 6 deadline.

> continental-press 20 20:15
T Senate passes stopgap, averting government shutdown
S The Senate voted 71-28 on Friday to pass a stopgap spending bill, averting a government shutdown hours before funding was due to lapse. The measure funds agencies through Feb. 6 and includes $14 billion in disaster aid.

> metro-chronicle 20 20:30
T Senate passes stopgap bill, averting shutdown; next deadline Feb. 6
S The Senate passed the stopgap spending bill 71-28 Friday afternoon, keeping the government funded through Feb. 6. Senator Ruth Okonkwo said the $14 billion in disaster aid would reach storm-hit communities within weeks.

> liberty-beacon 20 20:40
T Senate clears stopgap 71-28 as conservatives vow a fight in February
S The Senate approved Speaker Dale Haverford's stopgap spending bill 71-28, averting a shutdown. Conservative senators who voted no promised a tougher battle over spending cuts before the Feb. 6 deadline.

> northern-current 20 22:00
T U.S. Congress averts government shutdown with stopgap spending bill
S U.S. lawmakers passed a stopgap spending bill funding the government through Feb. 6, avoiding a shutdown that economists warned could have slowed cross-border trade and delayed Canadian travellers at land crossings.

> daily-fulcrum 20 22:30
T Shutdown averted: Senate approves $1.2 trillion stopgap 71-28
S With hours to spare, the Senate approved a $1.2 trillion stopgap spending bill 71-28, funding the government through Feb. 6. The president is expected to sign the measure tonight.

@ heat-pump-tariff
D The European Commission imposes provisional 18% anti-dumping duties on imported heat pumps; Kellermann Thermotechnik plans 600 jobs in Kassel.
F European business story; German outlet first; left and right both critical for different reasons.

> rhine-courier 18 10:00
T EU imposes 18% provisional duties on imported heat pumps
S The European Commission imposed provisional anti-dumping duties of 18% on heat pumps imported from outside the EU on Wednesday, saying subsidised imports had cut European manufacturers' market share from 71% to 52% in three years.

> continental-press 18 12:30
T EU slaps 18% tariff on heat pump imports
S The European Union will charge provisional duties of 18% on imported heat pumps from Thursday, the European Commission said, after an investigation found that foreign makers sold below cost. Industry groups in Germany and Italy welcomed the move.

> albion-standard 18 15:00
T Heat pump tariffs: European households face higher bills, installers warn
S Installers across Europe warn that the Commission's 18% duties on imported heat pumps could add 1,400 euros to the cost of a typical system, slowing the switch away from gas boilers just as subsidies shrink.

> rhine-courier 19 07:00
T Kellermann Thermotechnik welcomes heat pump duties, plans 600 jobs in Kassel
S Heat pump maker Kellermann Thermotechnik said the EU's 18% import duties would let it add 600 jobs at its Kassel plant. Chief executive Sabine Roth said the Commission's provisional anti-dumping duties give European heat pump makers a fair chance, not a favour.

> red-thistle 19 10:00
T EU heat pump tariffs risk slowing the green switch
S Climate campaigners say Brussels' 18% duty on imported heat pumps protects manufacturers at the expense of households trying to ditch gas. Cheaper models could rise by 1,400 euros, installers estimate.

> steadfast-times 19 13:00
T Brussels protectionism: 18% heat pump tariff punishes consumers
S The European Commission's 18% heat pump tariff shows the EU choosing industrial policy over consumers. Britain, outside the tariff wall, could become the cheapest place in Europe to buy a heat pump.

> daily-fulcrum 20 10:00
T Why the EU's 18% heat pump tariff matters for U.S. manufacturers
S American heat pump makers exporting to Europe could face the EU's 18% provisional duties too, trade lawyers say, unless Washington negotiates an exemption before the Commission finalizes the measure next spring.

@ measles-linwood
D Measles outbreak in Linwood County, Ohio, grows from 47 to 53 cases; unvaccinated pupils at Hollis Creek Elementary sent home; free MMR clinics.
F Health story across the spectrum; one aggregator-only article from an outlet not in the config (unrated).

> cascadia-public 18 11:00
T Measles outbreak in Linwood County, Ohio, grows to 47 cases
S Health officials in Linwood County, Ohio, confirmed 47 measles cases, most among unvaccinated children, and warned that hundreds of people may have been exposed at a youth basketball tournament earlier this month.

> metro-chronicle 18 14:30
T Ohio measles outbreak: 12 children hospitalized as cases hit 47
S Twelve children have been hospitalized in Linwood County, Ohio, where a measles outbreak has reached 47 cases. County health commissioner Dr. Arun Bhatt said 43 of the patients had not received the MMR vaccine.

> harbor-ledger 18 20:00
T Linwood County measles outbreak follows a decade of rising vaccine exemptions
S Vaccine exemptions in Linwood County schools tripled over ten years, public records show, leaving some classrooms below 80% MMR coverage. Now the Ohio county has 47 measles cases and 12 hospitalized children.

> continental-press 19 11:30
T Ohio county orders unvaccinated students home as measles spreads
S Linwood County, Ohio, ordered unvaccinated students at Hollis Creek Elementary and two other schools to stay home for 21 days after measles cases rose to 49, health commissioner Dr. Arun Bhatt said.

> granite-post 19 13:30
T Linwood County bars unvaccinated kids from school; parents push back
S Parents in Linwood County, Ohio, are questioning a 21-day exclusion order for unvaccinated students at Hollis Creek Elementary, saying the measles response came without warning & leaves working families scrambling.

> liberty-beacon 19 19:00
T Parents fight Linwood County order keeping healthy kids out of school
S A group of Linwood County parents says it will sue over Dr. Arun Bhatt's order sending unvaccinated but healthy children home for 21 days during the county's measles outbreak, calling it government overreach.

> pinecrest-daily 20 08:00 agg-only
T Neighboring counties on alert as Linwood measles outbreak hits 53
S Health departments in counties bordering Linwood County, Ohio, are asking parents to check children's MMR records after the measles outbreak reached 53 cases. Pinecrest schools report no cases so far.

> daily-fulcrum 20 09:30
T Measles cases in Linwood County reach 53; Ohio opens free vaccine clinics
S Ohio health officials opened free MMR vaccine clinics in Linwood County as the measles outbreak grew to 53 cases. Nearly 900 residents were vaccinated on the first day, Dr. Arun Bhatt said.

> metro-chronicle 20 16:30
T Inside Hollis Creek Elementary, where measles emptied classrooms
S At Hollis Creek Elementary in Linwood County, a third of the desks sat empty this week as measles kept unvaccinated children home. Teachers describe parents lining up for MMR shots at the county clinic.

> continental-press 20 19:00
T Ohio measles outbreak rises to 53 cases
S The measles outbreak in Linwood County, Ohio, has grown to 53 cases, including 14 children who needed hospital care, state health officials said Friday. Free MMR vaccine clinics will stay open through the weekend.

@ quillmind-ruling
D Judge Harriet Solano rules AI company Quillmind infringed the copyrights of 4,200 authors by training its Scribe model on pirated e-books; damages up to $310 million.
F Tech/legal story across the spectrum; the aggregator carries a Daily Fulcrum article whose link already had utm params.

> continental-press 19 18:30
T Judge rules Quillmind infringed authors' copyrights in AI training
S A federal judge in San Francisco ruled Thursday that AI company Quillmind infringed the copyrights of about 4,200 authors by training its Scribe model on pirated e-books, sending the case to a damages trial.

> metro-chronicle 19 19:15
T Authors win landmark ruling against Quillmind over pirated e-books
S Judge Harriet Solano found that Quillmind knowingly downloaded pirated copies of 4,200 authors' books to train its Scribe chatbot, a ruling writers' groups called the most important AI copyright decision yet.

> daily-fulcrum 19 20:00 agg
T Quillmind ruling: what Judge Solano decided, and what she didn't
S Judge Harriet Solano ruled that Quillmind's use of pirated e-books was infringement, but left open whether training AI on legally purchased books is fair use. Damages could reach $310 million for the 4,200 authors.

> harbor-ledger 19 22:00
T Quillmind ruling is a win for 4,200 authors, and for every worker facing AI
S The Authors Collective, which led the lawsuit against Quillmind, says Judge Harriet Solano's ruling proves AI companies cannot build products on stolen work. Labor groups want similar protections for illustrators and voice actors.

> granite-post 20 07:00
T Quillmind copyright loss could cost AI firm $310M
S AI developer Quillmind faces up to $310 million in damages after Judge Harriet Solano ruled its Scribe model was trained on pirated books. Investors worry the ruling could slow the startup's planned share sale.

> red-thistle 20 09:30
T British novelists cheer Quillmind ruling in US court
S Authors in Britain whose books were among the 4,200 titles in the Quillmind case welcomed Judge Harriet Solano's ruling, and urged ministers to drop plans to let AI firms train on copyrighted work without permission.

> cascadia-public 20 11:00
T What the Quillmind ruling means for the books inside your AI chatbot
S Judge Harriet Solano's Quillmind ruling turns on where training data came from, not how it was used. Here is why the 4,200 pirated e-books mattered, and what other AI companies may now have to disclose.

> liberty-beacon 20 13:30
T Silicon Valley AI darling Quillmind loses big in copyright fight
S Quillmind, the AI startup valued at $19 billion, lost a major copyright case after Judge Harriet Solano found it trained its Scribe model on pirated e-books from 4,200 authors. Damages could top $310 million.

> rhine-courier 20 15:00
T Quillmind verdict adds pressure on Europe's AI rules
S The US ruling against Quillmind for training on 4,200 pirated books is being studied closely in Brussels and Berlin, where publishers want the EU's transparency rules on AI training data enforced sooner.

@ bekele-record
D Ethiopian runner Selam Bekele's 2:10:48 women's marathon world record, set in Lisbon, is ratified; her Guelph-based coach Tom Ashdown; super-shoe debate.
F Small sports story (5 outlets), no political angle.

> continental-press 18 10:30
T Selam Bekele's 2:10:48 marathon world record ratified
S Ethiopian runner Selam Bekele's women's marathon world record of 2:10:48, set in Lisbon last month, has been ratified by athletics' governing body after her doping tests and the course measurement were cleared.

> albion-standard 18 13:00
T Bekele's marathon world record confirmed after course re-measured
S Selam Bekele's astonishing 2:10:48 in the Lisbon marathon is officially a world record. Officials re-measured the course twice after rivals questioned a late detour, and both checks came back clean.

> northern-current 18 16:00
T Guelph coach behind Selam Bekele's marathon record savours ratification
S Canadian coach Tom Ashdown, who trains Selam Bekele from a base in Guelph, Ont., said the ratification of her 2:10:48 world record ends months of doubt and vindicates their altitude-camp approach.

> daily-fulcrum 19 09:00
T How Selam Bekele ran 2:10:48: pacing, altitude and a coach from Guelph
S Splits show Selam Bekele ran the second half of her Lisbon world record faster than the first. Her coach Tom Ashdown credits altitude blocks in Ethiopia and a pacing plan of 3:05 per kilometre.

> steadfast-times 19 11:00
T Bekele record reignites the row over super-shoes
S Selam Bekele's ratified 2:10:48 marathon record has revived complaints that carbon-plated super-shoes are distorting athletics. Several former champions say records set in them deserve an asterisk.

@ gullwing-ferry-union
D Gullwing Point ferry deckhands and ticket agents vote 58-3 to join the Coastal Mariners Guild.
F Single-article story (The Harbor Ledger only).

> harbor-ledger 18 09:00
T Gullwing Point ferry deckhands vote 58-3 to unionize
S Deckhands and ticket agents on the Gullwing Point ferry line voted 58-3 to join the Coastal Mariners Guild, the first union win at the privately run service in its 40-year history.

@ birchwood-mural
D Wrenford High School art students unveil a 40-foot mural at Birchwood Library.
F Single-article story from the unrated English outlet.

> valley-dispatch 19 14:00
T Wrenford students unveil 40-foot mural at Birchwood Library
S Art students from Wrenford High School spent eight weeks painting a 40-foot mural of the valley's orchards and mills on the east wall of Birchwood Library. Librarians plan a community celebration on Saturday.

@ haddow-hedgehogs
D Little Haddow villagers install six hedgehog tunnels under the village bypass.
F Single-article story (The Albion Standard only).

> albion-standard 20 10:30
T Little Haddow villagers dig tunnels to save hedgehogs from busy road
S Volunteers in the Cotswold village of Little Haddow have installed six hedgehog tunnels beneath the village bypass after counting 23 dead hedgehogs on the road last summer. The parish council paid 4,800 pounds for the work.

@ busan-subway-fare
D 부산 지하철 기본요금 1,550원→1,750원 인상 계획과 시민단체 반발 (Busan subway base fare rise and protest).
F Korean-only local story (single outlet, 2 articles).

> hanbit-ilbo 18 02:00 slug=society/busan-subway-base-fare-1750
T 부산 지하철 기본요금 1,550원→1,750원…내년 3월부터 인상
S 부산교통공사가 내년 3월부터 부산 지하철 기본요금을 현행 1,550원에서 1,750원으로 200원 올리기로 했다. 공사는 누적 적자가 1조 원을 넘어 요금 현실화가 불가피하다고 설명했다.

> hanbit-ilbo 19 06:00 slug=society/busan-civic-groups-oppose-fare-hike
T "서민 발목 잡는 인상"…부산 시민단체, 지하철 요금 인상 철회 촉구
S 부산 지역 시민단체들이 부산교통공사의 지하철 기본요금 1,550원→1,750원 인상 계획에 반발해 부산시청 앞에서 기자회견을 열고 인상 철회와 노인·청년 할인 확대를 요구했다.

@ garam-reservoir-drought
D 강원 영동 가뭄: 가람저수지 저수율 12%에서 9.6%로, 제한급수 검토 (drought in eastern Gangwon, fictional Garam reservoir).
F Korean-only local story (single outlet, 2 articles).

> hanbit-ilbo 18 08:00 slug=society/yeongdong-drought-garam-reservoir-12pct
T 강원 영동 가뭄 심화…가람저수지 저수율 12%로 '뚝'
S 석 달째 비다운 비가 내리지 않으면서 강원 영동 지역의 식수원인 가람저수지 저수율이 12%까지 떨어졌다. 지자체는 농업용수 공급을 줄이고 주민들에게 물 절약을 당부했다.

> hanbit-ilbo 20 04:00 slug=society/garam-reservoir-below-10pct-water-rationing
T 가람저수지 저수율 10% 아래로…영동 지역 제한급수 검토
S 가람저수지 저수율이 9.6%로 떨어지면서 강원 영동 지역 자치단체들이 격일제 제한급수를 검토하고 있다. 정부는 비상 관정 개발과 운반급수 지원에 나서기로 했다.
"""

# ---------------------------------------------------------------------------
# Parsing the prose
# ---------------------------------------------------------------------------
OUTLET_BY_ID = {o["id"]: o for o in OUTLETS + EXTRA_OUTLETS}


def parse_stories(text):
    stories = []
    cur = None
    art = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line:
            continue
        tag, _, rest = line.partition(" ")
        if tag == "@":
            cur = dict(key=rest.strip(), desc="", features="", wt=None, ws=None, articles=[])
            stories.append(cur)
            art = None
        elif tag == "D":
            cur["desc"] = rest
        elif tag == "F":
            cur["features"] = rest
        elif tag == "WT":
            cur["wt"] = rest
        elif tag == "WS":
            cur["ws"] = rest
        elif tag == ">":
            parts = rest.split()
            outlet, day, hm = parts[0], int(parts[1]), parts[2]
            if outlet not in OUTLET_BY_ID:
                raise SystemExit("unknown outlet %r" % outlet)
            hh, mm = (int(x) for x in hm.split(":"))
            flags = set()
            slug = None
            for p in parts[3:]:
                if p.startswith("slug="):
                    slug = p[5:]
                else:
                    flags.add(p)
            art = dict(story=cur["key"], outlet=outlet,
                       time=dt.datetime(2026, 11, day, hh, mm, tzinfo=dt.timezone.utc),
                       flags=flags, slug=slug, title=None, summary=None)
            if "wire" in flags:
                art["title"], art["summary"] = cur["wt"], cur["ws"]
            cur["articles"].append(art)
        elif tag == "T":
            art["title"] = rest
        elif tag == "S":
            art["summary"] = rest
        else:
            raise SystemExit("bad line: %r" % line)
    return stories


def slugify(title):
    t = title.lower().replace("&", " and ")
    t = re.sub(r"['\u2019]", "", t)
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    words = t.split("-")
    return "-".join(words[:10])


def local(t, outlet):
    return t + dt.timedelta(minutes=OUTLET_BY_ID[outlet]["tz"])


def article_link(a):
    o = OUTLET_BY_ID[a["outlet"]]
    day = local(a["time"], a["outlet"]).strftime("%Y/%m/%d")
    slug = a["slug"] or slugify(a["title"])
    return "https://%s/%s/%s" % (o["domain"], day, slug)


def with_query(url, params):
    """Replace/add query params (keeps existing non-utm ones)."""
    s = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(s.query) if not k.startswith("utm_")] + params
    return urlunsplit((s.scheme, s.netloc, s.path, urlencode(q), s.fragment))


def canonical(url):
    s = urlsplit(url.strip())
    q = [(k, v) for k, v in parse_qsl(s.query, keep_blank_values=True)
         if not k.lower().startswith("utm_")]
    return urlunsplit((s.scheme.lower(), s.netloc.lower(), s.path, urlencode(q), ""))


def h(s, n=6):
    return int(hashlib.sha256(s.encode()).hexdigest()[:n], 16)


UTM_FEED = [("utm_source", "rss"), ("utm_medium", "feed")]
UTM_RIVER = [("utm_source", "newsriver"), ("utm_medium", "referral"), ("utm_campaign", "topstories")]


def feed_link(a):
    """The link as the outlet's own feed publishes it."""
    link = a["link"]
    if a["outlet"] in ("daily-fulcrum", "prairie-sentinel"):
        link = with_query(link, UTM_FEED)
    return link


# ---------------------------------------------------------------------------
# XML helpers
# ---------------------------------------------------------------------------
def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def cdata(s):
    assert "]]>" not in s
    return "<![CDATA[%s]]>" % s


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def rfc822(t, outlet_or_tz, style="offset"):
    tz = outlet_or_tz if isinstance(outlet_or_tz, int) else OUTLET_BY_ID[outlet_or_tz]["tz"]
    if style == "GMT":
        lt, zone = t, "GMT"
    else:
        lt = t + dt.timedelta(minutes=tz)
        sign = "+" if tz >= 0 else "-"
        zone = "%s%02d%02d" % (sign, abs(tz) // 60, abs(tz) % 60)
    return "%s, %02d %s %04d %02d:%02d:%02d %s" % (
        DAYS[lt.weekday()], lt.day, MONTHS[lt.month - 1], lt.year, lt.hour, lt.minute, lt.second, zone)


def rfc3339(t, outlet):
    o = OUTLET_BY_ID[outlet]
    style = o.get("tzstyle", "offset")
    if style == "Z":
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "Zfrac":
        return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    tz = o["tz"]
    lt = t + dt.timedelta(minutes=tz)
    sign = "+" if tz >= 0 else "-"
    return lt.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % (sign, abs(tz) // 60, abs(tz) % 60)


def pick(names, a):
    return names[h(a["link"]) % len(names)]


LAST = dt.datetime(2026, 11, 20, 23, 59, tzinfo=dt.timezone.utc)

# ---------------------------------------------------------------------------
# RSS writers
# ---------------------------------------------------------------------------
CHANNEL_DESC = {
    "harbor-ledger": "Reader-owned news from The Harbor Ledger (fictional sample outlet).",
    "northern-current": "Top stories from The Northern Current (fictional sample outlet).",
    "rhine-courier": "News in English from Rhine Courier International (fictional sample outlet).",
    "cascadia-public": "Latest reporting from Cascadia Public Media (fictional sample outlet).",
    "granite-post": "Headlines from The Granite Post (fictional sample outlet).",
    "prairie-sentinel": "Latest news from The Prairie Sentinel (fictional sample outlet).",
    "iron-gazette": "The Iron Gazette: the news they won't tell you (fictional sample outlet).",
    "hanbit-ilbo": "한빛일보 주요 뉴스 (Parallax 데모용 가상 언론사)",
}
RSS_LANG = {"US": "en-us", "GB": "en-gb", "CA": "en-ca", "DE": "en", "KR": "ko-kr"}


def rss_item_fields(o, a, idx):
    """Return list of (raw xml element strings) for one item."""
    oid = o["id"]
    link = feed_link(a)
    els = ["<title>%s</title>" % esc(a["title"]), "<link>%s</link>" % esc(link)]
    # description
    if oid == "granite-post":
        if idx % 2 == 0:
            els.append("<description>%s</description>" % cdata("<p>%s</p>" % a["summary"]))
        else:
            els.append("<description>%s</description>" % esc("<p>%s</p>" % a["summary"]))
    else:
        els.append("<description>%s</description>" % esc(a["summary"]))
    if oid == "harbor-ledger":
        els.append("<dc:creator>%s</dc:creator>" % esc(pick(HARBOR_BYLINES, a)))
        els.append("<content:encoded>%s</content:encoded>" % cdata(
            "<p>%s</p>" % a["summary"].replace("&", "&amp;")))
        els.append("<category>%s</category>" % esc(a["story_section"]))
    if oid == "hanbit-ilbo":
        els.append("<author>%s</author>" % esc("news@hanbitilbo.example (%s)" % pick(HANBIT_BYLINES, a)))
    els.append("<pubDate>%s</pubDate>" % rfc822(a["time"], oid, o.get("tzstyle", "offset")))
    # guid
    if oid in ("granite-post",):
        els.append('<guid isPermaLink="false">granitepost-%05d</guid>' % (40000 + h(a["link"]) % 60000))
    elif oid == "prairie-sentinel":
        els.append('<guid isPermaLink="false">prairiesentinel:article:%06d</guid>' % (h(a["link"], 8) % 1000000))
    elif oid == "northern-current":
        els.append('<guid isPermaLink="false">nc-%s-%04d</guid>' % (a["time"].strftime("%Y%m%d"), h(a["link"]) % 10000))
    else:
        els.append("<guid>%s</guid>" % esc(a["link"]))
    return els


def write_rss(o, arts):
    oid = o["id"]
    ns = ""
    if oid == "harbor-ledger":
        ns = (' xmlns:dc="http://purl.org/dc/elements/1.1/"'
              ' xmlns:content="http://purl.org/rss/1.0/modules/content/"')
    ns += ' xmlns:atom="http://www.w3.org/2005/Atom"'
    home = "https://%s/" % o["domain"]
    last = max(a["time"] for a in arts)
    pretty = oid == "northern-current"
    head = [
        "<title>%s</title>" % esc(o["name"] if oid != "hanbit-ilbo" else "한빛일보"),
        "<link>%s</link>" % home,
        "<description>%s</description>" % esc(CHANNEL_DESC[oid]),
        "<language>%s</language>" % RSS_LANG[o["country"]],
        '<atom:link href="%sfeeds/rss.xml" rel="self" type="application/rss+xml"/>' % home,
        "<lastBuildDate>%s</lastBuildDate>" % rfc822(last, oid, o.get("tzstyle", "offset")),
        "<ttl>15</ttl>",
    ]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- FICTIONAL sample feed for Parallax: outlet, articles and people are invented. -->",
           '<rss version="2.0"%s>' % ns]
    if pretty:
        out.append("  <channel>")
        out += ["    " + x for x in head]
        for i, a in enumerate(arts):
            out.append("    <item>")
            out += ["      " + x for x in rss_item_fields(o, a, i)]
            out.append("    </item>")
        out.append("  </channel>")
    else:
        out.append("<channel>")
        out += head
        for i, a in enumerate(arts):
            out.append("<item>" + "".join(rss_item_fields(o, a, i)) + "</item>")
        out.append("</channel>")
    out.append("</rss>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Atom writer
# ---------------------------------------------------------------------------
ATOM_SUBTITLE = {
    "red-thistle": "News and comment from The Red Thistle (fictional sample outlet).",
    "metro-chronicle": "The Metro Chronicle: latest stories (fictional sample outlet).",
    "continental-press": "Continental Press Service wire: top stories (fictional sample outlet).",
    "daily-fulcrum": "The Daily Fulcrum: news, explained (fictional sample outlet).",
    "albion-standard": "The Albion Standard: latest news (fictional sample outlet).",
    "liberty-beacon": "The Liberty Beacon (fictional sample outlet).",
    "steadfast-times": "The Steadfast Times: news (fictional sample outlet).",
    "valley-dispatch": "Wren Valley's local news (fictional sample outlet).",
}
ATOM_AUTHORS = {
    "red-thistle": RED_BYLINES, "metro-chronicle": METRO_BYLINES,
    "continental-press": ["Continental Press Service"], "valley-dispatch": VALLEY_BYLINES,
}


def atom_id(o, a):
    oid = o["id"]
    if oid == "continental-press":
        return "tag:continentalpress.example,2026:story/%07d" % (h(a["link"], 8) % 10000000)
    if oid == "metro-chronicle":
        return "urn:uuid:%s" % uuid.uuid5(uuid.NAMESPACE_URL, a["link"])
    if oid == "red-thistle":
        return "tag:redthistle.example,%s:%s" % (a["time"].strftime("%Y-%m-%d"), urlsplit(a["link"]).path)
    return a["link"]


def write_atom(o, arts):
    oid = o["id"]
    home = "https://%s/" % o["domain"]
    last = max(a["time"] for a in arts)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           "<!-- FICTIONAL sample feed for Parallax: outlet, articles and people are invented. -->",
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="%s">' % {"GB": "en-GB"}.get(o["country"], "en-US"),
           "<title>%s</title>" % esc(o["name"]),
           "<subtitle>%s</subtitle>" % esc(ATOM_SUBTITLE[oid]),
           '<link href="%s" rel="alternate" type="text/html"/>' % home,
           '<link href="%sfeed.atom" rel="self" type="application/atom+xml"/>' % home,
           "<id>%s</id>" % (home if oid != "continental-press" else "tag:continentalpress.example,2026:feed/top"),
           "<updated>%s</updated>" % rfc3339(last, oid),
           "<author><name>%s</name></author>" % esc(o["name"]),
           "<generator>Parallax sample generator</generator>"]
    for a in arts:
        link = feed_link(a)
        pub = a["time"]
        # some entries were updated (corrected) a little later
        upd = pub
        bump = h(a["link"] + "upd") % 5
        if bump == 0 and pub + dt.timedelta(minutes=90) < LAST:
            upd = pub + dt.timedelta(minutes=12 + h(a["link"]) % 70)
        e = ["<entry>",
             "<title>%s</title>" % esc(a["title"]),
             '<link href="%s" rel="alternate" type="text/html"/>' % esc(link),
             "<id>%s</id>" % esc(atom_id(o, a)),
             "<published>%s</published>" % rfc3339(pub, oid),
             "<updated>%s</updated>" % rfc3339(upd, oid)]
        if oid in ATOM_AUTHORS:
            e.append("<author><name>%s</name></author>" % esc(pick(ATOM_AUTHORS[oid], a)))
        if oid == "metro-chronicle":
            e.append('<summary type="html">%s</summary>' % esc("<p>%s</p>" % a["summary"]))
        else:
            e.append('<summary type="text">%s</summary>' % esc(a["summary"]))
        e.append("</entry>")
        out.append("".join(e))
    out.append("</feed>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Aggregator (RSS 2.0 with <source>)
# ---------------------------------------------------------------------------
def aggregator_link(a):
    link = with_query(a["link"], UTM_RIVER)
    if "agg-frag" in a["flags"]:
        link += "#article-top"
    if "agg-upper" in a["flags"]:
        s = urlsplit(link)
        host = OUTLET_BY_ID[a["outlet"]]["name"].replace("The ", "").replace(" ", "")
        assert host.lower() == s.netloc.replace(".example", "")
        link = urlunsplit((s.scheme, host + ".example", s.path, s.query, s.fragment))
    return link


def write_aggregator(items):
    last = max(a["time"] for a in items)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- FICTIONAL sample aggregator feed for Parallax: NewsRiver and every article are invented. -->",
           '<rss version="2.0">', "<channel>",
           "<title>NewsRiver - Top Stories</title>",
           "<link>https://newsriver.example/</link>",
           "<description>Top stories from around the web, picked by NewsRiver (fictional sample aggregator).</description>",
           "<language>en</language>",
           "<lastBuildDate>%s</lastBuildDate>" % rfc822(last + dt.timedelta(minutes=20), 0, "GMT")]
    for i, a in enumerate(items):
        o = OUTLET_BY_ID[a["outlet"]]
        seen = a["time"] + dt.timedelta(minutes=6 + h(a["link"]) % 19)
        out.append("<item>" + "".join([
            "<title>%s</title>" % esc("%s - %s" % (a["title"], o["name"])),
            "<link>%s</link>" % esc(aggregator_link(a)),
            "<description>%s</description>" % esc(a["summary"]),
            "<pubDate>%s</pubDate>" % rfc822(seen, 0, "GMT"),
            '<guid isPermaLink="false">newsriver-%08x</guid>' % h(a["link"], 8),
            '<source url="https://%s/">%s</source>' % (o["domain"], esc(o["name"])),
        ]) + "</item>")
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# sample.yaml
# ---------------------------------------------------------------------------
def yq(s):
    """Quote a YAML scalar only when needed."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .,\-()/']*", s) and not s.endswith(":"):
        return s
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def write_yaml():
    L = ["# Parallax bundled offline sample.",
         "#",
         "# EVERYTHING IN THIS SAMPLE IS FICTIONAL: every outlet, domain, owner, article,",
         "# person and bias/factuality rating below was invented for Parallax's demo and",
         "# tests. The ratings are NOT the published opinion of any real rater; the rater",
         "# is \"%s\". The .example domains do not resolve." % RATER,
         "#",
         "# Generated by make_sample.py (python3 feeds/sample/make_sample.py); edit that",
         "# script, not this file. See README.md for the outlets and stories.",
         "",
         "allow-private-networks: true",
         "# The sample's articles are dated November 2026; a retention counted from today would",
         "# prune them on the first run once they are old, so the sample keeps its stories.",
         "retention: never",
         "reports: ../../reports",
         "",
         "outlets:"]
    for o in OUTLETS:
        L.append("  - id: %s" % o["id"])
        L.append("    name: %s" % yq(o["name"]))
        L.append("    domains: [%s]" % o["domain"])
        if o["manual"]:
            L.append("    bias: %s" % o["bias"])
            L.append("    factuality: %s" % o["fact"])
        L.append("    ownership: %s" % o["ownership"])
        L.append("    owner: %s" % yq(o["owner"]))
        L.append("    country: %s" % o["country"])
        L.append("    language: %s" % o["lang"])
        if o["bias"] != "unrated":
            L.append("    ratings:")
            L.append("      - rater: %s" % yq(RATER))
            L.append("        bias: %s" % o["bias"])
            L.append("        factuality: %s" % o["fact"])
            L.append('        label: "%s"' % LABELS[o["bias"]])
            L.append("        date: %s" % RATING_DATE)
    L.append("")
    L.append("feeds:")
    for o in OUTLETS:
        L.append("  - url: feeds/%s.xml" % o["id"])
        L.append("    outlet: %s" % o["id"])
        L.append("    title: %s" % yq(o["name"]))
    L.append("  - url: feeds/%s" % AGGREGATOR["file"])
    L.append("    kind: aggregator")
    L.append("    title: NewsRiver top stories (aggregator)")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------
FACT_ORDER = ["very-high", "high", "mostly-factual", "mixed", "low", "very-low", "unrated"]


def write_readme(stories, arts, agg_items):
    n_art = len(arts)
    lines = [
        "# Parallax offline sample (fictional)",
        "",
        "**Everything in this folder is fictional.** The outlets, their `.example` domains,",
        "owners, journalists, the people and most places in the news, every article and every",
        "bias/factuality rating were invented for Parallax's demo and tests. No text was copied",
        "from a real outlet or a real data set; the ratings are attributed to the made-up rater",
        "\"%s\" (dated %s)." % (RATER, RATING_DATE),
        "",
        "Regenerate everything here with `python3 feeds/sample/make_sample.py` (run from the",
        "repository root); the prose lives inside that script. `--check` only re-checks.",
        "",
        "| file | what |",
        "| --- | --- |",
        "| `sample.yaml` | Parallax config: %d outlets (%d rated, 2 unrated), %d outlet feeds + 1 aggregator feed, `allow-private-networks: true`, `reports: ../../reports` |" % (len(OUTLETS), len(OUTLETS) - 2, len(OUTLETS)),
        "| `feeds/*.xml` | one feed per outlet (RSS 2.0 or Atom 1.0) and `newsriver-aggregator.xml` |",
        "| `ground-truth.tsv` | `link<TAB>story` for each of the %d distinct articles (canonical link: `utm_*` params and fragment dropped, host lower-cased) |" % n_art,
        "",
        "Articles span 2026-11-18 to 2026-11-20 (UTC): %d distinct articles in %d stories; the aggregator carries %d items, %d of them duplicates of articles already in outlet feeds and %d found only there." % (
            n_art, len(stories), len(agg_items),
            sum(1 for a in agg_items if "agg-only" not in a["flags"]),
            sum(1 for a in agg_items if "agg-only" in a["flags"])),
        "",
        "## Outlets",
        "",
        "| id | name | domain | bias | factuality | ownership (owner) | country / lang | feed | items in own feed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for o in OUTLETS:
        n = sum(1 for a in arts if a["outlet"] == o["id"] and "agg-only" not in a["flags"])
        bias = o["bias"] + ("" if o["manual"] or o["bias"] == "unrated" else " (derived from rating)")
        fmt = "RSS 2.0" if o["fmt"] == "rss" else "Atom 1.0"
        lines.append("| `%s` | %s | %s | %s | %s | %s (%s) | %s / %s | %s | %d |" % (
            o["id"], o["name"], o["domain"], bias, o["fact"], o["ownership"], o["owner"],
            o["country"], o["lang"], fmt, n))
    lines += [
        "",
        "Not in `sample.yaml` (so unrated), seen only through the aggregator: %s." % ", ".join(
            "%s (`%s`)" % (o["name"], o["domain"]) for o in EXTRA_OUTLETS),
        "",
        "### Feed features exercised",
        "",
    ]
    for o in OUTLETS:
        lines.append("- `%s`: %s" % (o["id"], FEED_NOTES[o["id"]]))
    lines.append("- `newsriver-aggregator.xml` (RSS 2.0, `kind: aggregator`): titles suffixed \" - Outlet\", `<source url>` names the outlet, links carry `utm_source=newsriver` params; one has a `#fragment`, one an upper-case host (`HarborLedger.example`), one replaces the Daily Fulcrum's own utm params.")
    lines += ["", "## Stories", "",
              "| key | articles | outlets | first report (UTC) | description | exercises |",
              "| --- | --- | --- | --- | --- | --- |"]
    for s in stories:
        outs = sorted({a["outlet"] for a in s["articles"]})
        first = min(s["articles"], key=lambda a: a["time"])
        lines.append("| `%s` | %d | %d | %s, %s | %s | %s |" % (
            s["key"], len(s["articles"]), len(outs), first["time"].strftime("%m-%d %H:%M"),
            first["outlet"], s["desc"], s["features"]))
    lines += ["",
              "Special cases at a glance:",
              "",
              "- **Blindspots**: `renter-relief-audit` (covered almost only by right/lean-right outlets), `tidewater-overtime` (covered almost only by left/lean-left outlets).",
              "- **Wire copies**: `halvorsen-recall`, identical title and summary at 6 URLs on 6 domains.",
              "- **Bilingual**: `meridian-7` (Korean + English); Korean-only local stories `busan-subway-fare` and `garam-reservoir-drought`.",
              "- **Single-article stories**: `gullwing-ferry-union`, `birchwood-mural`, `haddow-hedgehogs`.",
              "- **Near neighbours for the clusterer**: two storms (`hurricane-odessa`, `storm-brannagh`) and two trials (`voss-trial`, `calder-trial`).",
              "- **Biggest story**: `kessler-bridge`.",
              ""]
    return "\n".join(lines)


FEED_NOTES = {
    "harbor-ledger": "RSS with `dc:creator`, `content:encoded` (CDATA HTML), `<category>`, pubDate in `GMT`.",
    "red-thistle": "Atom, `Z` times, `tag:` ids, per-entry authors.",
    "metro-chronicle": "Atom, `-05:00` offsets, `urn:uuid` ids, `<summary type=\"html\">` (escaped HTML).",
    "northern-current": "RSS, pretty-printed (indented), `-0500`, non-permalink guids.",
    "continental-press": "Atom, `Z` times, `tag:` ids; the wire service whose copy others republish.",
    "rhine-courier": "RSS, `+0100` offsets.",
    "daily-fulcrum": "Atom, fractional-second `Z` times, links carry `?utm_source=rss&utm_medium=feed`.",
    "cascadia-public": "RSS, `-0800` offsets; no manual bias/factuality (derived from its rating).",
    "granite-post": "RSS, titles with `&amp;`, descriptions alternating CDATA HTML and escaped HTML, opaque guids.",
    "albion-standard": "Atom, `+00:00` offsets.",
    "prairie-sentinel": "RSS, `-0700` offsets, links carry `?utm_source=rss&utm_medium=feed`, opaque guids; no manual bias/factuality.",
    "liberty-beacon": "Atom, `-05:00` offsets.",
    "iron-gazette": "RSS, `-0500` offsets; factuality `low`.",
    "steadfast-times": "Atom, `Z` times.",
    "hanbit-ilbo": "RSS in Korean (Hangul), `+0900` offsets, `<author>`; unrated.",
    "valley-dispatch": "Atom, `-05:00` offsets; unrated English local outlet.",
}


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------
SECTIONS = {"kessler-bridge": "Transportation", "tidewater-overtime": "Labor", "halvorsen-recall": "Business",
            "stopgap-funding": "Politics", "hurricane-odessa": "Climate", "voss-trial": "Courts",
            "measles-linwood": "Health", "quillmind-ruling": "Technology",
            "gullwing-ferry-union": "Labor"}


def build():
    stories = parse_stories(STORIES)
    arts = []
    for s in stories:
        for a in s["articles"]:
            assert a["title"] and a["summary"], (s["key"], a["outlet"])
            a["link"] = article_link(a)
            a["story_section"] = SECTIONS.get(s["key"], "News")
            arts.append(a)
    links = [a["link"] for a in arts]
    dup = {l for l in links if links.count(l) > 1}
    assert not dup, dup
    return stories, arts


def write_all():
    stories, arts = build()
    if os.path.isdir(FEED_DIR):
        shutil.rmtree(FEED_DIR)
    os.makedirs(FEED_DIR)
    newest_first = lambda xs: sorted(xs, key=lambda a: (a["time"], a["link"]), reverse=True)
    for o in OUTLETS:
        own = newest_first([a for a in arts if a["outlet"] == o["id"] and "agg-only" not in a["flags"]])
        text = write_rss(o, own) if o["fmt"] == "rss" else write_atom(o, own)
        with open(os.path.join(FEED_DIR, o["id"] + ".xml"), "w", encoding="utf-8") as f:
            f.write(text)
    agg = newest_first([a for a in arts if a["flags"] & {"agg", "agg-only"}])
    with open(os.path.join(FEED_DIR, AGGREGATOR["file"]), "w", encoding="utf-8") as f:
        f.write(write_aggregator(agg))
    with open(os.path.join(HERE, "sample.yaml"), "w", encoding="utf-8") as f:
        f.write(write_yaml())
    with open(os.path.join(HERE, "ground-truth.tsv"), "w", encoding="utf-8") as f:
        f.write("link\tstory\n")
        for s in stories:
            for a in sorted(s["articles"], key=lambda a: (a["time"], a["link"])):
                f.write("%s\t%s\n" % (canonical(a["link"]), s["key"]))
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as f:
        f.write(write_readme(stories, arts, agg))
    return stories, arts


# ---------------------------------------------------------------------------
# check: re-read the files from disk, independent of the data above
# ---------------------------------------------------------------------------
def check(stories=None):
    import xml.etree.ElementTree as ET
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print("FAIL:", msg)

    A = "{http://www.w3.org/2005/Atom}"
    truth = {}
    with open(os.path.join(HERE, "ground-truth.tsv"), encoding="utf-8") as f:
        rows = f.read().splitlines()
    if rows[0] != "link\tstory":
        fail("bad tsv header")
    for r in rows[1:]:
        link, story = r.split("\t")
        if link in truth:
            fail("duplicate tsv row %s" % link)
        truth[link] = story

    domain_outlet = {o["domain"]: o for o in OUTLETS}
    xmllint = shutil.which("xmllint")
    seen = {}          # canonical -> set of feed files
    per_feed = {}
    guids = set()
    fnames = sorted(os.listdir(FEED_DIR))
    for fn in fnames:
        path = os.path.join(FEED_DIR, fn)
        if xmllint:
            r = subprocess.run([xmllint, "--noout", path], capture_output=True, text=True)
            if r.returncode != 0:
                fail("xmllint %s: %s" % (fn, r.stderr.strip()))
        root = ET.parse(path).getroot()
        items = []
        if root.tag == "rss":
            for it in root.iter("item"):
                items.append((it.findtext("link"), it.findtext("guid"), it.findtext("title"),
                              it.findtext("description"), it.find("source")))
        elif root.tag == A + "feed":
            for e in root.iter(A + "entry"):
                ln = [l.get("href") for l in e.findall(A + "link") if l.get("rel", "alternate") == "alternate"]
                items.append((ln[0], e.findtext(A + "id"), e.findtext(A + "title"), e.findtext(A + "summary"), None))
        else:
            fail("%s: unknown root %s" % (fn, root.tag))
        per_feed[fn] = (root.tag.replace(A, "atom:"), len(items))
        for link, guid, title, summ, src in items:
            if (fn, guid) in guids:
                fail("%s: duplicate guid %s" % (fn, guid))
            guids.add((fn, guid))
            c = canonical(link)
            if c not in truth:
                fail("%s: link not in ground truth: %s" % (fn, link))
            seen.setdefault(c, []).append(fn)
            if fn == AGGREGATOR["file"] and (src is None or not src.get("url")):
                fail("aggregator item without <source url>")
    missing = set(truth) - set(seen)
    if missing:
        fail("ground-truth rows not in any feed: %s" % sorted(missing))
    for c, fns in seen.items():
        own = [f for f in fns if f != AGGREGATOR["file"]]
        if len(own) > 1:
            fail("article in several outlet feeds: %s" % c)

    # summaries
    print("Feeds:")
    total_items = 0
    for fn in fnames:
        kind, n = per_feed[fn]
        total_items += n
        print("  %-32s %-9s %3d items" % (fn, kind, n))
    print("  total items %d; distinct canonical links %d; ground-truth rows %d" % (
        total_items, len(seen), len(truth)))
    if len(seen) != len(truth):
        fail("distinct links != ground-truth rows")

    def outlet_of(c):
        host = urlsplit(c).netloc
        o = domain_outlet.get(host)
        return o["id"] if o else host

    by_story = {}
    for c, st in truth.items():
        by_story.setdefault(st, []).append(c)
    print("Stories: %d" % len(by_story))
    side = {"left": "L", "lean-left": "L", "center": "C", "lean-right": "R", "right": "R"}
    order = [s["key"] for s in stories] if stories else sorted(by_story)
    for st in order:
        cs = by_story[st]
        outs = sorted({outlet_of(c) for c in cs})
        rated = [o for o in outs if o in OUTLET_BY_ID and OUTLET_BY_ID[o].get("bias", "unrated") != "unrated"]
        cnt = {k: sum(1 for o in rated if side[OUTLET_BY_ID[o]["bias"]] == k) for k in "LCR"}
        print("  %-24s %3d articles %2d outlets  L/C/R rated %d/%d/%d  unrated %d: %s" % (
            st, len(cs), len(outs), cnt["L"], cnt["C"], cnt["R"], len(outs) - len(rated), ", ".join(outs)))
    # text sanity: English summaries 20-50 words
    if stories:
        for s in stories:
            for a in s["articles"]:
                if OUTLET_BY_ID[a["outlet"]].get("lang", "en") == "en":
                    n = len(a["summary"].split())
                    if not 20 <= n <= 50:
                        fail("summary length %d words: %s / %s" % (n, s["key"], a["outlet"]))
        times = [a["time"] for s in stories for a in s["articles"]]
        print("Time span (UTC): %s .. %s" % (min(times).isoformat(), max(times).isoformat()))
    try:
        import yaml
        cfg = yaml.safe_load(open(os.path.join(HERE, "sample.yaml"), encoding="utf-8"))
        nr = sum(1 for o in cfg["outlets"] if o.get("ratings"))
        print("sample.yaml: %d outlets (%d with ratings), %d feeds" % (len(cfg["outlets"]), nr, len(cfg["feeds"])))
        for fd in cfg["feeds"]:
            if not os.path.exists(os.path.join(HERE, fd["url"])):
                fail("feed file missing: %s" % fd["url"])
    except ImportError:
        print("(PyYAML not installed: sample.yaml not parsed)")
    print("CHECK", "OK" if ok else "FAILED")
    return ok


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        st, _ = build()
        sys.exit(0 if check(st) else 1)
    st, _ = write_all()
    sys.exit(0 if check(st) else 1)
