package io.rushcoupon.web.page;

/** Bounds of the paged listings; constants because constraint annotations need them. */
public final class PageLimits {

    /** Largest page a listing answers; bigger requests are refused with 400, not silently cut. */
    public static final int MAX_SIZE = 100;

    public static final String DEFAULT_SIZE = "20";

    /**
     * Highest page number a listing accepts. Page × size must stay a valid row offset: Spring
     * Data JPA refuses offsets beyond {@code Integer.MAX_VALUE}, which answered a 500 for
     * {@code ?page=2147483647} (the hostile-input corpus found it). 1,000,000 × 100 is far past any
     * real listing.
     */
    public static final int MAX_PAGE = 1_000_000;

    private PageLimits() {
    }
}
