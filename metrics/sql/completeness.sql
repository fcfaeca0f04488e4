-- completeness: every expected member x every quarter from $first to $last,
-- with the current submission (if any) and the submissions it replaced. A
-- quarter outside the member's membership (before it joined, after it left)
-- is not_required: it owes no return for it (the spec's "Membership over time").
with expected as (
    select unnest($members::varchar[]) as member_code
),

quarters as (
    select range as quarter_index from range($first, $last + 1)
),

grid as (
    select e.member_code, q.quarter_index
    from expected e cross join quarters q
),

current_returns as (
    select member_code, quarter_index, submission_id
    from submissions
    where status = 'current' and quarter_index between $first and $last
),

replaced as (
    select member_code, quarter_index, list(submission_id order by submission_id) as superseded_ids
    from submissions
    where status = 'superseded' and quarter_index between $first and $last
    group by all
),

final as (
    select g.member_code,
           coalesce(m.name, g.member_code) as member_name,
           g.quarter_index,
           case when c.submission_id is not null and r.superseded_ids is not null then 'superseded'
                when c.submission_id is not null then 'in'
                when g.quarter_index < m.joined_quarter or g.quarter_index > m.left_quarter then 'not_required'
                else 'missing' end as status,
           c.submission_id,
           coalesce(r.superseded_ids, []::integer[]) as superseded_ids
    from grid g
    left join current_returns c using (member_code, quarter_index)
    left join replaced r using (member_code, quarter_index)
    left join members m on m.code = g.member_code
)

select * from final
order by member_code, quarter_index
