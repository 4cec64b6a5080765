package io.rushcoupon.common.issue;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The public id of an issue request: {@code <couponId>-<uuid>}, e.g. {@code 42-0b9f…}.
 * It carries the coupon id so a status lookup finds the request's Redis keys, which share the
 * coupon's hash tag, without a second index.
 */
public record RequestId(long couponId, UUID uuid) {

    public RequestId {
        if (couponId <= 0) {
            throw new IllegalArgumentException("couponId must be positive");
        }
    }

    public static RequestId newFor(long couponId) {
        return new RequestId(couponId, UUID.randomUUID());
    }

    /**
     * Parses the public form; {@code null} when it is not one. Only the canonical spelling, the
     * one {@link #toString()} writes, is accepted: {@code UUID.fromString} alone also takes
     * groups of other lengths and upper case, and {@code Long.parseLong} a {@code +} or leading
     * zeros, which would give one request several ids (found by IssueRequestedFuzzTest).
     */
    public static @Nullable RequestId tryParse(@Nullable String value) {
        if (value == null || value.length() > 60) {
            return null;
        }
        int dash = value.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            long couponId = Long.parseLong(value, 0, dash, 10);
            String uuid = value.substring(dash + 1);
            if (couponId <= 0 || uuid.length() != 36) {
                return null;
            }
            RequestId parsed = new RequestId(couponId, UUID.fromString(uuid));
            return parsed.toString().equals(value) ? parsed : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return couponId + "-" + uuid;
    }
}
