"""Sentence templates and slot values for the scale corpus (``corpus/scale.py``).

The sentences are written for missiongraph; only facts carry over from the world (mission
acronyms, countries and towns where missions served, contingent nationalities, armed groups
named in Council documents).  Mission names, countries and years come from the project's
gazetteer (``nlp/data/gazetteer.json``); the towns below are added here because the gazetteer
holds no places below the country level.

Each family of templates stands for one part of a document kind: ``aar`` lines of patrol,
convoy and incident reports, ``obs``/``rec`` the observation and recommendation of a lesson,
``clause`` an operative paragraph of a resolution, ``sgr`` a paragraph of a Secretary-General
report.
"""

from __future__ import annotations

# mission acronym -> towns in its area of operations
PLACES: dict[str, tuple[str, ...]] = {
    "MINUSMA": ("Gao", "Kidal", "Timbuktu", "Menaka", "Mopti", "Tessalit", "Ansongo", "Aguelhok", "Ber"),
    "UNMISS": ("Juba", "Bor", "Malakal", "Bentiu", "Wau", "Yei", "Pibor", "Rumbek", "Yambio", "Torit"),
    "MONUSCO": ("Goma", "Beni", "Bunia", "Butembo", "Rutshuru", "Uvira", "Kalemie", "Djugu", "Walikale", "Masisi"),
    "MINUSCA": ("Bangui", "Bambari", "Kaga-Bandoro", "Bria", "Paoua", "Bangassou", "Ndele", "Bossangoa", "Obo"),
    "UNAMID": ("El Fasher", "Nyala", "El Geneina", "Zalingei", "Kutum", "Tawila", "Golo", "Sortony"),
    "UNISFA": ("Abyei", "Agok", "Diffra", "Todach", "Rumamier", "Banton"),
    "MINUSTAH": ("Port-au-Prince", "Cap-Haitien", "Les Cayes", "Gonaives", "Jacmel", "Cite Soleil", "Hinche"),
    "MINURSO": ("Laayoune", "Smara", "Tifariti", "Mehaires", "Awsard", "Bir Lahlou", "Dakhla"),
    "UNMIK": ("Pristina", "Mitrovica", "Peja", "Prizren", "Gjilan", "Zvecan"),
    "UNSMIL": ("Tripoli", "Benghazi", "Sirte", "Misrata", "Sabha", "Zawiya", "Ubari"),
    "UNAMA": ("Kabul", "Kandahar", "Herat", "Mazar-i-Sharif", "Kunduz", "Jalalabad", "Gardez"),
    "UNAMI": ("Baghdad", "Erbil", "Mosul", "Kirkuk", "Basra", "Sinjar", "Ramadi"),
    "UNMIL": ("Monrovia", "Gbarnga", "Zwedru", "Voinjama", "Harper", "Buchanan", "Tubmanburg"),
    "UNOCI": ("Abidjan", "Bouake", "Daloa", "Man", "Korhogo", "Duekoue", "Guiglo"),
    "UNAMSIL": ("Freetown", "Kenema", "Koidu", "Makeni", "Bo", "Kailahun", "Port Loko"),
    "UNMIT": ("Dili", "Baucau", "Suai", "Maliana", "Oecusse", "Viqueque"),
    "UNMHA": ("Hudaydah", "Salif", "Ras Isa", "Hays", "Durayhimi", "Bayt al-Faqih"),
    "UNMIS": ("Khartoum", "Kadugli", "Malakal", "Juba", "Damazin", "Wau", "Rumbek"),
    "UNVMC": ("Bogota", "Tumaco", "Quibdo", "Cucuta", "Popayan", "Florencia", "Apartado"),
    "UNOSOM II": ("Mogadishu", "Baidoa", "Kismayo", "Beledweyne", "Bardera", "Merca"),
    "UNAMIR": ("Kigali", "Butare", "Gisenyi", "Ruhengeri", "Byumba", "Kibuye"),
    "UNPROFOR": ("Sarajevo", "Tuzla", "Srebrenica", "Gorazde", "Bihac", "Mostar", "Zepa"),
    "ONUB": ("Bujumbura", "Gitega", "Ngozi", "Muyinga", "Makamba", "Cibitoke"),
    "UNMEE": ("Asmara", "Barentu", "Assab", "Senafe", "Tesseney", "Mekele"),
}

