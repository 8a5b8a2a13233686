"""Property test: whatever arrives in the activity form, the answer is a redirect or a German
form error, never a 500 (reliability check R7)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator.models import Role

pytestmark = pytest.mark.slow

texts = st.text(max_size=300)
ids = st.one_of(st.integers(min_value=-(2**40), max_value=2**40).map(str), texts)
form_values = st.fixed_dictionaries(
    {},
    optional={
        "date": st.one_of(st.dates().map(str), texts),
        "title": texts,
        "kind": st.one_of(st.sampled_from(["meeting", "event", ""]), texts),
        "participants": st.lists(ids, max_size=5),
        "fields": st.lists(ids, max_size=4),
        "description": texts,
        "version": ids,
    },
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form_values)
def test_any_activity_form_input_is_answered_without_error(client, auth, world, data):
    auth.login_as(world, Role.COORDINATOR)
    for url in ("/activities/new", f"/activities/{world['own_activity'].id}/edit"):
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 409), (url, response.status_code)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.fixed_dictionaries({}, optional={
    "date_from": texts, "date_to": texts, "kind": texts, "field": texts, "participant": ids,
    "page": ids,
}))
def test_any_filter_input_is_answered_without_error(client, auth, world, args):
    auth.login_as(world, Role.LEADERSHIP)
    response = client.get("/activities/", query_string=args)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("digit", ["³", "²", "¹", "٣", "①"])
def test_digits_int_refuses_are_a_message_not_a_server_error(client, auth, world, digit):
    """``str.isdigit`` accepts superscripts (and other digit characters) that ``int``
    refuses: found by the fuzz test above with ``participant=³``."""
    auth.login_as(world, Role.STAFF)
    for path in (f"/activities/?participant={digit}", f"/activities/?partner={digit}",
                 f"/activities/participants.json?q=a&exclude={digit}"):
        assert client.get(path).status_code in (200, 400), path
