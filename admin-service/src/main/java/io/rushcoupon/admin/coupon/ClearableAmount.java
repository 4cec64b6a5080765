package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * A PATCH amount that can be removed: a value is {@code Optional.of(value)}, an explicit JSON
 * null {@code Optional.empty()} (remove it), a field left out {@code null} (leave it). Jackson's
 * own Optional reads both of the last two as empty, so a PATCH of the name alone would remove it.
 */
final class ClearableAmount extends ValueDeserializer<Optional<BigDecimal>> {

    @Override
    public Optional<BigDecimal> deserialize(JsonParser parser, DeserializationContext context) {
        // the same BigDecimal reading, and so the same refusals, as the other money fields
        return Optional.of(context.readValue(parser, BigDecimal.class));
    }

    @Override
    public Optional<BigDecimal> getNullValue(DeserializationContext context) {
        return Optional.empty();
    }

    @Override
    public @Nullable Object getAbsentValue(DeserializationContext context) {
        return null;
    }
}
