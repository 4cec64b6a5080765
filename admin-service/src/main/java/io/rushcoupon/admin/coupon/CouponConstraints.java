package io.rushcoupon.admin.coupon;

/** Field formats shared by the create and update requests; documented in the OpenAPI schema too. */
final class CouponConstraints {

    /**
     * Coupon codes: upper-case ASCII letters and digits, then also {@code _} and {@code -}. Strict
     * on purpose: no lower case (codes are read aloud and typed; {@code SUMMER} and {@code summer}
     * must not be two coupons), no spaces, nothing a URL or a log line would need to escape.
     */
    static final String CODE_PATTERN = "[A-Z0-9][A-Z0-9_-]*";
    static final int CODE_MAX = 64;

    /**
     * Names: no control characters (no line breaks or tabs), no unpaired surrogate (not text: it
     * cannot be encoded as UTF-8, so PostgreSQL would store a {@code ?} in its place; the
     * hostile-input corpus found it), and at least one visible character. Java's regex reads a
     * proper surrogate pair (an emoji) as one code point, so those stay allowed.
     *
     * <p>Linear: the only blank a name may have that is not a control character is the space, so
     * leading spaces, the first visible character and the rest are three disjoint steps, each
     * possessive. The earlier {@code [^…]*[^…\s][^…]*} could split a name in quadratically many
     * ways before failing: 20 000 characters and a trailing tab took seconds. {@link CouponName}
     * checks the length first, so no pattern ever sees more than {@link #NAME_MAX} characters.
     */
    static final String NAME_PATTERN = " *+[^\\p{Cc}\\p{Cs}\\s][^\\p{Cc}\\p{Cs}]*+";
    static final int NAME_MAX = 200;

    static final int MAX_TOTAL_QUANTITY = 10_000_000;
    static final int MAX_VALID_DAYS = 3650;

    /** numeric(12, 2) in PostgreSQL. */
    static final int MONEY_INTEGER_DIGITS = 10;
    static final int MONEY_FRACTION_DIGITS = 2;

    private CouponConstraints() {
    }
}
