"""``missiongraph lesson list|show|set-status|assign``: the lessons-learned process on the command line.

A thin layer: ``kg.lifecycle`` checks and records every change, ``kg.lesson_views`` shapes what
is shown; ``--json`` prints those dicts as they are.
"""

from __future__ import annotations

import functools
import getpass
import os

import click

from missiongraph.cli import cli, emit, handles_errors, json_option


def _default_author() -> str | None:
    """Who a change is recorded against when --by is not given: MISSIONGRAPH_USER, else the login."""
    try:
        return os.environ.get("MISSIONGRAPH_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container): --by is then required
        return None


@cli.group()
def lesson():
    """Lessons in the lessons-learned process: list, show, move through the lifecycle, task an owner."""


def _render_list(d):
    if not d["lessons"]:
        click.echo("no lessons match")
    for row in d["lessons"]:
        owner = f"  owner: {row['owner']}" if row["owner"] else ""
        click.echo(f"{row['id']:>6}  {row['key']}  {row['status']:<14} {row['title']}{owner}")


def _render_lesson(d):
    click.echo(f"{d['key']} (id {d['id']}): {d['title'] or '-'}")
    click.echo(f"  status: {d['status']} ({d['status_means']}); may go to: {', '.join(d['next']) or '-'}")
    if d["topic"]:
        by = (f"suggested, score {d['topic_score']:.2f}" if d["topic_by"] == "suggestion"
              else f"set by {d['topic_by']}")
        click.echo(f"  planning topic: {d['topic_label']} ({by})")
    for f in ("owner", "action_plan", "due"):
        if d[f]:
            click.echo(f"  {f.replace('_', ' ')}: {d[f]}")
    src = d["source"]
    click.echo(f"  source: {src['symbol'] or src['path']} [{src['start']}-{src['end']}]"
               + (f", passage {src['passage_id']}" if src["passage_id"] is not None else ""))
    if d["missions"]:
        click.echo(f"  missions: {', '.join(d['missions'])}")
    for m in d["mandate_in_force"]:
        tasks = ", ".join(t["task"] for t in m["tasks"]) or "no task clauses"
        click.echo(f"  mandate of {m['mission']} then: {m['resolution']} ({tasks})")
    if d["actors"]:
        click.echo(f"  names: {', '.join(a['name'] for a in d['actors'][:12])}")
    for f in ("observation", "discussion", "conclusion", "lesson", "recommendation"):
        if d[f]:
            click.echo(f"  {f}: {' '.join(d[f].split())[:400]}")
    click.echo("  history:")
    for e in d["history"]:
        why = f" ({e['reason']})" if e["reason"] else ""
        click.echo(f"    {e['at']}  {e['author']}: {e['field']} {e['old'] or '-'} -> {e['new'] or '-'}{why}")


@lesson.command(name="list")
@click.option("--status", help="Only lessons in this state (observation, analysis, identified, action_planned, "
                               "implemented, learned, rejected).")
@click.option("--owner", help="Only lessons tasked to this action body.")
@click.option("--mission", help="Only lessons concerning this mission (acronym).")
@click.option("--topic", help="Only lessons of this planning topic (suggested or set; see `lesson topics`).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@json_option
@click.pass_obj
@handles_errors
def lesson_list(obj, status, owner, mission, topic, limit, as_json):
    """Lessons with their status and owner."""
    from kg.lesson_views import lesson_list as view

    emit(view(obj.store, status=status, owner=owner, mission=mission, topic=topic, limit=limit), as_json,
         _render_list)


@lesson.command(name="show")
@click.argument("ref")
@json_option
@click.pass_obj
@handles_errors
def lesson_show(obj, ref, as_json):
    """One lesson by key (ls-...) or id: fields, source passage, status, owner and full history."""
    from kg.lesson_views import lesson_view

    emit(lesson_view(obj.store, ref), as_json, _render_lesson)


def _change(name: str, reason_help: str = "Why (recorded)."):
    """A command that changes one lesson (``fn(store, ref, author=, reason=, **options)``): it takes
    REF, --by, --reason and --json, and shows the lesson as it now stands."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(obj, ref, author, reason, as_json, **options):
            from kg.lesson_views import lesson_view

            fn(obj.store, ref, author=author, reason=reason, **options)
            emit(lesson_view(obj.store, ref), as_json, _render_lesson)

        cmd = json_option(click.pass_obj(handles_errors(run)))
        cmd = click.option("--reason", help=reason_help)(cmd)
        cmd = click.option("--by", "author", default=_default_author, show_default="MISSIONGRAPH_USER or your login",
                           help="Who makes the change (recorded).")(cmd)
        return lesson.command(name=name)(click.argument("ref")(cmd))
    return wrap


@_change("set-status", "Why (recorded; required to reject or to move back).")
@click.argument("status")
def lesson_set_status(store, ref, *, author, reason, status):
    """Move a lesson to STATUS; only the lifecycle's allowed moves are accepted."""
    from kg import lifecycle

    lifecycle.set_status(store, ref, status, author=author, reason=reason)


@_change("assign")
@click.option("--owner", help="The action body tasked with it.")
@click.option("--plan", "action_plan", help="The action plan.")
@click.option("--due", help="Due date (YYYY-MM-DD).")
def lesson_assign(store, ref, *, author, reason, owner, action_plan, due):
    """Task an action body: owner, action plan and due date, each change recorded."""
    from kg import lifecycle

    lifecycle.assign(store, ref, author=author, owner=owner, action_plan=action_plan, due=due, reason=reason)


@_change("topic")
@click.argument("topic")
def lesson_topic(store, ref, *, author, reason, topic):
    """Confirm a lesson's suggested planning topic, or set another (suggestions never replace it)."""
    from kg import lifecycle

    lifecycle.set_topic(store, ref, topic, author=author, reason=reason)


@lesson.command(name="topics")
@json_option
@handles_errors
def lesson_topics(as_json):
    """The planning topics (setting planning_topics replaces the list)."""
    from kg.planning import topics

    rows = [{"id": t.id, "label": t.label, "description": t.description} for t in topics()]
    emit({"topics": rows}, as_json, lambda d: [click.echo(f"{t['id']:<28} {t['label']}") for t in d["topics"]])


@lesson.command(name="suggest-topics")
@click.option("--refresh", is_flag=True, help="Suggest again where the topic is still a suggestion.")
@json_option
@click.pass_obj
@handles_errors
def lesson_suggest_topics(obj, refresh, as_json):
    """Suggest a planning topic for every lesson no person has given one (ingest does this for new lessons)."""
    from search.planning_topics import suggest_store

    emit(suggest_store(obj.store, refresh=refresh), as_json, lambda d: click.echo(
        f"{d['suggested']} suggestions written for {d['considered']} of {d['lessons']} lessons; "
        f"{d['confirmed_kept']} topics set by people kept"))


def _render_clusters(d):
    if not d["clusters"]:
        click.echo(f"no lesson recurs among {d['lessons']} lessons")
    for c in d["clusters"]:
        click.echo(f"{c['sentence']}: {c['summary']}")
        where = ", ".join(c["missions"]) or "no mission named"
        years = f"{c['first_year']}-{c['last_year']}" if c["first_year"] else "undated"
        click.echo(f"  {c['size']} lessons, {where}, {years}; topic: {c['topic'] or '-'}; cluster {c['id']}")
        for t in c["timeline"]:
            click.echo(f"    {t['date'] or '----------'}  {t['key']}  {t['status']:<14} {t['title'][:70]}")


@lesson.command(name="recurring")
@click.option("--topic", help="Only clusters of this planning topic.")
@click.option("--mission", help="Only clusters with a lesson concerning this mission (acronym).")
@click.option("--min-size", default=2, show_default=True, type=click.IntRange(min=2),
              help="Smallest cluster shown.")
@json_option
@click.pass_obj
@handles_errors
def lesson_recurring(obj, topic, mission, min_size, as_json):
    """Lessons identified again and again: clusters across missions and years, how often, how many learned."""
    from search.recurrence import find_clusters

    emit(find_clusters(obj.store, topic=topic, mission=mission, min_size=min_size), as_json, _render_clusters)


cli.add_command(lesson, name="lessons")   # `missiongraph lessons recurring` reads as well as `lesson list`


@lesson.command(name="report")
@click.option("--topic", help="Only lessons of this planning topic.")
@click.option("--mission", help="Only lessons concerning this mission (acronym).")
@click.option("--status", help="Only lessons in this state.")
@click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="File to write (`-`: stdout).")
@click.pass_obj
@handles_errors
def lesson_report(obj, topic, mission, status, fmt, output):
    """A lessons report to hand on (printable HTML or CSV): status, owner, recurrence, source of each lesson."""
    import sys

    from search import lesson_report as rep

    report = rep.build(obj.store, topic=topic, mission=mission, status=status)
    write = rep.write_html if fmt == "html" else rep.write_csv
    if output == "-":
        write(report, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            write(report, fh)
        click.echo(f"{report['count']} lessons written to {output}", err=True)
