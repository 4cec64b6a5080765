/** ./rushcoupon token: user and admin tokens for the running stack's secret. */
@NullMarked
package io.rushcoupon.localstack.token;

import org.jspecify.annotations.NullMarked;
