{#- HMAC-SHA256 of a text, keyed by TSUR_PII_KEY. The padded keys reach the session as settings
    (see lib/pii.py), so the key is never written into SQL, logs or the catalog.
    A session without them fails loudly: unrecognized configuration parameter "tsur.pii_ipad". -#}
{% macro pseudonym(expression) -%}
    case when {{ expression }} is not null then encode(sha256(
        decode(current_setting('tsur.pii_opad'), 'hex')
        || sha256(decode(current_setting('tsur.pii_ipad'), 'hex') || convert_to({{ expression }}, 'UTF8'))
    ), 'hex') end
{%- endmacro %}

{#- Who wrote: phone first (it crosses channels), then e-mail, the source's id, the name. -#}
{% macro author_identity(author) -%}
    coalesce(
        'phone:' || nullif(regexp_replace(regexp_replace({{ author }}->>'phone', '\D', '', 'g'), '^8(\d{10})$', '7\1'), ''),
        'email:' || nullif(lower(trim({{ author }}->>'email')), ''),
        'id:' || nullif(trim({{ author }}->>'id'), ''),
        'name:' || {{ normalized_text(author ~ "->>'name'") }}
    )
{%- endmacro %}

{#- An address reduced to letters and digits, so that spelling variants of one place meet. -#}
{% macro address_identity(address) -%}
    {{ normalized_text(address) }}
{%- endmacro %}

{#- Lower case, ё as е, every run of other characters as one space. Spelled out rather than left to
    lower() and [:alnum:], whose meaning for Cyrillic depends on the server's locale. -#}
{% macro normalized_text(expression) -%}
    nullif(trim(regexp_replace(
        translate(lower({{ expression }}),
            'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё', 'абвгдеежзийклмнопрстуфхцчшщъыьэюяе'),
        '[^0-9a-zа-я]+', ' ', 'g')), '')
{%- endmacro %}
