package dev.tracewh.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import static dev.tracewh.warehouse.schema.Tables.SCORE_CONFIGS;
import static java.util.Objects.requireNonNull;

/** A rubric from {@code score_configs}: what values a score of this name may take. */
record ScoreConfig(String name, DataType dataType, OptionalDouble minValue, OptionalDouble maxValue, List<String> categories)
{
    enum DataType
    {
        NUMERIC, CATEGORICAL, BOOLEAN
    }

    ScoreConfig
    {
        requireNonNull(name, "name is null");
        requireNonNull(dataType, "dataType is null");
        requireNonNull(minValue, "minValue is null");
        requireNonNull(maxValue, "maxValue is null");
        categories = List.copyOf(categories);
    }

    /** Every rubric of the warehouse, by name. */
    static Map<String, ScoreConfig> loadAll(DSLContext dsl, ObjectMapper mapper)
    {
        return dsl.selectFrom(SCORE_CONFIGS)
                .fetch(record -> new ScoreConfig(
                        record.getName(),
                        DataType.valueOf(record.getDataType().toUpperCase(Locale.ROOT)),
                        optional(record.getMinValue()),
                        optional(record.getMaxValue()),
                        categories(record.getName(), record.getCategories(), mapper)))
                .stream()
                .collect(Collectors.toMap(ScoreConfig::name, config -> config));
    }

    /** Why a score with this value and label does not fit the rubric, or empty when it does. */
    Optional<String> problem(OptionalDouble value, Optional<String> label)
    {
        return switch (dataType) {
            case NUMERIC -> {
                if (value.isEmpty()) {
                    yield Optional.of(name + " needs a numeric value");
                }
                double number = value.getAsDouble();
                if ((minValue.isPresent() && number < minValue.getAsDouble()) || (maxValue.isPresent() && number > maxValue.getAsDouble())) {
                    yield Optional.of("%s value %s is outside %s..%s".formatted(name, format(number),
                            minValue.isPresent() ? format(minValue.getAsDouble()) : "", maxValue.isPresent() ? format(maxValue.getAsDouble()) : ""));
                }
                yield Optional.empty();
            }
            case CATEGORICAL -> label.isPresent() && categories.contains(label.get())
                    ? Optional.empty()
                    : Optional.of("%s label %s is not one of %s".formatted(name, label.map(text -> "'" + text + "'").orElse("(none)"), String.join(", ", categories)));
            case BOOLEAN -> value.isPresent() && (value.getAsDouble() == 0 || value.getAsDouble() == 1)
                    ? Optional.empty()
                    : Optional.of("%s value %s is not 0 or 1 (or false or true)".formatted(name, value.isPresent() ? format(value.getAsDouble()) : "(none)"));
        };
    }

    private static OptionalDouble optional(Double value)
    {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static List<String> categories(String name, String json, ObjectMapper mapper)
    {
        if (json == null) {
            return List.of();
        }
        try {
            List<String> categories = new ArrayList<>();
            for (JsonNode category : mapper.readTree(json)) {
                categories.add(category.asText());
            }
            return categories;
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("score_configs.categories of " + name + " is not a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    private static String format(double number)
    {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
}
