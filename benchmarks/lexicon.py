"""Word lists for the synthetic corpus (benchmarks/generate.py).

Written for this benchmark, not taken from any corpus: common English news vocabulary by
part of speech, plus syllables from which names of people, places, companies and
programmes are invented. Word choice is Zipf-weighted, so a few words are frequent and a
long tail is rare, as in real news text.
"""
from __future__ import annotations

# Nouns by domain: a story draws most of its nouns from one domain, so stories on
# different subjects share little vocabulary, as real news does.
DOMAINS = {name: words.split() for name, words in {
    "economy": """economy market growth investment trade export import tariff budget deficit revenue tax
        subsidy loan credit bank finance currency inflation price wage employment job consumer retailer
        sales demand supply shortage surplus output productivity earnings dividend valuation cost
        expense spending payment remittance transaction account balance recession slowdown downturn
        rebound boom expansion profit equity bond stock share index exchange listing merger acquisition
        shareholder investor dealer broker insurer lender borrower mortgage yield""",
    "industry": """industry factory plant manufacturing chain logistics warehouse terminal shipping cargo
        container freight steel aluminium cement textile chemical refinery machinery assembly robot
        automation workshop component supplier contractor order backlog capacity inventory shipment
        carmaker shipyard foundry mill""",
    "transport": """railway highway airport bridge tunnel infrastructure construction port harbour
        vehicle truck bus train fleet subway metro airline flight passenger commuter traffic toll
        junction corridor route timetable locomotive carriage runway ferry""",
    "energy": """power electricity coal gas oil pipeline reactor turbine solar wind grid battery charging
        hydrogen emission carbon climate pollution smog renewable generator substation megawatt
        utility blackout tariff fuel petrol diesel""",
    "environment": """forest wildlife reserve wetland river reservoir drought flood storm typhoon
        earthquake rescue relief disaster emergency glacier desert erosion species habitat panda
        conservation recycling waste landfill sewage rainfall heatwave""",
    "health": """hospital clinic doctor nurse patient vaccine disease outbreak health medicine pharmacy
        insurance pension welfare epidemic virus infection surgery diagnosis treatment therapy drug
        ward ambulance elderly childcare nutrition obesity cancer""",
    "education": """school university student teacher classroom campus tuition exam curriculum graduate
        scholarship kindergarten textbook lecture faculty dormitory enrolment diploma literacy""",
    "science": """research laboratory scientist study survey telescope rocket mission launch orbit
        spacecraft satellite probe astronaut genome particle experiment observatory physicist chemist
        biologist specimen fossil expedition""",
    "technology": """internet broadband network platform data database software hardware device
        smartphone computer server cloud algorithm chip semiconductor processor encryption password
        identity privacy app startup engineer developer code website browser user subscriber
        telecom fibre handset""",
    "law": """court judge lawyer trial verdict appeal law regulation rule statute licence permit
        inspection audit investigation probe inquiry scandal corruption bribery fraud smuggling crime
        police officer suspect arrest prison sentence fine penalty dispute lawsuit plaintiff
        defendant prosecutor testimony""",
    "politics": """parliament committee commission council ministry cabinet minister governor mayor
        delegate representative ambassador envoy diplomat spokesperson election campaign candidate
        voter poll referendum protest rally strike party congress session summit treaty accord pact
        alliance negotiation sanction embargo visit""",
    "security": """army navy troop soldier exercise drill patrol missile drone aircraft vessel warship
        submarine defence threat attack incident breach hacker malware ransomware surveillance camera
        sensor border frontier coastguard garrison militia weapon""",
    "culture": """festival museum exhibition concert film broadcast newspaper magazine journalist
        reporter editor publisher audience reader viewer artist painting theatre opera novel author
        heritage temple tourism tourist hotel cuisine athlete stadium tournament""",
    "agriculture": """farm harvest grain rice wheat maize soybean cattle pig poultry fishery fisherman
        herder farmer orchard irrigation fertiliser pesticide seed crop livestock pasture tractor
        cooperative village""",
}.items()}
GENERIC_NOUNS = """policy reform plan strategy programme initiative project measure step effort
    target goal framework guideline standard official government authority agency office bureau
    department leadership development cooperation partnership agreement proposal report statement
    decision review assessment risk challenge issue concern support pressure impact result""".split()
NOUNS = sorted({w for words in DOMAINS.values() for w in words} | set(GENERIC_NOUNS))

