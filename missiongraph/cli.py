"""The ``missiongraph`` command: a thin click layer over the library.

Each command parses its arguments, calls one library function and prints the answer as
text or, with ``--json``, as the documented JSON contract.  Heavy libraries are imported
inside commands so ``--help`` and ``stats`` start fast.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from missiongraph import __version__, settings
from missiongraph.errors import MissionGraphError
from missiongraph.taxonomy import TASKS

SEARCH_MODES = ("hybrid", "vector", "keyword")


class Context:
    def __init__(self, store_url: str):
        self.store_url = store_url
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from kg import open_store

            self._store = open_store(self.store_url)
        return self._store


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (a stable contract).")(f)


def handles_errors(f):
    """Map our error tree to a clean message (JSON on stderr with --json) and exit code 1."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except MissionGraphError as e:
            if kwargs.get("as_json"):
                click.echo(json.dumps({"error": e.message, "input": e.input}), err=True)
            else:
                click.echo(f"Error: {e.message}", err=True)
            sys.exit(1)

    return wrapper


def emit(data, as_json: bool, render) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        render(data)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="missiongraph")
@click.option("--store", envvar="MISSIONGRAPH_STORE", default=settings.SETTINGS["store"].default, show_default=True,
              help="Graph store: a folder (embedded) or URL; also $MISSIONGRAPH_STORE.")
@click.pass_context
def cli(ctx, store):
    """Knowledge graph and lessons-learned search for peace operations, fully offline."""
    ctx.obj = Context(store)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--kind", help="Override the document kind (resolution, sg_report, letter, after_action, lesson, other).")
@click.option("--mission", "missions", multiple=True, help="Mission the documents concern (acronym); repeatable.")
@click.option("--date", help="Override the document date (YYYY-MM-DD).")
@click.option("--id-field", help="JSONL/CSV: field holding the record id.")
@click.option("--title-field", help="JSONL/CSV: field holding the title.")
@click.option("--text-fields", help="JSONL/CSV: comma-separated fields holding the text.")
@click.option("--lesson-fields", help="JSONL/CSV: which field is which part of a lesson, as SLOT=FIELD pairs "
                                      "(observation, discussion, conclusion, lesson, recommendation), comma-separated.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes that read and extract files while this one embeds and writes "
                   "(0: all in one; default: the workers setting, auto: a third of the cores, 1 on 2 cores).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default=None,
              help="Embed on this torch device (default: the device setting, cpu); auto takes a GPU when torch sees one.")
@json_option
@click.pass_obj
@handles_errors
def ingest(obj, paths, kind, missions, date, id_field, title_field, text_fields, lesson_fields, workers, device,
           as_json):
    """Ingest files and folders (txt, md, html, pdf, docx, jsonl, csv)."""
    from ingest import IngestOptions, ingest_paths
    from ingest.pipeline import list_inputs, parse_lesson_fields, resolve_workers
    from search import Embedder

    options = IngestOptions(kind=kind, missions=list(missions), date=date, id_field=id_field,
                            title_field=title_field,
                            text_fields=[t.strip() for t in text_fields.split(",")] if text_fields else None,
                            lesson_fields=parse_lesson_fields(lesson_fields))
    embedder = Embedder(device=device)  # a device torch cannot see fails here, before any file is read
    total = len(list_inputs(paths))
    with click.progressbar(length=total, label="Ingesting", file=sys.stderr,
                           item_show_func=lambda p: p and p.name) as bar:
        report = ingest_paths(obj.store, paths, embedder=embedder, options=options,
                              progress=lambda p: bar.update(1, p),
                              workers=resolve_workers(workers))
    data = report.as_json()

    def render(d):
        click.echo(f"{d['documents']} documents ingested, {d['unchanged']} files unchanged, "
                   f"{d['passages']} passages, {d['entities']} entity mentions in {d['seconds']:.1f} s")
        for err in d["errors"]:
            click.echo(f"FAILED {err['path']}: {err['error']}", err=True)

    emit(data, as_json, render)
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("-k", "k", default=10, show_default=True, help="Number of results.")
@click.option("--mode", type=click.Choice(SEARCH_MODES), default="hybrid", show_default=True)
@click.option("--kind", help="Only documents of this kind.")
@click.option("--mission", help="Only passages concerning this mission.")
@click.option("--year", type=int, help="Only documents dated in this year.")
@click.option("--country", help="Only passages naming this country, or concerning a mission deployed there.")
@click.option("--task", type=click.Choice(TASKS), help="Only resolution clauses mandating this task.")
@click.option("--topic", help="Only records (lessons) carrying this topic.")
@click.option("--facets", is_flag=True, help="Also count kind, mission, country, year, task and topic "
                                             "over the best 100 candidates.")
