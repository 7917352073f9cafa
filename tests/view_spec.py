"""The ``web_read`` specification the web client builds from a view, in Python.

Shared by the query-count guards (``tests/test_query_counts.py``) and the
benchmark (``tools/bench/benchmark.py``), so that both read what the browser
reads *now*, from ``get_views``, instead of a recorded specification that goes
stale when a view changes. It follows the rules of the web client's
``getFieldsSpec``: a many2one reads its ``display_name`` unless it is always
invisible, tags read their colour, an x2many with a sub-view reads the sub-view's
fields (40 rows), some widgets read a field of their own.
"""

import ast

from lxml import etree

X2MANY_LIMIT = 40
# Fields a widget reads besides its own (the web client's fieldDependencies).
ACTIVITY_FIELDS = (
    "activity_exception_decoration",
    "activity_exception_icon",
    "activity_state",
    "activity_summary",
    "activity_type_icon",
    "activity_type_id",
)
WIDGET_DEPENDENCIES = {
    "statusbar_duration": ("duration_tracking",),
    "rotting_statusbar_duration": ("duration_tracking",),
    "kanban_activity": ACTIVITY_FIELDS,
    "list_activity": ACTIVITY_FIELDS,
}
# Widgets that read no field of the records they show.
IDS_ONLY_WIDGETS = {"kanban_activity", "list_activity"}
TAG_WIDGETS = {"many2many_tags", "many2many_tags_avatar", "many2many_avatar_user"}


def _always_invisible(node):
    return node.get("invisible") in ("1", "True", "true")


def _static_context(node):
    context = node.get("context")
    if not context:
        return None
    try:
        value = ast.literal_eval(context)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, dict) else None


def _field_nodes(node):
    """The <field> nodes of ``node``'s own level: not those of the sub-views
    inside a field."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)


def _spec(env, node, model, models_info, *, kanban=False):
    fields_info = models_info[model]["fields"]
    spec = {}
    for field_node in _field_nodes(node):
        name = field_node.get("name")
        info = fields_info.get(name)
        if info is None:
            continue
        ftype = info["type"]
        widget = field_node.get("widget")
        invisible = _always_invisible(field_node) or field_node.get(
            "column_invisible"
        ) in ("1", "True")
        field_spec = {}
        if ftype == "many2one":
            field_spec = {"fields": {} if invisible else {"display_name": {}}}
        elif ftype in ("one2many", "many2many"):
            comodel = info["relation"]
            subview = next(
                (
                    child
                    for child in field_node
                    if isinstance(child.tag, str) and child.tag in ("list", "kanban")
                ),
                None,
            )
            if widget in IDS_ONLY_WIDGETS:
                field_spec = {"fields": {}}
            elif widget in TAG_WIDGETS or (kanban and subview is None):
                fields = {"display_name": {}}
                color = ast.literal_eval(field_node.get("options") or "{}").get(
                    "color_field"
                )
                if color:
                    fields[color] = {}
                field_spec = {"fields": fields}
            elif subview is not None and not invisible:
                field_spec = {
                    "fields": _spec(env, subview, comodel, models_info),
                    "limit": X2MANY_LIMIT,
                }
        context = _static_context(field_node)
        if context and "fields" in field_spec:
            field_spec["context"] = context
        spec[name] = _merge(spec.get(name, {}), field_spec)
        for dependency in WIDGET_DEPENDENCIES.get(widget, ()):
            dependency_field = env[model]._fields.get(dependency)
            if dependency_field is None:
                continue
            spec.setdefault(
                dependency,
                {"fields": {"display_name": {}}}
                if dependency_field.type == "many2one"
                else {},
            )
    return spec


def _merge(left, right):
    merged = dict(left)
    for key, value in right.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def view_specification(model, view_type="form", view_id=False):
    """The specification ``model``'s view of ``view_type`` (its default view, or
    ``view_id``) reads, for the current user (fields of groups she is not in
    are not in her view)."""
    views = model.get_views([(view_id, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    spec = _spec(
        model.env, arch, model._name, views["models"], kanban=view_type == "kanban"
    )
    if view_type == "form":
        spec["display_name"] = {}
    return spec
