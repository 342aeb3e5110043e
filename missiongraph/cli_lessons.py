"""``missiongraph lesson list|show|set-status|assign``: the lessons-learned process on the command line.

A thin layer: ``kg.lifecycle`` checks and records every change, ``kg.lesson_views`` shapes what
is shown; ``--json`` prints those dicts as they are.
"""

from __future__ import annotations

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
    for f in ("owner", "action_plan", "due"):
        if d[f]:
            click.echo(f"  {f.replace('_', ' ')}: {d[f]}")
    src = d["source"]
    click.echo(f"  source: {src['symbol'] or src['path']} [{src['start']}-{src['end']}]"
               + (f", passage {src['passage_id']}" if src["passage_id"] is not None else ""))
    if d["missions"]:
        click.echo(f"  missions: {', '.join(d['missions'])}")
    for f in ("observation", "recommendation", "lesson"):
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
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@json_option
@click.pass_obj
@handles_errors
def lesson_list(obj, status, owner, mission, limit, as_json):
    """Lessons with their status and owner."""
    from kg.lesson_views import lesson_list as view

    emit(view(obj.store, status=status, owner=owner, mission=mission, limit=limit), as_json, _render_list)


@lesson.command(name="show")
@click.argument("ref")
@json_option
@click.pass_obj
@handles_errors
def lesson_show(obj, ref, as_json):
    """One lesson by key (ls-...) or id: fields, source passage, status, owner and full history."""
    from kg.lesson_views import lesson_view

    emit(lesson_view(obj.store, ref), as_json, _render_lesson)


@lesson.command(name="set-status")
@click.argument("ref")
@click.argument("status")
@click.option("--by", "author", default=_default_author, show_default="MISSIONGRAPH_USER or your login",
              help="Who makes the change (recorded).")
@click.option("--reason", help="Why (recorded; required to reject or to move back).")
@json_option
@click.pass_obj
@handles_errors
def lesson_set_status(obj, ref, status, author, reason, as_json):
    """Move a lesson to STATUS; only the lifecycle's allowed moves are accepted."""
    from kg import lifecycle
    from kg.lesson_views import lesson_view

    lifecycle.set_status(obj.store, ref, status, author=author, reason=reason)
    emit(lesson_view(obj.store, ref), as_json, _render_lesson)


@lesson.command(name="assign")
@click.argument("ref")
@click.option("--owner", help="The action body tasked with it.")
@click.option("--plan", "action_plan", help="The action plan.")
@click.option("--due", help="Due date (YYYY-MM-DD).")
@click.option("--by", "author", default=_default_author, show_default="MISSIONGRAPH_USER or your login",
              help="Who makes the change (recorded).")
@click.option("--reason", help="Why (recorded).")
@json_option
@click.pass_obj
@handles_errors
def lesson_assign(obj, ref, owner, action_plan, due, author, reason, as_json):
    """Task an action body: owner, action plan and due date, each change recorded."""
    from kg import lifecycle
    from kg.lesson_views import lesson_view

    lifecycle.assign(obj.store, ref, author=author, owner=owner, action_plan=action_plan, due=due, reason=reason)
    emit(lesson_view(obj.store, ref), as_json, _render_lesson)
