-- member_measures: each member's stored measures over windows of quarters,
-- aggregated by the spec's metric rules. One window per window_end in
-- [$first_end, $last_end], each $span quarters long ending at window_end
-- (a plain period is one window; quarterly series use many). Each rule is
-- the CTE named after it (metrics/figure.py declares which figure uses which):
--   flow              summed over the window's quarters
--   stock             the member's latest quarter that reported that cell ($stocks)
--   mean              the mean over the quarters that reported it ($means)
--   people_supported  patients_supported of the first quarter that reported it
--                     + new_patients of the later quarters (per age group)
-- Only $measures are read; every one not in $stocks or $means is a flow.
-- A figure nobody reported has no row: absence, never zero.
-- blank_quarters: the window's quarters in which the member's return is in
-- but left that cell blank while it reported it in another quarter of the
-- window (a sum leaves them out, a stock or a mean is taken without them):
-- the figure is partial. NULL when there are none.
with windows as (
    select range as window_end, range - $span + 1 as window_start
    from range($first_end, $last_end + 1)
),

in_window as (
    select w.window_end, f.member_code, f.quarter_index, f.measure, f.breakdown, f.value
    from current_figures f
    join windows w on f.quarter_index between w.window_start and w.window_end
    where ($members is null or list_contains($members, f.member_code))
      and ($measures is null or list_contains($measures, f.measure))
),

returns_in as (
    select w.window_end, s.member_code, list(s.quarter_index order by s.quarter_index) as quarters_in
    from submissions s
    join windows w on s.quarter_index between w.window_start and w.window_end
    where s.status = 'current'
      and ($members is null or list_contains($members, s.member_code))
    group by all
),

flow as (
    select window_end, member_code, measure, breakdown, 'flow' as rule, sum(value) as value,
           count(*) as quarters, list(quarter_index) as reported
    from in_window
    where not list_contains($stocks, measure)
      and not list_contains($means, measure)
      and measure <> 'patients_supported'
    group by all
),

stock as (
    select window_end, member_code, measure, breakdown, 'stock' as rule, arg_max(value, quarter_index) as value,
           count(*) as quarters, list(quarter_index) as reported
    from in_window
    where list_contains($stocks, measure)
    group by all
),

mean as (
    select window_end, member_code, measure, breakdown, 'mean' as rule, avg(value) as value,
           count(*) as quarters, list(quarter_index) as reported
    from in_window
    where list_contains($means, measure)
    group by all
),

first_patients as (
    select window_end, member_code, breakdown,
           min(quarter_index) as first_quarter,
           arg_min(value, quarter_index) as value
    from in_window
    where measure = 'patients_supported'
    group by all
),

later_new_patients as (
    select p.window_end, p.member_code, p.breakdown, sum(n.value) as value,
           list(n.quarter_index) as quarters
    from first_patients p
    join in_window n
      on n.window_end = p.window_end
     and n.member_code = p.member_code
     and n.breakdown = p.breakdown
     and n.measure = 'new_patients'
     and n.quarter_index > p.first_quarter
    group by all
),

people_supported as (
    -- reported: the first quarter's patients, then each later quarter's new patients
    select p.window_end, p.member_code, 'people_supported' as measure, p.breakdown, 'people_supported' as rule,
           p.value + coalesce(l.value, 0) as value,
           1 + coalesce(len(l.quarters), 0) as quarters,
           list_prepend(p.first_quarter, coalesce(l.quarters, []::bigint[])) as reported
    from first_patients p
    left join later_new_patients l using (window_end, member_code, breakdown)
),

by_rule as (
    select * from flow
    union all select * from people_supported
    union all select * from stock
    union all select * from mean
),

final as (
    select s.window_end, s.member_code, s.measure, s.breakdown, s.rule, s.value,
           case when s.quarters < len(r.quarters_in)
                then list_filter(r.quarters_in, lambda q: not list_contains(s.reported, q)) end as blank_quarters
    from by_rule s
    left join returns_in r using (window_end, member_code)
)

select * from final
order by window_end, member_code, measure, breakdown