ADJECTIVES = """
new major key national local regional global international domestic foreign public private
central provincial municipal rural urban coastal inland northern southern eastern western
economic financial fiscal monetary political social cultural legal judicial military civil
digital technological scientific industrial commercial agricultural environmental medical
educational strategic tactical structural systemic institutional administrative regulatory
sustainable green clean renewable efficient modern advanced innovative traditional historic
significant substantial considerable modest sharp steep gradual rapid slow steady stable
volatile uncertain fragile robust strong weak solid firm broad narrow comprehensive
thorough detailed preliminary initial final formal informal official unofficial joint
bilateral multilateral unilateral mutual shared common collective individual personal
high low large small huge vast limited extensive intensive overall annual quarterly monthly
weekly daily long-term short-term medium-term mid-sized small-scale large-scale cross-border
state-owned privately-held high-tech low-carbon high-quality high-speed open transparent
accountable fair equal inclusive balanced coordinated integrated unified consistent
practical pragmatic effective efficient ambitious cautious prudent bold careful urgent
pressing critical crucial vital essential fundamental basic primary secondary additional
further extra special specific particular general broad-based targeted focused dedicated
independent autonomous self-reliant resilient secure safe dangerous risky harmful illegal
lawful legitimate credible reliable accurate false misleading controversial popular
landmark unprecedented record-breaking historic first-ever long-awaited much-anticipated
""".split()

ADVERBS = """
sharply steadily gradually rapidly slowly significantly substantially considerably slightly
modestly markedly notably firmly strongly broadly largely mainly mostly partly fully
jointly formally officially publicly openly quietly swiftly promptly urgently carefully
effectively actively closely directly further increasingly consistently repeatedly
""".split()

# base form, past tense
VERBS = [tuple(p.split(":")) for p in """
announce:announced approve:approved launch:launched unveil:unveiled propose:proposed
adopt:adopted pass:passed sign:signed reject:rejected review:reviewed expand:expanded
extend:extended strengthen:strengthened improve:improved promote:promoted boost:boosted
support:supported fund:funded finance:financed build:built open:opened close:closed
cut:cut raise:raised lower:lowered reduce:reduced increase:increased limit:limited
restrict:restricted ban:banned require:required allow:allowed permit:permitted
encourage:encouraged urge:urged warn:warned criticise:criticised praise:praised
welcome:welcomed discuss:discussed consider:considered examine:examined assess:assessed
investigate:investigated inspect:inspected monitor:monitored track:tracked
upgrade:upgraded modernise:modernised streamline:streamlined simplify:simplified
accelerate:accelerated delay:delayed postpone:postponed resume:resumed suspend:suspended
complete:completed deliver:delivered deploy:deployed introduce:introduced implement:implemented
enforce:enforced tighten:tightened relax:relaxed ease:eased stabilise:stabilised
protect:protected secure:secured defend:defended safeguard:safeguarded coordinate:coordinated
integrate:integrated connect:connected link:linked share:shared publish:published
release:released report:reported record:recorded estimate:estimated forecast:forecast
attract:attracted invest:invested export:exported import:imported produce:produced
develop:developed design:designed test:tested train:trained hire:hired recruit:recruited
lead:led head:headed chair:chaired host:hosted attend:attended visit:visited meet:met
""".split()]

SPEECH = ("said", "stressed", "noted", "added", "told reporters", "said in a statement",
          "said on Monday", "said on Friday", "told a news conference", "wrote in a report",
          "said in an interview", "underlined", "pointed out", "emphasised", "remarked")

PREPOSITIONS = ("in", "across", "for", "on", "around", "within", "throughout", "beyond")
TIMES = ("last year", "this year", "in the first quarter", "in the second half", "by the end of the year",
         "over the past decade", "since January", "in recent months", "by 2030", "within five years",
         "over the next three years", "earlier this month", "last month", "in the coming weeks")
UNITS = ("percent", "billion yuan", "million dollars", "million tonnes", "thousand jobs", "billion euros",
         "kilometres", "megawatts", "million users", "projects", "companies", "cities")

