/** ./rushcoupon bench: wrk-driven rushes against a stack of its own, with CPU accounting per service. */
@NullMarked
package io.rushcoupon.localstack.bench;

import org.jspecify.annotations.NullMarked;
