package dev.tracewh.devtools;

import org.jooq.DSLContext;
import org.jooq.Record;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * tracewh's cost per UTC day of Claude Code responses ({@code v_cost_daily}) against ccusage's daily report over the
 * same sessions. A day is compared when both sides have it, tracewh priced all its responses and ccusage all its
 * models; it agrees when the costs differ by at most {@value #TOLERANCE_PERCENT} %.
 */
record CostComparison(String target, List<Day> days)
{
    static final double TOLERANCE_PERCENT = 0.5;

    /** One day of ccusage's report; cache writes are 5-minute and 1-hour ones together. */
    record CcusageDay(LocalDate date, long inputTokens, long cacheWriteTokens, long cacheReadTokens, long outputTokens, BigDecimal cost,
            List<String> unpricedModels)
    {
        CcusageDay
        {
            requireNonNull(date, "date is null");
            // JSON numbers come as doubles: 0.0001 and 0.00010 are the same cost
            cost = cost.stripTrailingZeros();
            unpricedModels = List.copyOf(unpricedModels);
        }
    }

    /** One day of {@code v_cost_daily}, summed over models and projects; {@code cost} sums the priced responses only. */
    record TracewhDay(LocalDate date, long responses, long unpricedResponses, long inputTokens, long cacheWriteTokens, long cacheReadTokens,
            long outputTokens, BigDecimal cost)
    {
        TracewhDay
        {
            requireNonNull(date, "date is null");
            requireNonNull(cost, "cost is null");
        }
    }

    /** A day either side or both have. */
    record Day(LocalDate date, Optional<TracewhDay> tracewh, Optional<CcusageDay> ccusage)
    {
        boolean compared()
        {
            return tracewh.isPresent() && ccusage.isPresent() && tracewh.get().unpricedResponses() == 0 && ccusage.get().unpricedModels().isEmpty();
        }

        /** Input, cache write, cache read and output tokens are the same on both sides. */
        boolean tokensAgree()
        {
            if (tracewh.isEmpty() || ccusage.isEmpty()) {
                return false;
            }
            TracewhDay ours = tracewh.get();
            CcusageDay theirs = ccusage.get();
            return ours.inputTokens() == theirs.inputTokens() && ours.cacheWriteTokens() == theirs.cacheWriteTokens()
                    && ours.cacheReadTokens() == theirs.cacheReadTokens() && ours.outputTokens() == theirs.outputTokens();
        }

        /** tracewh's cost over ccusage's, minus one, in percent; 0 when both are 0. Only for a day both sides have. */
        double differencePercent()
        {
            BigDecimal ours = tracewh.orElseThrow().cost();
            BigDecimal theirs = ccusage.orElseThrow().cost();
            if (theirs.signum() == 0) {
                return ours.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return ours.subtract(theirs).doubleValue() / theirs.doubleValue() * 100;
        }

        boolean agrees()
        {
            return Math.abs(differencePercent()) <= TOLERANCE_PERCENT;
        }
    }

    CostComparison
    {
        requireNonNull(target, "target is null");
        days = List.copyOf(days);
    }

    /** The days of both sides, in date order. */
    static CostComparison of(String target, List<TracewhDay> tracewh, List<CcusageDay> ccusage)
    {
        Map<LocalDate, TracewhDay> ours = new HashMap<>();
        Map<LocalDate, CcusageDay> theirs = new HashMap<>();
        tracewh.forEach(day -> ours.put(day.date(), day));
        ccusage.forEach(day -> theirs.put(day.date(), day));
        TreeSet<LocalDate> dates = new TreeSet<>(ours.keySet());
        dates.addAll(theirs.keySet());
        return new CostComparison(target, dates.stream()
                .map(date -> new Day(date, Optional.ofNullable(ours.get(date)), Optional.ofNullable(theirs.get(date))))
                .toList());
    }

    /** {@code v_cost_daily}'s Claude Code rows per UTC day. */
    static List<TracewhDay> tracewhDays(DSLContext dsl)
    {
        List<TracewhDay> days = new ArrayList<>();
        for (Record row : dsl.fetch("""
                select "day",
                       sum(responses),
                       sum(unpriced_responses),
                       sum(input_tokens),
                       sum(cache_write_5m_tokens + cache_write_1h_tokens),
                       sum(cache_read_input_tokens),
                       sum(output_tokens),
                       sum(cost_usd)
                from v_cost_daily
                where source_kind = 'claude_code'
                group by "day"
                order by "day"
                """)) {
            BigDecimal cost = row.get(7, BigDecimal.class);
            days.add(new TracewhDay(row.get(0, LocalDate.class), row.get(1, Long.class), row.get(2, Long.class), row.get(3, Long.class),
                    row.get(4, Long.class), row.get(5, Long.class), row.get(6, Long.class), cost == null ? BigDecimal.ZERO : cost));
        }
        return days;
    }

    List<Day> compared()
    {
        return days.stream().filter(Day::compared).toList();
    }

    long agreeing()
    {
        return compared().stream().filter(Day::agrees).count();
    }

    /** The compared days whose costs differ by more than the tolerance. */
    List<Day> disagreeing()
    {
        return compared().stream().filter(day -> !day.agrees()).toList();
    }

    /** Compared days whose token sums differ. */
    List<Day> tokenMismatches()
    {
        return compared().stream().filter(day -> !day.tokensAgree()).toList();
    }

    Optional<Day> largestDifference()
    {
        return compared().stream().max(Comparator.comparingDouble(day -> Math.abs(day.differencePercent())));
    }

    BigDecimal tracewhTotal()
    {
        return compared().stream().map(day -> day.tracewh().orElseThrow().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal ccusageTotal()
    {
        return compared().stream().map(day -> day.ccusage().orElseThrow().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What the comparison found, a line each: days, agreement, the largest difference, totals, and each day outside the tolerance. */
    List<String> summary()
    {
        List<String> lines = new ArrayList<>();
        long notCompared = days.size() - compared().size();
        String leftOut = notCompared == 0 ? "" : "; %d days left out (on one side only, or a model without a price)".formatted(notCompared);
        lines.add("cost per UTC day against ccusage (%s warehouse): %d days compared, %d within %.1f %%%s".formatted(target, compared().size(),
                agreeing(), TOLERANCE_PERCENT, leftOut));
        largestDifference().ifPresent(day -> lines.add("largest difference: %s, %+.6f %% (tracewh $%s, ccusage $%s)".formatted(day.date(),
                day.differencePercent(), dollars(day.tracewh().orElseThrow().cost()), dollars(day.ccusage().orElseThrow().cost()))));
        lines.add("total over the compared days: tracewh $%s, ccusage $%s".formatted(dollars(tracewhTotal()), dollars(ccusageTotal())));
        List<Day> tokens = tokenMismatches();
        lines.add(tokens.isEmpty() ? "token sums equal on every compared day" : "token sums differ on %d days, the first %s".formatted(tokens.size(),
                tokens.getFirst().date()));
        for (Day day : disagreeing()) {
            lines.add("  outside %.1f %%: %s %+.6f %% (tracewh $%s, ccusage $%s)".formatted(TOLERANCE_PERCENT, day.date(), day.differencePercent(),
                    dollars(day.tracewh().orElseThrow().cost()), dollars(day.ccusage().orElseThrow().cost())));
        }
        return lines;
    }

    /** One line per day: both costs, the difference and why a day is left out. */
    List<String> table()
    {
        List<String> lines = new ArrayList<>();
        lines.add("%-10s %14s %14s %10s  %s".formatted("day", "tracewh $", "ccusage $", "diff %", "note"));
        for (Day day : days) {
            String ours = day.tracewh().map(side -> dollars(side.cost())).orElse("-");
            String theirs = day.ccusage().map(side -> dollars(side.cost())).orElse("-");
            String difference = day.tracewh().isPresent() && day.ccusage().isPresent() ? "%+.6f".formatted(day.differencePercent()) : "-";
            lines.add("%-10s %14s %14s %10s  %s".formatted(day.date(), ours, theirs, difference, note(day)));
        }
        return lines;
    }

    private static String note(Day day)
    {
        if (day.tracewh().isEmpty()) {
            return "ccusage only";
        }
        if (day.ccusage().isEmpty()) {
            return "tracewh only";
        }
        List<String> notes = new ArrayList<>();
        if (day.tracewh().get().unpricedResponses() > 0) {
            notes.add(day.tracewh().get().unpricedResponses() + " responses without a price in tracewh");
        }
        if (!day.ccusage().get().unpricedModels().isEmpty()) {
            notes.add("no price in ccusage: " + String.join(", ", day.ccusage().get().unpricedModels()));
        }
        if (!day.tokensAgree()) {
            notes.add("token sums differ");
        }
        return String.join("; ", notes);
    }

    private static String dollars(BigDecimal amount)
    {
        return amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }
}
