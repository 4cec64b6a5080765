/** ./rushcoupon demo: a small rush against the running stack, with a progress line and the invariants at the end. */
@NullMarked
package io.rushcoupon.localstack.demo;

import org.jspecify.annotations.NullMarked;
