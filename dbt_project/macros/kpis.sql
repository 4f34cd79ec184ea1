{#- The catalogue of ЦУР indicators. The one definition of each KPI is its metric in the semantic layer
    (models/marts/semantic): Russian label, formula (description), unit and direction (meta) and, through
    its measures, its SQL. These macros turn a metric into an aggregate over fct_appeal_measures, so the marts
    compute exactly what `tsur query` (MetricFlow) computes.
    kind: count — a sum of 0/1 per appeal; share — numerator / denominator of two metrics (empty when the
    denominator is 0); quantile — percentile_cont of a per-appeal duration (nulls left out); rate — per 1,000
    residents (the mart passes its population expression). Metrics of other kinds are not indicators.
    dbt's unit tests compile without the graph, so the list itself is kpi_definitions(), generated from the
    metrics after each parse (orchestration/semantic.py); a run with the graph refuses a stale copy. -#}
{% macro kpi_catalog() %}
    {%- set specs = kpi_definitions() -%}
    {%- if execute and graph.get('metrics') -%}
        {%- set current = kpi_catalog_from_graph() -%}
        {%- if current != specs -%}
            {{ exceptions.raise_compiler_error("macros/kpi_definitions.sql is older than the metrics: run "
                ~ "`tsur build` or `python -m orchestration.semantic` to regenerate it") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(specs) }}
{% endmacro %}

{#- The same list read from the metrics of the graph (orchestration/semantic.py does it from the manifest). -#}
{% macro kpi_catalog_from_graph() %}
    {%- set measures = {} -%}
    {%- for model in graph.semantic_models.values() if model.name == 'appeals' -%}
        {%- for measure in model.measures -%}
            {%- do measures.update({measure.name: measure}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set specs = [] -%}
    {%- for metric in graph.metrics.values() if metric.config.meta.kind in ('count', 'share', 'quantile', 'rate') -%}
        {%- set meta = metric.config.meta -%}
        {%- set spec = {'code': metric.name, 'name': metric.label, 'kind': meta.kind, 'unit': meta.unit,
                        'higher_is_better': meta.higher_is_better, 'headline': meta.headline,
                        'order': meta.order, 'formula': metric.description | trim} -%}
        {%- if meta.kind == 'share' -%}
            {%- do spec.update({'num': metric.type_params.numerator.name,
                                'den': metric.type_params.denominator.name}) -%}
        {%- elif meta.kind in ('count', 'quantile') -%}
            {%- set measure = measures[metric.type_params.measure.name] -%}
            {%- do spec.update({'expr': measure.expr, 'agg': measure.agg}) -%}
            {%- if measure.agg == 'percentile' -%}
                {%- do spec.update({'p': measure.agg_params.percentile}) -%}
            {%- endif -%}
        {%- endif -%}
        {%- do specs.append(spec) -%}
    {%- endfor -%}
    {{ return(specs | sort(attribute='order')) }}
{% endmacro %}

{% macro kpi_spec(code) %}
    {%- for spec in kpi_catalog() if spec.code == code -%}
        {{ return(spec) }}
    {%- endfor -%}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error("unknown indicator: " ~ code) }}
    {%- endif -%}
{% endmacro %}

{#- The aggregate expression of one indicator; `population` is the residents' expression for rates, and
    `incoming` the count they divide when it was aggregated before (int_kpi_periods). -#}
{% macro kpi(code, population=none, incoming=none) -%}
    {%- set spec = kpi_spec(code) -%}
    {%- if not spec -%}
        null
    {%- elif spec.kind == 'count' -%}
        (sum({{ spec.expr }}))::integer
    {%- elif spec.kind == 'share' -%}
        round({{ kpi(spec.num) }}::numeric / nullif({{ kpi(spec.den) }}, 0), 4)
    {%- elif spec.kind == 'quantile' -%}
        round((percentile_cont({{ spec.p }}) within group (order by {{ spec.expr }}))::numeric, 2)
    {%- elif spec.kind == 'rate' -%}
        {%- if population is none -%}
            {{ exceptions.raise_compiler_error("appeals_per_1000 needs a population expression") }}
        {%- endif -%}
        round({{ incoming or kpi('incoming') }} * 1000.0 / nullif({{ population }}, 0), 3)
    {%- endif -%}
{%- endmacro %}

{#- Every indicator as `<code>` columns of one select list. -#}
{% macro kpi_columns(population=none) -%}
    {%- for spec in kpi_catalog() if spec.kind != 'rate' or population is not none %}
        {{ kpi(spec.code, population) }} as {{ spec.code }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- A text constant for SQL, quotes doubled (labels and formulas are prose). -#}
{% macro sql_text(value) -%}
    {{ "null" if value is none else "'" ~ (value | string | replace("'", "''")) ~ "'" }}
{%- endmacro %}
