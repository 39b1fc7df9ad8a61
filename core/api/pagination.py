"""The API's pages: keyset (cursor) pages and a capped count, so that a page of a city's 100,000 rows costs
the same at the first page as at the last (issue 12).

Every list answers ``{count, count_is_estimate, next, previous, results}``:

* without ``?page=`` the rows are read by keyset: ``next`` and ``previous`` carry an opaque ``?cursor=`` — the
  ordering values of the page's last (first) row — and the page is one indexed ``WHERE (ordering) > (values)
  … LIMIT n``, however deep. The ordering is the list's own (``?ordering=`` included) with the primary key
  appended as the tie-breaker, so a walk visits every row exactly once and in order.
* ``?page=N`` still works for the pages and pickers that number their pages: an offset, with ``next`` and
  ``previous`` as page numbers; ``?page=last`` is read backwards from the end by keyset.
* ``count`` is exact up to ``EXACT_COUNT_LIMIT`` rows; above that it is the planner's row estimate for the
  same filtered query (``count_is_estimate: true``), read in the same one statement — an exact ``count(*)``
  over 100,000 rows would cost more than the page. Other databases than PostgreSQL count exactly.

Rows that are not a queryset (a report's list in memory) are paged by number as before.
"""
import base64
import binascii
import datetime as dt
import decimal
import json
import uuid

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

ERR_CURSOR = _("Invalid cursor.")
EXACT_COUNT_LIMIT = 1000  # rows counted exactly; above, the planner's estimate (read at each call)
KEY_PREFIX = "_cursor_key_"
ESTIMATE_FUNCTION = "zhishu_count_estimate"  # core/migrations: EXPLAIN (FORMAT JSON) → the plan's rows


def count_rows(queryset: QuerySet, *, limit: int | None = None) -> tuple[int, bool]:
    """``(count, is_estimate)`` in one statement: exact up to ``limit`` rows (a count of at most limit + 1 rows),
    otherwise PostgreSQL's row estimate for the same query (at least limit + 1)."""
    limit = EXACT_COUNT_LIMIT if limit is None else limit
    qs = queryset.order_by()
    if qs.query.is_empty():  # .none(): nothing to count, nothing to ask
        return 0, False
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return qs.count(), False
    try:
        inner, params = _rows_query(qs).sql_with_params()
    except EmptyResultSet:  # a filter no row can meet (``pk__in=[]``): nothing to count
        return 0, False
    composed = connection.ops.compose_sql(inner, params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n, CASE WHEN n > %s THEN GREATEST({ESTIMATE_FUNCTION}(%s), n) END "
            f"FROM (SELECT count(*) AS n FROM ({inner} LIMIT %s) AS capped) AS c",
            [limit, composed, *params, limit + 1])
        exact, estimate = cursor.fetchone()
    return (int(estimate), True) if estimate is not None else (int(exact), False)


def _rows_query(queryset: QuerySet):
    """The query of the rows' primary keys without the annotations nothing filters on (task counts, flags),
    as Django's own ``count()`` leaves them out."""
    query = queryset.values("pk").query.clone()
    try:
        referenced = set(query.where.get_refs())
    except AttributeError:  # a node without references (Django's NothingNode): keep the query as it is
        referenced = None
    if referenced is not None and not query.combinator and not query.distinct:
        query.annotations = {k: v for k, v in query.annotations.items() if k in referenced}
        query.set_annotation_mask(set(query.annotations) & set(query.annotation_select_mask or ()))
        if query.group_by is True and not any(getattr(a, "contains_aggregate", True)
                                              for a in query.annotations.values()):
            query.group_by = None
    return query