# mission acronym -> armed groups or parties active where it served
GROUPS: dict[str, tuple[str, ...]] = {
    "MINUSMA": ("JNIM", "ISGS", "CMA fighters", "Plateforme militias"),
    "UNMISS": ("SPLA-IO", "the White Army", "NAS fighters", "armed cattle keepers"),
    "MONUSCO": ("M23", "ADF", "CODECO", "FDLR", "Mai-Mai groups", "Twirwaneho"),
    "MINUSCA": ("3R", "UPC", "FPRC", "anti-balaka groups", "MPC"),
    "UNAMID": ("SLA-AW", "JEM", "Janjaweed militia"),
    "UNISFA": ("Misseriya herders", "armed Ngok Dinka youth"),
    "MINUSTAH": ("armed gangs",),
    "UNSMIL": ("Libyan National Army units", "Tripoli-based militias"),
    "UNAMA": ("Taliban fighters", "ISIL-K"),
    "UNAMI": ("ISIL remnants",),
    "UNOSOM II": ("Somali National Alliance militias",),
    "UNPROFOR": ("Bosnian Serb forces",),
    "UNMIL": ("LURD ex-combatants", "MODEL ex-combatants"),
    "UNAMSIL": ("RUF fighters",),
}
ACTORS = ("unidentified gunmen", "armed youth", "militia members", "armed elements", "criminal gangs",
          "armed herders", "bandits", "self-defence groups")
NATIONALITIES = ("Bangladeshi", "Nepalese", "Indian", "Pakistani", "Rwandan", "Ghanaian", "Senegalese", "Egyptian",
                 "Chinese", "Uruguayan", "Indonesian", "Moroccan", "Zambian", "Tanzanian", "Togolese", "Mongolian")
UNITS = ("infantry battalion", "engineering company", "formed police unit", "quick reaction force",
         "level II hospital", "riverine unit", "helicopter unit", "explosive ordnance disposal team",
         "military observer team", "reconnaissance company")
WEAPONS = ("small arms fire", "an improvised explosive device", "mortar fire", "rocket-propelled grenades",
           "a landmine", "indirect fire", "sniper fire")
TASKS = ("protection of civilians", "disarmament, demobilization and reintegration", "security sector reform",
         "support to elections", "the rule of law", "human rights monitoring", "mine action",
         "the extension of State authority", "ceasefire monitoring")

