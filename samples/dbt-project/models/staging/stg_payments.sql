select
    id as payment_id,
    order_id,
    payment_method,
    -- amount is stored in cents; the macro comes from the local shop_utils package
    {{ shop_utils.cents_to_dollars('amount') }} as amount
from {{ source('shop', 'raw_payments') }}
