{#- Columns every snapshot staging model shares: lineage, the snapshot moment, and the personal data of
    the record turned into pseudonyms. The record's own fields differ per system and are spelled out in
    each staging model. The load's quality flags stay in raw.source_rows: no model reads them. -#}
{% macro snapshot_common_columns() -%}
        source,
        appeal_id,
        exported_at,
        (record->>'created_at')::timestamptz as created_at,
        {{ pseudonym(author_identity("jsonb_build_object('phone', record->>'author_phone', 'email', record->>'author_email', 'id', record->>'author_id', 'name', record->>'author_name')")) }}
            as author_key,
        {{ pseudonym(address_identity("record->>'address'")) }} as address_key,
        record ? 'text' as has_text,
        batch_id,
        loaded_at,
        line_no
{%- endmacro %}

{#- The staging models of the snapshot systems, each in the shared shape (int_snapshot_events unions them). -#}
{% macro snapshot_systems() -%}
    {{ return(['stg_pos__messages', 'stg_incident__incidents', 'stg_sed__letters', 'stg_open311__requests']) }}
{%- endmacro %}

{#- Lineage of a snapshot row, first in every snapshot staging model (int_snapshot_events unions them). -#}
{% macro snapshot_lineage_columns(channel) -%}
        source,
        '{{ channel }}' as channel,
        appeal_id,
        exported_at,
        batch_id,
        line_no,
        loaded_at
{%- endmacro %}

{#- A deadline given as a bare date (read as local midnight) means the end of that day. -#}
{% macro end_of_day_if_date(column) -%}
    case when {{ local_ts(column) }}::time = time '00:00'
        then ({{ local_date(column) }} + time '23:59:59') at time zone '{{ var("local_timezone") }}'
        else {{ column }} end
{%- endmacro %}
