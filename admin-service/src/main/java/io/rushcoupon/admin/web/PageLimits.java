package io.rushcoupon.admin.web;

/** Bounds of the paged listings; constants because constraint annotations need them. */
public final class PageLimits {

    /** Largest page a listing answers; bigger requests are refused with 400, not silently cut. */
    public static final int MAX_SIZE = 100;

    public static final String DEFAULT_SIZE = "20";

    private PageLimits() {
    }
}
