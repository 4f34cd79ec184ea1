{#- Usage on the schemas of every model granted to the BI role (dbt's +grants covers tables, not schemas),
    and default privileges there, so a table created in them later is readable too. Runs after every build,
    so a dropped and rebuilt marts schema is open to BI again. A role that does not exist is skipped. The
    private build schema (marts_build) stays closed: BI gets it only when it is published as `marts`. -#}
{% macro grant_bi_schemas() -%}
    {%- set role = var('bi_role', env_var('TSUR_BI_ROLE', '')) -%}
    {%- if not role or not execute -%}{{ return('') }}{%- endif -%}
    {%- set schemas = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- if role in (node.config.grants or {}).get('select', []) and node.schema not in schemas
                and node.schema != 'marts_build' -%}
            {%- do schemas.append(node.schema) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not schemas -%}{{ return('') }}{%- endif -%}
    {%- set role_literal = "'" ~ (role | replace("'", "''")) ~ "'" -%}
    do $grants$
    declare s text;
    begin
        if not exists (select 1 from pg_roles where rolname = {{ role_literal }}) then
            return;
        end if;
        foreach s in array array[{% for schema in schemas %}'{{ schema }}'{{ ", " if not loop.last }}{% endfor %}]::text[]
        loop
            if exists (select 1 from pg_namespace where nspname = s) then
                execute format('grant usage on schema %I to %I', s, {{ role_literal }});
                execute format('alter default privileges in schema %I grant select on tables to %I', s, {{ role_literal }});
            end if;
        end loop;
    end
    $grants$
{%- endmacro %}
