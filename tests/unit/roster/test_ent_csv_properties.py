"""Property: any people written the way the ENT template writes them are read back identically."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from elea.models.person import Profile
from elea.roster.ent.line_text import repaired_double_encoding
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, Generation, Language, render_ent

# What the ENT can hold. Names: letters (accented too), spaces, apostrophes, hyphens, commas and
# dots, no surrounding spaces (the reader trims), never the template's own `"` or `;`.
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäîïôöùûüçÉÈÊÀÂÎÔÙÇœŒÿŸæ’"
_NAME_CHARS = _LETTERS + " '-.,"


def _trimmed(alphabet: str, max_size: int) -> st.SearchStrategy[str]:
    # Not what a double encoding leaves (« Ã© », « Âœ »): the reader repairs those, with a warning.
    return (
        st.text(alphabet, min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(lambda text: bool(text) and repaired_double_encoding(text) is None)
    )


_ids = st.text("0123456789abcdef-", min_size=1, max_size=36)
_logins = st.text("abcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=40)
_names = _trimmed(_NAME_CHARS, 30)
_class_names = _trimmed("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", 8)
_values = st.lists(_trimmed(_LETTERS + " -", 20), max_size=3, unique=True).map(tuple)


@st.composite
def _accounts(draw: st.DrawFn) -> EntAccount:
    profile = draw(st.sampled_from([profile.value for profile in Profile]))
    return EntAccount(
        id=draw(_ids),
        siecle_id=draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=10))),
        profile=profile,
        last_name=draw(_names),
        first_name=draw(_names),
        login=draw(_logins),
        alias=draw(st.one_of(st.just(""), _logins)),
        functions=draw(_values),
        structures=draw(_values),
        classes=draw(st.lists(_class_names, max_size=4, unique=True).map(tuple)),
        email=draw(st.one_of(st.just(""), _logins.map(lambda login: f"{login}@example.org"))),
    )


_people = st.lists(_accounts(), min_size=1, max_size=12, unique_by=(lambda a: a.id, lambda a: a.login.lower()))


@settings(max_examples=100, deadline=None)
@given(accounts=_people, generation=st.sampled_from(list(Generation)), language=st.sampled_from(list(Language)))
def test_people_written_by_the_ent_template_are_read_back_identically(
    accounts: list[EntAccount], generation: Generation, language: Language
) -> None:
    # GIVEN any people as the ENT's template writes them (BOM, quoted fields, ";", ", " joins)
    data = render_ent(accounts, generation, language)
    # WHEN the file is read
    roster = read_ent_csv(io.BytesIO(data), "export.csv")
    # THEN every person comes back with the same values, in order, on its own line, with no issue
    assert roster.issues == []
    assert [
        (p.id, p.login, p.last_name, p.first_name, p.profile.value, p.classes, p.functions, p.siecle_id, p.line)
        for p in roster.people
    ] == [
        (a.id, a.login, a.last_name, a.first_name, a.profile, a.classes, a.functions, a.siecle_id or None, n + 2)
        for n, a in enumerate(accounts)
    ]
    if generation is Generation.CURRENT:
        assert [p.email for p in roster.people] == [a.email or None for a in accounts]


@settings(max_examples=50, deadline=None)
@given(accounts=_people, quoted=st.sampled_from(['"', 'a"b', '"a', 'a"']))
def test_an_unescaped_quote_in_a_name_is_read_back_too(accounts: list[EntAccount], quoted: str) -> None:
    # GIVEN a name holding a quote (the template writes it raw) among other people
    first = accounts[0]
    accounts[0] = EntAccount(**{**first.__dict__, "last_name": f"{first.last_name}{quoted}"})
    roster = read_ent_csv(io.BytesIO(render_ent(accounts)), "export.csv")
    # THEN the name is kept as written and every other person is read
    assert [p.last_name for p in roster.people] == [a.last_name for a in accounts]