def _encode(payload: dict) -> str:
    def default(value):
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            return value.isoformat()
        if isinstance(value, (decimal.Decimal, uuid.UUID)):
            return str(value)
        raise TypeError(type(value).__name__)

    raw = json.dumps(payload, default=default, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise NotFound(ERR_CURSOR) from None
    if not isinstance(payload, dict):
        raise NotFound(ERR_CURSOR)
    return payload


class _Key:
    """One ordering column: its lookup path, direction, model field (None for an annotation) and nullability."""

    def __init__(self, path: str, descending: bool, field, nullable: bool):
        self.path, self.descending, self.field, self.nullable = path, descending, field, nullable

    @property
    def spelled(self) -> str:
        return ("-" if self.descending else "") + self.path

    def python(self, value):
        if value is None or self.field is None:
            return value
        return self.field.to_python(value)


def _field_at(model, path: str):
    """The model field a lookup path ends at (``unit__path`` → OrgUnit.path), with the nullability along it."""
    field, nullable = None, False
    for part in path.split(LOOKUP_SEP):
        if field is not None:
            model = field.related_model
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        nullable = nullable or getattr(field, "null", False)
    return field, nullable


def _expand(model, spelled: str, seen=()) -> list[tuple[str, bool]] | None:
    """``-unit`` → the related model's own ordering under ``unit__`` (as Django orders), a relation without
    one → its primary key; None when the ordering is not a plain field path."""
    descending = spelled.startswith("-")
    path = spelled.lstrip("-+")
    try:
        field, _nullable = _field_at(model, path)
    except (FieldDoesNotExist, AttributeError):
        return None
    if field.is_relation:
        related = field.related_model
        if related._meta.ordering and related not in seen:
            out = []
            for sub in related._meta.ordering:
                if not isinstance(sub, str):
                    return None
                expanded = _expand(related, sub, (*seen, related))
                if expanded is None:
                    return None
                out.extend((f"{path}{LOOKUP_SEP}{p}", d != descending) for p, d in expanded)
            return out
        return [(f"{path}{LOOKUP_SEP}pk", descending)]
    return [(path, descending)]


def keyset_ordering(queryset: QuerySet) -> list[_Key] | None:
    """The queryset's ordering as keyset columns, the primary key last; None when it cannot be walked by keyset
    (random order, expressions, extra(), an ordering that is neither a field nor an annotation)."""
    query = queryset.query
    if query.extra_order_by or query.distinct_fields or query.combinator:
        return None
    if queryset._iterable_class is not ModelIterable:
        return None
    spelled = query.order_by or (queryset.model._meta.ordering if query.default_ordering else [])
    keys: list[_Key] = []
    for item in spelled:
        if not isinstance(item, str) or item == "?":
            return None
        name = item.lstrip("-+")
        if name in query.annotations:
            keys.append(_Key(name, item.startswith("-"), None, True))
            continue
        expanded = _expand(queryset.model, item)
        if expanded is None:
            return None
        for path, descending in expanded:
            field, nullable = _field_at(queryset.model, path)
            keys.append(_Key(path, descending, field, nullable))
    pk = queryset.model._meta.pk
    if not any(k.field is pk or k.path in ("pk", pk.name) for k in keys):
        keys.append(_Key("pk", False, pk, False))
    # A column repeated (an ordering naming a field twice) decides nothing the second time.
    unique, seen = [], set()
    for k in keys:
        if k.path not in seen:
            seen.add(k.path)
            unique.append(k)
    return unique


def _after(keys: list[_Key], values: list) -> Q:
    """The rows strictly after ``values`` in the order of ``keys`` (PostgreSQL's default: NULLS LAST ascending,
    NULLS FIRST descending); the first column also bounds the range so that its index can be used."""
    nothing = Q(pk__in=[])
    result, equal = nothing, Q()
    for key, value in zip(keys, values):
        if value is None:
            beyond = Q(**{f"{key.path}__isnull": False}) if key.descending else nothing
            same = Q(**{f"{key.path}__isnull": True})
        else:
            beyond = Q(**{f"{key.path}__{'lt' if key.descending else 'gt'}": value})
            if key.nullable and not key.descending:
                beyond |= Q(**{f"{key.path}__isnull": True})
            same = Q(**{key.path: value})
        result |= equal & beyond
        equal &= same
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        result &= Q(**{f"{first.path}__{'lte' if first.descending else 'gte'}": value})
    return result


def _reversed(keys: list[_Key]) -> list[_Key]:
    return [_Key(k.path, not k.descending, k.field, k.nullable) for k in keys]


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    cursor_query_description = _("The cursor of a page: take it from next or previous.")
    template = None  # no numbered page controls in the browsable API: next / previous links

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.view = view
        self.mode = None
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        if not isinstance(queryset, QuerySet):
            self.mode = "numbered"
            return super().paginate_queryset(queryset, request, view)
        self.page_size_used = page_size
        keys = keyset_ordering(queryset)
        token = request.query_params.get(self.cursor_query_param)
        page = request.query_params.get(self.page_query_param)
        self.count, self.count_is_estimate = count_rows(queryset)
        if token:
            payload = _decode(token)
            if "o" in payload:  # an offset cursor: the ordering cannot be walked by keyset
                return self._offset_page(queryset, payload.get("o"), cursor=True)
            return self._keyset_page(queryset, keys, payload)
        if page in self.last_page_strings and keys is not None:
            return self._keyset_page(queryset, keys, {"r": 1})
        if page not in (None, "", "1") or keys is None:
            return self._offset_page(queryset, page or 1, cursor=keys is None)
        return self._keyset_page(queryset, keys, {})

    # --- by keyset ---------------------------------------------------------------------------------------------
    def _keyset_page(self, queryset, keys, payload):
        backwards = bool(payload.get("r"))
        values = payload.get("v")
        spelled = [k.spelled for k in keys]
        if values is not None:
            if payload.get("k") != spelled or not isinstance(values, list) or len(values) != len(keys):
                raise NotFound(ERR_CURSOR)
            try:
                values = [k.python(v) for k, v in zip(keys, values)]
            except (ValidationError, TypeError, ValueError):
                raise NotFound(ERR_CURSOR) from None
        if "p" in payload and payload.get("k") != spelled:
            raise NotFound(ERR_CURSOR)
        order = _reversed(keys) if backwards else keys
        partitioned = self._partitioned(keys)
        rows = self._fetch(queryset, keys, order, values, payload.get("p"), partitioned)
        if partitioned and not rows and values is not None:
            # the cursor stood at the end of its partition: go on with the next one
            rows = self._fetch(queryset, keys, order, None, values[0], partitioned)
        while partitioned and rows and len(rows) <= self.page_size_used and getattr(rows[-1], f"{KEY_PREFIX}more"):
            # a page that crosses into the next year: one more query for each year it reaches
            rows += self._fetch(queryset, keys, order, None, getattr(rows[-1], f"{KEY_PREFIX}0"), partitioned)
        more = len(rows) > self.page_size_used
        rows = rows[: self.page_size_used]
        self.further = None
        if backwards:
            rows.reverse()
        started = values is not None or "p" in payload
        self.mode = "keyset"
        self.keys, self.rows, self.backwards = spelled, rows, backwards
        self.has_next = (not backwards and (more or self.further is not None)) or (backwards and started)
        self.has_previous = (backwards and (more or self.further is not None)) or (not backwards and started)
        return rows

    def _partitioned(self, keys) -> bool:
        """A view with ``keyset_partition = True`` (classifications: year, then the unit's path) is read one value of
        its first ordering column at a time: ``WHERE year = … ORDER BY path`` walks the path index, where an order
        across two tables would sort every row of the subtree for each page."""
        first = keys[0]
        return (bool(getattr(self.view, "keyset_partition", False)) and len(keys) > 1
                and LOOKUP_SEP not in first.path and first.field is not None and not first.nullable)

    def _fetch(self, queryset, keys, order, values, partition, partitioned):
        qs = queryset
        if partitioned:
            first, rest = order[0], order[1:]
            if values is not None:
                qs = qs.filter(**{first.path: values[0]}).filter(_after(rest, values[1:]))
            else:
                candidates = queryset.order_by(first.spelled)
                if partition is not None:
                    try:
                        partition = first.python(partition)
                    except (ValidationError, TypeError, ValueError):
                        raise NotFound(ERR_CURSOR) from None
                    candidates = candidates.filter(**{f"{first.path}__{'lt' if first.descending else 'gt'}": partition})
                qs = qs.filter(**{first.path: Subquery(candidates.values(first.path)[:1])})
            beyond = queryset.order_by().filter(**{f"{first.path}__{'lt' if first.descending else 'gt'}":
                                                   OuterRef(first.path)})
            qs = qs.order_by(*[k.spelled for k in rest]).annotate(**{f"{KEY_PREFIX}more": Exists(beyond)})
        else:
            qs = qs.order_by(*[k.spelled for k in order])
            if values is not None:
                qs = qs.filter(_after(order, values))
        qs = qs.annotate(**{f"{KEY_PREFIX}{i}": F(k.path) for i, k in enumerate(keys)})
        return list(qs[: self.page_size_used + 1])

    def _key_of(self, row) -> list:
        return [getattr(row, f"{KEY_PREFIX}{i}") for i in range(len(self.keys))]

    def _cursor_link(self, payload):
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, _encode(payload))

    # --- by offset ---------------------------------------------------------------------------------------------
    def _offset_page(self, queryset, page, *, cursor: bool):
        try:
            number = int(page)
            if number < 1:
                raise ValueError
        except (TypeError, ValueError):
            if cursor:
                raise NotFound(ERR_CURSOR) from None
            raise NotFound(self.invalid_page_message.format(page_number=page, message="")) from None
        start = (number - 1) * self.page_size_used
        rows = list(queryset[start:start + self.page_size_used + 1])
        if number > 1 and not rows:
            raise NotFound(ERR_CURSOR if cursor else self.invalid_page_message.format(page_number=page, message=""))
        self.mode = "offset"
        self.number, self.offset_cursor = number, cursor
        self.has_next = len(rows) > self.page_size_used
        self.has_previous = number > 1
        return rows[: self.page_size_used]

    def _offset_link(self, number):
        url = self.request.build_absolute_uri()
        if self.offset_cursor:
            return replace_query_param(remove_query_param(url, self.page_query_param), self.cursor_query_param,
                                       _encode({"o": number}))
        url = remove_query_param(url, self.cursor_query_param)
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    # --- the answer --------------------------------------------------------------------------------------------
    def get_next_link(self):
        if self.mode == "numbered":
            return super().get_next_link()
        if not self.has_next:
            return None
        if self.mode == "offset":
            return self._offset_link(self.number + 1)
        if self.further is not None and not self.backwards:
            return self._cursor_link(self.further)
        return self._cursor_link({"k": self.keys, "v": self._key_of(self.rows[-1])})

    def get_previous_link(self):
        if self.mode == "numbered":
            return super().get_previous_link()
        if not self.has_previous:
            return None
        if self.mode == "offset":
            return self._offset_link(self.number - 1)
        if self.further is not None and self.backwards:
            return self._cursor_link(self.further)
        if not self.rows:
            return None
        return self._cursor_link({"k": self.keys, "v": self._key_of(self.rows[0]), "r": 1})

    def get_paginated_response(self, data):
        if self.mode == "numbered":
            count, estimate = self.page.paginator.count, False
        else:
            count, estimate = self.count, self.count_is_estimate
        return Response({
            "count": count,
            "count_is_estimate": estimate,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_is_estimate"] = {
            "type": "boolean", "description": f"count is the planner's estimate (above {EXACT_COUNT_LIMIT} rows)"}
        answer["properties"]["next"]["example"] = "http://api.example.org/accounts/?cursor=eyJrIjpbInBrIl0"
        return answer

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), {
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": str(self.cursor_query_description), "schema": {"type": "string"},
        }]