# Syllables for invented names.
CN_SURNAMES = """Zhou Wu Zheng Feng Chen Chu Wei Jiang Shen Han Yang Zhu Qin You Xu He Lu Shi Zhang Kong Cao
Yan Hua Jin Tao Qi Xie Zou Yu Bai Shui Dou Su Pan Ge Fan Peng Lang Ren Yuan Liu Bao Shi Tang Fei Lian Cen
Xue Lei Ni Tang Teng Yin Luo Bi Hao An Chang Le Fu Pi Bian Kang Wu Yu Gu Meng Ping Huang Mu Xiao Yao Shao
Wang Qi Mao Di Mi Bei Ming Zang Ji Fu Cheng Dai Tan Song Mao Pang Xiong Ji Shu Qu Xiang Zhu Dong Liang
Du Ruan Lan Min Xi Ji Ma Jia Lu Lou Wei Jiang Tong Yan Guo Mei Sheng Lin Diao Zhong Xu Qiu Luo Gao Xia Cai
Tian""".split()
CN_GIVEN = """an bin bo chao chen cheng chun dan dong fang fei feng gang guo hai han hao hong hua hui jia jian
jie jin jing jun kai kang lan lei li liang lin ling long mei min ming na nan ning peng ping qiang qing rong
rui shan sheng shu tao ting wei wen xia xiang xiao xin xing xu yan yang yi ying yong yu yuan yun ze zhen
zhi zhong zhuo""".split()
WEST_FIRST = """Anna Maria Laura Sofia Elena Clara Julia Nina Sara Emma Olivia Grace Helen Irene Karen Linda
Monica Paula Rachel Tessa Vera Yvonne David Michael James Robert Daniel Thomas Peter Mark Paul Simon Andrew
Martin Lucas Hugo Felix Oscar Victor Leon Adrian Marco Pablo Diego Rafael Omar Samir Arjun Ravi Vikram Priya
Anita Kenji Hiro Yuki Min-jun Ji-woo Tomasz Piotr Ivan Olga Dmitri Nikolai Lars Erik Ingrid Astrid""".split()
WEST_LAST = """Smith Johnson Brown Taylor Anderson Thomas Moore Martin Clarke Walker Wright Hughes Green
Baker Hall Lewis Young King Scott Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker
Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy Bailey Cooper Richardson Cox
Howard Ward Torres Peterson Gray Ramirez Watson Brooks Kelly Sanders Price Bennett Wood Barnes Ross
Henderson Coleman Jenkins Perry Powell Long Patterson Flores Washington Butler Simmons Foster Gonzales
Bryant Alexander Russell Griffin Diaz Hayes Myers Ford Hamilton Graham Sullivan Wallace Woods Cole West
Jordan Owens Reynolds Fisher Ellis Harrison Gibson McDonald Cruz Marshall Ortiz Gomez Murray Freeman Wells
Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Morales Kennedy Warren Dixon
Ramos Reyes Burns Gordon Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight
Ferguson Rose Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews
Arnold Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Ruiz
Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez Sims Austin Peters Kelley
Franklin Lawson Fields Gutierrez Ryan Schmidt Carr Vasquez Castillo Wheeler Chapman Oliver Montgomery
Richards Williamson Johnston Banks Meyer Bishop McCoy Howell Alvarez Morrison Hansen Fernandez Garza
Harvey Little Burton Stanley Nguyen George Jacobs Reid Fuller Lynch Dean Gilbert Garrett Romero Welch
Larson Frazier Burke Hanson Day Mendoza Moreno Bowman Medina Fowler Brewer Hoffman Carlson Silva Pearson
Holland Douglas Fleming Jensen Vargas Byrd Davidson Hopkins May Terry Herrera Wade Soto Walters Curtis
Neal Caldwell Lowe Jennings Barnett Graves Jimenez Horton Shelton Barrett Obrien Castro Sutton Gregory
McKinney Lucas Miles Craig Rodriquez Chambers Holt Lambert Fletcher Watts Bates Hale Rhodes Pena Beck
Newman Haynes McDaniel Mendez Bush Vaughn Parks Dawson Santiago Norris Hardy Love Steele Curry Powers
Schultz Barker Guzman Page Munoz Ball Keller Chandler Weber Leonard Walsh Lyons Ramsey Wolfe Schneider
Mullins Benson Sharp Bowen Daniel Barber Cummings Hines Baldwin Griffith Valdez Hubbard Salazar Reeves
Warner Stevenson Burgess Santos Tate Cross Garner Mann Mack Moss Thornton Dennis McGee Farmer Delgado
Aguilar Vega Glover Manning Cohen Harmon Rodgers Robbins Newton Todd Blair Higgins Ingram Reese Cannon
Strickland Townsend Potter Goodwin Walton Rowe Hampton Ortega Patton Swanson Joseph Francis Goodman
Maldonado Yates Becker Erickson Hodges Rios Conner Adkins Webster Norman Malone Hammond Flowers Cobb
Moody Quinn Blake Maxwell Pope Floyd Osborne Paul McCarthy Guerrero Lindsey Estrada Sandoval Gibbs Tyler
Gross Fitzgerald Stokes Doyle Sherman Saunders Wise Colon Gill Alvarado Greer Padilla Simon Waters Nunez
Ballard Schwartz McBride Houston Christensen Klein Pratt Briggs Parsons McLaughlin Zimmerman French
Buchanan Moran Copeland Roy Pittman Brady McCormick Holloway Brock Poole Frank Logan Owen Bass Marsh
Drake Wong Jefferson Park Morton Abbott Sparks Patrick Norton Huff Clayton Massey Lloyd Figueroa Carson
Bowers Roberson Barton Tran Lamb Harrington Casey Boone Cortez Clarke Mathis Singleton Wilkins Cain Bryan
Underwood Hogan McKenzie Collier Luna Phelps McGuire Allison Bridges Wilkerson Nash Summers Atkins""".split()
PLACE_ROOTS = """Lan Qing Hai Jin Fen Yun Song Bei Nan Dong Xi Long Feng He Shan Lin Ping An Kang Ning Shui
Ming Tai Hua Jiang Yang Hong Bai Gu Lu Cheng Zhou Rong Xing Fu Yuan Quan Dai Wu Luo Meng Ning Tong""".split()
PLACE_SUFFIXES = "zhou ning yang shan cheng du an jiang hai kou ping xi de chang lin".split()
COMPANY_HEADS = """Apex Summit Horizon Meridian Pioneer Vanguard Zenith Crescent Harbor Silverline Redwood
Bluestone Northstar Greenfield Brightpath Ironbridge Skyward Clearwater Goldcrest Evergreen Keystone
Landmark Lighthouse Riverbend Stonegate Sunrise Tidewater Westbrook Cobalt Quantum Nova Orion Atlas
Helix Vertex Nimbus Sterling Falcon Granite Sapphire Aurora Beacon Cedar Delta Ember Fjord Glacier""".split()
COMPANY_TAILS = ("Group", "Holdings", "Technologies", "Energy", "Logistics", "Semiconductor", "Networks",
                 "Bio", "Motors", "Capital", "Systems", "Robotics", "Materials", "Telecom", "Data")
