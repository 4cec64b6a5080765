package io.rushcoupon.common.redis;

/**
 * A coupon's stock as the worker read it in PostgreSQL, in the transaction that decided requests.
 *
 * @param remaining remaining quantity after that transaction's commit
 * @param total     total quantity read in the same transaction; the finalize script zeroes Redis's
 *                  remaining only while the coupon hash still has this total
 */
public record DatabaseStock(int remaining, int total) {
}
