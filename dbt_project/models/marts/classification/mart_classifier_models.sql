-- Every trained version of the classifier with what it learnt from and how it did in cross-validation.
with

models as (

    select * from {{ source('classifier', 'classifier_models') }}

),

final as (

    select
        model_version,
        created_at,
        trained_on_hwm,
        training_appeals,
        k.classes,
        (cv ->> 'folds')::integer as cv_folds,
        (cv ->> 'sector_accuracy')::numeric as cv_sector_accuracy,
        (cv ->> 'sector_macro_f1')::numeric as cv_sector_macro_f1,
        (cv ->> 'category_accuracy')::numeric as cv_category_accuracy,
        (cv ->> 'category_macro_f1')::numeric as cv_category_macro_f1,
        class_counts
    from models
    cross join lateral (select count(*)::integer as classes from jsonb_object_keys(models.class_counts)) as k

)

select * from final
