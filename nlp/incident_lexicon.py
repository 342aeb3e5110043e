"""Word lists and truecasing for incident role extraction (``nlp.incident_roles``).

The lists are our own: heads of the noun phrases that fill each role in news about
political violence, plus the cue words around them. Wire-service text often comes in
ALL CAPS, on which the stock NER sees every word as a name; ``Truecaser`` lowers the
words the model's own lemma tables know as English and capitalises the rest, so the NER
gets casing cues back. Offsets never move: only letter case changes.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.strings import hash_string

# Incident triggers: lower-case word prefixes (a word counts when it starts with one).
TRIGGERS = (
    "attack", "bomb", "dynamit", "kill", "murder", "assassinat", "kidnap", "abduct", "ambush",
    "explod", "explosi", "blew", "blown", "blow", "burn", "torch", "arson", "destroy", "destruct",
    "damag", "shot", "shoot", "massacr", "machinegun", "hurl", "detonat", "raid", "wound",
    "injur", "sabotag", "hostage", "slay", "slain", "executed", "execution", "assault", "gunfire",
    "blast", "incendiar", "derail",
)
# Cue words that make a PERSON a likely victim (same prefix rule).
VICTIM_CUES = (
    "kill", "murder", "assassinat", "kidnap", "abduct", "wound", "injur", "shot", "shoot", "death",
    "dead", "died", "body", "bodies", "victim", "attack", "hostage", "tortur", "execut", "slay",
    "slain", "massacr", "crime", "ambush", "bomb", "release", "captiv", "disappear",
)
# Verbs after a PERSON that make them a speaker or an actor, not a victim.
SPEECH = {"said", "says", "say", "stated", "told", "added", "reported", "announced", "noted",
          "declared", "explained", "stressed", "asserted", "indicated", "charged", "denied",
          "confirmed", "urged", "called", "asked", "accused", "ordered", "met", "visited"}

WEAPON_HEADS = {
    "bomb", "bombs", "car-bomb", "car-bombs", "dynamite", "explosives", "grenade", "grenades",
    "mortar", "mortars", "rocket", "rockets", "rifle", "rifles", "machinegun", "machineguns",
    "machine-gun", "machine-guns", "submachinegun", "submachineguns", "bullet", "bullets", "pistol",
    "pistols", "revolver", "revolvers", "gun", "guns", "firearm", "firearms", "tnt", "ak-47",
    "ak-47s", "m-16", "m-16s", "fal", "rpg", "rpg-7", "missile", "missiles", "cocktail",
    "cocktails", "shotgun", "shotguns", "carbine", "uzi", "knife", "knives", "machete", "machetes",
    "bazooka", "bazookas", "napalm", "booby-trap", "booby-traps",
}
# Left out: "artillery" (army shelling, not an incident's means), "mines", "launchers" and
# "fuse" (arms inventories and bomb parts); "explosive" alone is an adjective gone astray.
# Heads that are weapons only with a weapon word in front ("explosive device", "dynamite charge").
WEAPON_WEAK = {"device", "devices", "charge", "charges", "stick", "sticks", "package", "packages",
               "trap", "traps", "weapons", "weapon"}
WEAPON_MODS = {"car", "truck", "dynamite", "explosive", "hand", "molotov", "incendiary", "booby",
               "letter", "parcel", "time", "mortar", "rocket", "grenade", "machine", "submachine",
               "assault", "automatic", "fragmentation", "high-powered", "high-power",
               "homemade", "home-made", "m-16", "ak-47", "fal", "rpg-7", "9-mm", "anti-tank",
               "antitank", "bomb", "tnt", "remote-controlled", "pipe"}

TARGET_HEADS = {
    "embassy", "embassies", "bus", "buses", "busses", "car", "cars", "vehicles", "truck", "trucks",
    "jeep", "jeeps", "pickup", "taxi", "train", "trains", "boat", "boats", "ship", "bridge",
    "bridges", "tower", "towers", "pylon", "pylons", "pipeline", "pipelines", "station", "stations",
    "substation", "substations", "plant", "plants", "factory", "factories", "building", "buildings",
    "house", "houses", "home", "homes", "residence", "residences", "office", "store", "stores",
    "shop", "shops", "supermarket", "market", "restaurant", "restaurants", "hotel", "hotels",
    "bank", "banks", "branch", "school", "schools", "church", "churches", "hospital", "clinic",
    "warehouse", "warehouses", "facilities", "facility", "exchange", "booth", "booths", "line",
    "lines", "network", "post", "posts", "barracks", "airport", "dam", "mine", "premises",
    "property", "properties", "estate", "club", "theater", "cinema", "agency", "company", "center",
    "centre", "ministry", "consulate", "mission", "system", "grid", "transformer", "transformers",
    "road", "railway", "railroad", "tanker", "tankers", "motorcycle", "ambulance", "stand",
    "stands", "kiosk", "studio", "studios", "radio", "newspaper", "cooperative", "courthouse",
    "court", "jail", "prison",
}
# Left out although they are often hit: heads that on the training split were mostly
# mentioned without being the annotated target (military aircraft and patrols, "offices",
# "headquarters", "installations", universities, farms, highways).
# Heads of perpetrator descriptions; WEAK ones need a qualifier or an agent position.
PERP_HEADS = {
    "guerrilla", "guerrillas", "guerilla", "guerillas", "terrorist", "terrorists", "rebel", "rebels",
    "subversive", "subversives", "gunman", "gunmen", "assailant", "assailants", "hitmen", "hitman",
    "commando", "commandos", "extremist", "extremists", "narcoterrorist", "narcoterrorists",
    "paramilitaries", "squads", "traffickers", "trafficker", "insurgents", "insurgent", "saboteurs",
}
# Left out: nouns named after the act ("the killers", "the attackers", "the kidnappers",
# "the perpetrators") mostly refer back to a perpetrator already described; on the training
# split they were almost never the annotated filler.
PERP_WEAK = {"individual", "individuals", "men", "man", "person", "persons", "people", "soldier",
             "soldiers", "troops", "members", "member", "youths", "youth", "suspects", "suspect",
             "group", "groups", "band", "civilians", "women", "officers", "policemen", "agents"}
PERP_QUALIFIERS = {"unidentified", "unknown", "armed", "heavily", "masked", "hooded", "uniformed",
                   "alleged", "presumed", "suspected", "several", "heavily-armed", "young"}

# Well-known armed groups of the period (names of actors, world knowledge).
# Well-known armed groups of the period (names of actors, world knowledge); aliases together.
KNOWN_GROUPS = (
    ("FMLN", "FARABUNDO MARTI NATIONAL LIBERATION FRONT"),
    ("ELN", "ARMY OF NATIONAL LIBERATION", "NATIONAL LIBERATION ARMY"),
    ("SHINING PATH", "SENDERO LUMINOSO"), ("MRTA", "TUPAC AMARU REVOLUTIONARY MOVEMENT"),
    ("FARC", "REVOLUTIONARY ARMED FORCES OF COLOMBIA"),
    ("EPL", "POPULAR LIBERATION ARMY"), ("MEDELLIN CARTEL",), ("CALI CARTEL",),
    ("EXTRADITABLES",), ("FPMR", "MANUEL RODRIGUEZ PATRIOTIC FRONT"), ("CINCHONEROS",),
    ("FPM", "MORAZANIST PATRIOTIC FRONT"), ("ZARATE WILLKA",), ("DEATH SQUADS", "DEATH SQUAD"),
    ("CGSB", "SIMON BOLIVAR GUERRILLA COORDINATING BOARD"), ("URNG",),
    ("LAUTARO YOUTH MOVEMENT",), ("AAA", "ANTICOMMUNIST ACTION ALLIANCE"),
    ("ESA", "SECRET ANTICOMMUNIST ARMY"), ("FPL",), ("ERP",),
)
# Not listed: the M-19 (in a peace process through the period) and the Nicaraguan contras,
# named in the training texts far more often as parties to talks than as perpetrators.
# Head words that make an ORG entity an armed group (parties and unions are mostly victims).
ORG_HEADS = {"front", "army", "movement", "cartel", "alliance", "command", "commandos", "brigade",
             "forces", "group", "organization", "squads", "mafia", "mafias", "coordinating", "board"}
DEMONYMS = {"salvadoran", "colombian", "peruvian", "honduran", "guatemalan", "nicaraguan", "chilean",
            "bolivian", "ecuadorean", "ecuadorian", "venezuelan", "panamanian", "mexican", "cuban",
            "costa", "rican", "argentine", "brazilian", "american", "spanish", "maoist", "sandinist",
            "sandinista", "marxist", "leftist", "rightist", "communist"}
TITLES = {"msgr", "monsignor", "senator", "minister", "president", "general", "gen", "colonel",
          "col", "major", "maj", "captain", "capt", "lieutenant", "lt", "father", "mr", "mrs", "dr",
          "doctor", "judge", "mayor", "bishop", "archbishop", "candidate", "leader", "priest",
          "sergeant", "sgt", "deputy", "governor", "ambassador", "engineer", "attorney", "rector",
          "journalist", "councilman", "commander", "presidential", "professor", "sister", "brother",
          # occupations and relations written before a name ("bodyguard Jairo Ortega")
          "bodyguard", "reporter", "analyst", "advisor", "adviser", "justice", "magistrate",
          "engineer", "businessman", "cattleman", "industrialist", "driver", "student", "teacher",
          "lawyer", "economist", "union", "nun", "jesuit", "peasant", "farmer", "official", "chief",
          "director", "secretary", "spokesman", "manager", "owner", "editor", "photographer",
          "cameraman", "correspondent", "impresario", "magnate", "executive", "diplomat", "consul",
          "officer", "policeman", "soldier", "guard", "daughter", "son", "wife", "husband", "mother",
          "companion", "technician", "inspector", "cook", "activist", "councilor", "congressman",
          "banker", "rancher", "landowner", "physician", "citizen", "gentleman"}
# Given names and surnames of the region that are also English words.
_NAMES = {"hector", "rosa", "angel", "jesus", "cruz", "paz", "mercedes", "dolores", "amparo",
          "gloria", "pilar", "victor", "oscar", "mario", "montes", "flores", "cano", "leon",
          "santos", "luz", "rey", "reyes", "garza", "sierra", "rico", "franco", "marino", "moreno",
          "blanco", "bravo", "campo", "nelson", "ramos", "mora", "mores", "vega", "vargas", "rojas",
          "delgado", "castro", "lopez", "baron", "navarro", "pinto", "toro", "lima", "guzman"}
_CAPITALISED = _NAMES | {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday"}

_POS_KEYS = {hash_string(pos): pos for pos in ("noun", "verb", "adj", "adv")}
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENT_START = re.compile(r"(^\s*|[.!?][\"']?\s+|\n\s*\n\s*|\")([a-z])")
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
             ("ing", "e"), ("'s", ""), ("ly", ""), ("ers", ""), ("er", ""))


def starts(word: str, prefixes: tuple[str, ...]) -> bool:
    """Prefix test so that one entry covers the inflections ("kidnap" -> kidnapped, kidnappers)."""
    return word.startswith(prefixes)


class Truecaser:
    """Guess mixed case for ALL-CAPS text from the lemmatizer's English word tables.

    Known English words go lower case, unknown ones (mostly names) get a capital, and a
    known noun right beside an unknown word joins the name ("Luis Carlos Galan").
    """

    def __init__(self, nlp: Language):
        tables = nlp.get_pipe("lemmatizer").lookups
        words: set[str] = set(nlp.Defaults.stop_words)
        by_pos: dict[str, set[str]] = {}
        for name in ("lemma_index", "lemma_exc"):
            if tables.has_table(name):
                for key, part in tables.get_table(name).items():
                    words.update(part)
                    by_pos.setdefault(_POS_KEYS.get(key, "other"), set()).update(part)
        self.words = words
        # Words that are only ever nouns ("carlos", "galan") may be part of a name.
        other = set().union(*(v for k, v in by_pos.items() if k != "noun"))
        self.nouns = by_pos.get("noun", set()) - other
        # Stop words and titles never join a name: "said", "colonel", "bodyguard".
        self.no_join = set(nlp.Defaults.stop_words) | TITLES

    def known(self, word: str) -> bool:
        """In the tables as is, or after stripping a regular ending ("kidnapped")."""
        if word in self.words:
            return True
        for suffix, repl in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                base = word[: -len(suffix)]
                if base + repl in self.words:
                    return True
                if len(base) > 2 and base[-1] == base[-2] and base[:-1] in self.words:
                    return True
        return False

    def __call__(self, text: str) -> str:
        if sum(c.islower() for c in text) > sum(c.isupper() for c in text) // 4:
            return text  # already mixed case
        words = []
        for m in _WORD.finditer(text):
            low = m.group(0).lower()
            if len(low) == 1:
                kind = "known" if low in "ai" else "acronym"  # "U.S.", "C-47"
            elif self.known(low) and low not in _CAPITALISED:
                kind = "known"
            else:
                kind = "name" if re.search("[AEIOUY]", m.group(0)) else "acronym"
            words.append([m.start(), m.end(), kind, low])
        order = list(range(len(words)))
        for i in order + order[::-1]:  # known nouns glued to a name join it, both ways
            w = words[i]
            if w[2] != "known" or w[3] not in self.nouns or w[3] in self.no_join or len(w[3]) < 3:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(words) and words[j][2] in ("name", "joined"):
                    a, b = (words[j], w) if j < i else (w, words[j])
                    if text[a[1]:b[0]] == " ":
                        w[2] = "joined"
                        break
        _expansions(text, words)
        out = list(text)
        for start, end, kind, low in words:
            repl = low if kind == "known" else low[0].upper() + low[1:] if kind != "acronym" else None
            if repl is not None and len(repl) == end - start:
                out[start:end] = repl
        return _SENT_START.sub(lambda m: m.group(1) + m.group(2).upper(), "".join(out))


_PAREN = re.compile(r"\(([A-Z][A-Z .'\-]*)\)")
_GLUE = {"of", "de", "del", "for", "and"}


def _expansions(text: str, words: list[list]) -> None:
    """Capitalise a name glued to an acronym: "Army of National Liberation (ELN)",
    "FMLN (Farabundo Marti National Liberation Front)"; the acronym itself stays upper."""
    index = {w[0]: i for i, w in enumerate(words)}
    for m in _PAREN.finditer(text):
        first = index.get(m.start(1))
        if first is None:
            continue
        inside = [w for w in words[first:] if w[1] <= m.end(1)]
        if len(inside) == 1 and len(inside[0][3]) <= 6:  # "... front (FMLN)"
            inside[0][2] = "acronym"
            j = first - 1
            while j >= 0 and first - j <= 8 and text[words[j][1]:words[j + 1][0]] in (" ", " (") and (
                    words[j][3] not in ("the", "a", "an")):
                if words[j][3] not in _GLUE:
                    words[j][2] = "name"
                j -= 1
        elif 1 < len(inside) <= 8 and first and words[first - 1][2] == "acronym":  # "FMLN (...)"
            for w in inside:
                if w[3] not in _GLUE and w[3] != "the":
                    w[2] = "name"
