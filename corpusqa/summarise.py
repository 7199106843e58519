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
    replaced and made). An update keeps place_objects, period_objects and authorities up to
    date by difference, and recounts only the keys in scope_place_objects, scope_periods and
    scope_authorities (see _place_object_differences, _period_differences and
    _authority_differences)."""

    def only(columns: str, scope: str) -> str:
        return f"and ({columns}) in (select * from temp.{scope})" if scoped else ""

    events = only("claims.event_id", "scope_events")
    # An update recounts few keys: read from them (a CROSS JOIN keeps that order), not from
    # every claim.
    place_objects = (
        "from temp.scope_place_objects scoped "
        "cross join claim_places indexed by idx_claim_places_place_id_claim_id "
        "on claim_places.place_id = scoped.place_id "
        "cross join claims on claims.id = claim_places.claim_id and claims.object = scoped.object"
        if scoped
        else "from claim_places join claims on claims.id = claim_places.claim_id"
    )
    # From the few keys (an update usually has none), each found through the index on
    # events' day as a key spells it (see load.Loader.index), not from every event. The
    # unary + takes the key's text affinity off the comparison: applied to the indexed
    # expression, it would keep the index from being searched.
    periods = (
        "from temp.scope_periods scoped "
        "cross join events indexed by idx_events_day_object "
        f"on coalesce(events.date, '{DATE_UNKNOWN}') = +scoped.date "
        "and events.object = scoped.object"
        if scoped
        else "from events"
    )
    # From the few keys, each found through the index on claims' authority, rather than a
    # pass over every claim with an authority (which the planner chose, with a Bloom filter
    # or an index of its own, when left to itself or asked to test for no authority).
    authorities = (
        "from temp.scope_authorities scoped cross join claims indexed by "
        "idx_claims_authority_authority_kind_event_id_quantity_article_id_authority_id "
        "on claims.authority = scoped.name and claims.authority_kind = scoped.kind"
        if scoped
        else "from claims where authority is not null"
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
        *(_place_object_differences() if scoped else []),
        "delete from place_objects where true " + only("place_id, object", "scope_place_objects"),
        f"""
        insert into place_objects (place_id, object, events, objects, objects_all_reports,
                                   claims, articles)
        select claim_places.place_id, claims.object, count(distinct claims.event_id), null,
               sum(claim_places.quantity), count(*), count(distinct claims.article_id)
        {place_objects}
        group by claim_places.place_id, claims.object
        """,
        # An update reaches a key's events through its claims: event_places has no index
        # by place.
        """
        update place_objects set objects = (
            select sum(event_places.quantity) from event_places
            where event_places.place_id = place_objects.place_id
              and event_places.event_id in (
                  select claims.event_id from claim_places
                  join claims on claims.id = claim_places.claim_id
                  where claim_places.place_id = place_objects.place_id
                    and claims.object = place_objects.object))
        where (place_id, object) in (select * from temp.scope_place_objects)
        """
        if scoped
        else """
        update place_objects set objects = per_event.objects
        from (select event_places.place_id, events.object,
                     sum(event_places.quantity) as objects
              from event_places join events on events.id = event_places.event_id
              group by event_places.place_id, events.object) as per_event
        where per_event.place_id = place_objects.place_id
          and per_event.object = place_objects.object
        """,
        *(_period_differences() if scoped else []),
        f"delete from period_objects where true {only('date, object', 'scope_periods')}",
        f"""
        insert into period_objects (date, month, object, events, objects, objects_all_reports,
                                    claims)
        select coalesce(events.date, '{DATE_UNKNOWN}'), {month_label("events.date")},
               events.object, count(*), sum(quantity), sum(quantity_all_reports), sum(n_claims)
        {periods}
        group by coalesce(events.date, '{DATE_UNKNOWN}'), events.object
        """,
        *(_authority_differences() if scoped else []),
        f"delete from authorities where true {only('name, kind', 'scope_authorities')}",
        # An authority is credited once per event it reported, with the smallest figure it
        # gave.
        f"""
        insert into authorities (name, kind, authority_id, events, objects,
                                 objects_all_reports, claims, articles)
        select authority, authority_kind, max(authority_id), count(distinct event_id), null,
               sum(quantity), count(*), count(distinct article_id)
        {authorities}
        group by authority, authority_kind
        """,
        f"""
        update authorities set objects = per_event.objects
        from (select name, kind, sum(quantity) as objects from (
                  select authority as name, authority_kind as kind, min(quantity) as quantity
                  {authorities}
                  group by authority, authority_kind, event_id)
              group by name, kind) as per_event
        where per_event.name = authorities.name and per_event.kind = authorities.kind
        """,
    ]


def _place_object_differences() -> list[str]:
    """Statements that bring place_objects up to date by difference, for an update: they add
    the claims of the articles it wrote (temp.new_articles) and its new events, and take
    away the events it replaced (temp.old_event_places, their rows counted before they were
    deleted). A 1% update touches nearly every place and object, and a recount reads all of
    their claims. The keys this cannot settle are added to temp.scope_place_objects, which
    the statements after these recount: those of deleted claims (put there by the loader;
    a distinct count cannot be taken apart) and those whose total of objects may have
    become null (every figure it had was taken away)."""
    return [
        "drop table if exists temp.place_object_changes",
        """
        create temp table place_object_changes as
        select place_id, object, sum(events) as events, sum(objects) as objects,
               sum(objects_removed) as objects_removed, sum(reports) as reports,
               sum(n_reports) as n_reports, sum(claims) as claims, sum(articles) as articles
        from (
            select place_id, object, -n as events, -objects as objects,
                   n_objects as objects_removed, null as reports, 0 as n_reports,
                   0 as claims, 0 as articles
            from temp.old_event_places
            union all
            select event_places.place_id, events.object, count(*), sum(event_places.quantity),
                   0, null, 0, 0, 0
            from event_places join events on events.id = event_places.event_id
            where event_places.event_id in (select id from temp.scope_events)
            group by event_places.place_id, events.object
            union all
            select claim_places.place_id, claims.object, 0, null, 0, sum(claim_places.quantity),
                   count(claim_places.quantity), count(*), count(distinct claims.article_id)
            from claim_places join claims on claims.id = claim_places.claim_id
            where claims.article_id in (select id from temp.new_articles)
            group by claim_places.place_id, claims.object)
        group by place_id, object
        """,
        """
        insert or ignore into place_objects (place_id, object, events, objects,
                                             objects_all_reports, claims, articles)
        select place_id, object, 0, null, null, 0, 0 from temp.place_object_changes
        """,
        f"""
        update place_objects set {_counts_added("place_objects", "changes.n_reports = 0")},
            articles = place_objects.articles + changes.articles
        from temp.place_object_changes as changes
        where changes.place_id = place_objects.place_id and changes.object = place_objects.object
        """,
        # A sum of zero after figures were taken away may be a sum of no figures (null).
        """
        insert or ignore into temp.scope_place_objects
        select place_objects.place_id, place_objects.object
        from temp.place_object_changes as changes join place_objects
        on place_objects.place_id = changes.place_id and place_objects.object = changes.object
        where changes.objects_removed > 0 and place_objects.objects = 0
        """,
    ]


def _counts_added(table: str, no_reports: str) -> str:
    """The SET items of an update by difference that add a row of `changes` to TABLE's:
    events and claims add up; a sum of objects, or of all reports, stays as it was while
    the change brings no figure to it (NO_REPORTS says when), as a sum of none is null."""
    return f"""
            events = {table}.events + changes.events,
            objects = case when changes.objects is null then {table}.objects
                           else coalesce({table}.objects, 0) + changes.objects end,
            objects_all_reports = case when {no_reports}
                                       then {table}.objects_all_reports
                                       else coalesce({table}.objects_all_reports, 0)
                                            + changes.reports end,
            claims = {table}.claims + changes.claims"""


def _period_differences() -> list[str]:
    """Statements that bring period_objects up to date by difference, for an update: they
    take away the events it replaced (temp.old_periods, counted before they were deleted)
    and add the events it made, and delete the rows left with no event. A recount reads
    every event of each day and object the update touches. The keys whose total of objects
    or of all reports may have become null (every figure taken away) are added to
    temp.scope_periods, which the statements after these recount."""
    return [
        "drop table if exists temp.period_changes",
        f"""
        create temp table period_changes as
        select date, object, sum(events) as events, sum(objects) as objects,
               sum(objects_removed) as objects_removed, sum(reports) as reports,
               sum(reports_removed) as reports_removed, sum(claims) as claims
        from (
            select date, object, -n as events, -objects as objects,
                   n_objects as objects_removed, -reports as reports,
                   n_reports as reports_removed, -claims as claims
            from temp.old_periods
            union all
            select coalesce(date, '{DATE_UNKNOWN}'), object, count(*), sum(quantity), 0,
                   sum(quantity_all_reports), 0, sum(n_claims)
            from events where id in (select id from temp.scope_events)
            group by coalesce(date, '{DATE_UNKNOWN}'), object)
        group by date, object
        """,
        f"""
        insert or ignore into period_objects (date, month, object, events, objects,
                                              objects_all_reports, claims)
        select date, {month_label(f"nullif(date, '{DATE_UNKNOWN}')")}, object, 0, null, null, 0
        from temp.period_changes
        """,
        f"""
        update period_objects set {_counts_added("period_objects", "changes.reports is null")}
        from temp.period_changes as changes
        where changes.date = period_objects.date and changes.object = period_objects.object
        """,
        """
        delete from period_objects where events <= 0 and (date, object) in (
            select date, object from temp.period_changes)
        """,
        # A sum of zero after figures were taken away may be a sum of no figures (null).
        """
        insert or ignore into temp.scope_periods
        select period_objects.date, period_objects.object
        from temp.period_changes as changes join period_objects
        on period_objects.date = changes.date and period_objects.object = changes.object
        where (changes.objects_removed > 0 and period_objects.objects = 0)
           or (changes.reports_removed > 0 and period_objects.objects_all_reports = 0)
        """,
    ]


def _authority_differences() -> list[str]:
    """Statements that bring authorities up to date by difference, for an update: they add
    the claims of the articles it wrote (temp.new_articles), and take away each authority's
    share of the events it replaced (temp.old_authority_events: its events and smallest
    figures, counted before the claims joined their new events) and add its share of the
    new events. An authority's claims are about half the corpus's, and a recount reads all
    of them. The keys this cannot settle are in temp.scope_authorities, which the
    statements after these recount: those of deleted claims and of claims given another
    person as authority (put there by the loader: a distinct count and a maximum cannot
    be taken apart), and those whose total of objects may have become null."""
    return [
        "drop table if exists temp.authority_changes",
        """
        create temp table authority_changes as
        select name, kind, max(authority_id) as authority_id, sum(events) as events,
               sum(objects) as objects, sum(objects_removed) as objects_removed,
               sum(reports) as reports, sum(n_reports) as n_reports, sum(claims) as claims,
               sum(articles) as articles
        from (
            select name, kind, null as authority_id, -n as events, -objects as objects,
                   n_objects as objects_removed, null as reports, 0 as n_reports,
                   0 as claims, 0 as articles
            from temp.old_authority_events
            union all
            select name, kind, null, count(*), sum(quantity), 0, null, 0, 0, 0
            from (select authority as name, authority_kind as kind, min(quantity) as quantity
                  from claims
                  where authority is not null
                    and event_id in (select id from temp.scope_events)
                  group by authority, authority_kind, event_id)
            group by name, kind
            union all
            select authority, authority_kind, max(authority_id), 0, null, 0, sum(quantity),
                   count(quantity), count(*), count(distinct article_id)
            from claims
            where authority is not null and article_id in (select id from temp.new_articles)
            group by authority, authority_kind)
        group by name, kind
        """,
        """
        insert or ignore into authorities (name, kind, authority_id, events, objects,
                                           objects_all_reports, claims, articles)
        select name, kind, null, 0, null, null, 0, 0 from temp.authority_changes
        """,
        f"""
        update authorities set
            authority_id = case when changes.authority_id is null then authorities.authority_id
                                when authorities.authority_id is null then changes.authority_id
                                else max(authorities.authority_id, changes.authority_id) end,
            {_counts_added("authorities", "changes.n_reports = 0")},
            articles = authorities.articles + changes.articles
        from temp.authority_changes as changes
        where changes.name = authorities.name and changes.kind = authorities.kind
        """,
        # A sum of zero after figures were taken away may be a sum of no figures (null).
        """
        insert or ignore into temp.scope_authorities
        select authorities.name, authorities.kind
        from temp.authority_changes as changes join authorities
        on authorities.name = changes.name and authorities.kind = changes.kind
        where changes.objects_removed > 0 and authorities.objects = 0
        """,
    ]
