"""Which UI messages a template can show (``polybrief.rendering.messages``), the input that lets a UI catalog
edit rebuild only the pages that show the edited message (the end-to-end case is in tests/test_scale.py).

A message missed here would leave a page showing an old translation after a UI edit, so every way a
template can reach a message not written in it must answer "any message" (None).
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import jinja2
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from polybrief.rendering.messages import (
    RENDERER_MESSAGES,
    Message,
    page_messages,
    template_messages,
    translations_digest,
)

REPO = Path(__file__).resolve().parent.parent
ENV = jinja2.Environment(extensions=["jinja2.ext.i18n"])


def messages(source: str) -> list[Message] | None:
    return template_messages(ENV.parse(source))


def test_literal_messages_and_trans_blocks_are_found() -> None:
    source = ('{{ _("Key figures") }}{{ gettext("By {authors}", authors=people) }}'
              '{% trans %}Hi {{ name }}{% endtrans %}'
              '{% trans count=n %}one figure{% pluralize %}{{ count }} figures{% endtrans %}'
              '{{ ngettext("{num} brief", "{num} briefs", total, x=1) }}')
    assert messages(source) == ["By {authors}", "Hi %(name)s", "Key figures",
                                ["one figure", "%(count)s figures"], ["{num} brief", "{num} briefs"]]
    assert messages("<p>{{ brief.headline }}</p>") == []


@pytest.mark.parametrize("source", [
    "{{ _(heading) }}",                          # the msgid a variable
    "{{ _('a' ~ b) }}",                          # an expression
    "{{ ngettext('one', many, 2) }}",            # the plural a variable
    "{{ _(*names) }}",                           # arguments spread
    "{% set t = _ %}{{ t('x') }}",               # the function under another name
    "{{ names|map(_)|join }}",                   # passed to a filter
    "{% macro m(f) %}{{ f('x') }}{% endmacro %}{{ m(gettext) }}",
    "{{ pgettext('menu', 'Open') }}",            # not installed: the page fails anyway
])
def test_a_template_that_can_show_any_message_says_so(source: str) -> None:
    assert messages(source) is None


def test_a_page_unites_its_templates_and_the_renderers_own_messages() -> None:
    assert page_messages([["b", "a"], [["x", "xs"]]]) == sorted({"a", "b", *RENDERER_MESSAGES}) + [["x", "xs"]]
    assert page_messages([["a"], None]) is None


def test_every_shipped_brief_template_names_its_messages() -> None:
    # polybrief's own templates write every message out; otherwise every UI edit rebuilds every page.
    for path in sorted((REPO / "templates").glob("*.j2")):
        assert template_messages(ENV.parse(path.read_text(encoding="utf-8"))) is not None, path.name


def _translations(po: str) -> gettext.NullTranslations:
    catalog = read_po(io.StringIO(po), locale="ru")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


HEADER = ('msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
          '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n')
ENTRIES = ('msgid "Key figures"\nmsgstr "Ключевые цифры"\n\nmsgid "All languages"\nmsgstr "Все языки"\n\n'
           'msgid "{num} brief"\nmsgid_plural "{num} briefs"\nmsgstr[0] "{num} сводка"\nmsgstr[1] "{num} сводки"\n'
           'msgstr[2] "{num} сводок"\n\n')


def test_the_digest_changes_with_what_the_messages_show_and_nothing_else() -> None:
    shown: list[Message] = ["Key figures", ["{num} brief", "{num} briefs"]]
    base = translations_digest(_translations(HEADER + ENTRIES), shown)

    def digest(po: str) -> str:
        return translations_digest(_translations(po), shown)

    assert digest(HEADER + ENTRIES.replace("Все языки", "Все языки сайта")) == base  # a message not shown
    assert digest(HEADER + "# a note\n" + ENTRIES) == base
    assert digest(HEADER + ENTRIES.replace("Ключевые цифры", "Главные цифры")) != base
    assert digest(HEADER + ENTRIES.replace("{num} сводок", "{num} сводкок")) != base  # one plural form
    assert digest(HEADER + ENTRIES.replace('msgid "Key figures"', '#, fuzzy\nmsgid "Key figures"')) != base
    assert digest(HEADER.replace("n%10==1 &&", "n%10==1 && n!=11 &&") + ENTRIES) != base  # the plural rule
    assert translations_digest(gettext.NullTranslations(), shown) != base