@click.option("--expand", is_flag=True, help="One result per passage instead of one per lesson record or "
                                             "numbered paragraph.")
@json_option
@click.pass_obj
@handles_errors
def search(obj, query, k, mode, kind, mission, year, country, task, topic, facets, expand, as_json):
    """Search lessons, paragraphs and passages by meaning and keywords; each hit says why it matched."""
    from search import search as run_search

    embedder = None
    if mode != "keyword":
        from search import Embedder

        embedder = Embedder()
    data = run_search(obj.store, query, k=k, mode=mode, kind=kind, mission=mission, year=year, country=country,
                      task=task, topic=topic, facets=facets, expand=expand, embedder=embedder)
    emit(data, as_json, _render_search)


def _render_search(d):
    if not d["results"]:
        click.echo("No results.")
    for r in d["results"]:
        where = " ".join(x for x in [r["symbol"] or r["title"] or r["source"],
                                     f"p.{r['page']}" if r["page"] else "",
                                     f"para {r['paragraph']}" if r["paragraph"] else "",
                                     f"record {r['record']}" if r["record"] else ""] if x)
        click.echo(f"{r['rank']:>3}. [{r['score']:.3f}] {where}")
        click.echo(f"     {r['text'][:300]}")
        why = r["why"]
        ranks = [f"{m} #{n}" for m, n in why["modes"].items() if n is not None]
        parts = [f"matched: {', '.join(why['matched_terms'])}" if why["matched_terms"] else "",
                 f"names: {', '.join(e['name'] for e in why['entities'][:5])}" if why["entities"] else "",
                 ", ".join(ranks)]
        click.echo(f"     why: {' | '.join(p for p in parts if p)}")
    if "facets" in d:
        click.echo(f"Facets (over the best {d['facet_pool']} candidates):")
        for name, values in d["facets"].items():
            if values:
                click.echo(f"  {name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values))


def _view_command(name: str, view: str, help: str, render):
    """A read command: one argument, one view function, text or JSON out."""

    @cli.command(name=name, help=help)
    @click.argument("key")
    @json_option
    @click.pass_obj
    @handles_errors
    def command(obj, key, as_json):
        from kg import views

        emit(getattr(views, view)(obj.store, key), as_json, render)

    return command


def _kv(d: dict, keys) -> None:
    for key in keys:
        value = d.get(key)
        if isinstance(value, list):
            value = ", ".join(v if isinstance(v, str) else json.dumps(v) for v in value) or "-"
        click.echo(f"{key:>16}: {value if value not in (None, '') else '-'}")


def _render_resolution(d):
    _kv(d, ["symbol", "adopted", "missions", "action", "chapter_vii", "mandate_until", "mandate_period", "cites"])
    for t in d["tasks"]:
        click.echo(f"  - {t['task']} (para {t['paragraph']}, {t['verb'] or '-'}): {t['text'][:160]}")


def _render_mandate(d):
    click.echo(f"{d['mission']} (also: {', '.join(a for a in d['aliases'] if a != d['mission']) or '-'})")
    for r in d["resolutions"]:
        changes = sorted({f"{t['task']}:{t.get('change', '?')}" for t in r["tasks"]})
        changes += sorted({f"{t['task']}:dropped" for t in r.get("dropped", [])})
        prev = r.get("previous") or {}
        renews = f" renews {prev['symbol']}{'' if prev.get('in_store') else ' (not in store)'}" if prev else ""
        click.echo(f"  {r['adopted'] or '????-??-??'}  {r['symbol']:<20} {r['action']:<9} "
                   f"until {r.get('mandate_end') or '-'}{renews}")
        for c in changes:
            click.echo(f"      {c}")
    if "as_of" in d:
        f = d.get("in_force")
        click.echo(f"In force on {d['as_of']}: " + (f"{f['resolution']} (mandate from {f['based_on']}, "
                                                     f"until {f['mandate_end'] or '-'})" if f else "no mandate known"))
        for t in (f or {}).get("tasks", []):
            click.echo(f"  {t['task']:<34} {t['clause_id']}")
    end = d.get("ended_by")
    if end:
        how = (f"{end['resolution']} established {end['successor']}" if end["reason"] == "successor_established"
               else "the mission closed")
        click.echo(f"Mandate ended {end['date']}: {how}")


def _render_clause(d, history: bool):
    click.echo(f"{d['clause']} ({d['verb'] or '-'}): {d['text']}")
    if not history:
        return
    for chain in d["history"]:
        click.echo(f"\n{chain['task']}:")
        for v in chain["versions"]:
            click.echo(f"  {v['adopted'] or '????-??-??'}  {v['clause_id']:<32} {v['change']}")
            for op in v.get("diff") or []:
                if op["op"] != "equal":
                    click.echo(f"      {op['op']}: -[{op['old']}] +[{op['new']}]")


def _render_document(d):
    _kv(d, ["source", "title", "symbol", "kind", "date", "missions"])
    _kv({"pursuant_to": [f"{p['symbol']} para {p['paragraph']}" if p.get("paragraph") else p["symbol"]
                         for p in d["pursuant_to"]],
         "armed_groups": [a["name"] for a in d["armed_groups"]],
         "locations": [a["name"] for a in d["locations"]],
         "reporting_period": f"{d['reporting_period']['start']} to {d['reporting_period']['end']}"
         if d["reporting_period"] else None}, ["pursuant_to", "armed_groups", "locations", "reporting_period"])


def _render_entity(d):
    _kv(d, ["id", "name", "type", "aliases", "mentions"])
    for m in d.get("merged_from", []):
        click.echo(f"  merged from {m['id']} ({m['reason']})")
    for r in d["related"][:20]:
        click.echo(f"  {r['relation']:<13} {r['name']} ({r['type']}) x{r['count']}")


_view_command("resolution", "resolution_view", "A resolution: missions, action, mandate dates, citations, tasks.",
              _render_resolution)


@cli.command()
@click.argument("mission")
@click.option("--as-of", "as_of", metavar="DATE", help="Also the mandate in force on this date (YYYY-MM-DD).")
@click.option("--task", metavar="TASK", help="Only this task's clauses (a task id, see README).")
@json_option
@click.pass_obj
@handles_errors
def mandate(obj, mission, as_of, task, as_json):
    """A mission's resolutions in date order (former names included), each task's change at every
    renewal; with --as-of, the mandate in force on that date."""
    from kg import views

    emit(views.mandate_view(obj.store, mission, as_of=as_of, task=task), as_json, _render_mandate)


@cli.command()
@click.argument("clause_id")
@click.option("--history", is_flag=True, help="Show every version across renewals, with word diffs.")
@json_option
@click.pass_obj
@handles_errors
def clause(obj, clause_id, history, as_json):
    """A clause by id ("S/RES/2779 (2025) OP 3(a)(i)"): its text and, with --history, its versions."""
    from kg import views

    emit(views.clause_view(obj.store, clause_id), as_json, lambda d: _render_clause(d, history))
_view_command("document", "document_view", "A document by path, symbol or id: kind, missions, actors.",
              _render_document)


@cli.command()
@json_option
@click.pass_obj
@handles_errors
def reindex(obj, as_json):
    """Rebuild the search index cache from the vectors held in the store."""
    from search.engine import reindex as rebuild

    emit(rebuild(obj.store), as_json,
         lambda d: click.echo(f"{d['vectors']} vectors indexed ({d['model'] or 'no model'}) in {d['seconds']:.1f} s"))


@cli.group(name="eval")
def eval_group():
    """Measure the product against gold data (needs ../shared beside the project)."""


@eval_group.command(name="extraction")
@click.option("--task", "tasks", multiple=True, help="actors, incidents, aliases, resolutions or lessons (repeatable; "
                                                       "default all).")
@click.option("--shared", type=click.Path(file_okay=False), default=None,
              help="The shared data folder (default ../shared beside the project).")
@json_option
@handles_errors
def eval_extraction(tasks, shared, as_json):
    """Extraction quality per task: the stock spaCy model (or the earlier rules) beside ours."""
    from pathlib import Path

    from nlp.evaluation.suite import run

    root = Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared"
    tables = run(root, list(tasks) or None)
    emit([t.as_json() for t in tables], as_json, lambda ts: click.echo("\n\n".join(t.render() for t in tables)))


class _ShowByDefault(click.Group):
    """``entity NAME`` shows an actor; ``entity merge|split ...`` change the resolution."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_ShowByDefault)
def entity():
    """Actors: `entity NAME` shows one (aliases, mentions, related actors); `entity merge A B
    --reason TEXT` treats A as B from now on; `entity split A` undoes that merge."""


@entity.command(name="show")
@click.argument("key")
@json_option
@click.pass_obj
@handles_errors
def entity_show(obj, key, as_json):
    """An actor by name, alias or id: aliases, mentions, related actors, merges."""
    from kg import views

    emit(views.entity_view(obj.store, key), as_json, _render_entity)


def _render_merge(d):
    state = f"undone {d['undone_at']}" if d["undone_at"] else "in force"
    click.echo(f"{d['from']} -> {d['into']} ({state}; {d['reason']})")


@entity.command(name="merge")
@click.argument("from_id")
@click.argument("into_id")
@click.option("--reason", required=True, help="Why the two are one actor (recorded with the merge).")
@json_option
@click.pass_obj
@handles_errors
def entity_merge(obj, from_id, into_id, reason, as_json):
    """Treat entity FROM_ID as INTO_ID (ids as `entity NAME --json` shows them); reversible."""
    emit(obj.store.merge_entities(from_id, into_id, reason), as_json, _render_merge)


@entity.command(name="split")
@click.argument("from_id")
@json_option
@click.pass_obj
@handles_errors
def entity_split(obj, from_id, as_json):
    """Undo the merge of FROM_ID: its mentions and relations return to it."""
    emit(obj.store.split_entity(from_id), as_json, _render_merge)


@cli.command()
@json_option
@click.pass_obj
@handles_errors
def stats(obj, as_json):
    """Counts of what the store holds."""
    from kg import views

    emit(views.stats(obj.store), as_json, lambda d: _kv(d, list(d)))


@cli.command()
@json_option
@click.pass_obj
@handles_errors
def check(obj, as_json):
    """Check the store's integrity and its keyword index (exit 1 when problems are found)."""
    from search.engine import check_store

    problems = check_store(obj.store)
    emit({"ok": not problems, "problems": problems}, as_json,
         lambda d: click.echo("ok" if d["ok"] else "\n".join(d["problems"])))
    if problems:
        sys.exit(1)


@cli.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@json_option
@click.pass_obj
@handles_errors
def export_cmd(obj, file, as_json):
    """Write the whole graph to FILE as JSON Lines (`-`: stdout), to load into another store with `import`."""
    from kg.transfer import export_file

    data = export_file(obj.store, file)
    text = json.dumps(data, indent=2) if as_json else (
        f"{data['files']} files, {data['documents']} documents, {data['passages']} passages, {data['entities']} "
        f"entities, {data['merges']} merges exported in {data['seconds']:.1f} s")
    click.echo(text, err=file == "-")


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@json_option
@click.pass_obj
@handles_errors
def import_cmd(obj, file, as_json):
    """Load an export (FILE, `-`: stdin) into the store: all of it is checked before anything is
    written, each file is replaced atomically, files already held unchanged are skipped."""
    from kg.transfer import import_file

    emit(import_file(obj.store, file), as_json, lambda d: click.echo(
        f"{d['files']} files ({d['documents']} documents, {d['passages']} passages) imported, {d['unchanged']} "
        f"unchanged, {d['entities']} entities, {d['merges']} merges added in {d['seconds']:.1f} s"))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_obj
def serve(obj, host, port):
    """Serve the web UI and JSON API."""
    from webapp import create_app

    create_app({"STORE": obj.store_url}).run(host=host, port=port, threaded=True)


def main() -> None:
    settings.offline()
    cli(prog_name="missiongraph")


from missiongraph import cli_lessons  # noqa: E402,F401 - registers `lesson ...` on the group above

