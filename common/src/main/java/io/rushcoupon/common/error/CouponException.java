package io.rushcoupon.common.error;

import java.util.Map;

/**
 * A failure that answers with one of the shared {@link ErrorCode}s. Each HTTP service maps it to
 * an RFC 9457 problem detail; {@code properties} become extra members of that problem.
 *
 * <p>It carries no stack trace: it is an answer (sold out, duplicate, …), not a bug, and most
 * requests of a rush end in one, so filling in a stack trace would be paid on the hot path.
 */
public class CouponException extends RuntimeException {

    private final ErrorCode code;
    private final transient Map<String, Object> properties;

    public CouponException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public CouponException(ErrorCode code, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
