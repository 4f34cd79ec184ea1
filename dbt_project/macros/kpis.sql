{#- The catalogue of ЦУР indicators: each KPI's SQL is defined here once and used by every mart.
    The expressions aggregate rows of int_appeal_measures (appeals received, rejected ones excluded).
    Formulas in words are the docs blocks of models/marts/bi/_kpis.md (one per indicator).
    kind: count — a number of appeals; share — num / den of two counts (empty when den = 0);
    quantile — of a per-appeal duration (of the rows `where` admits, all when absent); rate — per 1,000
    residents. The reaction_* indicators are of social-network incidents only (channel incident). -#}
{% macro kpi_catalog() %}
    {{ return([
        {'code': 'incoming', 'name': 'Поступило', 'kind': 'count', 'where': 'true', 'headline': true},
        {'code': 'answered', 'name': 'Получили ответ', 'kind': 'count', 'where': 'has_answer', 'headline': true},
        {'code': 'answered_on_time', 'name': 'Ответ в срок', 'kind': 'count', 'where': 'is_answered_on_time', 'headline': true},
        {'code': 'overdue_open', 'name': 'Просрочено в работе', 'kind': 'count', 'where': 'is_open_overdue', 'headline': true},
        {'code': 'with_interim', 'name': 'С промежуточным ответом', 'kind': 'count', 'where': 'has_interim_answer', 'headline': false},
        {'code': 'redirected', 'name': 'Перенаправлено', 'kind': 'count', 'where': 'is_redirected', 'headline': false},
        {'code': 'returned', 'name': 'Возвращено на доработку', 'kind': 'count', 'where': 'is_returned', 'headline': true},
        {'code': 'rated', 'name': 'Оценено', 'kind': 'count', 'where': 'is_rated', 'headline': true},
        {'code': 'satisfied', 'name': 'Удовлетворены (оценка 4–5)', 'kind': 'count', 'where': 'is_satisfied', 'headline': true},
        {'code': 'repeated', 'name': 'Повторные', 'kind': 'count', 'where': 'is_repeat', 'headline': false},
        {'code': 'substantive', 'name': 'Ответ по существу', 'kind': 'count', 'where': 'has_substantive_result', 'headline': false},
        {'code': 'on_time_share', 'name': 'Доля ответов в срок', 'kind': 'share', 'num': 'answered_on_time', 'den': 'answered', 'headline': true},
        {'code': 'interim_share', 'name': 'Доля с промежуточным ответом', 'kind': 'share', 'num': 'with_interim', 'den': 'incoming', 'headline': false},
        {'code': 'redirect_share', 'name': 'Доля перенаправленных', 'kind': 'share', 'num': 'redirected', 'den': 'incoming', 'headline': false},
        {'code': 'return_share', 'name': 'Доля возвратов на доработку', 'kind': 'share', 'num': 'returned', 'den': 'answered', 'headline': true},
        {'code': 'satisfaction_share', 'name': 'Доля удовлетворенных', 'kind': 'share', 'num': 'satisfied', 'den': 'rated', 'headline': true},
        {'code': 'rating_coverage', 'name': 'Охват оценками', 'kind': 'share', 'num': 'rated', 'den': 'answered', 'headline': true},
        {'code': 'repeat_share', 'name': 'Доля повторных', 'kind': 'share', 'num': 'repeated', 'den': 'incoming', 'headline': true},
        {'code': 'completeness', 'name': 'Полнота реагирования', 'kind': 'share', 'num': 'answered', 'den': 'incoming', 'headline': false},
        {'code': 'substantive_share', 'name': 'Доля ответов по существу', 'kind': 'share', 'num': 'substantive', 'den': 'answered', 'headline': false},
        {'code': 'first_reaction_median_hours', 'name': 'Первая реакция, медиана (рабочих часов)', 'kind': 'quantile', 'column': 'first_reaction_working_hours', 'p': 0.5, 'headline': true},
        {'code': 'first_reaction_p90_hours', 'name': 'Первая реакция, 90-й процентиль (рабочих часов)', 'kind': 'quantile', 'column': 'first_reaction_working_hours', 'p': 0.9, 'headline': false},
        {'code': 'resolution_median_days', 'name': 'Решение, медиана (рабочих дней)', 'kind': 'quantile', 'column': 'resolution_working_days', 'p': 0.5, 'headline': true},
        {'code': 'resolution_p90_days', 'name': 'Решение, 90-й процентиль (рабочих дней)', 'kind': 'quantile', 'column': 'resolution_working_days', 'p': 0.9, 'headline': false},
        {'code': 'reaction_judged', 'name': 'Инциденты с оцененной реакцией', 'kind': 'count', 'where': "channel = 'incident' and is_reaction_judged", 'headline': false},
        {'code': 'reacted_within_8h', 'name': 'Инциденты с реакцией за 8 рабочих часов', 'kind': 'count', 'where': "channel = 'incident' and is_reacted_within_8h", 'headline': false},
        {'code': 'reaction_8h_share', 'name': 'Доля инцидентов с реакцией за 8 рабочих часов', 'kind': 'share', 'num': 'reacted_within_8h', 'den': 'reaction_judged', 'headline': true},
        {'code': 'reaction_median_minutes', 'name': 'Реакция на инцидент, медиана (минут)', 'kind': 'quantile', 'column': 'first_reaction_minutes', 'where': "channel = 'incident'", 'p': 0.5, 'headline': true},
        {'code': 'appeals_per_1000', 'name': 'Обращений на 1 000 жителей', 'kind': 'rate', 'headline': true},
    ]) }}
{% endmacro %}

{% macro kpi_spec(code) %}
    {%- for spec in kpi_catalog() if spec.code == code -%}
        {{ return(spec) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("unknown indicator: " ~ code) }}
{% endmacro %}

{#- The aggregate expression of one indicator; `population` is the residents' expression for rates. -#}
{% macro kpi(code, population=none) -%}
    {%- set spec = kpi_spec(code) -%}
    {%- if spec.kind == 'count' -%}
        (count(*) filter (where {{ spec['where'] }}))::integer
    {%- elif spec.kind == 'share' -%}
        round({{ kpi(spec.num) }}::numeric / nullif({{ kpi(spec.den) }}, 0), 4)
    {%- elif spec.kind == 'quantile' -%}
        round((percentile_cont({{ spec.p }}) within group (order by {{ spec.column }})
            {%- if spec['where'] %} filter (where {{ spec['where'] }}){% endif %})::numeric, 2)
    {%- elif spec.kind == 'rate' -%}
        {%- if population is none -%}
            {{ exceptions.raise_compiler_error("appeals_per_1000 needs a population expression") }}
        {%- endif -%}
        round({{ kpi('incoming') }} * 1000.0 / nullif({{ population }}, 0), 3)
    {%- endif -%}
{%- endmacro %}

{#- Every indicator as `<code>` columns of one select list. -#}
{% macro kpi_columns(population=none) -%}
    {%- for spec in kpi_catalog() if spec.kind != 'rate' or population is not none %}
        {{ kpi(spec.code, population) }} as {{ spec.code }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