PROGRAMME_TAILS = ("Initiative", "Programme", "Plan", "Project", "Action Plan", "Framework", "Corridor",
                   "Alliance", "Zone", "Fund")
INVENTED_ORG_HEADS = ("Ministry of", "Bureau of", "Commission for", "Institute of", "Academy of",
                      "Association of", "Council for", "Office of", "Centre for", "Federation of")
FORUM_KINDS = ("Forum", "Summit", "Conference", "Expo", "Symposium", "Dialogue", "Congress", "Fair")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "11th", "12th", "13th", "14th", "15th", "20th", "25th")

# The rare words of real text: a news corpus of 10,000 articles uses on the order of
# 100,000 distinct words (Heaps' law), most of them a few times each -- technical terms,
# product and place names, jargon. The lists above give a few thousand; the rest is
# invented, word-like, from these pieces (``rare_words``) and drawn Zipf-weighted.
RARE_ONSETS = "b br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sl sp st str t th tr v w z".split()
RARE_VOWELS = "a e i o u ai ea ee ie io ou oa".split()
RARE_CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "nd", "nt", "st", "rk", "ck", "x", "sh"]
RARE_SUFFIXES = ("", "", "", "ite", "ism", "ics", "ase", "ine", "ment", "ness", "ology", "ure", "ant", "ory",
                 "ide", "ium", "ation", "ity", "ler", "ard")


def rare_words(rng, n: int) -> list[str]:
    """``n`` distinct invented lower-case words of two or three syllables (``rng``: a
    ``random.Random``, so the same seed gives the same words)."""
    out: dict[str, None] = {}
    while len(out) < n:
        syllables = "".join(rng.choice(RARE_ONSETS) + rng.choice(RARE_VOWELS) + rng.choice(RARE_CODAS)
                            for _ in range(rng.choice((2, 2, 3))))
        out.setdefault(syllables + rng.choice(RARE_SUFFIXES))
    return list(out)


# Furniture in other languages: navigation rows and teaser titles of foreign-language pages.
FOREIGN_NAV = (
    "首页 | 新闻 | 国际 | 财经 | 科技 | 体育",
    "国内新闻 国际新闻 财经频道 科技频道",
    "热点推荐：城市交通新规今日起实施",
    "本地资讯｜天气｜生活服务",
    "Главная | Новости | Экономика | Мир",
    "Accueil | Monde | Économie | Culture",
    "Startseite | Politik | Wirtschaft | Kultur",
    "Inicio | Mundo | Economía | Deportes",
    "뉴스 | 경제 | 사회 | 국제",
    "ホーム | ニュース | 経済 | 国際",
)
FOREIGN_TEASERS = (
    "春天的故事", "我的新文具盒", "英语学习资料下载", "每日一词：数字经济", "城市夜景摄影展开幕",
    "小兔的蘑菇伞", "国内英语资讯：新能源汽车销量增长", "暑期旅游市场火热", "周末去哪儿玩",
    "新学期新目标", "过年了", "心的畅想",
)
NAV_SECTIONS = ("World", "China", "Asia", "Business", "Tech", "Science", "Opinion", "Sport", "Culture",
                "Politics", "Economy", "Markets", "Health", "Environment", "Video", "Photos", "Life")
SOCIAL = ("Facebook", "Twitter", "LinkedIn", "WhatsApp", "Email", "Reddit", "Telegram", "Weibo", "WeChat",
          "Print", "Pinterest", "Tumblr")
