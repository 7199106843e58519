"""The published totals, as SQL over the consolidated corpus.

A story retold by three outlets is one event and three reports; adding up the reports
triples it. Every total here counts each event once, with its most conservative figure
(the smallest any report gives, as ACLED does), and keeps the sum over all reports beside
it, labelled as such. Events with no date are counted under "date unknown", never dropped.

This module only states the tables and the statements that fill them (over the corpus,
or over the keys an update touched); `load.py` runs
them, as it is the one module that writes SQLite. They run after consolidation, since they
read `claims.event_id`.
"""

from __future__ import annotations

DATE_UNKNOWN = "date unknown"

# Table name -> (columns, primary key, foreign keys). Created empty by the loader, filled
# by `statements`.
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...], list[tuple[str, str, str]]]] = {
    "event_places": (
        {
            "event_id": str,
            "place_id": str,
            "quantity": int,
            "quantity_min": int,
            "quantity_max": int,
            "n_reports": int,
        },
        ("event_id", "place_id"),
        [("event_id", "events", "id"), ("place_id", "places", "id")],
    ),
    "place_objects": (
        {
            "place_id": str,
            "object": str,
            "events": int,
            "objects": int,
            "objects_all_reports": int,
            "claims": int,
            "articles": int,
        },
        ("place_id", "object"),
        [("place_id", "places", "id")],
    ),
    "period_objects": (
        {
            "date": str,
            "month": str,
            "object": str,
            "events": int,
            "objects": int,
            "objects_all_reports": int,
            "claims": int,
        },
        ("date", "object"),
        [],
    ),
    "authorities": (
        {
            "name": str,
            "kind": str,
            "authority_id": str,
            "events": int,
            "objects": int,
            "objects_all_reports": int,
            "claims": int,
            "articles": int,
        },
        ("name", "kind"),
        [],
    ),
}

# The label a chart can show for an event's month: YYYY-MM, "Jul, year unknown" when the
# text gives a day but no year can be anchored, or "date unknown".
_MONTH = f"""
    case when {{date}} is null then '{DATE_UNKNOWN}'
         when length({{date}}) = 10 then substr({{date}}, 1, 7)
         else substr('JanFebMarAprMayJunJulAugSepOctNovDec',
                     3 * cast(substr({{date}}, 1, 2) as integer) - 2, 3) || ', year unknown'
    end
"""


def month_label(date_sql: str) -> str:
    """SQL for the month label of the date expression DATE_SQL (see _MONTH)."""
    return _MONTH.format(date=date_sql)


def statements(scoped: bool = False) -> list[str]:
    """The statements that fill the tables: over every event and claim, or when SCOPED
    only for the keys in the temporary tables an update fills (scope_events: the events
    replaced and made; scope_place_objects, scope_periods, scope_authorities: the rows of
    place_objects, period_objects and authorities whose claims or events changed)."""

    def only(columns: str, scope: str) -> str:
        return f"and ({columns}) in (select * from temp.{scope})" if scoped else ""

    def within(scope: str, on: str) -> str:
        # A join rather than a row-value IN: the planner then reads the few keys and finds
        # each key's rows through an index, instead of testing every row.
        return f"join temp.{scope} scoped on {on}" if scoped else ""

    events = only("claims.event_id", "scope_events")
    place_objects = within(
        "scope_place_objects",
        "scoped.place_id = claim_places.place_id and scoped.object = claims.object",
    )
    periods = within(
        "scope_periods",
        f"scoped.date = coalesce(events.date, '{DATE_UNKNOWN}') and scoped.object = events.object",
    )
    authorities = within(
        "scope_authorities",
        "scoped.name = claims.authority and scoped.kind = claims.authority_kind",
    )
    return [
        f"delete from event_places where true {only('event_id', 'scope_events')}",
        # A place's number in an event is the smallest per-place figure any report gives;
        # null when no report gives one (a total shared by several places).
        f"""
        insert into event_places (event_id, place_id, quantity, quantity_min, quantity_max,
                                  n_reports)
        select claims.event_id, claim_places.place_id, min(claim_places.quantity),
               min(claim_places.quantity), max(claim_places.quantity), count(*)
        from claim_places join claims on claims.id = claim_places.claim_id
        where claims.event_id is not null {events}
        group by claims.event_id, claim_places.place_id
        """,
        # The latest publication date of an event's reports orders the feed.
        f"""
        update events set published = latest.published
        from (select claims.event_id, max(articles.published) as published
              from claims join articles on articles.id = claims.article_id
              where true {events}
              group by claims.event_id) as latest
        where latest.event_id = events.id
        """,
        f"""
        update events set quantity_all_reports = reports.total
        from (select event_id, sum(quantity) as total from claims where true {events}
              group by event_id) as reports
        where reports.event_id = events.id
        """,
        "delete from place_objects where true " + only("place_id, object", "scope_place_objects"),
        f"""
        insert into place_objects (place_id, object, events, objects, objects_all_reports,
                                   claims, articles)
        select claim_places.place_id, claims.object, count(distinct claims.event_id), null,
               sum(claim_places.quantity), count(*), count(distinct claims.article_id)
        from claim_places join claims on claims.id = claim_places.claim_id
        {place_objects}
        group by claim_places.place_id, claims.object
        """,
        f"""
        update place_objects set objects = per_event.objects
        from (select event_places.place_id, events.object,
                     sum(event_places.quantity) as objects
              from event_places join events on events.id = event_places.event_id
              where true {only("event_places.place_id, events.object", "scope_place_objects")}
              group by event_places.place_id, events.object) as per_event
        where per_event.place_id = place_objects.place_id
          and per_event.object = place_objects.object
        """,
        f"delete from period_objects where true {only('date, object', 'scope_periods')}",
        f"""
        insert into period_objects (date, month, object, events, objects, objects_all_reports,
                                    claims)
        select coalesce(events.date, '{DATE_UNKNOWN}'), {month_label("events.date")},
               events.object, count(*), sum(quantity), sum(quantity_all_reports), sum(n_claims)
        from events
        {periods}
        group by coalesce(events.date, '{DATE_UNKNOWN}'), events.object
        """,
        f"delete from authorities where true {only('name, kind', 'scope_authorities')}",
        # An authority is credited once per event it reported, with the smallest figure it
        # gave.
        f"""
        insert into authorities (name, kind, authority_id, events, objects,
                                 objects_all_reports, claims, articles)
        select authority, authority_kind, max(authority_id), count(distinct event_id), null,
               sum(quantity), count(*), count(distinct article_id)
        from claims
        {authorities}
        where authority is not null
        group by authority, authority_kind
        """,
        f"""
        update authorities set objects = per_event.objects
        from (select name, kind, sum(quantity) as objects from (
                  select authority as name, authority_kind as kind, min(quantity) as quantity
                  from claims
                  where authority is not null
                    {only("authority, authority_kind", "scope_authorities")}
                  group by authority, authority_kind, event_id)
              group by name, kind) as per_event
        where per_event.name = authorities.name and per_event.kind = authorities.kind
        """,
    ]
