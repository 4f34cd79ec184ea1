"""Alert configuration is input too: a malformed address book or SMTP setting is refused with a message that
names the file, the entry or the variable; a sound one is read as written."""

import pytest

from exports.alerts.mail import MailSettings, load_recipients


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- dzo@example.org\n", "expected a mapping of agency codes"),
        ("dzo: [priem@dzo.example.org, not-an-address]\n", "the entry 'dzo' must be a list of e-mail addresses"),
        ("dzo: {to: priem@dzo.example.org}\n", "the entry 'dzo' must be a list of e-mail addresses"),
    ],
)
def test_a_malformed_address_book_is_refused_by_entry(tmp_path, text, message):
    book = tmp_path / "recipients.yaml"
    book.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_recipients(book)


def test_a_sound_address_book_keeps_order_and_drops_repeats(tmp_path):
    book = tmp_path / "recipients.yaml"
    book.write_text(
        "dzo: [b@dzo.example.org, a@dzo.example.org, b@dzo.example.org]\nunassigned: duty@cur.example.org\nempty:\n",
        encoding="utf-8",
    )
    assert load_recipients(book) == {
        "dzo": ("b@dzo.example.org", "a@dzo.example.org"),
        "unassigned": ("duty@cur.example.org",),
        "empty": (),
    }


@pytest.mark.parametrize(("variable", "value"), [("TSUR_SMTP_PORT", "smtp"), ("TSUR_SMTP_STARTTLS", "maybe")])
def test_malformed_smtp_settings_name_the_variable(variable, value):
    with pytest.raises(ValueError, match=variable):
        MailSettings.from_env({"TSUR_SMTP_HOST": "127.0.0.1", variable: value})


def test_without_a_host_mail_is_off():
    assert not MailSettings.from_env({}).enabled
