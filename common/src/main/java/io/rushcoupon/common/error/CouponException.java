package io.rushcoupon.common.error;

import java.util.Map;

/**
 * A failure that answers with one of the shared {@link ErrorCode}s. Each HTTP service maps it to
 * an RFC 9457 problem detail; {@code properties} become extra members of that problem.
 */
public class CouponException extends RuntimeException {

    private final ErrorCode code;
    private final transient Map<String, Object> properties;

    public CouponException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public CouponException(ErrorCode code, String detail, Map<String, Object> properties) {
        super(detail);
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
