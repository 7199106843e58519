"""List facets: facet and filter a table by a many-valued attribute kept in an indexed join
table, such as the places of a claim (claim_places) or of an article (article_places).

Datasette's array facet unpacks a JSON column row by row, and so does its `arraycontains`
filter: neither can use an index, and both slow to seconds over a million rows. A list
facet counts the join table's rows instead, over its index, and its filter (`?_place=ID`)
is an indexed subquery. It is configured per table in metadata.yml:

    facets:
      - list: {name: places, through: claim_places, key: claim_id, value: place_id,
               labels: places, param: _place}

`through` is the join table, `key` its column pointing at this table's `id`, `value` the
column counted, `labels` the table whose `name` labels a value, `param` the query-string
argument that filters by one value.
"""

from __future__ import annotations

import re

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_removed_args, path_with_replaced_args

_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)


def _configs(datasette, database: str, table: str | None) -> list[dict]:
    if not table:
        return []
    facets = (datasette.metadata(database=database, table=table) or {}).get("facets") or []
    return [f["list"] for f in facets if isinstance(f, dict) and "list" in f]


class ListFacet(Facet):
    type = "list"

    async def suggest(self) -> list:
        return []

    async def facet_results(self) -> tuple[list[dict], list[str]]:
        results: list[dict] = []
        timed_out: list[str] = []
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            name = config["name"]
            through = escape_sqlite(config["through"])
            key = escape_sqlite(config["key"])
            value = escape_sqlite(config["value"])
            # Unfiltered, the counts are one pass over the join table's index; filtered, only
            # the join rows of the matching rows are counted.
            where = (
                f"where {key} in (select id from ({self.sql}))" if _WHERE.search(self.sql) else ""
            )
            sql = (
                f"select {value} as value, count(*) as count from {through} {where} "
                f"group by {value} order by count desc, value limit {size + 1}"
            )
            try:
                rows = (
                    await self.ds.execute(
                        self.database,
                        sql,
                        self.params,
                        truncate=False,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).rows
            except QueryInterrupted:
                timed_out.append(name)
                continue
            shown = rows[:size]
            labels = await self._labels(config.get("labels"), [r["value"] for r in shown])
            param = config["param"]
            chosen = self.request.args.get(param)
            values = []
            for row in shown:
                item = str(row["value"])
                selected = item == chosen
                toggle = (
                    path_with_removed_args(self.request, {param: item})
                    if selected
                    else path_with_replaced_args(self.request, {param: item})
                )
                values.append(
                    {
                        "value": item,
                        "label": labels.get(item, item),
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, toggle),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": name,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_list": None})
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out

    async def _labels(self, table: str | None, ids: list) -> dict[str, str]:
        if not table or not ids:
            return {}
        marks = ", ".join(f":id{i}" for i in range(len(ids)))
        rows = await self.ds.execute(
            self.database,
            f"select id, name from {escape_sqlite(table)} where id in ({marks})",
            {f"id{i}": v for i, v in enumerate(ids)},
        )
        return {str(r["id"]): r["name"] for r in rows}


@hookimpl
def register_facet_classes():
    return [ListFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    clauses, params, descriptions = [], {}, []
    for number, config in enumerate(_configs(datasette, database, table)):
        chosen = request.args.get(config["param"])
        if chosen is None:
            continue
        placeholder = f"list_facet_{number}"
        clauses.append(
            f"id in (select {escape_sqlite(config['key'])} from "
            f"{escape_sqlite(config['through'])} "
            f"where {escape_sqlite(config['value'])} = :{placeholder})"
        )
        params[placeholder] = chosen
        descriptions.append(f'{config["name"]} include "{chosen}"')
    if clauses:
        return FilterArguments(clauses, params, descriptions)
    return None
