-- quarter_cells: the stored cells of $measures quarter by quarter, for each window
-- of $span quarters ending in [$first_end, $last_end] (as member_measures). A rate
-- pairs its two sides quarter by quarter from these, so both sides cover the same
-- member-quarters (metrics/scope.py, rate_sides).
with windows as (
    select range as window_end, range - $span + 1 as window_start
    from range($first_end, $last_end + 1)
),

final as (
    select w.window_end, f.member_code, f.quarter_index, f.measure, f.breakdown, f.value
    from current_figures f
    join windows w on f.quarter_index between w.window_start and w.window_end
    where ($members is null or list_contains($members, f.member_code))
      and list_contains($measures, f.measure)
)

select * from final
order by window_end, member_code, quarter_index, measure, breakdown
