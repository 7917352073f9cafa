"""Texts the programme writes by itself (from crons, at install, in server actions)
are read later by others: they are written in their readers' language, not in that
of whoever happens to run the code."""


def reader_env(env, lang):
    """``env`` in the language ``lang`` (unchanged when ``lang`` is empty)."""
    if not lang or lang == env.lang:
        return env
    return env(context=dict(env.context, lang=lang))


def programme_lang(record):
    """The language of the programme a record of the addon belongs to: its staff
    read its chatter. False for records of no programme."""
    record = record.sudo()
    if record._name == "integration.program":
        return record.lang
    for path in ("program_id", "participant_id", "course_id", "meeting_id"):
        if path in record._fields:
            linked = record[path]
            if linked:
                return programme_lang(linked)
    return False
