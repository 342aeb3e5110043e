"""English function words, one list for every part that must skip them.

Keyword search (``kg.sqlite_keyword``) drops them from an over-budget query and from the terms
a result explains; the graph boost (``search.boosts``) never takes a name that starts or ends
with one.  They live here, not in ``search`` or ``kg``, because ``search`` builds on ``kg`` and
``kg`` must not import ``search``.  Words only: no word here is ever part of a mission, State or
place name on its own, and none carries weight in a BM25 ranking.
"""

from __future__ import annotations

STOPWORDS: frozenset[str] = frozenset("""
a an and are as at be been but by for from had has have he her his if in into is it its of on or our she so
than that the their them then there these they this those to was we were which while who will with would
what when where why how do does did can could should may might must about after before over under
between during out up down off own same too very just now
""".split())