TEMPLATES: dict[str, tuple[str, ...]] = {
    "aar": (
        "On {date}, a {nat} {unit} patrol of {mission} came under {weapon} near {place}, and {k} peacekeepers were wounded.",
        "The logistics convoy of {n} vehicles from {place} to {place2} was held up for {h} hours when {actor} set up an illegal checkpoint.",
        "Route clearance teams found and neutralised {k} explosive devices on the road between {place} and {place2} before the convoy moved.",
        "Casualty evacuation from {place} took {h} hours because the helicopter could not land after dark.",
        "Radio contact between the convoy commander and the sector headquarters in {place} was lost for {h} hours.",
        "Community leaders in {place} told the patrol that {actor} had burned {n} houses and driven out about {big} people.",
        "At dawn {actor} attacked the temporary operating base at {place}; {mission} troops returned fire and the attackers withdrew.",
        "Fuel tankers were hit by {weapon} {k} kilometres north of {place}, and {k2} trucks were destroyed.",
        "Night patrols around {place} resumed on {date} after a pause of {k} weeks ordered after the ambush.",
        "The quick reaction force reached {place} {h} hours after the alert, by which time the attackers had gone.",
        "The {nat} engineers repaired the bridge at {place}, so heavy vehicles could again reach {place2}.",
        "Medical staff of the {unit} treated {n} civilians wounded in the fighting around {place}.",
        "No language assistant travelled with the patrol to {place}, so the team learned little from residents.",
        "The escort had no armoured vehicles, so the convoy waited at {place} until the road to {place2} was declared safe.",
        "Heavy rain cut the main supply route near {place} for {k} days and the base at {place2} ran short of water.",
        "A joint patrol with national police in {place} recovered {k} weapons and detained {k2} suspects.",
    ),
    "obs": (
        "Observation: convoys leaving {place} at irregular hours were attacked less often than those on a fixed schedule.",
        "Observation: alerts from the community warning network in {place} reached the base too late to act on.",
        "Observation: contingents arriving in {mission} had not trained on the rules of engagement for protecting civilians.",
        "Observation: without women on the engagement team in {place}, the security concerns of women were rarely heard.",
        "Observation: spare parts for armoured vehicles took {n} days to reach {place}, leaving much of the fleet idle.",
        "Observation: joint patrols with national police in {place} built trust with residents but rested on a few individuals.",
        "Observation: the maps used by the {unit} around {place} did not show roads washed away in the rainy season.",
        "Observation: the handover of the camp at {place} to national authorities left no plan for its water supply.",
        "Observation: night vision equipment was missing in {place}, so the {unit} could not patrol after dark.",
        "Observation: information from the {actor} defectors in {place} was not shared with the humanitarian partners.",
    ),
    "rec": (
        "Recommendation: vary convoy timings and routes out of {place} and share them only with those who need them.",
        "Recommendation: {mission} should give every company operating base a satellite link to the sector headquarters.",
        "Recommendation: pre-deployment training for {country} should include exercises on protecting civilians.",
        "Recommendation: hold critical spare parts at sector level rather than at the logistics base in {place}.",
        "Recommendation: send mixed engagement teams with interpreters on every long-range patrol.",
        "Recommendation: hand community alert networks over to local authorities with a plan and a budget.",
        "Recommendation: engineers should survey routes after each rainy season and update the maps.",
        "Recommendation: plan the closure of each base, including water and power, at least {k} months ahead.",
        "Recommendation: equip every {unit} for night operations before it deploys to {place}.",
    ),
    "clause": (
        "Decides to extend the mandate of {mission} until {date};",
        "Authorizes {mission} to use every means required, within its capacity and areas of deployment, to protect civilians under threat of physical violence;",
        "Requests the Secretary-General to report to the Council on the situation in {country} every {d} days;",
        "Demands that {group} and all other armed groups stop all violence against civilians at once;",
        "Decides that the troop ceiling of {mission} shall be {big} military personnel and {n} police personnel;",
        "Requests {mission} to support the authorities of {country} in {task};",
        "Encourages {mission} to deepen its engagement with communities in {place} so as to improve early warning;",
        "Calls upon the Government of {country} to investigate the attack of {date} on peacekeepers and to hold those responsible to account;",
        "Requests {mission} to assist the electoral bodies of {country}, including with logistics and security;",
        "Decides that {mission} shall monitor the arms embargo and report violations to the Committee;",
        "Urges all parties in {country} to allow safe and unhindered humanitarian access;",
        "Requests the Secretary-General to present a plan for the gradual drawdown of {mission} by {date};",
        "Condemns the attacks by {group} on peacekeepers near {place} and recalls that they may constitute war crimes;",
    ),
    "sgr": (
        "During the reporting period, {mission} conducted {big} patrols, including {n} long-range patrols to {place} and {place2}.",
        "The security situation around {place} remained volatile, with {n} incidents involving {group} recorded since {date}.",
        "The mission documented {n} cases of conflict-related sexual violence affecting {k} women and girls in {place}.",
        "Some {big} people were newly displaced in {country}, most of them near {place}.",
        "{mission} supported the deployment of {n} magistrates and police officers to {place} to extend State authority.",
        "Restrictions on the movement of {mission} were imposed on {n} occasions, mostly by {group} near {place}.",
        "Mine action teams cleared {big} square metres around {place} and destroyed {n} explosive remnants of war.",
        "The disarmament programme registered {n} former combatants in {place}, of whom {k} were children.",
        "As of {date}, the strength of {mission} stood at {big} military personnel and {n} police officers.",
        "I am concerned by the attacks on peacekeepers near {place}, in which {k} members of {mission} were killed.",
        "I call on the parties in {country} to respect the ceasefire and to resume talks on the outstanding issues.",
        "Humanitarian partners reached {big} people with food aid, but insecurity still limited access to {place}.",
        "The mission held {n} community dialogues in {place} to ease tensions between farmers and herders.",
        "Human rights officers verified {n} violations and abuses, including {k} killings attributed to {group}.",
        "Progress on {task} remained slow in {country}, mainly because of funding gaps.",
    ),
}

# document kind -> the families one passage draws sentences from, as (family, fewest, most)
RECIPES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "after_action": (("aar", 2, 4),),
    "lesson": (("aar", 0, 1), ("obs", 1, 1), ("rec", 1, 1)),
    "resolution": (("clause", 1, 2),),
    "sg_report": (("sgr", 2, 4),),
}
# document kind -> (share of documents, fewest passages, most passages)
KINDS: dict[str, tuple[float, int, int]] = {
    "sg_report": (0.32, 8, 24),
    "after_action": (0.32, 3, 8),
    "lesson": (0.28, 1, 3),
    "resolution": (0.08, 6, 16),
}
TITLES: dict[str, str] = {
    "sg_report": "Report of the Secretary-General on {mission} in {country}, {month} {year}",
    "after_action": "After-action report: {mission} operations near {place}, {month} {year}",
    "lesson": "Lessons from {mission} in {place} ({year})",
    "resolution": "Council decision on {mission}, {month} {year}",
}
QUERY_TEMPLATES: tuple[str, ...] = (
    "convoy attacked near {place}", "{mission} protection of civilians", "IED on the road to {place}",
    "casualty evacuation delays", "lessons on convoy security", "{mission} mandate extension",
    "displaced people in {country}", "sexual violence cases {place}", "disarmament of former combatants",
    "restrictions on freedom of movement", "{group} attacks on peacekeepers", "spare parts for armoured vehicles",
    "community early warning networks", "troop ceiling {mission}", "night patrols {place}",
    "humanitarian access in {country}", "drawdown plan for {mission}", "radio contact lost with convoy",
    "women in engagement teams", "mine clearance around {place}",
)
