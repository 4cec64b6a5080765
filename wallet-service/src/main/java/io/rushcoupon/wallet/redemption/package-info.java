/**
 * Redeeming a wallet coupon against an order, and cancelling that redemption: the discount rule,
 * the conditional updates that make PostgreSQL the fence between two devices, and the API.
 */
@NullMarked
package io.rushcoupon.wallet.redemption;

import org.jspecify.annotations.NullMarked;
