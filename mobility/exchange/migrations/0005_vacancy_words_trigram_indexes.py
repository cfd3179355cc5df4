"""PostgreSQL: trigram indexes for the search's words (issue #12, item 8).

The vacancy search (`exchange.selectors.vacancy_search`) and the API's `?q=` keep, beside the
matcher's ranking, every published vacancy whose title or description contains the words
(`icontains`, which Django writes as `UPPER(column::text) LIKE UPPER('%words%')`). Without an
index that is a sequential scan of every description: the load test's costliest query (~70 ms of
PostgreSQL at 20,000 vacancies, 0.5 s on a busy machine). A GIN trigram index on exactly that
expression answers it from the index (under 1 ms; words of three letters or more: shorter ones
have no trigram and still scan). SQLite has no such index; nothing changes there."""

from django.db import migrations

INDEXES = {
    "exchange_vacancy_title_trgm": "title",
    "exchange_vacancy_description_trgm": "description",
}


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in INDEXES.items():
            # the expression Django's `icontains` filters on, or the planner cannot use the index
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON exchange_vacancy '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("exchange", "0004_interview")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
